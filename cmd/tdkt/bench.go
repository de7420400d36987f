package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/tdkt/tdkt/internal/bench"
)

// runBench measures the full REST path against the raw engine on a fresh
// embedded stack and prints both rates and their ratio.
func runBench(ctx context.Context, args []string) error {
	fset := flag.NewFlagSet("bench", flag.ContinueOnError)
	n := fset.Int("n", 300, "nominations to push through each path")
	c := fset.Int("c", 32, "concurrent clients")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *c < 1 {
		return fmt.Errorf("bench: -n and -c must be positive")
	}
	r, err := bench.Run(ctx, bench.Options{N: *n, Concurrency: *c, Log: newLogger("error")})
	if err != nil {
		return err
	}
	fmt.Println(r)
	return nil
}
