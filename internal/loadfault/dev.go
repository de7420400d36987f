package loadfault

import (
	"context"
	"fmt"
	"path/filepath"
)

// startDev runs `tdkt dev` on the data directory; the fault kills the
// whole process once a third of the submissions are in.
func startDev(ctx context.Context, o Options) (*system, error) {
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	tport, err := freePort()
	if err != nil {
		return nil, err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	dev := &proc{binary: o.Binary, log: o.Log, args: []string{"dev", "-data", o.DataDir,
		"-http", fmt.Sprintf("127.0.0.1:%d", httpPort), "-temporal-port", fmt.Sprint(tport), "-log", "error"}}
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
		temporal: fmt.Sprintf("127.0.0.1:%d", tport),
		dbURL:    "sqlite:" + filepath.Join(o.DataDir, "tdkt.db"),
		faults: []fault{{name: "tdkt dev", after: 1.0 / 3, run: func(ctx context.Context) error {
			return dev.restart(ctx, ready)
		}}},
		close: dev.stop,
	}, nil
}
