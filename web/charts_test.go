package web

import (
	"testing"

	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/service"
)

// A rate far above 100 % (a wrong count) is drawn at the scale's cap: the
// chart keeps its handful of ticks and its bar its width.
func TestChartScaleIsCapped(t *testing.T) {
	huge, target := 5_000_000.0, 70.0
	rows := []service.RankedUnit{{UnitID: "x", UnitName: "Xã X", Value: learning.Value{Percent: &huge, Target: &target}}}
	c := newBarChart("t", rows, "—")
	if c.Max != chartCap || len(c.Ticks) > int(chartCap/20)+1 || c.Bars[0].W > barScaleW {
		t.Fatalf("scale %v, %d ticks, bar %v", c.Max, len(c.Ticks), c.Bars[0].W)
	}
	tr := newTrendChart("t", []trendPoint{{Year: 2026, Value: &rows[0].Value}}, "—")
	if len(tr.Ticks) > int(chartCap/20)+1 || tr.Years[0].H > trendPlotH {
		t.Fatalf("trend: %d ticks, column %v", len(tr.Ticks), tr.Years[0].H)
	}
}
