package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/internal/devtemporal"
	"github.com/tdkt/tdkt/internal/testkit/pgtest"
	"github.com/tdkt/tdkt/internal/testkit/restclient"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

// TestRollingRestart restarts every production process with SIGTERM while
// nominating bodies and reviewers keep working: two `tdkt api` processes
// behind a round-robin proxy are replaced one after the other, each sent
// SIGTERM while it serves requests, then the worker. No client sees a 5xx
// or a connection error, every nomination is accepted and the doctor finds
// no drift.
//
// The proxy stands for a load balancer: it opens a connection per request
// (as nginx does towards its upstreams by default) and, when a backend
// refuses the connection — it has closed its listener to drain, or is
// not up yet — sends the request to the other one. It retries nothing
// else: a request a backend accepted must be answered by it.
func TestRollingRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ts, err := devtemporal.Start(devtemporal.Options{DBFile: filepath.Join(t.TempDir(), "temporal.db"),
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Stop()
	if err := ts.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	dbURL := pgtest.DSN(t)
	env := []string{"DATABASE_URL=" + dbURL, "TEMPORAL_ADDRESS=" + ts.Address(),
		"JWT_SECRET=" + strings.Repeat("rolling-secret", 3), "METRICS_ADDR=off", "LOG_LEVEL=warn",
		"TEMPORAL_TASK_QUEUE=tdkt-rolling-test", "DATA_DIR=" + t.TempDir()}
	if p := startProcess(t, env, "migrate"); p.cmd.Wait() != nil {
		t.Fatalf("migrate:\n%s", p.logs.String())
	}
	db, err := models.Open(dbURL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.Apply(ctx, db, seed.Options{DemoPassword: seed.DevPassword}); err != nil {
		t.Fatal(err)
	}
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}

	// Two api processes on fixed ports; a replacement takes its
	// predecessor's port, as a restarted container keeps its address.
	ports := []int{freePort(t), freePort(t)}
	apiEnv := func(i int) []string { return append(slices.Clip(env), fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", ports[i])) }
	backend := func(i int) string { return fmt.Sprintf("http://127.0.0.1:%d", ports[i]) }
	apis := []*process{startProcess(t, apiEnv(0), "api"), startProcess(t, apiEnv(1), "api")}
	worker := startProcess(t, env, "worker")
	for i := range apis {
		waitReady(t, backend(i))
	}
	lb := newBalancer(backend(0), backend(1))
	proxy := httptest.NewServer(lb)
	defer proxy.Close()

	load, err := startLoad(ctx, proxy.URL, 6)
	if err != nil {
		t.Fatal(err)
	}
	// stop ends a process with SIGTERM and expects a clean exit.
	stop := func(p *process, what string) {
		t.Helper()
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- p.cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%s after SIGTERM: %v\n%s", what, err, p.logs.String())
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("%s still running 60 s after SIGTERM", what)
		}
	}
	var caught []int64
	began := time.Now()
	for i := range apis {
		load.waitProgress(t, 3)
		// SIGTERM while the backend serves requests: they must complete.
		caught = append(caught, lb.waitInFlight(t, i))
		stop(apis[i], fmt.Sprintf("api %d", i))
		apis[i] = startProcess(t, apiEnv(i), "api")
		waitReady(t, backend(i))
	}
	load.waitProgress(t, 3)
	stop(worker, "worker")
	worker = startProcess(t, env, "worker")
	load.waitProgress(t, 3)
	ids, failures, requests := load.stop()

	t.Logf("%d nominations, %d requests through the proxy in %s; in flight at SIGTERM: %v; connections refused and sent to the other api: %d",
		len(ids), requests, time.Since(began).Round(100*time.Millisecond), caught, lb.refused.Load())
	if len(failures) > 0 {
		t.Fatalf("%d of %d requests failed during the rolling restart:\n%s", len(failures), requests, strings.Join(failures, "\n"))
	}
	if lb.refused.Load() == 0 {
		t.Fatal("no request met a stopped api: the restart was not exercised")
	}
	c := newHTTPClient(t, proxy.URL)
	for _, id := range ids {
		if r := c.do("canbo.sonoivu", "GET", "/api/v1/nominations/"+id, nil); r["status"] != "accepted" {
			t.Errorf("nomination %s: %v", id, r["status"])
		}
	}
	doctor := startProcess(t, env, "doctor")
	if err := doctor.cmd.Wait(); err != nil {
		t.Fatalf("doctor: %v\n%s", err, doctor.logs.String())
	}
	for i, p := range append(apis, worker) {
		stop(p, fmt.Sprintf("process %d", i))
	}
}

// balancer is a round-robin reverse proxy over the api processes that
// moves a request to the next backend only when its connection is refused.
type balancer struct {
	backends []*url.URL
	next     atomic.Uint64
	refused  atomic.Int64
	inFlight []atomic.Int64 // per backend
	proxy    *httputil.ReverseProxy
}

func newBalancer(backends ...string) *balancer {
	b := &balancer{inFlight: make([]atomic.Int64, len(backends))}
	for _, s := range backends {
		u, _ := url.Parse(s)
		b.backends = append(b.backends, u)
	}
	b.proxy = &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) {},
		Transport: b,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "proxy: "+err.Error(), http.StatusBadGateway)
		},
	}
	return b
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.proxy.ServeHTTP(w, r) }

