package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/devtemporal"
	"github.com/tdkt/tdkt/internal/metrics"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/worker"
)

// devOptions are the flags of `tdkt dev`; each has an environment variable.
type devOptions struct {
	dataDir      string
	httpAddr     string
	temporalPort int
	smtpAddr     string
	logLevel     string
}

func parseDevFlags(args []string) (devOptions, error) {
	env := func(name, def string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		return def
	}
	var o devOptions
	fset := flag.NewFlagSet("dev", flag.ContinueOnError)
	fset.StringVar(&o.dataDir, "data", env("TDKT_DATA", "./data"), "directory for the databases and files (env TDKT_DATA)")
	fset.StringVar(&o.httpAddr, "http", env("TDKT_HTTP", "127.0.0.1:8080"), "API and UI listen address (env TDKT_HTTP)")
	port := env("TDKT_TEMPORAL_PORT", "7233")
	fset.Func("temporal-port", "Temporal frontend port on 127.0.0.1 (env TDKT_TEMPORAL_PORT, default 7233)", func(s string) error {
		port = s
		return nil
	})
	fset.StringVar(&o.smtpAddr, "smtp", env("TDKT_SMTP", ""), "SMTP server host:port for notifications; empty logs them (env TDKT_SMTP)")
	fset.StringVar(&o.logLevel, "log", env("TDKT_LOG", "info"), "log level: debug, info, warn, error (env TDKT_LOG)")
	if err := parseFlags(fset, args); err != nil {
		return o, err
	}
	if _, err := fmt.Sscanf(port, "%d", &o.temporalPort); err != nil || o.temporalPort < 0 || o.temporalPort > 65535 {
		return o, fmt.Errorf("temporal port %q is not a port number", port)
	}
	return o, nil
}

// devMemoryLimit is the Go runtime's soft memory limit in `tdkt dev` when
// GOMEMLIMIT does not set one. Measured with 10,000 open nominations
// (`tdkt-load bench -open 10000`), the live data is a few hundred MB but the
// collector, left to its default pace, lets the heap grow to twice that:
// the limit makes it collect sooner instead, so that the laptop process
// stays under the 500 MB of DESIGN §5.
const devMemoryLimit = 400 << 20

// runDev runs the whole system in one process: an embedded Temporal server
// persisted under the data directory, the SQLite application database, the
// worker and the API.
func runDev(ctx context.Context, args []string) error {
	started := time.Now()
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(devMemoryLimit)
	}
	o, err := parseDevFlags(args)
	if err != nil {
		return err
	}
	log := newLogger(o.logLevel)
	if err := os.MkdirAll(o.dataDir, 0o750); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	secret, err := loadOrCreateSecret(filepath.Join(o.dataDir, "jwt.key"))
	if err != nil {
		return err
	}
	cfg := config.Defaults()
	// Before the embedded server starts: its own system workers create the
	// process's one workflow cache, at the size set by then.
	worker.SetCacheSize(cfg.WorkflowCacheSize)
	cfg.DatabaseURL = "sqlite:" + filepath.Join(o.dataDir, "tdkt.db")
	cfg.HTTPAddr = o.httpAddr
	cfg.DataDir = o.dataDir
	cfg.JWTSecret = secret
	cfg.SMTPAddr = o.smtpAddr
	cfg.PublicBaseURL = "http://" + o.httpAddr

	ts, err := devtemporal.Start(devtemporal.Options{
		DBFile:     filepath.Join(o.dataDir, "temporal.db"),
		Port:       o.temporalPort,
		Namespaces: []string{cfg.TemporalNamespace},
		Logger:     log,
	})
	if err != nil {
		return err
	}
	defer func() {
		if err := ts.Stop(); err != nil {
			log.Warn("temporal stop", "error", err)
		}
	}()
	cfg.TemporalAddress = ts.Address()

	db, err := models.Open(cfg.DatabaseURL, log)
	if err != nil {
		return err
	}
	if err := models.Migrate(ctx, db); err != nil {
		return err
	}
	if err := seed.Apply(ctx, db, seed.Options{DemoPassword: seed.DevPassword}); err != nil {
		return err
	}
	readyCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := ts.WaitReady(readyCtx); err != nil {
		return err
	}
	m := metrics.New()
	tc, err := client.DialContext(readyCtx, temporalOptions(cfg, log, m))
	if err != nil {
		return fmt.Errorf("temporal client: %w", err)
	}
	defer tc.Close()
	if err := worker.EnsureSearchAttributes(readyCtx, tc, cfg.TemporalNamespace); err != nil {
		return err
	}
	fonts, signer, err := certificateTools(cfg)
	if err != nil {
		return err
	}
	acts := &activities.Activities{DB: db, Log: log, Mail: mailer(cfg, log, true), BaseURL: cfg.PublicBaseURL,
		DataDir: cfg.DataDir, Fonts: fonts, Signer: signer}
	go worker.RelayOutbox(ctx, acts, 5*time.Minute)
	w := worker.New(tc, cfg.TaskQueue, acts)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop()
	if err := worker.EnsureSchedules(readyCtx, tc, db, cfg.TaskQueue); err != nil {
		return err
	}

	srv, err := newHTTPServer(cfg, db, tc, log, m, true)
	if err != nil {
		return err
	}
	return serve(ctx, srv, cfg.HTTPAddr, func(a net.Addr) {
		printBanner(a, ts.Address(), o.dataDir, time.Since(started))
	})
}

// printBanner tells the developer where everything is.
func printBanner(httpAddr net.Addr, temporalAddr, dataDir string, took time.Duration) {
	base := "http://" + httpAddr.String()
	var b strings.Builder
	fmt.Fprintf(&b, "\ntdkt dev is ready in %s\n", took.Round(time.Millisecond))
	fmt.Fprintf(&b, "  web UI         %s/ui/\n", base)
	fmt.Fprintf(&b, "  API            %s/api/v1   (OpenAPI: %s/openapi.yaml)\n", base, base)
	fmt.Fprintf(&b, "  health         %s/healthz  %s/readyz  %s/metrics\n", base, base, base)
	fmt.Fprintf(&b, "  Temporal       %s   (temporal workflow list --address %s)\n", temporalAddr, temporalAddr)
	fmt.Fprintf(&b, "  data           %s\n", dataDir)
	fmt.Fprintf(&b, "  demo accounts  (password %q)\n", seed.DevPassword)
	for _, u := range seed.DemoUsers {
		fmt.Fprintf(&b, "    %-24s %-10s %s\n", u.Username, u.Role, u.FullName)
	}
	fmt.Fprintln(os.Stdout, b.String())
	slog.Info("ready", "http", base, "temporal", temporalAddr, "startup_ms", took.Milliseconds())
}

// loadOrCreateSecret keeps the dev token-signing key under the data
// directory, so tokens survive a restart and no secret is committed.
func loadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil && len(b) >= 64 {
		key, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err == nil && len(key) >= 32 {
			return key, nil
		}
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return key, nil
}
