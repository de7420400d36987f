package pgtest

import (
	"database/sql"
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestDatabasesAreSeparateAndDropped(t *testing.T) {
	var first string
	t.Run("create", func(t *testing.T) {
		a, b := DSN(t), DSN(t)
		if a == b {
			t.Fatal("two calls returned the same database")
		}
		first = a
		dbA, err := sql.Open("pgx", a)
		if err != nil {
			t.Fatal(err)
		}
		defer dbA.Close()
		if _, err := dbA.Exec("CREATE TABLE t (x int)"); err != nil {
			t.Fatal(err)
		}
		dbB, err := sql.Open("pgx", b)
		if err != nil {
			t.Fatal(err)
		}
		defer dbB.Close()
		var n int
		if err := dbB.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_name = 't'").Scan(&n); err != nil || n != 0 {
			t.Fatalf("table leaked into the other database: %d %v", n, err)
		}
	})
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := first[strings.LastIndex(first, "/")+1:]
	if i := strings.Index(name, "?"); i >= 0 {
		name = name[:i]
	}
	var n int
	if err := admin.QueryRow("SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil || n != 0 {
		t.Fatalf("database %s still exists after cleanup: %d %v", name, n, err)
	}
}