var backendTransport = &http.Transport{DisableKeepAlives: true}

// RoundTrip sends the request to the next backend, and on to the following
// ones while connections are refused.
func (b *balancer) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		r.Body.Close()
	}
	start := b.next.Add(1)
	var err error
	for try := range uint64(len(b.backends)) {
		i := int((start + try) % uint64(len(b.backends)))
		// In flight: from the request written to the backend until its
		// response has been read.
		var wrote atomic.Bool
		done := func() {
			if wrote.CompareAndSwap(true, false) {
				b.inFlight[i].Add(-1)
			}
		}
		trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) {
			wrote.Store(true)
			b.inFlight[i].Add(1)
		}}
		out := r.Clone(httptrace.WithClientTrace(r.Context(), trace))
		out.URL.Scheme, out.URL.Host, out.Host = b.backends[i].Scheme, b.backends[i].Host, ""
		out.Body = http.NoBody
		if len(body) > 0 {
			out.Body = io.NopCloser(bytes.NewReader(body))
		}
		var res *http.Response
		res, err = backendTransport.RoundTrip(out)
		if err == nil {
			res.Body = &countedBody{ReadCloser: res.Body, done: done}
			return res, nil
		}
		done()
		if !errors.Is(err, syscall.ECONNREFUSED) {
			return nil, err
		}
		b.refused.Add(1)
	}
	return nil, err
}

// waitInFlight waits until backend i is serving requests and returns how
// many.
func (b *balancer) waitInFlight(t *testing.T, i int) int64 {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if n := b.inFlight[i].Load(); n > 0 {
			return n
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("backend %d served nothing for 30 s", i)
	return 0
}

type countedBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (c *countedBody) Close() error {
	c.once.Do(c.done)
	return c.ReadCloser.Close()
}

// rollingLoad is nominating bodies and reviewers taking nominations through
// every level without retrying anything: a failure is recorded, not hidden.
type rollingLoad struct {
	api      *restclient.Client
	quit     chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	ids      []string
	failures []string
	serial   atomic.Int64
}

// startLoad logs every user in once (logins are rate-limited per address;
// a token is valid on every api process) and starts the clients.
func startLoad(ctx context.Context, base string, clients int) (*rollingLoad, error) {
	l := &rollingLoad{api: &restclient.Client{Base: base, Password: seed.DevPassword}, quit: make(chan struct{})}
	for _, u := range []string{"donvi.donghoa", "xet.donghoa", "xet.dian", "xet.sogddt", "canbo.sonoivu"} {
		if err := l.api.Call(ctx, u, "GET", "/api/v1/me", nil, "", nil); err != nil {
			return nil, err
		}
	}
	for range clients {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for {
				select {
				case <-l.quit:
					return
				default:
				}
				if ctx.Err() != nil {
					return
				}
				id, err := l.nomination(ctx)
				l.mu.Lock()
				if err != nil {
					l.failures = append(l.failures, err.Error())
				} else {
					l.ids = append(l.ids, id)
				}
				l.mu.Unlock()
			}
		}()
	}
	return l, nil
}

// waitProgress waits until n more nominations have been accepted.
func (l *rollingLoad) waitProgress(t *testing.T, n int) {
	t.Helper()
	l.mu.Lock()
	target := len(l.ids) + n
	l.mu.Unlock()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		done, failed := len(l.ids), len(l.failures)
		l.mu.Unlock()
		if failed > 0 || done >= target {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the load made no progress for 60 s")
}

func (l *rollingLoad) stop() (ids, failures []string, requests int64) {
	close(l.quit)
	l.wg.Wait()
	return l.ids, l.failures, l.api.Requests()
}

func (l *rollingLoad) nomination(ctx context.Context) (string, error) {
	i := int(l.serial.Add(1))
	name := fmt.Sprintf("Võ Thị %s", []string{"Sáu", "Bảy", "Tám", "Chín"}[i%4])
	d, err := forms.ExampleFor(forms.KindIndividual, name, routing.BangKhenTinh, 700000+i)
	if err != nil {
		return "", err
	}
	var n struct{ ID string }
	if err := l.api.Call(ctx, "donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{"round_id": seed.DemoRoundID,
		"nominee_kind": "individual", "nominee_name": name, "award": "bang-khen-tinh", "dossier": d}, "", &n); err != nil {
		return "", err
	}
	if err := l.api.Call(ctx, "donvi.donghoa", "POST", "/api/v1/nominations/"+n.ID+"/submit", nil, "", nil); err != nil {
		return "", err
	}
	for _, u := range []string{"xet.donghoa", "xet.dian", "xet.sogddt", "canbo.sonoivu"} {
		if err := l.api.Call(ctx, u, "GET", "/api/v1/inbox", nil, "", nil); err != nil {
			return "", err
		}
		if err := l.api.Call(ctx, u, "POST", "/api/v1/nominations/"+n.ID+"/decisions", map[string]string{"action": "approve"}, "", nil); err != nil {
			return "", err
		}
	}
	return n.ID, nil
}
