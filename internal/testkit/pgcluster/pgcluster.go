// Package pgcluster is test and tool harness, not part of the product: it
// starts a throwaway PostgreSQL cluster from the installed server binaries
// (Debian package "postgresql", under /usr/lib/postgresql/*/bin) in a
// temporary directory, listening only on 127.0.0.1. The tests (through
// internal/testkit/pgtest) and `tdkt-load load -prod` use it where no
// PostgreSQL server is given; it is not a way to run production: fsync is
// off and the data is removed on Stop. The tdkt binary does not link it
// (internal/deploy checks).
//
// The postmaster is a child of the calling process and dies with it
// (SIGQUIT on the parent's death), and a later Start removes clusters whose
// owner process is gone, so none outlives its user.
package pgcluster

import (
	"context"
	"database/sql"
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
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// InstallHint is part of every "no PostgreSQL here" failure, so that
// whoever reads it knows the one command that fixes it.
const InstallHint = "install the Debian package postgresql: scripts/install-deps.sh"

// pgRoot is where Debian installs the server binaries, one directory per
// major version. A variable so tests can point it at a fake tree.
var pgRoot = "/usr/lib/postgresql"

// tempPrefix names the cluster directories under os.TempDir(); a later run
// uses it to find and remove clusters of killed processes.
const tempPrefix = "tdkt-pgtest-"

// Cluster is a throwaway PostgreSQL cluster owned by this process.
type Cluster struct {
	// Bin is the directory of the server and client binaries (initdb,
	// postgres, pg_dump, pg_restore, ...).
	Bin    string
	dir    string // temp dir: data/, the unix socket, the log
	port   int
	cred   *syscall.Credential
	cmd    *exec.Cmd
	exited chan struct{} // closed when the postmaster has exited
}

// URL is the superuser's postgres:// URL of database db on the cluster.
func (c *Cluster) URL(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// CreateDatabase creates an empty UTF-8 database named name on the server
// whose superuser URL is adminURL, and returns the URL of the new database.
// template0 rather than the default template1: it is never connected to, so
// concurrent CREATE DATABASE calls cannot fail with "source database is
// being accessed by other users".
func CreateDatabase(ctx context.Context, adminURL, name string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", fmt.Errorf("admin URL: %w", err)
	}
	db, err := sql.Open("pgx", adminURL)
	if err != nil {
		return "", fmt.Errorf("connect %s: %w", u.Redacted(), err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	u.Path, u.RawPath = "/"+name, ""
	return u.String(), nil
}

// Start initdb's and starts a cluster in a new directory under
// os.TempDir(), listening on 127.0.0.1 on a free port, with a superuser
// "postgres" trusted without a password.
func Start() (*Cluster, error) {
	bin, err := BinDir()
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
	c := &Cluster{Bin: bin, dir: dir, cred: cred}
	fail := func(err error) (*Cluster, error) {
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
		err = c.start()
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
func (c *Cluster) start() error {
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
	cmd := command(c.Bin, "postgres", c.dir, c.cred, "-D", filepath.Join(c.dir, "data"),
		"-k", c.dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// If this process dies without calling Stop (killed, or a test timeout
	// panic), the kernel sends the postmaster SIGQUIT, PostgreSQL's
	// immediate shutdown, so no server outlives its owner. The signal follows
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

	db, err := sql.Open("pgx", c.URL("postgres"))
	if err == nil {
		err = Ping(db, 60*time.Second, exited)
		db.Close()
	}
	if err != nil {
		c.kill()
		log, _ := os.ReadFile(logPath)
		return fmt.Errorf("postgres on port %d: %w\n%s", port, err, log)
	}
	return nil
}

// Ping retries until db accepts a connection, the timeout passes, or exited
// (the server process's end; nil if unknown) is closed.
func Ping(db *sql.DB, timeout time.Duration, exited <-chan struct{}) error {
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

// kill shuts the postmaster down the way `pg_ctl stop -m immediate` does
// (SIGQUIT: no checkpoint, the data is discarded anyway), then SIGKILL if it
// lingers.
func (c *Cluster) kill() {
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

// Stop stops the cluster and removes its directory.
func (c *Cluster) Stop() error {
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

// BinDir returns the bin directory of the highest PostgreSQL version
// installed under /usr/lib/postgresql that has both initdb and postgres.
// The client tools (pg_dump, pg_restore) of the same version are beside
// them.
func BinDir() (string, error) {
	dirs, _ := filepath.Glob(filepath.Join(pgRoot, "*", "bin"))
	var found []string
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			found = append(found, d)
		}
	}
	if len(found) == 0 {
		return "", fmt.Errorf("no PostgreSQL server binaries (initdb, postgres) under %s/*/bin; %s", pgRoot, InstallHint)
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

// removeStale deletes throwaway clusters left by processes that were
// killed before they could remove them. Their postmaster normally died with
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
