package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/service"
)

// The movement's dashboard: the plan's eight indicators for a unit and a
// year against their targets (service.Indicators, the API's figures),
// bars per commune-level unit and a trend per year drawn as SVG on the
// server, and the communes ranked. Every signed-in user reads it: the
// figures name no holder. The pickers are a plain GET form.

// firstLearningYear is the movement's first year (plan 151/KH-UBND).
const firstLearningYear = 2023

// learningData is the dashboard.
type learningData struct {
	UnitID    string
	Year      int
	Years     []int
	Groups    []unitGroup
	Indicator string
	Choices   []indicatorChoice
	View      service.IndicatorsView
	Chosen    *learning.Value // the chosen indicator's total
	Bars      barChart
	Trend     trendChart
	Ranked    []service.RankedUnit
}

// indicatorChoice is one option of the chart's indicator picker.
type indicatorChoice struct{ Code, Name string }

// learningDashboard shows the dashboard for ?unit=, ?year= and
// ?indicator=; a missing or bad year is this year, a missing unit the
// caller's when it is one of the picker's, else the city.
func (u *UI) learningDashboard(rq *request) error {
	q := rq.r.URL.Query()
	this := rq.svc().Now().In(zone).Year()
	year, err := strconv.Atoi(q.Get("year"))
	if err != nil || year < firstLearningYear || year > this {
		year = this
	}
	day := time.Date(year, 12, 31, 0, 0, 0, 0, zone)
	if now := rq.svc().Now(); now.Before(day) {
		day = now
	}
	groups, city, err := learningUnits(rq, day)
	if err != nil {
		return err
	}
	unit := q.Get("unit")
	if unit == "" {
		unit = city
		if !rq.Caller.ProvinceWide() && inGroups(groups, rq.Me.Unit.ID) {
			unit = rq.Me.Unit.ID
		}
	}
	v, err := rq.svc().Indicators(rq.ctx(), rq.Caller, unit, strconv.Itoa(year))
	if err != nil {
		return err
	}
	if !inGroups(groups, v.UnitID) {
		// A unit of another year or kind asked for by its ID stays
		// selectable.
		groups = append([]unitGroup{{Kind: "other", Units: []Unit{{ID: v.UnitID, Name: v.UnitName}}}}, groups...)
	}
	d := learningData{UnitID: v.UnitID, Year: year, View: v, Groups: groups, Indicator: q.Get("indicator")}
	for y := this; y >= firstLearningYear; y-- {
		d.Years = append(d.Years, y)
	}
	for _, val := range v.Values {
		d.Choices = append(d.Choices, indicatorChoice{val.Indicator.Code, learning.ShortName(val.Indicator.Code)})
		if val.Indicator.Code == d.Indicator {
			d.Chosen = &val
		}
	}
	if d.Chosen == nil && len(v.Values) > 0 {
		d.Indicator, d.Chosen = v.Values[0].Indicator.Code, &v.Values[0]
	}
	if d.Chosen == nil {
		return rq.show(http.StatusOK, "learning", rq.page("learning_title", d))
	}
	name := d.Chosen.Indicator.Name
	d.Ranked = service.RankUnits(v.Units, d.Indicator)
	d.Bars = newBarChart(name, d.Ranked, rq.t("learning_no_data"))
	points := make([]trendPoint, 0, year-firstLearningYear+1)
	for y := firstLearningYear; y <= year; y++ {
		tv := v
		if y != year {
			if tv, err = rq.svc().Indicators(rq.ctx(), rq.Caller, v.UnitID, strconv.Itoa(y)); err != nil {
				return err
			}
		}
		p := trendPoint{Year: y}
		for _, val := range tv.Values {
			if val.Indicator.Code == d.Indicator {
				p.Value = &val
			}
		}
		points = append(points, p)
	}
	d.Trend = newTrendChart(name, points, rq.t("learning_no_data"))
	return rq.show(http.StatusOK, "learning", rq.page("learning_title", d))
}

// learningUnits are the picker's units: the city (or province) and the
// district- and commune-level units in force on day, grouped by kind,
// and the ID of the province-level unit in force today, the default.
func learningUnits(rq *request, day time.Time) ([]unitGroup, string, error) {
	units, err := rq.svc().Units(rq.ctx(), service.UnitFilter{At: day})
	if err != nil {
		return nil, "", err
	}
	today, err := rq.svc().Units(rq.ctx(), service.UnitFilter{Kind: models.KindProvince})
	if err != nil {
		return nil, "", err
	}
	city := ""
	if len(today) > 0 {
		city = today[0].ID
	}
	byKind := map[string][]Unit{}
	for _, un := range units {
		byKind[un.Kind] = append(byKind[un.Kind], un)
	}
	provinces := byKind[models.KindProvince]
	if city != "" && !slices.ContainsFunc(provinces, func(x Unit) bool { return x.ID == city }) {
		provinces = append([]Unit{today[0]}, provinces...)
	}
	var groups []unitGroup
	for _, g := range []unitGroup{{models.KindProvince, provinces}, {models.KindDistrict, byKind[models.KindDistrict]}, {models.KindCommune, byKind[models.KindCommune]}} {
		if len(g.Units) > 0 {
			groups = append(groups, g)
		}
	}
	return groups, city, nil
}

// inGroups reports whether id is one of the groups' units.
func inGroups(groups []unitGroup, id string) bool {
	for _, g := range groups {
		if slices.ContainsFunc(g.Units, func(x Unit) bool { return x.ID == id }) {
			return true
		}
	}
	return false
}

// learningExport sends the dashboard's figures as a workbook or a PDF
// (the API's exports, through the session).
func (u *UI) learningExport(rq *request) error {
	q := rq.r.URL.Query()
	if rq.r.PathValue("file") == "indicators.pdf" {
		return rq.document(rq.svc().IndicatorsPDF(rq.ctx(), rq.Caller, q.Get("unit"), q.Get("year")))
	}
	if rq.r.PathValue("file") == "indicators.xlsx" {
		return rq.document(rq.svc().IndicatorsXLSX(rq.ctx(), rq.Caller, q.Get("unit"), q.Get("year")))
	}
	u.notFound(rq.w, rq.r)
	return nil
}

// Pct shows a rate ("75,0 %"; "75.0 %" in English), or a dash when the
// denominator is not recorded.
func (p *page) Pct(v *float64) string {
	if v == nil {
		return "—"
	}
	s := learning.FormatPercent(*v)
	if p.Lang == "en" {
		s = strconv.FormatFloat(*v, 'f', 1, 64)
	}
	return s + " %"
}

// N writes an SVG coordinate to a tenth of a unit.
func (p *page) N(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// TargetOf shows a value's target and the year it is due by, or a dash.
func (p *page) TargetOf(v learning.Value) string {
	if v.Target == nil {
		return "—"
	}
	return p.Tf("learning_target_by", p.Pct(v.Target), v.TargetYear)
}

// verdict is whether a value meets its target, in words and the badge's
// class: colour only repeats the words.
type verdict struct{ Class, Text string }

// Verdict says whether v meets its target, as learning.Value.Verdict
// does, in the page's language.
func (p *page) Verdict(v learning.Value) verdict {
	switch {
	case v.Met != nil && *v.Met:
		return verdict{"accepted", p.T("learning_met")}
	case v.Met != nil:
		return verdict{"rejected", p.T("learning_not_met")}
	case v.Target == nil:
		return verdict{"", p.T("learning_no_target")}
	}
	return verdict{"", p.T("learning_no_data")}
}
