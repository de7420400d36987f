package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/tdkt/tdkt/cmd/tdkt-load/internal/bench"
	"github.com/tdkt/tdkt/cmd/tdkt-load/internal/loadfault"
	"github.com/tdkt/tdkt/models/seed"
)

// runBench measures the full REST path against the raw engine on a fresh
// embedded stack and prints both rates and their ratio.
func runBench(ctx context.Context, args []string) error {
	fset := flag.NewFlagSet("bench", flag.ContinueOnError)
	n := fset.Int("n", 300, "nominations to push through each path")
	c := fset.Int("c", 32, "concurrent clients")
	open := fset.Int("open", 0, "instead: submit this many nominations to a tdkt dev process, leave them open, "+
		"and report its readiness time and resident memory before and after a restart")
	tdkt := fset.String("tdkt", "", "with -open: the tdkt binary to run; empty: build ./cmd/tdkt of the module in the current directory")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *c < 1 || *open < 0 {
		return fmt.Errorf("bench: -n and -c must be positive, -open not negative")
	}
	if *open > 0 {
		bin, cleanup, err := tdktBinary(ctx, *tdkt)
		if err != nil {
			return err
		}
		defer cleanup()
		r, err := loadfault.Resident(ctx, loadfault.ResidentOptions{Binary: bin, N: *open, Concurrency: *c, Password: seed.DevPassword})
		if err != nil {
			return err
		}
		fmt.Println(r)
		return nil
	}
	// Errors only, as JSON, from the stack in this process too.
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	slog.SetDefault(log)
	r, err := bench.Run(ctx, bench.Options{N: *n, Concurrency: *c, Log: log})
	if err != nil {
		return err
	}
	fmt.Println(r)
	return nil
}
