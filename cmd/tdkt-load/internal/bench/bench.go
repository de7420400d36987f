// Package bench measures tdkt's end-to-end throughput against the raw
// Temporal engine on the same embedded server, in the same run: N
// nominations through the full REST path (create, submit, four decisions,
// each projected into the database) versus N workflows of the same
// four-level signal/activity shape with nothing around them.
//
// It is the tool behind `tdkt-load bench`, not part of the product: it runs
// the whole stack inside its own process.
package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/api"
	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/devtemporal"
	"github.com/tdkt/tdkt/internal/testkit/restclient"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/service"
	"github.com/tdkt/tdkt/worker"
)

// Options size the run.
type Options struct {
	N           int // nominations (and raw workflows)
	Concurrency int // clients in flight
	Log         *slog.Logger
}

// Result holds both rates, in nominations per second.
type Result struct {
	N                 int
	Full, Raw         time.Duration
	FullRate, RawRate float64
}

// Ratio is the full path's rate over the raw engine's.
func (r Result) Ratio() float64 { return r.FullRate / r.RawRate }

func (r Result) String() string {
	return fmt.Sprintf("nominations: %d\nraw engine (start + 4 signals + 4 activities): %.1f/s (%s)\n"+
		"full REST path (create, submit, 4 decisions, projections): %.1f/s (%s)\nratio full/raw: %.2f (bar: 0.80)",
		r.N, r.RawRate, r.Raw.Round(time.Millisecond), r.FullRate, r.Full.Round(time.Millisecond), r.Ratio())
}

const (
	password  = "bench-password"
	rawQueue  = "bench-raw"
	fullQueue = "tdkt"
)

