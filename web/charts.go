package web

import (
	"fmt"

	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/service"
)

// The dashboard's charts are inline SVG laid out here and drawn by the
// template (learning.html), so they show without scripts and every name
// in them is escaped by html/template like the rest of the page. Only
// numbers are computed here: positions and lengths in the SVG's user
// units.

// Geometry of the bars per commune: a label column, then the scale.
const (
	barLabelW = 210.0 // the commune's name
	barScaleW = 380.0 // 0 … scale max
	barRowH   = 22.0
	barTop    = 24.0 // room for the axis' labels
	barWidth  = barLabelW + barScaleW + 70
)

// barChart is the bars of one indicator per commune-level unit, with the
// target as a vertical line.
type barChart struct {
	Title          string
	Width, Height  float64
	ScaleX, ScaleW float64
	Max            float64 // the scale's end, in percent
	Ticks          []tick
	Bars           []bar
	// TargetX is the target line's position; HasTarget false: none set.
	HasTarget bool
	TargetX   float64
	Target    string
}

// tick is a mark of the scale.
type tick struct {
	X     float64
	Label string
}

// bar is one commune's bar (Reported false: no denominator, no bar).
type bar struct {
	Name     string
	Y, TextY float64
	W        float64
	Reported bool
	Met      bool
	Label    string // "75,0 %" or the words for no figures
}

// scaleMax is 100 %, or more when a rate runs over (counts behind the
// register), rounded up to a multiple of 20.
//
// The scale stops at chartCap: a rate above it (a numerator recorded
// above its denominator, which the table flags) is drawn at the cap, so a
// wrong count cannot make the page grow without bound.
func scaleMax(values ...float64) float64 {
	m := 100.0
	for _, v := range values {
		for m < v && m < chartCap {
			m += 20
		}
	}
	return m
}

// chartCap is the top of every chart's scale, in percent.
const chartCap = 200.0

// newBarChart lays out the ranked units' values of one indicator.
func newBarChart(title string, rows []service.RankedUnit, noData string) barChart {
	var pcts []float64
	for _, r := range rows {
		if r.Value.Percent != nil {
			pcts = append(pcts, *r.Value.Percent)
		}
	}
	c := barChart{Title: title, Width: barWidth, ScaleX: barLabelW, ScaleW: barScaleW}
	var target *float64
	if len(rows) > 0 && rows[0].Value.Target != nil {
		target = rows[0].Value.Target
		pcts = append(pcts, *target)
	}
	c.Max = scaleMax(pcts...)
	x := func(p float64) float64 { return barLabelW + p/c.Max*barScaleW }
	for p := 0.0; p <= c.Max; p += 20 {
		c.Ticks = append(c.Ticks, tick{X: x(p), Label: fmt.Sprintf("%.0f%%", p)})
	}
	for i, r := range rows {
		y := barTop + float64(i)*barRowH
		b := bar{Name: r.UnitName, Y: y + 3, TextY: y + 15, Label: noData}
		if r.Value.Percent != nil {
			b.Reported, b.W = true, x(min(*r.Value.Percent, c.Max))-barLabelW
			b.Met = r.Value.Met != nil && *r.Value.Met
			b.Label = learning.FormatPercent(*r.Value.Percent) + " %"
		}
		c.Bars = append(c.Bars, b)
	}
	c.Height = barTop + float64(len(rows))*barRowH + 8
	if target != nil {
		c.HasTarget, c.TargetX, c.Target = true, x(*target), learning.FormatPercent(*target)+" %"
	}
	return c
}

// Geometry of the trend: a column per year over a 0 … max scale.
const (
	trendLeft   = 48.0
	trendTop    = 16.0
	trendPlotH  = 180.0
	trendColumn = 70.0
)

// trendChart is one indicator of the unit year by year, with the target
// as a horizontal line.
type trendChart struct {
	Title         string
	Width, Height float64
	Left, Bottom  float64
	PlotW         float64
	Ticks         []tick // Y positions in X's place: the scale is vertical
	Years         []trendYear
	HasTarget     bool
	TargetY       float64
	Target        string
}

// trendYear is one year's column.
type trendYear struct {
	Year           int
	X, Y, W, H     float64
	LabelX, LabelY float64
	Reported, Met  bool
	Label          string
}

// trendPoint is one year's value of the indicator.
type trendPoint struct {
	Year  int
	Value *learning.Value // nil: not reported that year
}

// newTrendChart lays out the years' values.
func newTrendChart(title string, points []trendPoint, noData string) trendChart {
	var pcts []float64
	var target *float64
	for _, p := range points {
		if p.Value != nil && p.Value.Percent != nil {
			pcts = append(pcts, *p.Value.Percent)
		}
		if p.Value != nil && p.Value.Target != nil {
			target = p.Value.Target
		}
	}
	if target != nil {
		pcts = append(pcts, *target)
	}
	max := scaleMax(pcts...)
	bottom := trendTop + trendPlotH
	y := func(p float64) float64 { return bottom - p/max*trendPlotH }
	c := trendChart{Title: title, Left: trendLeft, Bottom: bottom, PlotW: float64(len(points)) * trendColumn,
		Width: trendLeft + float64(len(points))*trendColumn + 70, Height: bottom + 28}
	for p := 0.0; p <= max; p += 20 {
		c.Ticks = append(c.Ticks, tick{X: y(p), Label: fmt.Sprintf("%.0f%%", p)})
	}
	for i, p := range points {
		x := trendLeft + float64(i)*trendColumn
		ty := trendYear{Year: p.Year, X: x + 15, W: trendColumn - 30, LabelX: x + trendColumn/2, LabelY: bottom - 4, Label: noData}
		if p.Value != nil && p.Value.Percent != nil {
			ty.Reported, ty.Y = true, y(min(*p.Value.Percent, max))
			ty.H = bottom - ty.Y
			ty.Met = p.Value.Met != nil && *p.Value.Met
			ty.Label, ty.LabelY = learning.FormatPercent(*p.Value.Percent)+" %", ty.Y-4
		}
		c.Years = append(c.Years, ty)
	}
	if target != nil {
		c.HasTarget, c.TargetY, c.Target = true, y(*target), learning.FormatPercent(*target)+" %"
	}
	return c
}
