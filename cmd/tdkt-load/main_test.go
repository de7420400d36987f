package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tdkt/tdkt/internal/testkit/pgtest"
)

var (
	buildOnce sync.Once
	binPath   string
	binClean  func()
	buildErr  error
)

// buildBinary builds tdkt once per test run, the way the command does
// without -tdkt.
func buildBinary(t *testing.T) string {
	buildOnce.Do(func() {
		binPath, binClean, buildErr = tdktBinary(context.Background(), "")
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	if binClean != nil {
		binClean()
	}
	os.Exit(code)
}

// TestTdktFlag: a given binary is used as it is (made absolute, since the
// processes are started from other directories), and one that is missing
// or not executable is refused before anything starts.
func TestTdktFlag(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "tdkt")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	bin, cleanup, err := tdktBinary(context.Background(), "tdkt")
	if err != nil || bin != exe {
		t.Fatalf("-tdkt tdkt: %q, %v; want %q", bin, err, exe)
	}
	cleanup()
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("cleanup removed the given binary: %v", err)
	}
	for _, bad := range []string{"missing", "plain", dir} {
		if _, _, err := tdktBinary(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "-tdkt") {
			t.Errorf("-tdkt %s: %v, want a -tdkt error", bad, err)
		}
	}
}

// TestLoadFlags: -database-url without -prod is refused before a binary is
// built or a process started.
func TestLoadFlags(t *testing.T) {
	err := runLoad(context.Background(), []string{"-database-url", "postgres://x/y", "-tdkt", "/nonexistent"})
	if err == nil || !strings.Contains(err.Error(), "-database-url needs -prod") {
		t.Fatalf("got %v", err)
	}
	if err := runBench(context.Background(), []string{"-c", "0"}); err == nil {
		t.Fatal("bench -c 0 accepted")
	}
}
