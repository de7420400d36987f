package bench

import (
	"context"
	"testing"
	"time"
)

// BenchmarkThroughput prints both rates and their ratio (go test -bench
// Throughput ./cmd/tdkt-load/internal/bench). The bar (full ≥ 0.8 × raw) is a figure to
// read, not an assertion: timings never fail tests.
func BenchmarkThroughput(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	r, err := Run(ctx, Options{N: max(b.N, 50), Concurrency: 16})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(r.RawRate, "raw/s")
	b.ReportMetric(r.FullRate, "full/s")
	b.ReportMetric(r.Ratio(), "ratio")
	b.Log("\n" + r.String())
}

// TestRunSmall runs the measurement on a handful of nominations so
// `tdkt-load bench` keeps working; it checks counts, not speed.
func TestRunSmall(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := Run(ctx, Options{N: 5, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 5 || r.FullRate <= 0 || r.RawRate <= 0 {
		t.Fatalf("result %+v", r)
	}
}
