// Package loadfault drives tdkt with concurrent nominating bodies and
// reviewers, kills its processes with SIGKILL in the middle and starts them
// again, then counts what survived: every nomination whose submission was
// acknowledged must exist exactly once, agree with its workflow and reach
// acceptance.
//
// Two systems are driven: `tdkt dev` (everything in one process, killed as
// a whole), and the production-like pair — separate `tdkt api` and `tdkt
// worker` processes on a PostgreSQL application database, with the
// embedded Temporal server in this process as their cluster — where the
// worker is killed first and the api later.
//
// It is the tool behind `tdkt-load load` and `tdkt-load bench -open`, not
// part of the product: the processes it drives run a tdkt binary built
// separately (Options.Binary).
package loadfault

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options size the run.
type Options struct {
	Binary      string // the tdkt binary
	DataDir     string // empty: a temporary directory
	N           int    // nominations
	Concurrency int
	Password    string // the demo password
	Log         io.Writer

	// Prod drives the production-like pair instead of `tdkt dev`.
	Prod bool
	// DatabaseURL (Prod) is an empty PostgreSQL database for the
	// application. Empty: a throwaway cluster (internal/testkit/pgcluster) holds
	// it and Temporal's two databases.
	DatabaseURL string
	// TemporalURL and TemporalVisibilityURL (Prod) are empty PostgreSQL
	// databases for the Temporal server when DatabaseURL is given; empty:
	// Temporal keeps its state in a SQLite file in the data directory.
	TemporalURL, TemporalVisibilityURL string
}

// Result counts the outcome.
type Result struct {
	System     string   // "dev" or "api+worker"
	Accepted   int      // submissions acknowledged
	Completed  int      // accepted at every level after the restarts
	Lost       int      // acknowledged but missing
	Duplicated int      // nominations beyond those acknowledged
	Drifted    int      // read model disagrees with the workflow (tdkt doctor)
	Kills      []string // the processes killed with SIGKILL, in order
	Retried    int      // client calls repeated (same Idempotency-Key) after a connection error or 5xx
	Took       time.Duration
}

func (r Result) String() string {
	return fmt.Sprintf("%s: accepted %d, completed %d, lost %d, duplicated %d, drifted %d (kill -9: %s; %d calls retried; %s)",
		r.System, r.Accepted, r.Completed, r.Lost, r.Duplicated, r.Drifted, strings.Join(r.Kills, ", "), r.Retried,
		r.Took.Round(100*time.Millisecond))
}

// OK reports whether nothing was lost, duplicated or drifted and every
// accepted nomination completed.
func (r Result) OK() bool {
	return r.Lost == 0 && r.Duplicated == 0 && r.Drifted == 0 && r.Completed == r.Accepted
}

// system is a running tdkt under load.
type system struct {
	name     string
	base     string // the API's URL
	temporal string // the Temporal frontend's host:port
	dbURL    string // the application database, for the doctor
	faults   []fault
	close    func()
}

// fault kills a process once a fraction of the submissions are in, and
// starts it again.
type fault struct {
	name  string
	after float64 // fraction of N acknowledged before it strikes
	run   func(ctx context.Context) error
}

// Run performs the whole scenario.
func Run(ctx context.Context, o Options) (Result, error) {
	var res Result
	started := time.Now()
	if o.DataDir == "" {
		dir, err := os.MkdirTemp("", "tdkt-loadfault-")
		if err != nil {
			return res, err
		}
		defer os.RemoveAll(dir)
		o.DataDir = dir
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	// Several processes write their output at once.
	o.Log = &lockedWriter{w: o.Log}
	var sys *system
	var err error
	if o.Prod {
		sys, err = startProd(ctx, o)
	} else {
		sys, err = startDev(ctx, o)
	}
	if err != nil {
		return res, err
	}
	defer sys.close()
	res.System = sys.name
	c := newClient(sys.base, o.Password)

	var submitted atomic.Int64
	ids := make([]string, o.N)
	wait := inParallel(ctx, o.N, o.Concurrency, func(i int) error {
		id, err := c.nomination(ctx, i, &submitted)
		ids[i] = id
		return err
	})
	for _, f := range sys.faults {
		for submitted.Load() < int64(f.after*float64(o.N)) && ctx.Err() == nil {
			time.Sleep(20 * time.Millisecond)
		}
		if err := f.run(ctx); err != nil {
			return res, fmt.Errorf("kill -9 and restart %s: %w", f.name, err)
		}
		res.Kills = append(res.Kills, f.name)
	}
	if err := wait(); err != nil {
		return res, err
	}
	res.Accepted = int(submitted.Load())
	res.Retried = int(c.retried.Load())
	if err := count(ctx, c, ids, &res); err != nil {
		return res, err
	}
	res.Drifted = runDoctor(o, sys)
	res.Took = time.Since(started)
	return res, nil
}

// count fills in what exists after the run: each acknowledged nomination
// once, accepted, and nothing besides them.
func count(ctx context.Context, c *client, ids []string, res *Result) error {
	for _, id := range ids {
		if id == "" {
			continue
		}
		var n struct {
			Status string `json:"status"`
		}
		if err := c.Call(ctx, "canbo.sonoivu", "GET", "/api/v1/nominations/"+id, nil, "", &n); err != nil {
			res.Lost++
			continue
		}
		if n.Status == "accepted" {
			res.Completed++
		}
	}
	submittedIDs := map[string]bool{}
	for page := 1; ; page++ {
		var p struct {
			Items []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"items"`
		}
		if err := c.Call(ctx, "canbo.sonoivu", "GET", fmt.Sprintf("/api/v1/nominations?per_page=100&page=%d&round=thu-nghiem", page), nil, "", &p); err != nil {
			return err
		}
		for _, it := range p.Items {
			if it.Status != "draft" {
				submittedIDs[it.ID] = true
			}
		}
		if len(p.Items) < 100 {
			break
		}
	}
	if len(submittedIDs) > res.Accepted {
		res.Duplicated = len(submittedIDs) - res.Accepted
	}
	return nil
}

// runDoctor runs `tdkt doctor` against the system and returns the number of
// nominations whose read model disagrees with their workflow.
func runDoctor(o Options, sys *system) int {
	doctor := exec.Command(o.Binary, "doctor")
	doctor.Env = append(os.Environ(), "DATABASE_URL="+sys.dbURL, "TEMPORAL_ADDRESS="+sys.temporal, "LOG_LEVEL=error")
	var out bytes.Buffer
	doctor.Stdout, doctor.Stderr = &out, &out
	if err := doctor.Run(); err != nil {
		n := -1 // the doctor failed without a report: count it as drift
		fmt.Sscanf(out.String(), "checked %d nominations: %d drifted", new(int), &n)
		fmt.Fprint(o.Log, out.String())
		if n < 0 {
			n = 1
		}
		return n
	}
	return 0
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
