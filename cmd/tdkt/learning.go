package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/service"
)

// runLearning runs the register's commands: `tdkt learning import` checks
// a workbook of recognitions and counts for a unit (DATABASE_URL) as the
// API's preview does, printing its progress and each row's error, and
// with -commit writes every row or none.
func runLearning(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		help := len(args) > 0 && (args[0] == "-h" || args[0] == "--help")
		if len(args) > 0 && !help {
			fmt.Fprintf(os.Stderr, "tdkt learning: %q is not one of its commands\n", args[0])
		}
		fmt.Fprintln(os.Stderr, "usage: tdkt learning import -unit ID -user USERNAME -file F.xlsx [-commit]")
		if help {
			return flag.ErrHelp
		}
		return errUsage
	}
	fset := flag.NewFlagSet("learning import", flag.ContinueOnError)
	unit := fset.String("unit", "", "the unit whose register the workbook is")
	user := fset.String("user", "", "the account the import is made as (its scope applies; it is audited under it)")
	file := fset.String("file", "", "the workbook (the register's template, filled in)")
	commit := fset.Bool("commit", false, "write the rows (all or none) instead of only checking them")
	if err := parseFlags(fset, args[1:]); err != nil {
		return err
	}
	if *unit == "" || *user == "" || *file == "" {
		fset.Usage()
		return errUsage
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("read %s: %w", *file, err)
	}
	cfg, err := config.FromEnv("migrate", nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	db, err := openChecked(ctx, cfg, log)
	if err != nil {
		return err
	}
	svc := service.New(service.Config{DB: db, Log: log, DataDir: cfg.DataDir})
	who, err := svc.CallerByUsername(ctx, *user)
	if err != nil {
		return err
	}
	return importRegister(ctx, svc, who, *unit, data, *commit, os.Stdout, os.Stderr)
}

// importRegister runs the import and reports it: progress on progress,
// the outcome and each row's error on out.
func importRegister(ctx context.Context, svc *service.Service, who service.Caller, unit string, data []byte, commit bool, out, progress io.Writer) error {
	stages := map[string]string{"check": "Kiểm tra", "write": "Ghi"}
	res, err := svc.ImportRegister(ctx, who, unit, data, service.ImportOptions{Commit: commit,
		Progress: func(stage string, done, total int) {
			fmt.Fprintf(progress, "%s %d/%d dòng (%d%%)\n", stages[stage], done, total, done*100/max(total, 1))
		}})
	var pe *service.Error
	if errors.As(err, &pe) && len(res.Errors) == 0 {
		for _, f := range pe.Fields {
			fmt.Fprintf(out, "%s: %s\n", f.Pointer, f.Message)
		}
	}
	for _, e := range res.Errors {
		fmt.Fprintf(out, "Trang “%s”, dòng %d, cột %s (%s): %s\n", e.Sheet, e.Row, e.Column, e.Header, e.Message)
	}
	if err != nil {
		return fmt.Errorf("import into %s: %w", unit, err)
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("%d rows refused; nothing was written", len(res.Errors))
	}
	verb := "Kiểm tra xong"
	if res.Committed {
		verb = "Đã ghi"
	}
	fmt.Fprintf(out, "%s: %d dòng, %d quyết định công nhận, %d đối tượng mới, %d số liệu.\n", verb, res.Rows, res.Recognitions, res.NewHolders, res.Counts)
	return nil
}
