package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/service"
)

// Rounds: the list, an administrator's create and reschedule forms, and a
// round's dashboard for Interior and administrators.

// roundForm holds the round form as typed.
type roundForm struct {
	Code, Name, Kind, PeriodFrom, PeriodTo, OpensAt, ClosesAt string
	Chain, ReferenceDate, DueWorkingDays, RemindWorkingDays   string
	Awards                                                    map[routing.Award]bool
	LevelDue                                                  map[string]string // by level
	Quotas                                                    []quotaRow
}

// quotaRow is one row of the quota table as typed; blank rows are not
// sent.
type quotaRow struct{ UnitID, Award, Max string }

func (q quotaRow) blank() bool {
	return q.UnitID == "" && q.Award == "" && strings.TrimSpace(q.Max) == ""
}

// roundsData is the rounds page.
type roundsData struct {
	Rounds []service.RoundView
	Awards []routing.AwardInfo
	Chains []routing.Chain
	Levels []string
	Units  []unitGroup
	Form   roundForm
	Errs   formErrors
}

// reviewLevels are the levels a round may give a term of its own.
var reviewLevels = []string{"commune", "district", "education", "interior"}

// blankQuotaRows is how many empty quota rows the form offers (more on
// request).
const blankQuotaRows = 3

var roundPointers = []string{"/code", "/name", "/kind", "/period_from", "/period_to", "/opens_at", "/closes_at",
	"/chain", "/reference_date", "/due_working_days", "/remind_working_days", "/awards", "/level_due_days", "/quotas"}

// roundFormPointers adds the per-level and per-row fields of f.
func roundFormPointers(f roundForm) []string {
	ptrs := append([]string{}, roundPointers...)
	for _, l := range reviewLevels {
		ptrs = append(ptrs, "/level_due_days/"+l)
	}
	for i := range f.Quotas {
		for _, field := range []string{"", "/unit_id", "/award", "/max"} {
			ptrs = append(ptrs, fmt.Sprintf("/quotas/%d%s", i, field))
		}
	}
	return ptrs
}

// roundList shows the rounds and, to administrators, the create form.
func (u *UI) roundList(rq *request) error {
	year := rq.svc().Now().In(zone).Year()
	f := roundForm{Kind: "annual", Chain: "two-tier", DueWorkingDays: "10", RemindWorkingDays: "2",
		PeriodFrom: strconv.Itoa(year), PeriodTo: strconv.Itoa(year), Awards: map[routing.Award]bool{}, LevelDue: map[string]string{},
		Quotas: make([]quotaRow, blankQuotaRows)}
	return u.showRounds(rq, http.StatusOK, f, formErrors{})
}

// showRounds renders the rounds page with the create form f.
func (u *UI) showRounds(rq *request, status int, f roundForm, errs formErrors) error {
	rounds, err := rq.rounds()
	if err != nil {
		return err
	}
	d := roundsData{Rounds: rounds, Awards: rq.svc().Awards().Items, Chains: rq.chains(), Levels: reviewLevels, Form: f, Errs: errs}
	if rq.Me.Role == roleAdmin {
		if d.Units, err = rq.unitGroups(); err != nil {
			return err
		}
	}
	return rq.show(status, "rounds", rq.page("rounds_title", d))
}

// localTime turns a datetime-local value (Vietnam time) into RFC 3339; a
// value it cannot read is passed on for the service to refuse.
func localTime(v string) string {
	v = strings.TrimSpace(v)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, zone); err == nil {
			return t.Format(time.RFC3339)
		}
	}
	return v
}

// inputTime shows a time in a datetime-local input (Vietnam time).
func inputTime(t time.Time) string { return t.In(zone).Format("2006-01-02T15:04") }

// atoi reads a typed whole number (0 when it is not one: the service says
// why).
func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// maxQuotaRows bounds the quota rows a form may post.
const maxQuotaRows = 500

