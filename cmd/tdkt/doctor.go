package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"go.temporal.io/sdk/client"

	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/doctor"
	"github.com/tdkt/tdkt/internal/metrics"
)

// runDoctor compares the read model with the workflows (DATABASE_URL and
// TEMPORAL_ADDRESS, as the worker) and repairs it with -repair. It exits
// non-zero while drift remains.
func runDoctor(ctx context.Context, args []string) error {
	fset := flag.NewFlagSet("doctor", flag.ContinueOnError)
	repair := fset.Bool("repair", false, "write the workflows' state into the read model")
	if err := parseFlags(fset, args); err != nil {
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
	tc, err := client.DialContext(ctx, temporalOptions(cfg, log, metrics.New()))
	if err != nil {
		return fmt.Errorf("temporal client %s: %w", cfg.TemporalAddress, err)
	}
	defer tc.Close()
	rep, err := doctor.Check(ctx, db, tc, *repair)
	if err != nil {
		return err
	}
	rep.Print(os.Stdout)
	if rep.Unrepaired() > 0 {
		return fmt.Errorf("%d nominations drifted; run tdkt doctor -repair", rep.Unrepaired())
	}
	return nil
}
