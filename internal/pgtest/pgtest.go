// Package pgtest gives tests a real PostgreSQL database.
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
//     cluster from the installed PostgreSQL binaries (Debian package
//     "postgresql", see scripts/install-deps.sh) in a temporary directory,
//     listening only on 127.0.0.1, and Main removes it after the tests.
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
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// EnvURL names the environment variable that points the tests at an existing
// server instead of a throwaway cluster.
const EnvURL = "TEST_DATABASE_URL"

// installHint is part of every "no PostgreSQL here" failure, so that whoever
// reads a red test run knows the one command that fixes it.
const installHint = "install the Debian package postgresql: scripts/install-deps.sh"

// pgRoot is where Debian installs the server binaries, one directory per
// major version. A variable so tests can point it at a fake tree.
var pgRoot = "/usr/lib/postgresql"

// tempPrefix names the throwaway cluster directories under os.TempDir(); a
// later run uses it to find and remove clusters of killed test processes.
const tempPrefix = "tdkt-pgtest-"

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
	cluster  *cluster // nil when the server came from TEST_DATABASE_URL
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
			if err := srv.cluster.stop(); err != nil {
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
		c, err := startCluster()
		if err != nil {
			return nil, err
		}
		s.cluster = c
		s.adminURL = &url.URL{
			Scheme:   "postgres",
			User:     url.User("postgres"),
			Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
			Path:     "/postgres",
			RawQuery: "sslmode=disable",
		}
	}
	db, err := sql.Open("pgx", s.adminURL.String())
	if err == nil {
		err = ping(db, 30*time.Second, nil)
	}
	if err != nil {
		if s.cluster != nil {
			s.cluster.stop()
		}
		return nil, fmt.Errorf("connect to admin database %s: %w", s.adminURL.Redacted(), err)
	}
	s.admin = db
	return s, nil
}

// ping retries until db accepts a connection, the timeout passes, or exited
// (the server process's end) is closed.
func ping(db *sql.DB, timeout time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := db.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("server exited: %w", err)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not accepting connections after %v: %w", timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cluster is a throwaway PostgreSQL cluster owned by this process.
type cluster struct {
	dir    string // temp dir: data/, the unix socket, the log
	port   int
	cmd    *exec.Cmd
	exited chan struct{} // closed when the postmaster has exited
}

// startCluster initdb's and starts a cluster in a new directory under
// os.TempDir(), listening on 127.0.0.1 on a free port.
func startCluster() (*cluster, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := runAs()
	if err != nil {
		return nil, err
	}
	removeStale(bin, cred)

	dir, err := os.MkdirTemp("", tempPrefix)
	if err != nil {
		return nil, fmt.Errorf("create cluster dir: %w", err)
	}
	c := &cluster{dir: dir}
	fail := func(err error) (*cluster, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	// owner.pid lets a later run tell that this cluster's process is gone.
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return fail(fmt.Errorf("write owner.pid: %w", err))
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return fail(fmt.Errorf("chown cluster dir to uid %d: %w", cred.Uid, err))
		}
	}

	data := filepath.Join(dir, "data")
	// C.UTF-8 gives UTF-8 character classification without depending on
	// generated locales; very old systems lack it, so fall back to C.
	var out []byte
	for _, locale := range []string{"C.UTF-8", "C"} {
		initdb := command(bin, "initdb", dir, cred, "-D", data, "-U", "postgres", "-A", "trust",
			"-E", "UTF8", "--locale="+locale, "--no-sync")
		// Like the postmaster below: initdb dies with this process rather
		// than write into a directory the next run is sweeping away.
		initdb.SysProcAttr.Pdeathsig = syscall.SIGKILL
		runtime.LockOSThread()
		out, err = initdb.CombinedOutput()
		runtime.UnlockOSThread()
		if err == nil {
			break
		}
		os.RemoveAll(data)
	}
	if err != nil {
		return fail(fmt.Errorf("initdb: %w\n%s", err, out))
	}

	// The free port is found by binding and releasing it, so another process
	// may take it first; then the postmaster exits and we try another.
	for attempt := 1; ; attempt++ {
		err = c.start(bin, cred)
		if err == nil {
			return c, nil
		}
		if attempt == 3 {
			return fail(err)
		}
	}
}