// createRound creates a round (administrators), with its per-level terms
// and quotas; "more rows" shows the form again with blank quota rows.
func (u *UI) createRound(rq *request) error {
	p := rq.r.PostForm
	f := roundForm{Code: p.Get("/code"), Name: p.Get("/name"), Kind: p.Get("/kind"), PeriodFrom: p.Get("/period_from"),
		PeriodTo: p.Get("/period_to"), OpensAt: p.Get("/opens_at"), ClosesAt: p.Get("/closes_at"), Chain: p.Get("/chain"),
		ReferenceDate: p.Get("/reference_date"), DueWorkingDays: p.Get("/due_working_days"),
		RemindWorkingDays: p.Get("/remind_working_days"), Awards: map[routing.Award]bool{}, LevelDue: map[string]string{}}
	in := service.RoundInput{Code: f.Code, Name: f.Name, Kind: f.Kind, PeriodFrom: atoi(f.PeriodFrom),
		PeriodTo: atoi(f.PeriodTo), OpensAt: localTime(f.OpensAt), ClosesAt: localTime(f.ClosesAt), Chain: f.Chain,
		ReferenceDate: f.ReferenceDate, DueWorkingDays: atoi(f.DueWorkingDays), Awards: []string{}}
	for _, a := range p["/awards"] {
		f.Awards[routing.Award(a)] = true
		in.Awards = append(in.Awards, a)
	}
	for _, l := range reviewLevels {
		if v := strings.TrimSpace(p.Get("/level_due_days/" + l)); v != "" {
			if in.LevelDueDays == nil {
				in.LevelDueDays = map[string]int{}
			}
			f.LevelDue[l], in.LevelDueDays[l] = v, atoi(v)
		}
	}
	if strings.TrimSpace(f.RemindWorkingDays) != "" {
		days := atoi(f.RemindWorkingDays)
		in.RemindWorkingDays = &days
	}
	rows := min(max(atoi(p.Get("/quotas#rows")), 0), maxQuotaRows)
	// Blank rows are dropped and the form shows again only the rows sent,
	// so the service's row numbers are the form's.
	for i := range rows {
		q := quotaRow{UnitID: p.Get(fmt.Sprintf("/quotas/%d/unit_id", i)), Award: p.Get(fmt.Sprintf("/quotas/%d/award", i)),
			Max: p.Get(fmt.Sprintf("/quotas/%d/max", i))}
		if q.blank() {
			continue
		}
		f.Quotas = append(f.Quotas, q)
		in.Quotas = append(in.Quotas, service.QuotaView{UnitID: q.UnitID, Award: q.Award, Max: atoi(q.Max)})
	}
	if p.Get("op") == "more-quotas" {
		// Nothing is sent: the rows typed stay, blank ones are added.
		f.Quotas = append(f.Quotas, make([]quotaRow, blankQuotaRows)...)
		return u.showRounds(rq, http.StatusOK, f, formErrors{})
	}
	r, err := rq.svc().CreateRound(rq.ctx(), rq.Caller, in)
	if err != nil {
		prob := problems.From(err)
		if prob == nil {
			return err
		}
		f.Quotas = append(f.Quotas, make([]quotaRow, blankQuotaRows)...)
		return u.showRounds(rq, prob.Status, f, newFormErrors(prob, rq.Lang, nil, roundFormPointers(f)...))
	}
	rq.flash("flash_round_created")
	return rq.redirect("/ui/rounds/" + url.PathEscape(r.ID))
}

// roundData is a round's page.
type roundData struct {
	Round             service.RoundView
	Dashboard         *service.DashboardView
	AwardNames, Units map[string]string
	Levels            []string
	OpensAt, ClosesAt string
	Errs              formErrors
}

// roundDetail shows a round, its dashboard (Interior, administrators) and
// the reschedule form (administrators).
func (u *UI) roundDetail(rq *request) error {
	return u.showRound(rq, http.StatusOK, nil)
}

// showRound renders a round's page; edit adds a refused form's errors.
func (u *UI) showRound(rq *request, status int, edit func(*roundData)) error {
	r, err := rq.round(rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	d := &roundData{Round: r, AwardNames: rq.awardNames(), OpensAt: inputTime(r.OpensAt), ClosesAt: inputTime(r.ClosesAt),
		Levels: reviewLevels, Units: rq.unitNames()}
	if rq.Me.Role == roleInterior || rq.Me.Role == roleAdmin {
		dash, err := rq.svc().RoundDashboard(rq.ctx(), rq.Caller, r.ID)
		if err != nil {
			return err
		}
		d.Dashboard = &dash
	}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "round", rq.page("round_title", d))
}

// rescheduleRound moves a round's submission window (administrators).
func (u *UI) rescheduleRound(rq *request) error {
	id := rq.r.PathValue("id")
	p := rq.r.PostForm
	in := service.RescheduleInput{OpensAt: localTime(p.Get("/opens_at")), ClosesAt: localTime(p.Get("/closes_at"))}
	if _, err := rq.svc().RescheduleRound(rq.ctx(), rq.Caller, id, in); err != nil {
		prob := problems.From(err)
		if prob == nil {
			return err
		}
		return u.showRound(rq, prob.Status, func(d *roundData) {
			d.OpensAt, d.ClosesAt = p.Get("/opens_at"), p.Get("/closes_at")
			d.Errs = newFormErrors(prob, rq.Lang, nil, "/opens_at", "/closes_at")
		})
	}
	rq.flash("flash_round_moved")
	return rq.redirect("/ui/rounds/" + url.PathEscape(id))
}
