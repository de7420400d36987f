package service

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/learning"
)

// FuzzRecognitionRow: whatever a row's cells hold (tab-separated, in the
// template's order), reading it never fails silently — a row read without
// errors names a title of the catalogue, a kind that holds it, a known
// status, a finite score and a real day; each error names one of the
// sheet's columns and says, in Vietnamese, what is wrong.
func FuzzRecognitionRow(f *testing.F) {
	idx := map[string]int{}
	for j, c := range recognitionColumns {
		idx[c.name] = j
	}
	f.Fuzz(func(t *testing.T, line string) {
		row, errs := readRecognitionRow(idx, strings.Split(line, "\t"))
		for _, e := range errs {
			if _, ok := idx[e.column]; !ok || e.vi == "" || e.en == "" {
				t.Fatalf("%q: error %+v names no column", line, e)
			}
		}
		if len(errs) > 0 {
			return
		}
		info, err := learning.LookupTitle(learning.Title(row.rec.Title))
		if err != nil {
			t.Fatalf("%q: read as title %q", line, row.rec.Title)
		}
		if !slices.Contains(learning.HolderKinds, learning.HolderKind(row.holder.Kind)) {
			t.Fatalf("%q: read as kind %q (title for %s)", line, row.holder.Kind, info.Holder)
		}
		if _, ok := statusNames[row.rec.Status]; !ok {
			t.Fatalf("%q: read as status %q", line, row.rec.Status)
		}
		if s := row.rec.Score; s != nil && (math.IsNaN(*s) || math.IsInf(*s, 0)) {
			t.Fatalf("%q: score %v", line, *s)
		}
		if d := row.rec.DecisionDate; d != "" {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				t.Fatalf("%q: read as day %q", line, d)
			}
		}
		if row.rec.Year <= 0 {
			t.Fatalf("%q: no year, no error", line)
		}
	})
}
