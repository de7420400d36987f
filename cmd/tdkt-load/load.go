package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/tdkt/tdkt/cmd/tdkt-load/internal/loadfault"
	"github.com/tdkt/tdkt/models/seed"
)

// runLoad pushes nominations through a tdkt it starts itself — `tdkt dev`,
// or with -prod the production-like pair of `tdkt api` and `tdkt worker` on
// PostgreSQL — kills its processes with SIGKILL midway, restarts them and
// reports what survived.
func runLoad(ctx context.Context, args []string) error {
	fset := flag.NewFlagSet("load", flag.ContinueOnError)
	n := fset.Int("n", 60, "nominations")
	c := fset.Int("c", 8, "concurrent clients")
	prod := fset.Bool("prod", false, "drive separate tdkt api and tdkt worker processes on PostgreSQL instead of tdkt dev")
	dbURL := fset.String("database-url", "", "with -prod: an empty PostgreSQL database for the application; empty: a throwaway cluster from /usr/lib/postgresql/*/bin")
	tdkt := fset.String("tdkt", "", "the tdkt binary to run; empty: build ./cmd/tdkt of the module in the current directory")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *dbURL != "" && !*prod {
		return errors.New("load: -database-url needs -prod")
	}
	bin, cleanup, err := tdktBinary(ctx, *tdkt)
	if err != nil {
		return err
	}
	defer cleanup()
	r, err := loadfault.Run(ctx, loadfault.Options{Binary: bin, N: *n, Concurrency: *c, Password: seed.DevPassword,
		Prod: *prod, DatabaseURL: *dbURL})
	if err != nil {
		return err
	}
	fmt.Println(r)
	if !r.OK() {
		return fmt.Errorf("nominations were lost, duplicated, drifted or not completed")
	}
	return nil
}
