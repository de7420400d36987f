// Command tdkt-load holds the load, fault and benchmark tools of tdkt. They
// are not part of the product: the tdkt binary (cmd/tdkt, the one the
// Dockerfile builds) does not contain them.
//
//	tdkt-load load    nominations through tdkt dev (or -prod: tdkt api and tdkt
//	                  worker on PostgreSQL), processes killed with SIGKILL midway
//	tdkt-load bench   throughput of the full REST path against the raw engine;
//	                  -open N: readiness and memory of tdkt dev with N open
//
// The tools that drive tdkt as processes (load, bench -open) run the tdkt
// binary given by -tdkt, or build ./cmd/tdkt of the module in the current
// directory into a temporary directory first.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
)

const usage = `usage: tdkt-load <command> [flags]

commands:
  load      load with faults: nominations through tdkt dev (or -prod: tdkt api + tdkt worker on
            PostgreSQL), processes killed with SIGKILL midway (-n, -c, -prod, -database-url, -tdkt)
  bench     measure the full REST path against the raw engine (-n nominations, -c clients);
            -open N: readiness and resident memory of tdkt dev with N nominations open (-c, -tdkt)

-tdkt is the tdkt binary to run; empty: ./cmd/tdkt of the module in the current directory is built.
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
	case "load":
		err = runLoad(ctx, os.Args[2:])
	case "bench":
		err = runBench(ctx, os.Args[2:])
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "tdkt-load: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		slog.Error("tdkt-load "+os.Args[1]+" failed", "error", err)
		os.Exit(1)
	}
}

// tdktPackage is the production binary the tools start as processes.
const tdktPackage = "github.com/tdkt/tdkt/cmd/tdkt"

// tdktBinary returns the tdkt binary to run: path if given, otherwise one
// built from the module in the current directory into a temporary
// directory, which cleanup removes.
func tdktBinary(ctx context.Context, path string) (bin string, cleanup func(), err error) {
	if path != "" {
		abs, err := filepath.Abs(path)
		if err != nil {
			return "", nil, err
		}
		if fi, err := os.Stat(abs); err != nil {
			return "", nil, fmt.Errorf("-tdkt: %w", err)
		} else if fi.IsDir() || fi.Mode()&0o111 == 0 {
			return "", nil, fmt.Errorf("-tdkt: %s is not an executable file", abs)
		}
		return abs, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "tdkt-load-bin-")
	if err != nil {
		return "", nil, err
	}
	bin = filepath.Join(dir, "tdkt")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, tdktPackage).CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("go build %s (run from inside the tdkt module, or give -tdkt a binary): %v\n%s",
			tdktPackage, err, out)
	}
	return bin, func() { os.RemoveAll(dir) }, nil
}
