package loadfault

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
)

// startDev runs `tdkt dev` on the data directory; the fault kills the
// whole process once a third of the submissions are in.
func startDev(ctx context.Context, o Options) (*system, error) {
	dev, base, temporal, err := newDev(o.Binary, o.DataDir, o.Log)
	if err != nil {
		return nil, err
	}
	if err := dev.start(); err != nil {
		return nil, err
	}
	ready := func(ctx context.Context) error { return waitReady(ctx, base) }
	if err := ready(ctx); err != nil {
		dev.kill()
		return nil, err
	}
	return &system{
		name:     "dev",
		base:     base,
		temporal: temporal,
		dbURL:    "sqlite:" + filepath.Join(o.DataDir, "tdkt.db"),
		faults: []fault{{name: "tdkt dev", after: 1.0 / 3, run: func(ctx context.Context) error {
			return dev.restart(ctx, ready)
		}}},
		close: dev.stop,
	}, nil
}

// newDev prepares `tdkt dev` on the data directory, on free ports: the
// process, the API's URL and the Temporal frontend's address.
func newDev(binary, dataDir string, log io.Writer) (p *proc, base, temporal string, err error) {
	httpPort, err := freePort()
	if err != nil {
		return nil, "", "", err
	}
	tport, err := freePort()
	if err != nil {
		return nil, "", "", err
	}
	p = &proc{binary: binary, log: log, args: []string{"dev", "-data", dataDir,
		"-http", fmt.Sprintf("127.0.0.1:%d", httpPort), "-temporal-port", fmt.Sprint(tport), "-log", "error"}}
	return p, fmt.Sprintf("http://127.0.0.1:%d", httpPort), fmt.Sprintf("127.0.0.1:%d", tport), nil
}
