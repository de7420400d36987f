package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"go.temporal.io/sdk/client"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/metrics"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/worker"
)

// openChecked opens the application database and refuses to run against a
// schema this build does not expect (run `tdkt migrate` first).
func openChecked(ctx context.Context, cfg config.Config, log *slog.Logger) (*gorm.DB, error) {
	db, err := models.Open(cfg.DatabaseURL, log)
	if err != nil {
		return nil, err
	}
	v, err := models.SchemaVersion(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	if v != models.LatestVersion() {
		return nil, fmt.Errorf("database schema is at version %d, this build needs %d: run `tdkt migrate`", v, models.LatestVersion())
	}
	return db, nil
}

func runAPI(ctx context.Context, args []string) error {
	if err := parseFlags(envOnly("api"), args); err != nil {
		return err
	}
	cfg, err := config.FromEnv("api", nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	db, err := openChecked(ctx, cfg, log)
	if err != nil {
		return err
	}
	// A lazy client lets the API start (and /readyz report) while the
	// Temporal cluster is still coming up.
	m := metrics.New()
	serveMetrics(ctx, cfg.MetricsAddr, m, log)
	tc, err := client.NewLazyClient(temporalOptions(cfg, log, m))
	if err != nil {
		return fmt.Errorf("temporal client: %w", err)
	}
	defer tc.Close()
	srv, err := newHTTPServer(cfg, db, tc, log, m, false)
	if err != nil {
		return err
	}
	return serve(ctx, srv, cfg.HTTPAddr, func(a net.Addr) { log.Info("api listening", "addr", a.String()) })
}

func runWorker(ctx context.Context, args []string) error {
	if err := parseFlags(envOnly("worker"), args); err != nil {
		return err
	}
	cfg, err := config.FromEnv("worker", nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	db, err := openChecked(ctx, cfg, log)
	if err != nil {
		return err
	}
	m := metrics.New()
	serveMetrics(ctx, cfg.MetricsAddr, m, log)
	tc, err := client.DialContext(ctx, temporalOptions(cfg, log, m))
	if err != nil {
		return fmt.Errorf("temporal client %s: %w", cfg.TemporalAddress, err)
	}
	defer tc.Close()
	if err := worker.EnsureSearchAttributes(ctx, tc, cfg.TemporalNamespace); err != nil {
		return err
	}
	fonts, signer, err := certificateTools(cfg)
	if err != nil {
		return err
	}
	acts := &activities.Activities{DB: db, Log: log, Mail: mailer(cfg, log, false), BaseURL: cfg.PublicBaseURL,
		DataDir: cfg.DataDir, Fonts: fonts, Signer: signer}
	go worker.RelayOutbox(ctx, acts, 5*time.Minute)
	worker.SetCacheSize(cfg.WorkflowCacheSize)
	w := worker.New(tc, cfg.TaskQueue, acts)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	if err := worker.EnsureSchedules(ctx, tc, db, cfg.TaskQueue); err != nil {
		return err
	}
	log.Info("worker polling", "task_queue", cfg.TaskQueue, "temporal", cfg.TemporalAddress)
	<-ctx.Done()
	// Stop waits for running activities to finish (or hands them back on
	// timeout) before returning.
	w.Stop()
	return nil
}

func runMigrate(ctx context.Context, args []string) error {
	if err := parseFlags(envOnly("migrate"), args); err != nil {
		return err
	}
	cfg, err := config.FromEnv("migrate", nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	db, err := models.Open(cfg.DatabaseURL, log)
	if err != nil {
		return err
	}
	if err := models.Migrate(ctx, db); err != nil {
		return err
	}
	if err := seed.Apply(ctx, db, seed.Options{}); err != nil {
		return err
	}
	log.Info("database migrated", "version", models.LatestVersion())
	return nil
}
