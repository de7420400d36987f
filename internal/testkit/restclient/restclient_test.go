package restclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// TestCall: concurrent callers log a user in once, send the token and the
// Idempotency-Key, decode the answer, and get a StatusError for a refusal.
func TestCall(t *testing.T) {
	var logins atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/auth/login":
			logins.Add(1)
			var in struct{ Username, Password string }
			if json.NewDecoder(r.Body).Decode(&in) != nil || in.Password != "mk" {
				http.Error(w, `{"title":"Unauthorized"}`, http.StatusUnauthorized)
				return
			}
			json.NewEncoder(w).Encode(map[string]string{"token": "t-" + in.Username})
		case "/api/v1/me":
			if r.Header.Get("Authorization") != "Bearer t-an" || r.Header.Get("Idempotency-Key") != "k1" {
				http.Error(w, `{"title":"Forbidden"}`, http.StatusForbidden)
				return
			}
			json.NewEncoder(w).Encode(map[string]string{"username": "an"})
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := &Client{Base: srv.URL, Password: "mk"}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var me struct{ Username string }
			if err := c.Call(context.Background(), "an", "GET", "/api/v1/me", nil, "k1", &me); err != nil || me.Username != "an" {
				t.Errorf("call: %v %+v", err, me)
			}
		}()
	}
	wg.Wait()
	if logins.Load() != 1 {
		t.Fatalf("%d logins for one user, want 1", logins.Load())
	}
	err := c.Call(context.Background(), "an", "GET", "/api/v1/me", nil, "", nil)
	var status *StatusError
	if !errors.As(err, &status) || status.Status != http.StatusForbidden || status.Path != "/api/v1/me" {
		t.Fatalf("refusal: %v", err)
	}
	bad := &Client{Base: srv.URL, Password: "sai"}
	if err := bad.Call(context.Background(), "an", "GET", "/api/v1/me", nil, "", nil); !errors.As(err, &status) || status.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %v", err)
	}
	if c.Requests() != 10 {
		t.Fatalf("%d requests counted, want 10 (1 login, 8 calls, 1 refused; the other client counts its own)", c.Requests())
	}
}
