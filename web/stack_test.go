package web

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/service"
)

// testPassword is every seeded account's password in these tests.
const testPassword = "mat-khau"

// newService is a service over a fresh SQLite database holding the seed
// (units, rounds, demo accounts), without Temporal: enough for every page
// that does not change a nomination's workflow.
func newService(t *testing.T) *service.Service {
	t.Helper()
	db, err := models.Open("sqlite:"+filepath.Join(t.TempDir(), "web.db"), slog.New(slog.DiscardHandler))
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
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return service.New(service.Config{DB: db, Log: slog.New(slog.DiscardHandler),
		Tokens: auth.Tokens{Secret: []byte(strings.Repeat("w", 32)), TTL: time.Hour, Issuer: "tdkt"}})
}

// newUI is the UI over a fresh service; api serves the pages that still
// call the JSON API.
func newUI(t *testing.T, api http.Handler, opts Options) *UI {
	t.Helper()
	return New(newService(t), api, opts).(*UI)
}