// start runs the postmaster in the foreground as a child of this process and
// waits until it accepts connections.
func (c *cluster) start(bin string, cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	logPath := filepath.Join(c.dir, "postgres.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("create postgres log: %w", err)
	}
	defer logFile.Close()
	// Durability settings are off: the data is thrown away, and fsync is
	// most of the cost of the many CREATE/DROP DATABASE calls tests make.
	cmd := command(bin, "postgres", c.dir, cred, "-D", filepath.Join(c.dir, "data"),
		"-k", c.dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// If the test binary dies without running Main (killed, or a test
	// timeout panic), the kernel sends the postmaster SIGQUIT, PostgreSQL's
	// immediate shutdown, so no server outlives its tests. The signal follows
	// the death of the thread that started the child, so that thread stays
	// locked to the goroutine below, which lives as long as the postmaster.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	started := make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		cmd.Wait()
		close(exited)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	c.port, c.cmd, c.exited = port, cmd, exited

	db, err := sql.Open("pgx", fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port))
	if err == nil {
		err = ping(db, 60*time.Second, exited)
		db.Close()
	}
	if err != nil {
		c.kill()
		log, _ := os.ReadFile(logPath)
		return fmt.Errorf("postgres on port %d: %w\n%s", port, err, log)
	}
	return nil
}

// kill shuts the postmaster down the way `pg_ctl stop -m immediate` does
// (SIGQUIT: no checkpoint, the data is discarded anyway), then SIGKILL if it
// lingers.
func (c *cluster) kill() {
	if c.cmd == nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-c.exited
	}
	c.cmd = nil
}

// stop stops the cluster and removes its directory.
func (c *cluster) stop() error {
	c.kill()
	if err := os.RemoveAll(c.dir); err != nil {
		return fmt.Errorf("remove cluster dir: %w", err)
	}
	return nil
}

// command builds an exec.Cmd for a PostgreSQL binary, run as cred when that
// is non-nil. PG* variables from the caller's environment are dropped so
// they cannot redirect the tools to some other cluster.
func command(bin, name, dir string, cred *syscall.Credential, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(bin, name), args...)
	// The tools resolve their own path from the working directory, which
	// must be readable by the unprivileged user.
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	return cmd
}

// findBinDir returns the bin directory of the highest PostgreSQL version
// installed under pgRoot that has both initdb and postgres.
func findBinDir() (string, error) {
	dirs, _ := filepath.Glob(filepath.Join(pgRoot, "*", "bin"))
	var found []string
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			found = append(found, d)
		}
	}
	if len(found) == 0 {
		return "", fmt.Errorf("no PostgreSQL server binaries (initdb, postgres) under %s/*/bin and %s is not set; %s", pgRoot, EnvURL, installHint)
	}
	version := func(d string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(d)), 64)
		return v
	}
	sort.Slice(found, func(i, j int) bool { return version(found[i]) > version(found[j]) })
	return found[0], nil
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// runAs returns the credentials to run the server with. PostgreSQL refuses
// to run as root, and CI runs as root, so root hands the cluster to the
// "postgres" user (created by the Debian package) or else "nobody". A nil
// result means: run as the current user.
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var errs []error
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			errs = append(errs, fmt.Errorf("user %s has non-numeric uid/gid %s/%s", name, u.Uid, u.Gid))
			continue
		}
		// Groups: empty, so root's supplementary groups are dropped too.
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
	}
	return nil, fmt.Errorf("running as root and no unprivileged user to run PostgreSQL as: %w", errors.Join(errs...))
}

// removeStale deletes throwaway clusters left by test processes that were
// killed before Main could remove them. Their postmaster normally died with
// them (Pdeathsig); `pg_ctl stop -m immediate` covers the case where it did
// not. Best effort: errors are ignored, a cluster still in use is kept.
func removeStale(bin string, cred *syscall.Credential) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if errors.Is(err, os.ErrNotExist) {
			// owner.pid is written right after the directory is made, so
			// only a half-removed or foreign leftover lacks it for long.
			if fi, err := os.Stat(dir); err == nil && time.Since(fi.ModTime()) > time.Hour {
				os.RemoveAll(dir)
			}
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue // owner still alive (or unknown): leave it alone
		}
		data := filepath.Join(dir, "data")
		if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err == nil {
			command(bin, "pg_ctl", dir, cred, "stop", "-D", data, "-m", "immediate", "-w", "-t", "10").Run()
		}
		os.RemoveAll(dir)
	}
}

// freePort asks the kernel for an unused TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never returns an error (Go 1.24+)
	return hex.EncodeToString(b)
}
