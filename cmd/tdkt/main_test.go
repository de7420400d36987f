package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/internal/devtemporal"
	"github.com/tdkt/tdkt/internal/testkit/pgtest"
	"github.com/tdkt/tdkt/internal/testkit/restclient"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

// TestDevSurvivesKill9 builds the binary, runs `tdkt dev`, leaves a
// nomination waiting at the district, kills the process with SIGKILL,
// starts it again on the same data directory and approves the nomination
// onward to acceptance. Finally SIGTERM must shut it down cleanly.
func TestDevSurvivesKill9(t *testing.T) {
	bin := buildBinary(t)
	data := t.TempDir()
	httpPort, temporalPort := freePort(t), freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)

	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "dev", "-data", data, "-http", fmt.Sprintf("127.0.0.1:%d", httpPort),
			"-temporal-port", fmt.Sprint(temporalPort), "-log", "warn")
		var logs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if cmd.ProcessState == nil {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			}
			if t.Failed() {
				t.Logf("tdkt dev output:\n%s", logs.String())
			}
		})
		deadline := time.Now().Add(60 * time.Second)
		for {
			res, err := http.Get(base + "/readyz")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					return cmd
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("tdkt dev not ready: %v\n%s", err, logs.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	c := newHTTPClient(t, base)

	cmd := start()
	r := c.do("donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{"round_id": "thu-nghiem",
		"nominee_kind": "individual", "nominee_name": "Trần Thị Bích", "award": "bang-khen-tinh",
		"dossier": example(t, "Trần Thị Bích", 1)})
	id, _ := r["id"].(string)
	c.do("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	r = c.do("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"})
	if r["current_level"] != "district" {
		t.Fatalf("not at the district: %v", r)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	cmd = start()
	c = newHTTPClient(t, base) // tokens stay valid (the key is kept), but log in again as a user would
	r = c.do("xet.dian", "GET", "/api/v1/nominations/"+id, nil)
	if r["status"] != "in_review" || r["current_level"] != "district" {
		t.Fatalf("after kill -9: %v", r)
	}
	for _, u := range []string{"xet.dian", "xet.sogddt", "canbo.sonoivu"} {
		c.do(u, "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"})
	}
	r = c.do("donvi.donghoa", "GET", "/api/v1/nominations/"+id, nil)
	if r["status"] != "accepted" {
		t.Fatalf("final: %v", r)
	}
	list := c.do("canbo.sonoivu", "GET", "/api/v1/nominations", nil)
	if list["total"] != float64(1) {
		t.Fatalf("after restart the nomination exists %v times", list["total"])
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("SIGTERM: exit %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("tdkt dev did not stop within 30 s of SIGTERM")
	}
}

// httpClient is restclient for a test: a failed call fails the test.
type httpClient struct {
	t   *testing.T
	api *restclient.Client
}

func newHTTPClient(t *testing.T, base string) *httpClient {
	return &httpClient{t: t, api: &restclient.Client{Base: base, Password: seed.DevPassword}}
}

// do calls the API as user and returns the JSON object it answers.
func (c *httpClient) do(user, method, path string, body any) map[string]any {
	c.t.Helper()
	var m map[string]any
	if err := c.api.Call(context.Background(), user, method, path, body, "", &m); err != nil {
		c.t.Fatal(err)
	}
	return m
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// buildBinary builds tdkt once per test run.
func buildBinary(t *testing.T) string {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tdkt-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tdkt")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// process is a tdkt subcommand running as its own process.
type process struct {
	t    *testing.T
	cmd  *exec.Cmd
	logs *bytes.Buffer
}

func startProcess(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	p := &process{t: t, cmd: exec.Command(buildBinary(t), args...), logs: &bytes.Buffer{}}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
		if t.Failed() {
			t.Logf("tdkt %v output:\n%s", args, p.logs.String())
		}
	})
	return p
}

// TestProductionPair runs the production processes — tdkt migrate, then
// tdkt api and tdkt worker as separate processes — against PostgreSQL and
// a Temporal server they only reach over the network. A nomination goes
// up its route while the worker is killed with SIGKILL and restarted.
func TestProductionPair(t *testing.T) {
	ts, err := devtemporal.Start(devtemporal.Options{DBFile: filepath.Join(t.TempDir(), "temporal.db"),
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := ts.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	httpPort := freePort(t)
	env := []string{"DATABASE_URL=" + pgtest.DSN(t), "TEMPORAL_ADDRESS=" + ts.Address(),
		"JWT_SECRET=" + strings.Repeat("production-secret", 2), fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", httpPort),
		"METRICS_ADDR=off", "LOG_LEVEL=warn", "TEMPORAL_TASK_QUEUE=tdkt-prod-test"}

	// The api and worker refuse an unmigrated database.
	api := startProcess(t, env, "api")
	if err := api.cmd.Wait(); err == nil || !strings.Contains(api.logs.String(), "tdkt migrate") {
		t.Fatalf("api on an unmigrated database: %v\n%s", err, api.logs.String())
	}
	migrate := startProcess(t, env, "migrate")
	if err := migrate.cmd.Wait(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, migrate.logs.String())
	}
	// Production has no demo accounts: create the route's users directly.
	db, err := models.Open(strings.TrimPrefix(env[0], "DATABASE_URL="), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword(seed.DevPassword)
	for _, u := range seed.DemoUsers {
		db.Create(&models.User{ID: "u-" + u.Username, Username: u.Username, FullName: u.FullName, Role: u.Role,
			UnitID: u.UnitID, Head: u.Head, PasswordHash: hash})
	}
	db.Create(&[]models.Round{seed.DemoRound()})

	api = startProcess(t, env, "api")
	worker := startProcess(t, env, "worker")
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	waitReady(t, base)
	c := newHTTPClient(t, base)
	r := c.do("donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{"round_id": seed.DemoRoundID,
		"nominee_kind": "individual", "nominee_name": "Lê Văn Tám", "award": "bang-khen-tinh",
		"dossier": example(t, "Lê Văn Tám", 2)})
	id, _ := r["id"].(string)
	c.do("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	c.do("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"})

	_ = worker.cmd.Process.Signal(syscall.SIGKILL)
	_ = worker.cmd.Wait()
	worker = startProcess(t, env, "worker")
	for _, u := range []string{"xet.dian", "xet.sogddt", "canbo.sonoivu"} {
		c.do(u, "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"})
	}
	if r := c.do("donvi.donghoa", "GET", "/api/v1/nominations/"+id, nil); r["status"] != "accepted" {
		t.Fatalf("final: %v", r)
	}
	for _, p := range []*process{api, worker} {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		if err := p.cmd.Wait(); err != nil {
			t.Errorf("%v after SIGTERM: %v", p.cmd.Args[1:], err)
		}
	}
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready: %v", base, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func example(t *testing.T, name string, serial int) map[string]any {
	d, err := forms.ExampleFor(forms.KindIndividual, name, routing.BangKhenTinh, serial)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
