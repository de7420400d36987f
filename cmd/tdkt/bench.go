package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/tdkt/tdkt/internal/bench"
	"github.com/tdkt/tdkt/internal/loadfault"
)

// runBench measures the full REST path against the raw engine on a fresh
// embedded stack and prints both rates and their ratio.
func runBench(ctx context.Context, args []string) error {
	fset := flag.NewFlagSet("bench", flag.ContinueOnError)
	n := fset.Int("n", 300, "nominations to push through each path")
	c := fset.Int("c", 32, "concurrent clients")
	open := fset.Int("open", 0, "instead: submit this many nominations to a tdkt dev process, leave them open, "+
		"and report its readiness time and resident memory before and after a restart")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *c < 1 || *open < 0 {
		return fmt.Errorf("bench: -n and -c must be positive, -open not negative")
	}
	if *open > 0 {
		bin, err := os.Executable()
		if err != nil {
			return err
		}
		r, err := loadfault.Resident(ctx, loadfault.ResidentOptions{Binary: bin, N: *open, Concurrency: *c, Password: DemoPassword})
		if err != nil {
			return err
		}
		fmt.Println(r)
		return nil
	}
	r, err := bench.Run(ctx, bench.Options{N: *n, Concurrency: *c, Log: newLogger("error")})
	if err != nil {
		return err
	}
	fmt.Println(r)
	return nil
}
