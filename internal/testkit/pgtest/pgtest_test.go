package pgtest

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// TestDSN checks the promise tests rely on: every DSN is its own empty
// database, and it is gone once the test that asked for it has ended.
func TestDSN(t *testing.T) {
	ctx := context.Background()
	var names [2]string
	// The pools stay open until this function returns, past the subtest's
	// cleanup: DSN's DROP DATABASE must cope with sessions a test left open.
	var dbs [2]*sql.DB
	defer func() {
		for _, db := range dbs {
			if db != nil {
				db.Close()
			}
		}
	}()
	t.Run("isolated", func(t *testing.T) {
		for i := range dbs {
			dsn := DSN(t)
			if !strings.HasPrefix(dsn, "postgres://") {
				t.Fatalf("DSN %q is not a postgres:// URL", dsn)
			}
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			dbs[i] = db
			if err := db.QueryRowContext(ctx, "SELECT current_database()").Scan(&names[i]); err != nil {
				t.Fatalf("query database %d: %v", i, err)
			}
			if !strings.HasPrefix(names[i], "tdkt_test_") {
				t.Errorf("database name %q lacks the tdkt_test_ prefix", names[i])
			}
		}
		if names[0] == names[1] {
			t.Fatalf("two DSN calls gave the same database %q", names[0])
		}
		if _, err := dbs[0].ExecContext(ctx, "CREATE TABLE only_here (id int PRIMARY KEY, name text)"); err != nil {
			t.Fatal(err)
		}
		if _, err := dbs[0].ExecContext(ctx, "INSERT INTO only_here VALUES (1, 'Chiến sĩ thi đua')"); err != nil {
			t.Fatal(err)
		}
		var name string
		if err := dbs[0].QueryRowContext(ctx, "SELECT name FROM only_here").Scan(&name); err != nil || name != "Chiến sĩ thi đua" {
			t.Fatalf("UTF-8 round trip: got %q, %v", name, err)
		}
		for i, want := range []bool{true, false} {
			var exists bool
			if err := dbs[i].QueryRowContext(ctx, "SELECT to_regclass('only_here') IS NOT NULL").Scan(&exists); err != nil {
				t.Fatal(err)
			}
			if exists != want {
				t.Errorf("database %d: table only_here exists=%v, want %v", i, exists, want)
			}
		}
	})

	s, err := getServer()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if name == "" {
			t.Fatal("subtest did not get two databases")
		}
		var n int
		if err := s.admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("database %s still exists after its test ended", name)
		}
	}
}
