// Command tdkt runs the commendation workflow engine.
//
//	tdkt dev       everything in one process, for a laptop
//	tdkt api       the HTTP API (production; configured by environment)
//	tdkt worker    the Temporal worker (production; configured by environment)
//	tdkt migrate   apply database migrations and reference data
//	tdkt doctor    compare the read model with the workflows, and repair it
//	tdkt backup    online backup of a tdkt dev data directory
//	tdkt learning  the register of learning titles: import a workbook
//
// The load, fault and benchmark tools are a separate command, cmd/tdkt-load,
// which this binary does not contain.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `usage: tdkt <command> [flags]

commands:
  dev       run the whole system in one process (embedded Temporal, SQLite, worker, API)
  api       run the HTTP API against DATABASE_URL and TEMPORAL_ADDRESS
  worker    run the Temporal worker against DATABASE_URL and TEMPORAL_ADDRESS
  migrate   apply database migrations and reference data to DATABASE_URL
  doctor    compare the read model with the workflows; -repair fixes drift
  backup    online backup of a tdkt dev data directory (-data, -out)
  learning  import -unit ID -user USERNAME -file F.xlsx [-commit]: check (or write) a workbook of the register
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "dev":
		err = runDev(ctx, os.Args[2:])
	case "api":
		err = runAPI(ctx, os.Args[2:])
	case "worker":
		err = runWorker(ctx, os.Args[2:])
	case "migrate":
		err = runMigrate(ctx, os.Args[2:])
	case "doctor":
		err = runDoctor(ctx, os.Args[2:])
	case "backup":
		err = runBackup(ctx, os.Args[2:])
	case "learning":
		err = runLearning(ctx, os.Args[2:])
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "tdkt: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		// -h or --help: the flag package printed the command's usage,
		// which is what was asked for, not a failure.
		return
	case errors.Is(err, errUsage):
		os.Exit(2) // the flag package explained the mistake
	case err != nil:
		slog.Error("tdkt "+os.Args[1]+" failed", "error", err)
		os.Exit(1)
	}
}

// errUsage marks a command line that the flag package refused and has
// already explained on stderr: main exits 2 for it, as Go commands do,
// without logging an error on top.
var errUsage = errors.New("usage")

// parseFlags parses a command's flags. Help (-h, --help) comes back as
// flag.ErrHelp, any other refusal wrapped in errUsage.
func parseFlags(fset *flag.FlagSet, args []string) error {
	err := fset.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return fmt.Errorf("%w: %w", errUsage, err)
}

// envOnly is the flag set of a command configured by the environment
// alone (api, worker, migrate): it takes no flags, so that --help
// explains that instead of starting the command.
func envOnly(name string) *flag.FlagSet {
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "usage: tdkt %s\n\ntdkt %s takes no flags: it is configured by the environment (DATABASE_URL, TEMPORAL_ADDRESS …; see README.md).\n", name, name)
	}
	return fset
}

// newLogger returns a JSON logger at the named level.
func newLogger(level string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
	slog.SetDefault(log)
	return log
}
