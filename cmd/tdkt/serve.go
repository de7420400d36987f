package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/api"
	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/metrics"
	"github.com/tdkt/tdkt/notify"
	"github.com/tdkt/tdkt/service"
	"github.com/tdkt/tdkt/signing"
	"github.com/tdkt/tdkt/web"
)

// certificateTools are the configured fonts of the certificates (zero:
// the embedded ones) and their signer (nil: unsigned). The worker renders
// and signs issued certificates with them; the API renders drafts.
func certificateTools(cfg config.Config) (certificates.Fonts, *signing.Signer, error) {
	var fonts certificates.Fonts
	if cfg.CertificateFonts != "" {
		f, err := certificates.LoadFonts(cfg.CertificateFonts)
		if err != nil {
			return fonts, nil, fmt.Errorf("CERTIFICATE_FONTS: %w", err)
		}
		fonts = f
	}
	if cfg.SigningKeyFile == "" && cfg.SigningCertFile == "" {
		return fonts, nil, nil
	}
	signer, err := signing.Load(cfg.SigningKeyFile, cfg.SigningCertFile)
	if err != nil {
		return fonts, nil, fmt.Errorf("SIGNING_KEY_FILE/SIGNING_CERT_FILE: %w", err)
	}
	signer.Location = "Bình Dương"
	return fonts, signer, nil
}

// newHTTPServer builds the API server with timeouts suited to a public
// endpoint.
func newHTTPServer(cfg config.Config, db *gorm.DB, tc client.Client, log *slog.Logger, m *metrics.Registry, serveMetrics bool) (*http.Server, error) {
	fonts, signer, err := certificateTools(cfg)
	if err != nil {
		return nil, err
	}
	svc := service.New(service.Config{DB: db, Temporal: tc, TaskQueue: cfg.TaskQueue,
		Tokens: auth.Tokens{Secret: cfg.JWTSecret, TTL: cfg.TokenTTL, Issuer: "tdkt"}, Log: log,
		PublicBaseURL: cfg.PublicBaseURL, DataDir: cfg.DataDir, Fonts: fonts, Signer: signer, PersonKey: cfg.PersonKey})
	s := &api.Server{Service: svc, Log: log, Metrics: m, ServeMetrics: serveMetrics, AllowOrigins: cfg.CORSOrigins}
	h := s.Handler()
	// The web UI calls the same service. Its CSRF key derives from the
	// token key, so forms survive a restart and every api replica accepts
	// them.
	csrf := sha256.Sum256(append([]byte("tdkt-csrf:"), cfg.JWTSecret...))
	s.UI = web.New(svc, web.Options{CSRFKey: csrf[:], SecureCookies: strings.HasPrefix(cfg.PublicBaseURL, "https://"), Log: log})
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}, nil
}

// drainTimeout bounds the wait for requests in flight at shutdown. It
// outlasts the API's longest request (a decision waits up to 30 s for
// its workflow update, e.g. while the worker restarts), so that no
// request that was answerable is cut off.
const drainTimeout = 35 * time.Second

// serve listens on addr and serves until ctx ends, then drains the
// requests in flight for up to drainTimeout (drain).
func serve(ctx context.Context, srv *http.Server, addr string, ready func(net.Addr)) error {
	tcp, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	ln := &backlogListener{Listener: tcp, empty: make(chan struct{})}
	if ready != nil {
		ready(ln.Addr())
	}
	busy := trackConns(srv)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return drain(srv, ln, busy, drainTimeout)
}

// drain stops taking connections — a load balancer's next connection is
// refused and goes to another replica — answers every request already
// accepted, closing each connection after its response, and then shuts the
// server down. It does not begin with http.Server.Shutdown: net/http drops,
// unanswered, a request it reads after Shutdown has begun, even from a
// connection it accepted before, and under load some connection always has
// just been accepted.
func drain(srv *http.Server, ln *backlogListener, busy *connTracker, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	srv.SetKeepAlivesEnabled(false)
	ln.acceptBacklog()
	if err := ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("close listener: %w", err)
	}
	for busy.count() > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	shutdownCtx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	// The listener is closed already: Shutdown may report it.
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// backlogListener lets drain take the connections the kernel has already
// completed but the server not yet accepted: closing a listening socket
// resets them, and a client whose request sat in that queue would see its
// connection reset instead of an answer.
type backlogListener struct {
	net.Listener
	draining atomic.Bool
	once     sync.Once
	empty    chan struct{} // closed when an accept found the queue empty while draining
}

func (l *backlogListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	var ne net.Error
	if l.draining.Load() && errors.As(err, &ne) && ne.Timeout() {
		l.once.Do(func() { close(l.empty) })
	}
	return c, err
}

// acceptBacklog makes accepting non-blocking — a queued connection is
// still returned, an empty queue answers at once — and waits until the
// server's accept loop has found the queue empty (at most a second).
// The server retries the timeouts until the listener is closed.
func (l *backlogListener) acceptBacklog() {
	tcp, ok := l.Listener.(*net.TCPListener)
	if !ok {
		return
	}
	l.draining.Store(true)
	if err := tcp.SetDeadline(time.Now()); err != nil {
		return
	}
	select {
	case <-l.empty:
	case <-time.After(time.Second):
	}
}

// connTracker knows the connections that are new (accepted, no request
// read yet) or active (a request being served).
type connTracker struct {
	mu   sync.Mutex
	busy map[net.Conn]struct{}
}

func trackConns(srv *http.Server) *connTracker {
	t := &connTracker{busy: map[net.Conn]struct{}{}}
	next := srv.ConnState
	srv.ConnState = func(c net.Conn, state http.ConnState) {
		t.mu.Lock()
		if state == http.StateNew || state == http.StateActive {
			t.busy[c] = struct{}{}
		} else {
			delete(t.busy, c)
		}
		t.mu.Unlock()
		if next != nil {
			next(c, state)
		}
	}
	return t
}

func (t *connTracker) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.busy)
}

// mailer is the notification sender: SMTP when configured; otherwise, in
// production, none (messages stay pending in the outbox) and, in dev, the
// log.
func mailer(cfg config.Config, log *slog.Logger, dev bool) notify.Sender {
	switch {
	case cfg.SMTPAddr != "":
		return notify.SMTP{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword}
	case dev:
		return notify.Log{Logger: log}
	}
	return nil
}

// temporalOptions are the client options shared by every process.
func temporalOptions(cfg config.Config, log *slog.Logger, m *metrics.Registry) client.Options {
	return client.Options{
		HostPort:       cfg.TemporalAddress,
		Namespace:      cfg.TemporalNamespace,
		Logger:         sdklog.NewStructuredLogger(log.With("component", "temporal-sdk")),
		MetricsHandler: m.SDK(),
	}
}

// serveMetrics serves /metrics on its own address until ctx ends, unless
// the address is "off".
func serveMetrics(ctx context.Context, addr string, m *metrics.Registry, log *slog.Logger) {
	if addr == "" || addr == "off" {
		return
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := serve(ctx, srv, addr, func(a net.Addr) { log.Info("metrics listening", "addr", a.String()) }); err != nil {
			log.Error("metrics server", "error", err)
		}
	}()
}
