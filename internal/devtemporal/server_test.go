package devtemporal

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/internal/testkit/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func waitForSignal(ctx workflow.Context) (string, error) {
	var v string
	workflow.GetSignalChannel(ctx, "go").Receive(ctx, &v)
	return "got " + v, nil
}

// TestStatePersistsAcrossRestart starts a workflow, stops the server, starts
// a new server on the same file and finishes the workflow there.
func TestStatePersistsAcrossRestart(t *testing.T) {
	persistsAcrossRestart(t, Options{DBFile: filepath.Join(t.TempDir(), "temporal.db")})
}

// TestPostgresStatePersistsAcrossRestart does the same with the state in
// two PostgreSQL databases, as a production cluster keeps it.
func TestPostgresStatePersistsAcrossRestart(t *testing.T) {
	persistsAcrossRestart(t, Options{PostgresURL: pgtest.DSN(t), PostgresVisibilityURL: pgtest.DSN(t)})
}

func persistsAcrossRestart(t *testing.T, opts Options) {
	log := slog.New(slog.DiscardHandler)
	opts.Logger = log
	start := func() (*Server, client.Client) {
		srv, err := Start(opts)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.WaitReady(ctx); err != nil {
			t.Fatal(err)
		}
		c, err := client.DialContext(ctx, client.Options{HostPort: srv.Address(), Namespace: "default",
			Logger: sdklog.NewStructuredLogger(log)})
		if err != nil {
			t.Fatal(err)
		}
		return srv, c
	}

	srv, c := start()
	run, err := c.ExecuteWorkflow(context.Background(),
		client.StartWorkflowOptions{ID: "persist-1", TaskQueue: "q"}, waitForSignal)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}

	srv, c = start()
	defer srv.Stop()
	defer c.Close()
	w := worker.New(c, "q", worker.Options{})
	w.RegisterWorkflow(waitForSignal)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.SignalWorkflow(ctx, "persist-1", run.GetRunID(), "go", "xin chào"); err != nil {
		t.Fatalf("signal after restart: %v", err)
	}
	var got string
	if err := c.GetWorkflow(ctx, "persist-1", run.GetRunID()).Get(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if got != "got xin chào" {
		t.Fatalf("result %q", got)
	}
}
