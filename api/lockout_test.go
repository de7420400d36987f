package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/internal/testkit/pgtest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// TestParallelGuessesAreCountedAtomically: 20 wrong passwords sent at
// once, each from its own address (so the per-address limit does not
// hide the lock-out), get at most the lock-out's threshold of password
// checks; the account is then locked and refuses even the right
// password. Reading the count and writing it back let all 20 through.
func TestParallelGuessesAreCountedAtomically(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			dsn := "sqlite:" + filepath.Join(t.TempDir(), "api.db")
			if dialect == "postgres" {
				dsn = pgtest.DSN(t)
			}
			db, err := models.Open(dsn, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := seed.Apply(ctx, db, seed.Options{DemoPassword: testPassword}); err != nil {
				t.Fatal(err)
			}
			ts := &testServer{DB: db, Log: slog.New(slog.DiscardHandler), MaxBodyBytes: 64 << 10,
				Tokens: auth.Tokens{Secret: testSecret, TTL: time.Hour, Issuer: "tdkt"}}
			h := ts.Handler()
			var loginAs func(i int, username, password string) int
			login := func(i int, password string) int { return loginAs(i, "xet.dian", password) }
			loginAs = func(i int, username, password string) int {
				body, _ := json.Marshal(map[string]string{"username": username, "password": password})
				req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.RemoteAddr = fmt.Sprintf("10.0.%d.%d:4000", i/200, i%200+1)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code == http.StatusTooManyRequests && rec.Header().Get("Retry-After") == "" {
					t.Errorf("guess %d: 429 without Retry-After", i)
				}
				return rec.Code
			}
			const guesses = 20
			// A username without an account answers alike (it must not
			// be told apart by the lock-out), from its own addresses.
			for _, username := range []string{"xet.dian", "khong.ton.tai"} {
				codes := make([]int, guesses)
				var wg sync.WaitGroup
				start := make(chan struct{})
				for i := range guesses {
					wg.Go(func() {
						<-start
						codes[i] = loginAs(i+1000*len(username), username, "sai")
					})
				}
				close(start)
				wg.Wait()
				checked := 0
				for i, c := range codes {
					switch c {
					case http.StatusUnauthorized:
						checked++ // a 401 is a password checked and found wrong
					case http.StatusTooManyRequests:
					default:
						t.Errorf("%s, guess %d: %d", username, i, c)
					}
				}
				// The fifth wrong password locks with a 429 itself, so at
				// most four guesses answer 401.
				if checked > 4 {
					t.Errorf("%s: %d of %d parallel wrong passwords were checked and refused with 401 (codes %v); the lock-out allows 5 with the fifth locking",
						username, checked, guesses, codes)
				}
			}
			var u models.User
			if err := db.First(&u, "username = ?", "xet.dian").Error; err != nil {
				t.Fatal(err)
			}
			if u.LockedUntil == nil || !u.LockedUntil.After(time.Now()) {
				t.Errorf("after %d parallel wrong passwords the account is not locked: %+v", guesses, u.LockedUntil)
			}
			if code := login(guesses, testPassword); code != http.StatusTooManyRequests {
				t.Errorf("the right password during the lock-out: %d, want 429", code)
			}
			// When the lock-out ends the right password logs in.
			ts.Now = func() time.Time { return u.LockedUntil.Add(time.Second) }
			if code := login(guesses+1, testPassword); code != http.StatusOK {
				t.Errorf("the right password after the lock-out: %d, want 200", code)
			}
		})
	}
}
