package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/api"
	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/internal/devtemporal"
	"github.com/tdkt/tdkt/internal/metrics"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/service"
	"github.com/tdkt/tdkt/worker"
)

const (
	password  = "mat-khau-thu-nghiem"
	taskQueue = "tdkt-e2e"
)

// stack is one running system: embedded Temporal, worker, API.
type stack struct {
	t        *testing.T
	dir      string
	dbURL    string
	db       *gorm.DB
	temporal *devtemporal.Server
	client   client.Client
	worker   sdkworker.Worker
	http     *httptest.Server
	api      *echo.Echo
	svc      *service.Service
	tokens   map[string]string
}

// newStack starts a system whose state lives in dir (Temporal) and dbURL
// (the application). Calling it again with the same dir and dbURL after
// stop is a restart.
func newStack(t *testing.T, dir, dbURL string, fresh bool) *stack {
	t.Helper()
	return startStack(t, dir, dbURL, fresh, devtemporal.Options{DBFile: filepath.Join(dir, "temporal.db")})
}

// startStack starts the system on the given stores: the embedded Temporal
// server's (tOpts, its logger set here), the application's (dbURL) and the
// files' (dir).
func startStack(t *testing.T, dir, dbURL string, fresh bool, tOpts devtemporal.Options) *stack {
	t.Helper()
	log := testLogger(t)
	s := &stack{t: t, dir: dir, dbURL: dbURL, tokens: map[string]string{}}
	var err error
	tOpts.Logger = log
	s.temporal, err = devtemporal.Start(tOpts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.temporal.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	s.db, err = models.Open(dbURL, log)
	if err != nil {
		t.Fatal(err)
	}
	if fresh {
		if err := models.Migrate(ctx, s.db); err != nil {
			t.Fatal(err)
		}
		if err := seed.Apply(ctx, s.db, seed.Options{DemoPassword: password}); err != nil {
			t.Fatal(err)
		}
	}
	s.startPair(ctx, log, s.temporal.Address())
	return s
}

// joinStack starts a second api and worker on s's Temporal server, database
// and files, as another replica of a deployment: a pool of its own, a
// Temporal client, a worker, a service (with its own reference cache) and
// an HTTP server. Its stop leaves s running; stop it before s.
func joinStack(t *testing.T, s *stack) *stack {
	t.Helper()
	log := testLogger(t)
	j := &stack{t: t, dir: s.dir, dbURL: s.dbURL, tokens: map[string]string{}}
	var err error
	j.db, err = models.Open(s.dbURL, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	j.startPair(ctx, log, s.temporal.Address())
	return j
}

// testLogger discards the system's log, unless TDKT_TEST_LOG is set or
// the test is verbose.
func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(&testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if os.Getenv("TDKT_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// startPair starts the processes of one replica on s.db and the Temporal
// frontend at address: the worker and the API.
func (s *stack) startPair(ctx context.Context, log *slog.Logger, address string) {
	t := s.t
	t.Helper()
	m := metrics.New()
	var err error
	s.client, err = client.DialContext(ctx, client.Options{HostPort: address, Namespace: "default",
		Logger: sdklog.NewStructuredLogger(log), MetricsHandler: m.SDK()})
	if err != nil {
		t.Fatal(err)
	}
	if err := worker.EnsureSearchAttributes(ctx, s.client, "default"); err != nil {
		t.Fatal(err)
	}
	s.worker = worker.New(s.client, taskQueue, &activities.Activities{DB: s.db, Log: log, DataDir: s.dir})
	if err := s.worker.Start(); err != nil {
		t.Fatal(err)
	}
	s.svc = service.New(service.Config{DB: s.db, Temporal: s.client, TaskQueue: taskQueue, Log: log, DataDir: s.dir,
		Tokens: auth.Tokens{Secret: []byte(strings.Repeat("e2e-secret", 4)), TTL: time.Hour, Issuer: "tdkt"}})
	srv := &api.Server{Service: s.svc, Log: log, Metrics: m, ServeMetrics: true}
	s.api = srv.Handler()
	s.http = httptest.NewServer(s.api)
}

// stop stops the stack's processes, and its Temporal server unless it
// joined another stack's.
func (s *stack) stop() {
	s.http.Close()
	s.worker.Stop()
	s.client.Close()
	if s.temporal != nil {
		if err := s.temporal.Stop(); err != nil {
			s.t.Logf("temporal stop: %v", err)
		}
	}
	if sqlDB, err := s.db.DB(); err == nil {
		sqlDB.Close()
	}
}

// response is a decoded API answer.
type response struct {
	status int
	body   map[string]any
	raw    []byte
}

func (r response) str(key string) string { v, _ := r.body[key].(string); return v }

// call sends a JSON request as user ("" for anonymous).
func (s *stack) call(user, method, path string, body any, headers ...string) response {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.http.URL+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+s.token(user))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, raw: raw}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

func (s *stack) token(user string) string {
	if tok, ok := s.tokens[user]; ok {
		return tok
	}
	r := s.call("", "POST", "/api/v1/auth/login", map[string]string{"username": user, "password": password})
	if r.status != http.StatusOK {
		s.t.Fatalf("login %s: %d %s", user, r.status, r.raw)
	}
	s.tokens[user] = r.str("token")
	return s.tokens[user]
}

// must fails the test unless r has the wanted status.
func must(t *testing.T, r response, status int, what string) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, r.status, status, r.raw)
	}
	return r
}

type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

var serial atomic.Int64

// dossierFor is a complete, valid individual dossier for name and award,
// with a CCCD of its own.
func dossierFor(t *testing.T, name, award string) map[string]any {
	t.Helper()
	d, err := forms.ExampleFor(forms.KindIndividual, name, routing.Award(award), int(serial.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// withAchievements returns d with the nominee's achievements replaced.
func withAchievements(d map[string]any, text string) map[string]any {
	d["nominee"].(map[string]any)["achievements"] = text
	return d
}
