package loadfault

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/tdkt/tdkt/internal/devtemporal"
	"github.com/tdkt/tdkt/internal/testkit/pgcluster"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// startProd runs the production-like pair: `tdkt migrate`, then `tdkt api`
// and `tdkt worker` as separate processes configured by the environment,
// on a PostgreSQL application database, with the embedded Temporal server
// in this process as their cluster (only reached over the network). The
// faults kill the worker once a third of the submissions are in, and the
// api at two thirds.
func startProd(ctx context.Context, o Options) (sys *system, err error) {
	var closers []func()
	cleanup := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	appURL, temporalURL, visibilityURL := o.DatabaseURL, o.TemporalURL, o.TemporalVisibilityURL
	if appURL == "" {
		c, err := pgcluster.Start()
		if err != nil {
			return nil, fmt.Errorf("throwaway PostgreSQL: %w", err)
		}
		closers = append(closers, func() { _ = c.Stop() })
		for name, url := range map[string]*string{"tdkt": &appURL, "temporal": &temporalURL, "temporal_visibility": &visibilityURL} {
			if *url, err = pgcluster.CreateDatabase(ctx, c.URL("postgres"), name); err != nil {
				return nil, err
			}
		}
	}

	ts, err := devtemporal.Start(devtemporal.Options{
		DBFile:                filepath.Join(o.DataDir, "temporal.db"),
		PostgresURL:           temporalURL,
		PostgresVisibilityURL: visibilityURL,
		Logger:                slog.New(slog.NewTextHandler(o.Log, &slog.HandlerOptions{Level: slog.LevelError})),
	})
	if err != nil {
		return nil, err
	}
	closers = append(closers, func() { _ = ts.Stop() })
	readyCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := ts.WaitReady(readyCtx); err != nil {
		return nil, err
	}

	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	secret := make([]byte, 32)
	rand.Read(secret)
	env := []string{"DATABASE_URL=" + appURL, "TEMPORAL_ADDRESS=" + ts.Address(),
		"JWT_SECRET=" + hex.EncodeToString(secret), fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", httpPort),
		"PUBLIC_BASE_URL=" + base, "DATA_DIR=" + o.DataDir, "METRICS_ADDR=off", "LOG_LEVEL=error"}
	migrate := &proc{binary: o.Binary, args: []string{"migrate"}, env: env, log: o.Log}
	if err := migrate.start(); err != nil {
		return nil, err
	}
	if err := migrate.cmd.Wait(); err != nil {
		return nil, fmt.Errorf("tdkt migrate: %w", err)
	}
	if err := seedDemo(ctx, appURL, o.Password); err != nil {
		return nil, err
	}

	api := &proc{binary: o.Binary, args: []string{"api"}, env: env, log: o.Log}
	worker := &proc{binary: o.Binary, args: []string{"worker"}, env: env, log: o.Log}
	for _, p := range []*proc{worker, api} {
		if err := p.start(); err != nil {
			return nil, err
		}
		closers = append(closers, p.stop)
	}
	ready := func(ctx context.Context) error { return waitReady(ctx, base) }
	if err := ready(ctx); err != nil {
		return nil, err
	}
	return &system{
		name:     "api+worker",
		base:     base,
		temporal: ts.Address(),
		dbURL:    appURL,
		faults: []fault{
			// The worker serves nothing over HTTP (metrics are off): the
			// clients' retries wait for it.
			{name: "worker", after: 1.0 / 3, run: func(ctx context.Context) error { return worker.restart(ctx, nil) }},
			{name: "api", after: 2.0 / 3, run: func(ctx context.Context) error { return api.restart(ctx, ready) }},
		},
		close: cleanup,
	}, nil
}

// seedDemo gives a migrated production database the demo accounts and the
// always-open demo round the clients use; production has neither. It
// refuses a database that already holds nominations, which the counts
// would mistake for duplicates.
func seedDemo(ctx context.Context, url, password string) error {
	db, err := models.Open(url, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	var n int64
	if err := db.WithContext(ctx).Model(&models.Nomination{}).Count(&n).Error; err != nil {
		return fmt.Errorf("count nominations: %w", err)
	}
	if n > 0 {
		return errors.New("the application database already holds nominations: give tdkt-load load an empty one")
	}
	if err := seed.Apply(ctx, db, seed.Options{DemoPassword: password}); err != nil {
		return fmt.Errorf("seed demo accounts: %w", err)
	}
	return nil
}
