package loadfault

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// ResidentOptions size the measurement of what `tdkt dev` holds with many
// nominations open (DESIGN.md §5: ready within 5 s, under 500 MB resident
// with 10,000 open nominations).
type ResidentOptions struct {
	Binary      string
	DataDir     string // empty: a temporary directory
	N           int    // nominations submitted and left open
	Concurrency int
	Password    string // the demo password
	Log         io.Writer
}

// ResidentResult is what was measured. Memory is the process's resident
// set (VmRSS) after it idled, and its peak (VmHWM).
type ResidentResult struct {
	Open              int           // nominations waiting at the commune, as the API lists them
	FirstReady        time.Duration // start on an empty data directory to /readyz 200
	Submitted         time.Duration // to create and submit the N nominations
	RSS, PeakRSS      int64         // bytes, with N open
	RestartReady      time.Duration // SIGTERM, start again, to /readyz 200 with N open
	RestartRSS        int64         // bytes, idle after the restart
	RestartPeakRSS    int64
	NominationsPerSec float64
}

func (r ResidentResult) String() string {
	mb := func(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
	return fmt.Sprintf("open nominations: %d (created and submitted in %s, %.0f/s)\n"+
		"first start ready in %s\nresident with them open: %s (peak %s)\n"+
		"restart ready in %s; resident after the restart: %s (peak %s)\nbars: ready ≤ 5 s, resident < 500 MB",
		r.Open, r.Submitted.Round(100*time.Millisecond), r.NominationsPerSec, r.FirstReady.Round(10*time.Millisecond),
		mb(r.RSS), mb(r.PeakRSS), r.RestartReady.Round(10*time.Millisecond), mb(r.RestartRSS), mb(r.RestartPeakRSS))
}

// idle is how long the process is left alone before its memory is read,
// so that the figures are those of a server at rest, not of the burst.
const idle = 5 * time.Second

// Resident starts `tdkt dev`, submits N nominations through the API (each
// then waits at the commune: N running workflows with their timers),
// reads the process's memory, restarts it and reads again.
func Resident(ctx context.Context, o ResidentOptions) (ResidentResult, error) {
	var res ResidentResult
	if o.DataDir == "" {
		dir, err := os.MkdirTemp("", "tdkt-resident-")
		if err != nil {
			return res, err
		}
		defer os.RemoveAll(dir)
		o.DataDir = dir
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	dev, base, _, err := newDev(o.Binary, o.DataDir, o.Log)
	if err != nil {
		return res, err
	}
	start := func() (time.Duration, error) {
		began := time.Now()
		if err := dev.start(); err != nil {
			return 0, err
		}
		if err := waitReady(ctx, base); err != nil {
			dev.kill()
			return 0, err
		}
		return time.Since(began), nil
	}
	if res.FirstReady, err = start(); err != nil {
		return res, err
	}
	defer dev.stop()

	c := newClient(base, o.Password)
	began := time.Now()
	wait := inParallel(ctx, o.N, o.Concurrency, func(i int) error {
		if _, err := c.submit(ctx, i); err != nil {
			return fmt.Errorf("nomination %d: %w", i, err)
		}
		return nil
	})
	if err := wait(); err != nil {
		return res, err
	}
	res.Submitted = time.Since(began)
	res.NominationsPerSec = float64(o.N) / res.Submitted.Seconds()

	if res.Open, err = openAtCommune(ctx, c); err != nil {
		return res, err
	}
	time.Sleep(idle)
	if res.RSS, res.PeakRSS, err = memory(dev.cmd.Process.Pid); err != nil {
		return res, err
	}
	dev.stop()
	if res.RestartReady, err = start(); err != nil {
		return res, fmt.Errorf("restart: %w", err)
	}
	time.Sleep(idle)
	if res.RestartRSS, res.RestartPeakRSS, err = memory(dev.cmd.Process.Pid); err != nil {
		return res, err
	}
	return res, nil
}

// openAtCommune counts the nominations the commune's reviewer has to
// decide: every submitted one, if none was lost.
func openAtCommune(ctx context.Context, c *client) (int, error) {
	var page struct {
		Total int `json:"total"`
	}
	err := c.Call(ctx, "xet.donghoa", "GET", "/api/v1/nominations?status=in_review&level=commune&per_page=1", nil, "", &page)
	return page.Total, err
}

// memory reads a process's resident set and its peak from /proc.
func memory(pid int) (rss, peak int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, fmt.Errorf("memory of %d: %w", pid, err)
	}
	defer f.Close()
	kb := func(line string) int64 {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			return 0
		}
		n, _ := strconv.ParseInt(fields[1], 10, 64)
		return n << 10
	}
	s := bufio.NewScanner(f)
	for s.Scan() {
		switch line := s.Text(); {
		case strings.HasPrefix(line, "VmRSS:"):
			rss = kb(line)
		case strings.HasPrefix(line, "VmHWM:"):
			peak = kb(line)
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("memory of %d: no VmRSS in /proc", pid)
	}
	return rss, peak, s.Err()
}
