package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/tdkt/tdkt/internal/loadfault"
)

// runLoad pushes nominations through a `tdkt dev` it starts itself, kills
// it with SIGKILL midway, restarts it and reports what survived.
func runLoad(ctx context.Context, args []string) error {
	fset := flag.NewFlagSet("load", flag.ContinueOnError)
	n := fset.Int("n", 60, "nominations")
	c := fset.Int("c", 8, "concurrent clients")
	if err := fset.Parse(args); err != nil {
		return err
	}
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	r, err := loadfault.Run(ctx, loadfault.Options{Binary: bin, N: *n, Concurrency: *c, Password: DemoPassword})
	if err != nil {
		return err
	}
	fmt.Println(r)
	if r.Lost > 0 || r.Duplicated > 0 || r.Drifted > 0 || r.Completed != r.Accepted {
		return fmt.Errorf("nominations were lost, duplicated, drifted or not completed")
	}
	return nil
}
