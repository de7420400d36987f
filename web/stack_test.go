package web

import (
	"context"
	"log/slog"
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
// that does not change a nomination's workflow. Each config function may
// change the service's configuration (limits).
func newService(t *testing.T, config ...func(*service.Config)) *service.Service {
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
	cfg := service.Config{DB: db, Log: slog.New(slog.DiscardHandler), DataDir: t.TempDir(),
		Tokens: auth.Tokens{Secret: []byte(strings.Repeat("w", 32)), TTL: time.Hour, Issuer: "tdkt"}}
	for _, c := range config {
		c(&cfg)
	}
	return service.New(cfg)
}

// newUI is the UI over a fresh service.
func newUI(t *testing.T, opts Options) *UI {
	t.Helper()
	return New(newService(t), opts).(*UI)
}

// draftOf creates a draft of the user's unit in the test round (for the
// nominee name, if given) and returns its ID.
func draftOf(t *testing.T, ui *UI, username string, name ...string) string {
	t.Helper()
	ctx := context.Background()
	sess, err := ui.svc.Login(ctx, "", service.LoginInput{Username: username, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	who, err := ui.svc.Authenticate(ctx, sess.Token)
	if err != nil {
		t.Fatal(err)
	}
	round, kind, award, nominee := "thu-nghiem", "individual", "giay-khen-xa", "Lê Văn An"
	if len(name) > 0 {
		nominee = name[0]
	}
	n, err := ui.svc.CreateNomination(ctx, who, service.NominationInput{RoundID: &round, NomineeKind: &kind,
		NomineeName: &nominee, Award: &award}, "")
	if err != nil {
		t.Fatal(err)
	}
	return n.ID
}
