// Package loadfault drives `tdkt dev` with concurrent nominating bodies
// and reviewers, kills the process with SIGKILL in the middle and starts
// it again, then counts what survived: every nomination whose submission
// was acknowledged must exist exactly once, agree with its workflow and
// reach acceptance.
package loadfault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/routing"
)

// Options size the run.
type Options struct {
	Binary      string // the tdkt binary
	DataDir     string // empty: a temporary directory
	N           int    // nominations
	Concurrency int
	Password    string // the demo password
	Log         io.Writer
}

// Result counts the outcome.
type Result struct {
	Accepted   int // submissions acknowledged
	Completed  int // accepted at every level after the restart
	Lost       int // acknowledged but missing
	Duplicated int // the same nominee submitted more than once
	Drifted    int // read model disagrees with the workflow (tdkt doctor)
	Kills      int
}

func (r Result) String() string {
	return fmt.Sprintf("accepted %d, completed %d, lost %d, duplicated %d, drifted %d (kill -9: %d)",
		r.Accepted, r.Completed, r.Lost, r.Duplicated, r.Drifted, r.Kills)
}

type dev struct {
	o              Options
	cmd            *exec.Cmd
	base, temporal string
	http, tport    int
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (d *dev) start(ctx context.Context) error {
	d.cmd = exec.Command(d.o.Binary, "dev", "-data", d.o.DataDir, "-http", fmt.Sprintf("127.0.0.1:%d", d.http),
		"-temporal-port", fmt.Sprint(d.tport), "-log", "error")
	d.cmd.Stdout, d.cmd.Stderr = d.o.Log, d.o.Log
	if err := d.cmd.Start(); err != nil {
		return err
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if res, err := http.Get(d.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("tdkt dev did not become ready")
}

func (d *dev) kill() {
	_ = d.cmd.Process.Signal(syscall.SIGKILL)
	_ = d.cmd.Wait()
}

// Run performs the whole scenario.
func Run(ctx context.Context, o Options) (Result, error) {
	var res Result
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
	d := &dev{o: o}
	var err error
	if d.http, err = freePort(); err != nil {
		return res, err
	}
	if d.tport, err = freePort(); err != nil {
		return res, err
	}
	d.base = fmt.Sprintf("http://127.0.0.1:%d", d.http)
	if err := d.start(ctx); err != nil {
		return res, err
	}
	defer func() {
		if d.cmd.ProcessState == nil {
			_ = d.cmd.Process.Signal(syscall.SIGTERM)
			_ = d.cmd.Wait()
		}
	}()
	c := &client{base: d.base, password: o.Password, tokens: map[string]string{}}

	var submitted atomic.Int64
	ids := make([]string, o.N)
	var wg sync.WaitGroup
	var next atomic.Int64
	errs := make(chan error, o.Concurrency)
	for w := 0; w < o.Concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= o.N || ctx.Err() != nil {
					return
				}
				id, err := c.nomination(ctx, i, &submitted)
				if err != nil {
					errs <- err
					return
				}
				ids[i] = id
			}
		}()
	}
	// Kill the whole process once a third of the submissions are in.
	for submitted.Load() < int64(o.N/3) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	d.kill()
	res.Kills++
	time.Sleep(500 * time.Millisecond)
	if err := d.start(ctx); err != nil {
		return res, err
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return res, err
	}

	// Count.
	res.Accepted = int(submitted.Load())
	for _, id := range ids {
		if id == "" {
			continue
		}
		var n struct {
			Status  string `json:"status"`
			Dossier struct {
				Nominee struct {
					CCCD string `json:"cccd"`
				} `json:"nominee"`
			} `json:"dossier"`
		}
		if err := c.call(ctx, "canbo.sonoivu", "GET", "/api/v1/nominations/"+id, nil, "", &n); err != nil {
			res.Lost++
			continue
		}
		if n.Status == "accepted" {
			res.Completed++
		}
	}
	byNominee := map[string]int{}
	for page := 1; ; page++ {
		var p struct {
			Items []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"items"`
		}
		if err := c.call(ctx, "canbo.sonoivu", "GET", fmt.Sprintf("/api/v1/nominations?per_page=100&page=%d&round=thu-nghiem", page), nil, "", &p); err != nil {
			return res, err
		}
		for _, it := range p.Items {
			if it.Status != "draft" {
				byNominee[it.ID]++
			}
		}
		if len(p.Items) < 100 {
			break
		}
	}
	if len(byNominee) > res.Accepted {
		res.Duplicated = len(byNominee) - res.Accepted
	}
	// The doctor compares the read model with the workflows.
	doctor := exec.Command(o.Binary, "doctor")
	doctor.Env = append(os.Environ(), "DATABASE_URL=sqlite:"+filepath.Join(o.DataDir, "tdkt.db"),
		fmt.Sprintf("TEMPORAL_ADDRESS=127.0.0.1:%d", d.tport), "LOG_LEVEL=error")
	var out bytes.Buffer
	doctor.Stdout, doctor.Stderr = &out, &out
	if err := doctor.Run(); err != nil {
		var n int
		fmt.Sscanf(out.String(), "checked %d nominations: %d drifted", new(int), &n)
		res.Drifted = n
		fmt.Fprint(o.Log, out.String())
	}
	return res, nil
}

type client struct {
	base, password string
	mu             sync.Mutex
	tokens         map[string]string
}

// nomination runs one nomination through every level, retrying each step
// with the same Idempotency-Key across the crash. It returns the ID once
// the submission was acknowledged.
func (c *client) nomination(ctx context.Context, i int, submitted *atomic.Int64) (string, error) {
	name := fmt.Sprintf("Nguyễn Thị %s", []string{"An", "Bình", "Chi", "Dung", "Giang", "Hà", "Lan", "Mai"}[i%8])
	d, err := forms.ExampleFor(forms.KindIndividual, name, routing.BangKhenTinh, 500000+i)
	if err != nil {
		return "", err
	}
	var n struct{ ID string }
	if err := c.retry(ctx, "donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{"round_id": "thu-nghiem",
		"nominee_kind": "individual", "nominee_name": name, "award": "bang-khen-tinh", "dossier": d}, fmt.Sprintf("create-%d", i), &n); err != nil {
		return "", err
	}
	if err := c.retry(ctx, "donvi.donghoa", "POST", "/api/v1/nominations/"+n.ID+"/submit", nil, fmt.Sprintf("submit-%d", i), nil); err != nil {
		return "", err
	}
	submitted.Add(1)
	for _, u := range []string{"xet.donghoa", "xet.dian", "xet.sogddt", "canbo.sonoivu"} {
		if err := c.retry(ctx, u, "POST", "/api/v1/nominations/"+n.ID+"/decisions", map[string]string{"action": "approve"},
			fmt.Sprintf("approve-%d-%s", i, u), nil); err != nil {
			return "", err
		}
	}
	return n.ID, nil
}

// retry repeats a call while the server is down or answers 5xx.
func (c *client) retry(ctx context.Context, user, method, path string, body any, key string, out any) error {
	var err error
	for attempt := 0; attempt < 200 && ctx.Err() == nil; attempt++ {
		err = c.call(ctx, user, method, path, body, key, out)
		var status statusError
		if err == nil || (errors.As(err, &status) && status < 500) {
			return err
		}
		time.Sleep(250 * time.Millisecond)
	}
	return fmt.Errorf("%s %s: gave up: %w", method, path, err)
}

type statusError int

func (s statusError) Error() string { return fmt.Sprintf("HTTP %d", int(s)) }

func (c *client) call(ctx context.Context, user, method, path string, body any, key string, out any) error {
	tok, err := c.token(ctx, user)
	if err != nil {
		return err
	}
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %w: %s", method, path, statusError(res.StatusCode), raw)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

func (c *client) token(ctx context.Context, user string) (string, error) {
	c.mu.Lock()
	tok, ok := c.tokens[user]
	c.mu.Unlock()
	if ok {
		return tok, nil
	}
	b, _ := json.Marshal(map[string]string{"username": user, "password": c.password})
	req, _ := http.NewRequestWithContext(ctx, "POST", c.base+"/api/v1/auth/login", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Token == "" {
		return "", fmt.Errorf("login %s: HTTP %d", user, res.StatusCode)
	}
	c.mu.Lock()
	c.tokens[user] = out.Token
	c.mu.Unlock()
	return out.Token, nil
}
