package pgcluster

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindBinDir(t *testing.T) {
	old := pgRoot
	t.Cleanup(func() { pgRoot = old })
	pgRoot = t.TempDir()

	_, err := BinDir()
	if err == nil || !strings.Contains(err.Error(), "install the Debian package postgresql") {
		t.Fatalf("with no binaries: err = %v, want one naming the Debian package", err)
	}

	for _, v := range []string{"9.6", "15", "13", "16"} {
		bin := filepath.Join(pgRoot, v, "bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		tools := []string{"initdb", "postgres"}
		if v == "16" {
			tools = tools[:1] // incomplete install: must be passed over
		}
		for _, tool := range tools {
			if err := os.WriteFile(filepath.Join(bin, tool), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := BinDir()
	if want := filepath.Join(pgRoot, "15", "bin"); err != nil || got != want {
		t.Fatalf("BinDir() = %q, %v; want %q", got, err, want)
	}
}

// TestStartCreateStop starts a cluster, creates a database the URL of
// which reaches it, and checks that Stop removes the cluster's directory.
func TestStartCreateStop(t *testing.T) {
	c, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	ctx := context.Background()
	u, err := CreateDatabase(ctx, c.URL("postgres"), "tdkt_cluster_test")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var name string
	if err := db.QueryRowContext(ctx, "SELECT current_database()").Scan(&name); err != nil || name != "tdkt_cluster_test" {
		t.Fatalf("current_database() = %q, %v", name, err)
	}
	db.Close()
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.dir); !os.IsNotExist(err) {
		t.Fatalf("cluster dir %s after Stop: %v", c.dir, err)
	}
}
