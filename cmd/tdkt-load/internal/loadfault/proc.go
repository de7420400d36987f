package loadfault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// proc is a tdkt subcommand run as its own process, killed and started
// again on the same arguments and environment.
type proc struct {
	binary string
	args   []string
	env    []string // added to this process's environment
	log    io.Writer
	cmd    *exec.Cmd
}

func (p *proc) start() error {
	p.cmd = exec.Command(p.binary, p.args...)
	p.cmd.Env = append(os.Environ(), p.env...)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("start tdkt %s: %w", p.args[0], err)
	}
	return nil
}

// kill sends SIGKILL: no shutdown code runs, as in a crash.
func (p *proc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	_ = p.cmd.Wait()
}

// stop ends the process with SIGTERM, if it still runs.
func (p *proc) stop() {
	if p.cmd != nil && p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		_ = p.cmd.Wait()
	}
}

// restart kills the process with SIGKILL, waits a moment (connections to
// it fail meanwhile) and starts it again; ready, if not nil, waits until it
// serves.
func (p *proc) restart(ctx context.Context, ready func(context.Context) error) error {
	p.kill()
	time.Sleep(500 * time.Millisecond)
	if err := p.start(); err != nil {
		return err
	}
	if ready != nil {
		return ready(ctx)
	}
	return nil
}

// waitReady polls base/readyz until it answers 200.
func waitReady(ctx context.Context, base string) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/readyz", nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("HTTP %d", res.StatusCode)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready: %w", base, errors.Join(err, ctx.Err()))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
