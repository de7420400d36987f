// Package pgtest is test harness, not part of the product: it gives tests a
// real PostgreSQL database.
//
// The project runs on PostgreSQL in production, so its tests use PostgreSQL
// too rather than an in-memory substitute whose SQL dialect, locking and
// constraint behaviour differ. Each call to DSN creates a fresh, empty
// database and drops it when the test ends, so tests never see each other's
// rows and may run in parallel.
//
// Where the server comes from:
//
//   - If TEST_DATABASE_URL is set (a postgres:// URL of a role allowed to
//     CREATE DATABASE), that server is used.
//   - Otherwise the first DSN call of the test process starts a throwaway
//     cluster (internal/testkit/pgcluster) from the installed PostgreSQL binaries
//     (Debian package "postgresql", see scripts/install-deps.sh) in a
//     temporary directory, listening only on 127.0.0.1, and Main removes it
//     after the tests.
//
// Missing binaries fail the test: PostgreSQL tests are never skipped.
//
// A package using DSN must route its TestMain through Main:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/tdkt/tdkt/internal/testkit/pgcluster"
)

// EnvURL names the environment variable that points the tests at an existing
// server instead of a throwaway cluster.
const EnvURL = "TEST_DATABASE_URL"

var (
	mainCalled bool // set by Main; DSN refuses to start a cluster nobody would stop

	srvOnce sync.Once
	srv     *server
	srvErr  error
)

// server is the PostgreSQL server this process creates its databases on.
type server struct {
	adminURL *url.URL // superuser connection to the maintenance database
	admin    *sql.DB
	cluster  *pgcluster.Cluster // nil when the server came from TEST_DATABASE_URL
}

// Main runs the tests and afterwards stops and removes the throwaway cluster
// this process started, if any. Use it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	mainCalled = true
	code := m.Run()
	if srv != nil {
		srv.admin.Close()
		if srv.cluster != nil {
			if err := srv.cluster.Stop(); err != nil {
				fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
			}
		}
	}
	return code
}

// DSN returns a postgres:// URL of a fresh, empty database created for this
// call and dropped (even if connections to it are still open) when t ends.
// It fails t if no server can be had; it never skips, so a machine without
// PostgreSQL shows up as a red run rather than a silently thinner one.
func DSN(t testing.TB) string {
	t.Helper()
	s, err := getServer()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	name := "tdkt_test_" + randomHex(8)
	ident := pgx.Identifier{name}.Sanitize()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// template0 rather than the default template1: it is never connected to,
	// so concurrent CREATE DATABASE calls cannot fail with "source database
	// is being accessed by other users", and it holds nothing a shared
	// server's template1 may have gathered.
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+ident+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// FORCE (PostgreSQL 13+) ends sessions the test left open, such as an
		// unclosed gorm pool, which would otherwise make the drop fail.
		if _, err := s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u := *s.adminURL
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

// getServer connects to the server once per process, starting a throwaway
// cluster if TEST_DATABASE_URL is not set.
func getServer() (*server, error) {
	srvOnce.Do(func() { srv, srvErr = newServer() })
	return srv, srvErr
}

func newServer() (*server, error) {
	s := &server{}
	if raw := os.Getenv(EnvURL); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, fmt.Errorf("%s must be a postgres:// URL, got %q", EnvURL, raw)
		}
		s.adminURL = u
	} else {
		if !mainCalled {
			return nil, errors.New("the throwaway PostgreSQL cluster needs the package's TestMain to call pgtest.Main, which removes it: func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }")
		}
		c, err := pgcluster.Start()
		if err != nil {
			return nil, err
		}
		s.cluster = c
		if s.adminURL, err = url.Parse(c.URL("postgres")); err != nil {
			c.Stop()
			return nil, err
		}
	}
	db, err := sql.Open("pgx", s.adminURL.String())
	if err == nil {
		err = pgcluster.Ping(db, 30*time.Second, nil)
	}
	if err != nil {
		if s.cluster != nil {
			s.cluster.Stop()
		}
		return nil, fmt.Errorf("connect to admin database %s: %w", s.adminURL.Redacted(), err)
	}
	s.admin = db
	return s, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never returns an error (Go 1.24+)
	return hex.EncodeToString(b)
}
