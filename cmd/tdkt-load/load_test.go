package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/tdkt/tdkt/cmd/tdkt-load/internal/loadfault"
	"github.com/tdkt/tdkt/internal/testkit/pgtest"
	"github.com/tdkt/tdkt/models/seed"
)

// TestLoadWithKill runs the load-and-fault scenario small: nominations in
// flight while tdkt dev is killed with SIGKILL and restarted; nothing is
// lost, duplicated or drifted, and everything completes.
func TestLoadWithKill(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var logs bytes.Buffer
	r, err := loadfault.Run(ctx, loadfault.Options{Binary: buildBinary(t), N: 24, Concurrency: 6, Password: seed.DevPassword, Log: &logs})
	if err != nil {
		t.Fatalf("%v\n%s", err, logs.String())
	}
	t.Log(r)
	if len(r.Kills) != 1 || r.Retried == 0 || r.Accepted != 24 || !r.OK() {
		t.Fatalf("after kill -9: %s\n%s", r, logs.String())
	}
}

// TestLoadProductionPairWithKills runs it on the production-like pair:
// tdkt api and tdkt worker as processes on PostgreSQL, Temporal on
// PostgreSQL too; the worker is killed with SIGKILL and restarted, then the
// api.
func TestLoadProductionPairWithKills(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var logs bytes.Buffer
	r, err := loadfault.Run(ctx, loadfault.Options{Binary: buildBinary(t), N: 24, Concurrency: 6, Password: seed.DevPassword, Log: &logs,
		Prod: true, DatabaseURL: pgtest.DSN(t), TemporalURL: pgtest.DSN(t), TemporalVisibilityURL: pgtest.DSN(t)})
	if err != nil {
		t.Fatalf("%v\n%s", err, logs.String())
	}
	t.Log(r)
	// Retried: the kills hit clients in flight, whose retries carried on.
	if len(r.Kills) != 2 || r.Kills[0] != "worker" || r.Kills[1] != "api" || r.Retried == 0 || r.Accepted != 24 || !r.OK() {
		t.Fatalf("after kill -9: %s\n%s", r, logs.String())
	}
}

// TestResidentSmall runs the memory measurement small: the nominations it
// submits are all open at the commune, before and after a restart, and the
// process's memory is read. (The figures for 10,000 are printed by `tdkt-load
// bench -open 10000`; tests do not judge timings or sizes.)
func TestResidentSmall(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var logs bytes.Buffer
	r, err := loadfault.Resident(ctx, loadfault.ResidentOptions{Binary: buildBinary(t), N: 30, Concurrency: 6,
		Password: seed.DevPassword, Log: &logs})
	if err != nil {
		t.Fatalf("%v\n%s", err, logs.String())
	}
	t.Log(r)
	if r.Open != 30 || r.RSS <= 0 || r.PeakRSS < r.RSS || r.RestartRSS <= 0 {
		t.Fatalf("measured %+v", r)
	}
}
