package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/tdkt/tdkt/internal/backup"
)

// runBackup takes an online backup of a `tdkt dev` data directory.
func runBackup(ctx context.Context, args []string) error {
	fset := flag.NewFlagSet("backup", flag.ContinueOnError)
	data := fset.String("data", "./data", "the data directory of tdkt dev (it may be running)")
	out := fset.String("out", "", "directory to create with the backup")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("backup: -out is required")
	}
	if err := backup.Dev(ctx, *data, *out); err != nil {
		return err
	}
	fmt.Printf("backup of %s written to %s; restore: stop tdkt dev, then run it with -data %s\n", *data, *out, *out)
	return nil
}
