package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestVerifyIsRateLimitedPerClient: the public verification page answers
// one client address at most 30 times a minute, then a 429 problem with
// Retry-After, while another address is still served. Unlimited, a client
// could walk verification codes as fast as the database answers.
func TestVerifyIsRateLimitedPerClient(t *testing.T) {
	e := newEnv(t)
	h := e.srv.Config.Handler
	get := func(addr string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/verify/"+strings.Repeat("0", 32), nil)
		req.Header.Set("Accept", "application/json")
		req.RemoteAddr = addr + ":5000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	const limit = 30
	for i := range limit {
		if rec := get("192.0.2.1"); rec.Code != http.StatusNotFound {
			t.Fatalf("verification %d from one address: %d, want 404 (no such code)", i+1, rec.Code)
		}
	}
	rec := get("192.0.2.1")
	var p map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &p)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" ||
		!strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") ||
		p["type"] != "/problems/rate-limited" || p["detail"] == "" || p["detail_en"] == "" {
		t.Fatalf("verification %d from one address: %d %v %s, want a 429 problem with Retry-After", limit+1, rec.Code, rec.Header(), rec.Body)
	}
	if rec := get("192.0.2.2"); rec.Code != http.StatusNotFound {
		t.Fatalf("another address after the first was limited: %d, want 404", rec.Code)
	}
}