// Run starts a fresh embedded stack in a temporary directory and measures.
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	dir, err := os.MkdirTemp("", "tdkt-bench-")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(dir)
	// The workflow cache as `tdkt dev` sizes it, before the embedded
	// server's system workers create it (one per process: both paths share
	// it).
	worker.SetCacheSize(config.Defaults().WorkflowCacheSize)
	ts, err := devtemporal.Start(devtemporal.Options{DBFile: filepath.Join(dir, "temporal.db"), Logger: o.Log})
	if err != nil {
		return Result{}, err
	}
	defer ts.Stop()
	if err := ts.WaitReady(ctx); err != nil {
		return Result{}, err
	}
	db, err := models.Open("sqlite:"+filepath.Join(dir, "tdkt.db"), o.Log)
	if err != nil {
		return Result{}, err
	}
	if err := models.Migrate(ctx, db); err != nil {
		return Result{}, err
	}
	if err := seed.Apply(ctx, db, seed.Options{DemoPassword: password}); err != nil {
		return Result{}, err
	}
	tc, err := client.DialContext(ctx, client.Options{HostPort: ts.Address(), Namespace: "default",
		Logger: sdklog.NewStructuredLogger(o.Log)})
	if err != nil {
		return Result{}, err
	}
	defer tc.Close()
	if err := worker.EnsureSearchAttributes(ctx, tc, "default"); err != nil {
		return Result{}, err
	}
	full := worker.New(tc, fullQueue, &activities.Activities{DB: db, Log: o.Log})
	raw := sdkworker.New(tc, rawQueue, sdkworker.Options{})
	raw.RegisterWorkflow(rawShape)
	raw.RegisterActivity(noop)
	for _, w := range []sdkworker.Worker{full, raw} {
		if err := w.Start(); err != nil {
			return Result{}, err
		}
		defer w.Stop()
	}
	srv := &api.Server{Log: o.Log, Service: service.New(service.Config{DB: db, Temporal: tc, TaskQueue: fullQueue, Log: o.Log,
		Tokens: auth.Tokens{Secret: []byte(strings.Repeat("bench-key", 4)), TTL: time.Hour, Issuer: "tdkt"}})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Result{}, err
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	defer hs.Close()
	c := &restclient.Client{Base: "http://" + ln.Addr().String(), Password: password,
		HTTP: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}
	// Log everyone in before the clock starts.
	for _, u := range append([]string{"donvi.donghoa"}, reviewers...) {
		if err := c.Call(ctx, u, "GET", "/api/v1/me", nil, "", nil); err != nil {
			return Result{}, err
		}
	}
	fullOne := func(ctx context.Context, i int) error { return nomination(ctx, c, i) }

	// Warm both paths up (connections, caches, first workflow tasks).
	warm := min(o.N/10+1, 20)
	if _, err := measure(ctx, warm, o.Concurrency, fullOne); err != nil {
		return Result{}, fmt.Errorf("warm-up: %w", err)
	}
	rawOne := func(ctx context.Context, i int) error { return rawNomination(ctx, tc, i) }
	if _, err := measure(ctx, warm, o.Concurrency, rawOne); err != nil {
		return Result{}, fmt.Errorf("warm-up: %w", err)
	}
	// Alternate the two in slices so that neither runs on an emptier
	// (faster) store than the other.
	r := Result{N: o.N}
	const slices = 4
	for i := 0; i < slices; i++ {
		n := o.N/slices + boolInt(i < o.N%slices)
		d, err := measure(ctx, n, o.Concurrency, rawOne)
		if err != nil {
			return r, fmt.Errorf("raw: %w", err)
		}
		r.Raw += d
		if d, err = measure(ctx, n, o.Concurrency, fullOne); err != nil {
			return r, fmt.Errorf("full: %w", err)
		}
		r.Full += d
	}
	r.RawRate = float64(o.N) / r.Raw.Seconds()
	r.FullRate = float64(o.N) / r.Full.Seconds()
	return r, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// measure runs one(i) for i in [0, n) with c workers and times it.
func measure(ctx context.Context, n, c int, one func(context.Context, int) error) (time.Duration, error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, c)
	start := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := one(ctx, i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

var runID, serial atomic.Int64

func rawNomination(ctx context.Context, tc client.Client, i int) error {
	id := fmt.Sprintf("raw-%d-%d", time.Now().UnixNano(), runID.Add(1))
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: rawQueue}, rawShape)
	if err != nil {
		return err
	}
	for level := 0; level < 4; level++ {
		if err := tc.SignalWorkflow(ctx, id, run.GetRunID(), "decide", "approve"); err != nil {
			return err
		}
	}
	return run.Get(ctx, nil)
}

// nomination runs one nomination through the whole REST path.
func nomination(ctx context.Context, c *restclient.Client, i int) error {
	var n struct{ ID string }
	name := nameOf(i)
	dossier, err := forms.ExampleFor(forms.KindIndividual, name, routing.BangKhenTinh, int(serial.Add(1)))
	if err != nil {
		return err
	}
	err = c.Call(ctx, "donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{
		"round_id": "thu-nghiem", "nominee_kind": "individual", "award": "bang-khen-tinh",
		"nominee_name": name, "dossier": dossier}, "", &n)
	if err != nil {
		return err
	}
	if err := c.Call(ctx, "donvi.donghoa", "POST", "/api/v1/nominations/"+n.ID+"/submit", nil, "", nil); err != nil {
		return err
	}
	for _, u := range reviewers {
		if err := c.Call(ctx, u, "POST", "/api/v1/nominations/"+n.ID+"/decisions", map[string]string{"action": "approve"}, "", nil); err != nil {
			return err
		}
	}
	return nil
}

// reviewers decide at the commune, the district, Education and Interior.
var reviewers = []string{"xet.donghoa", "xet.dian", "xet.sogddt", "canbo.sonoivu"}

// nameOf makes a plausible Vietnamese name (names hold no digits).
func nameOf(i int) string {
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ"}
	middle := []string{"Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh"}
	given := []string{"An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Quân", "Trang"}
	return family[i%len(family)] + " " + middle[(i/len(family))%len(middle)] + " " + given[(i/60)%len(given)]
}
