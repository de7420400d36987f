package learning

import (
	"testing"
	"time"
)

// Every title has a sheet in force today, each loaded file checks, and a
// sheet scores what it is given: every criterion, none unknown, none
// above its most; the total against the threshold, and the commune's
// rating by its ranges.
func TestScoringSheets(t *testing.T) {
	day := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	for _, ti := range Titles {
		if ti.Code == District {
			continue // ended with the districts
		}
		if _, ok := SheetInForce(ti.Code, day); !ok {
			t.Errorf("no sheet in force for %s", ti.Code)
		}
	}
	s, ok := SheetInForce(Family, day)
	if !ok {
		t.Fatal("no family sheet")
	}
	if got, ok := SheetVersion(s.Code, s.Version); !ok || got.Code != s.Code {
		t.Fatal("a sheet is not found by its code and version")
	}
	full := map[string]float64{}
	for _, c := range s.Criteria {
		full[c.Code] = c.Max
	}
	total, errs := s.Score(full)
	if len(errs) != 0 || total != s.Max() {
		t.Fatalf("full marks: %v %v", total, errs)
	}
	if rec, _ := s.Verdict(total); !rec {
		t.Error("full marks are not recognised")
	}
	if rec, _ := s.Verdict(s.Threshold - 0.5); rec {
		t.Error("below the threshold recognised")
	}
	bad := map[string]float64{"khong-co": 1}
	for k, v := range full {
		bad[k] = v
	}
	bad[s.Criteria[0].Code] = s.Criteria[0].Max + 1
	delete(bad, s.Criteria[1].Code)
	if _, errs := s.Score(bad); len(errs) != 3 {
		t.Fatalf("an unknown, a missing and an excessive criterion: %v", errs)
	}
	xa, _ := SheetInForce(CommuneCommunity, day)
	for _, c := range []struct {
		total float64
		want  string
	}{{90, RatingGood}, {75, RatingFair}, {55, RatingPass}, {30, ""}} {
		if _, r := xa.Verdict(c.total); r != c.want {
			t.Errorf("the commune's %v: %q, want %q", c.total, r, c.want)
		}
	}
	if err := (Sheet{Code: "X", Title: Family, Version: 1, ValidFrom: "2024-01-01", Threshold: 200,
		Criteria: []Criterion{{"a", "A", 100}}}).check(); err == nil {
		t.Error("a threshold above the total accepted")
	}
}
