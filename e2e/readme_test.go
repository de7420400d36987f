package e2e

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// TestReadmeWalkthrough runs the README's curl walkthrough as written,
// against a stack of its own (its address in place of 127.0.0.1:8080):
// the nomination it files goes up its four levels and ends accepted.
func TestReadmeWalkthrough(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	i := strings.Index(text, "### Try it with curl")
	if i < 0 {
		t.Fatal("the README has no curl walkthrough")
	}
	start := strings.Index(text[i:], "```sh\n")
	end := strings.Index(text[i+start+6:], "```")
	if start < 0 || end < 0 {
		t.Fatal("the walkthrough's code block is not closed")
	}
	script := text[i+start+6 : i+start+6+end]
	if !strings.Contains(script, "http://127.0.0.1:8080") {
		t.Fatal("the walkthrough does not address tdkt dev's API")
	}
	// The demo accounts with tdkt dev's password, which the walkthrough
	// logs in with.
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "tdkt.db")
	db, err := models.Open(url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := models.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Apply(context.Background(), db, seed.Options{DemoPassword: seed.DevPassword}); err != nil {
		t.Fatal(err)
	}
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
	s := newStack(t, dir, url, false)
	defer s.stop()
	script = strings.ReplaceAll(script, "http://127.0.0.1:8080", s.http.URL)
	out, err := exec.Command("bash", "-euo", "pipefail", "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("the walkthrough failed: %v\n%s", err, out)
	}
	last := string(out)
	if k := strings.LastIndex(last, `{"id":`); k >= 0 {
		last = last[k:]
	}
	if !strings.Contains(last, `"status":"accepted"`) || strings.Contains(string(out), `"type":"/problems/`) {
		t.Fatalf("the walkthrough did not end accepted:\n%s", out)
	}
}
