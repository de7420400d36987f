package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/internal/testkit/pgtest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// fillRegister migrates and seeds the database at url and adds a year
// (2026) of household recognitions spread over the city's 168 communes —
// holders, recognitions and their tallies, and each commune's count of
// households (70% recognised) — written by SQL, as a bulk load would.
func fillRegister(b *testing.B, url string, households int) *env {
	ctx := context.Background()
	db, err := models.Open(url, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	if err := models.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	if err := seed.Apply(ctx, db, seed.Options{DemoPassword: testPassword}); err != nil {
		b.Fatal(err)
	}
	var communes []string
	for _, n := range seed.City().NewUnits {
		communes = append(communes, seed.NewCommuneID(n.Name))
	}
	start := time.Now()
	exec := func(q string, args ...any) {
		b.Helper()
		if err := db.Exec(q, args...).Error; err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	exec("CREATE TABLE bench_units (i INTEGER PRIMARY KEY, id VARCHAR(64) NOT NULL)")
	for i, id := range communes {
		exec("INSERT INTO bench_units (i, id) VALUES (?, ?)", i, id)
	}
	now := time.Now().UTC()
	series := fmt.Sprintf("WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < %d) ", households-1)
	exec(series+`INSERT INTO learning_holders (id, kind, name, unit_id, area, head_name, birth_year, address, category, person_key, since_year, created_by, created_at)
		SELECT 'h-' || g.x, 'household', 'Hộ gia đình số ' || g.x, u.id, 'Khu phố ' || (g.x % 40), 'Chủ hộ ' || g.x, 0, '', '', '', 2000, 'bench', ?
		FROM g JOIN bench_units u ON u.i = g.x % ?`, now, len(communes))
	exec(series+`INSERT INTO learning_recognitions (id, holder_id, title, year, unit_id, area, rating, qualifier, status, reason, decision_number, decision_body_id, evidence, created_by, created_at, updated_at)
		SELECT 'r-' || g.x, 'h-' || g.x, 'gia-dinh-hoc-tap', 2026, u.id, '', '', '', 'recognised', '', '', '', '[]', 'bench', ?, ?
		FROM g JOIN bench_units u ON u.i = g.x % ?`, now, now, len(communes))
	exec(`INSERT INTO learning_tallies (unit_id, year, key, n)
		SELECT unit_id, year, title, COUNT(*) FROM learning_recognitions WHERE created_by = 'bench' GROUP BY unit_id, year, title`)
	exec(`INSERT INTO learning_counts (unit_id, year, measure, value, source, recorded_on, recorded_by, updated_at)
		SELECT unit_id, 2026, 'households', n * 10 / 7, 'bench', ?, 'bench', ? FROM learning_tallies WHERE year = 2026`, now, now)
	exec("DROP TABLE bench_units")
	exec("ANALYZE")
	b.Logf("registered %d households in %s", households, time.Since(start).Round(time.Millisecond))
	s := &testServer{DB: db, Log: slog.New(slog.DiscardHandler), Tokens: auth.Tokens{Secret: testSecret, TTL: time.Hour, Issuer: "tdkt"}}
	return &env{t: &testing.T{}, s: s, srv: httptest.NewServer(s.Handler())}
}

// BenchmarkLearningIndicators3M measures the indicators (the dashboard's
// figures) for the city and for one commune over HTTP with 3,000,000
// household recognitions in PostgreSQL and prints p50/p99 (the bar: p99
// ≤ 200 ms). Run: go test -run XXX -bench LearningIndicators3M ./api
func BenchmarkLearningIndicators3M(b *testing.B) {
	e := fillRegister(b, pgtest.DSN(b), 3_000_000)
	defer e.srv.Close()
	indicatorCases(b, e)
}

// BenchmarkLearningIndicatorsSQLite measures the same on the embedded
// engine with 300,000 households (tdkt dev stays usable).
// Run: go test -run XXX -bench LearningIndicatorsSQLite ./api
func BenchmarkLearningIndicatorsSQLite(b *testing.B) {
	e := fillRegister(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), 300_000)
	defer e.srv.Close()
	indicatorCases(b, e)
}

func indicatorCases(b *testing.B, e *env) {
	for _, c := range []struct{ name, unit string }{
		{"city", seed.CityID},
		{"commune", seed.NewCommuneID("Phường Dĩ An")},
	} {
		b.Run(c.name, func(b *testing.B) {
			measureGET(b, e, "vanthu.phuongdian", "/api/v1/learning/indicators?year=2026&unit="+c.unit)
		})
	}
}
