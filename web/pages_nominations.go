package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/service"
)

// Nominating bodies' pages: the list of their nominations, the dossier
// form (create, edit, answer a return), submit and withdraw.

var statuses = []string{"draft", "in_review", "returned", "accepted", "rejected", "withdrawn"}

// listData is the nominations list.
type listData struct {
	Items             []Nomination
	Returned          []Nomination
	Total, Page, Last int
	Q, Status, Round  string
	Overdue           bool
	Statuses          []string
	Rounds            []Round
	Awards, Units     map[string]string
	RoundNames        map[string]string
	PrevURL, NextURL  string
	ExportXLSX        string // the list with its filters as a workbook
	ExportCSV         string
}

// nominationList lists the nominations the caller may see, with filters;
// a nominating body also sees those returned to it.
func (u *UI) nominationList(rq *request) error {
	in := rq.r.URL.Query()
	d := listData{Q: strings.TrimSpace(in.Get("q")), Status: in.Get("status"), Round: in.Get("round"),
		Overdue: in.Get("overdue") == "true", Statuses: statuses}
	d.Page, _ = strconv.Atoi(in.Get("page")) // not a number: the first page
	d.Page = max(d.Page, 1)
	q := url.Values{"per_page": {"20"}, "page": {strconv.Itoa(d.Page)}, "sort": {"-updated_at"}}
	for k, v := range map[string]string{"q": d.Q, "status": d.Status, "round": d.Round} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if d.Overdue {
		q.Set("overdue", "true")
	}
	lq := service.ListQuery{Search: textnorm.Fold(d.Q), Status: d.Status, RoundID: d.Round, Sort: "-updated_at",
		Page: d.Page, PerPage: 20}
	if d.Overdue {
		lq.Overdue = &d.Overdue
	}
	pg, err := rq.svc().Nominations(rq.ctx(), rq.Caller, lq)
	if err != nil {
		return err
	}
	d.Items, d.Total = pg.Items, int(pg.Total)
	q.Del("page")
	q.Del("per_page")
	d.ExportXLSX = "/ui/exports/nominations.xlsx?" + q.Encode()
	d.ExportCSV = "/ui/exports/nominations.csv?" + q.Encode()
	d.Last = max(1, (d.Total+19)/20)
	link := func(p int) string {
		l := url.Values{}
		for k, v := range in {
			l[k] = v
		}
		l.Set("page", strconv.Itoa(p))
		return "/ui/nominations?" + l.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = link(d.Page - 1)
	}
	if d.Page < d.Last {
		d.NextURL = link(d.Page + 1)
	}
	if rq.Me.Role == roleNominator {
		ret, err := rq.svc().Inbox(rq.ctx(), rq.Caller, service.ListQuery{Sort: "due_at", PerPage: 100})
		if err != nil {
			return err
		}
		d.Returned = ret.Items
	}
	if d.Rounds, err = rq.rounds(); err != nil {
		return err
	}
	d.RoundNames, d.Awards, d.Units = rq.roundNames(), rq.awardNames(), rq.unitNames()
	return rq.show(http.StatusOK, "nominations", rq.page("list_title", d))
}

// editData is the dossier form, new or existing.
type editData struct {
	New           bool
	N             Nomination
	Kind          string
	KindTitle     string
	Kinds         []Option
	Rounds        []Option
	Awards        []Option
	AwardName     string
	RoundName     string
	NomineeName   string
	ReturnComment string
	Dossier       *Form
	Errs          formErrors
	Action        string
	Idem          string
	AwardOpen     bool
}

// topFields are the nomination's own fields, outside the dossier.
var topFields = []string{"/round_id", "/nominee_kind", "/nominee_name", "/award"}

// formFor prepares the dossier form of kind filled with dossier.
func (rq *request) formFor(d *editData, dossier any) error {
	s, err := rq.dossierForm(&d.N, d.Kind)
	if err != nil {
		return err
	}
	d.Dossier = BuildForm(s, "/dossier", dossier, rq.Lang, 2)
	forms, err := rq.formList()
	if err != nil {
		return err
	}
	for _, f := range forms {
		if f.Kind == d.Kind {
			d.KindTitle = f.Title
			if rq.Lang == "en" {
				d.KindTitle = f.TitleEN
			}
		}
		d.Kinds = append(d.Kinds, Option{Value: f.Kind, Label: tr(rq.Lang, "kind_"+f.Kind), Selected: f.Kind == d.Kind})
	}
	names := rq.awardNames()
	awards, err := rq.awards()
	if err != nil {
		return err
	}
	selected := d.N.Award
	d.Awards = []Option{{Value: "", Label: "—", Selected: selected == ""}}
	for _, a := range awards {
		d.Awards = append(d.Awards, Option{Value: string(a.Code), Label: a.Name, Selected: string(a.Code) == selected})
	}
	d.AwardName = names[d.N.Award]
	d.AwardOpen = d.New || awardOpen(d.N)
	rounds, err := rq.rounds()
	if err != nil {
		return err
	}
	now := rq.svc().Now()
	d.Rounds = []Option{{Value: "", Label: "—", Selected: d.N.RoundID == ""}}
	for _, r := range rounds {
		if r.ID == d.N.RoundID {
			d.RoundName = r.Name
		}
		// Rounds that take submissions now or later (the API checks the
		// window at submission).
		if r.State == "open" || r.ClosesAt.After(now) || r.ID == d.N.RoundID {
			d.Rounds = append(d.Rounds, Option{Value: r.ID, Label: r.Name, Selected: r.ID == d.N.RoundID})
		}
	}
	d.Idem = randomHex(16)
	return nil
}

// newNomination shows the empty dossier form of the chosen nominee kind.
func (u *UI) newNomination(rq *request) error {
	kind := rq.r.URL.Query().Get("kind")
	if kind == "" {
		kind = "individual"
	}
	d := &editData{New: true, Kind: kind, Action: "/ui/nominations"}
	if err := rq.formFor(d, nil); err != nil {
		return err
	}
	return rq.show(http.StatusOK, "edit", rq.page("new_title", d))
}

// posted reads the nomination's fields and dossier from the posted form
// of n (nil: a new nomination of kind).
func (rq *request) posted(n *Nomination, kind string) (in service.NominationInput, dossier any, err error) {
	s, err := rq.dossierForm(n, kind)
	if err != nil {
		return in, nil, err
	}
	f := rq.r.PostForm
	dossier = Collect(s, "/dossier", f)
	if dossier == nil {
		dossier = map[string]any{}
	}
	name := strings.TrimSpace(f.Get("/nominee_name"))
	if name == "" {
		// The name as the achievement report gives it.
		if nominee, ok := dossier.(map[string]any)["nominee"].(map[string]any); ok && s.NameField != "" {
			name, _ = nominee[s.NameField].(string)
		}
	}
	name = strings.TrimSpace(name)
	raw, err := json.Marshal(dossier)
	if err != nil {
		return in, nil, fmt.Errorf("posted dossier: %w", err)
	}
	return service.NominationInput{NomineeName: &name, Dossier: raw}, dossier, nil
}

// createNomination creates a draft and, if asked, submits it.
func (u *UI) createNomination(rq *request) error {
	f := rq.r.PostForm
	kind := f.Get("/nominee_kind")
	in, dossier, err := rq.posted(nil, kind)
	if err != nil {
		return err
	}
	round, award := f.Get("/round_id"), f.Get("/award")
	in.RoundID, in.NomineeKind, in.Award = &round, &kind, &award
	n, err := rq.svc().CreateNomination(rq.ctx(), rq.Caller, in, "ui-create-"+rq.idem())
	if p := problems.From(err); p != nil {
		d := &editData{New: true, Kind: kind, Action: "/ui/nominations",
			N: Nomination{RoundID: f.Get("/round_id"), Award: f.Get("/award")}, NomineeName: f.Get("/nominee_name")}
		if err := rq.formFor(d, dossier); err != nil {
			return err
		}
		d.Errs = newFormErrors(p, rq.Lang, d.Dossier, topFields...)
		return rq.show(p.Status, "edit", rq.page("new_title", d))
	}
	if err != nil {
		return err
	}
	if f.Get("op") == "submit" {
		return rq.submitOrShow(n, dossier)
	}
	rq.flash("flash_created")
	return rq.redirect("/ui/nominations/" + url.PathEscape(n.ID))
}

// submitOrShow submits n; a refusal shows the dossier form with the API's
// errors beside the fields.
func (rq *request) submitOrShow(n Nomination, dossier any) error {
	key := ""
	if idem := rq.r.PostForm.Get("idem"); idem != "" {
		key = "ui-submit-" + rq.idem()
	}
	_, err := rq.svc().Submit(rq.ctx(), rq.Caller, n.ID, service.SubmitInput{}, key)
	if err == nil {
		rq.flash("flash_submitted")
		return rq.redirect("/ui/nominations/" + url.PathEscape(n.ID))
	}
	p := problems.From(err)
	if p == nil {
		return err
	}
	d := &editData{N: n, Kind: n.NomineeKind, Action: "/ui/nominations/" + url.PathEscape(n.ID) + "/edit",
		NomineeName: n.NomineeName, ReturnComment: returnComment(n)}
	if err := rq.formFor(d, dossier); err != nil {
		return err
	}
	d.Errs = newFormErrors(p, rq.Lang, d.Dossier, topFields...)
	return rq.show(p.Status, "edit", rq.page("edit_title", d))
}

// returnComment is the reviewer's reasons for the latest return.
func returnComment(n Nomination) string {
	for i := len(n.History) - 1; i >= 0; i-- {
		if n.History[i].Action == "return" {
			return n.History[i].Comment
		}
	}
	return ""
}

// loadNomination reads one nomination with its history.
func (rq *request) loadNomination(id string) (Nomination, error) {
	return rq.svc().Nomination(rq.ctx(), rq.Caller, id)
}

// awardOpen reports whether the award may still change: a draft for
// which no route was planned yet (no submission was attempted).
func awardOpen(n Nomination) bool { return n.Status == "draft" && n.Route == nil }

// editable reports whether the body may still change the dossier.
func editable(n Nomination) bool { return n.Status == "draft" || n.Status == "returned" }

// editNomination shows the dossier form of a draft or returned nomination.
func (u *UI) editNomination(rq *request) error {
	n, err := rq.loadNomination(rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	if !editable(n) || rq.Me.Role != roleNominator {
		return rq.redirect("/ui/nominations/" + url.PathEscape(n.ID))
	}
	d := &editData{N: n, Kind: n.NomineeKind, Action: "/ui/nominations/" + url.PathEscape(n.ID) + "/edit",
		NomineeName: n.NomineeName, ReturnComment: returnComment(n)}
	if err := rq.formFor(d, decodeValue(n.Dossier)); err != nil {
		return err
	}
	return rq.show(http.StatusOK, "edit", rq.page("edit_title", d))
}

// saveNomination saves the edited dossier and, if asked, (re)submits it.
func (u *UI) saveNomination(rq *request) error {
	n, err := rq.loadNomination(rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	in, dossier, err := rq.posted(&n, n.NomineeKind)
	if err != nil {
		return err
	}
	if awardOpen(n) {
		award := rq.r.PostForm.Get("/award")
		in.Award = &award
	}
	saved, err := rq.svc().PatchNomination(rq.ctx(), rq.Caller, n.ID, in)
	if p := problems.From(err); p != nil {
		d := &editData{N: n, Kind: n.NomineeKind, Action: "/ui/nominations/" + url.PathEscape(n.ID) + "/edit",
			NomineeName: rq.r.PostForm.Get("/nominee_name"), ReturnComment: returnComment(n)}
		if in.Award != nil {
			d.N.Award = *in.Award
		}
		if err := rq.formFor(d, dossier); err != nil {
			return err
		}
		d.Errs = newFormErrors(p, rq.Lang, d.Dossier, topFields...)
		return rq.show(p.Status, "edit", rq.page("edit_title", d))
	}
	if err != nil {
		return err
	}
	if rq.r.PostForm.Get("op") == "submit" {
		saved.History = n.History // the reasons of a return, if the submission is refused
		return rq.submitOrShow(saved, dossier)
	}
	rq.flash("flash_saved")
	return rq.redirect("/ui/nominations/" + url.PathEscape(n.ID))
}

// submitNomination submits a draft from its page.
func (u *UI) submitNomination(rq *request) error {
	n, err := rq.loadNomination(rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return rq.submitOrShow(n, decodeValue(n.Dossier))
}

// withdrawNomination withdraws a nomination with a reason.
func (u *UI) withdrawNomination(rq *request) error {
	id := rq.r.PathValue("id")
	in := service.WithdrawInput{Reason: strings.TrimSpace(rq.r.PostForm.Get("reason"))}
	_, err := rq.svc().Withdraw(rq.ctx(), rq.Caller, id, in, "ui-withdraw-"+rq.idem())
	if p := problems.From(err); p != nil {
		return u.showDetail(rq, id, p.Status, func(d *detailData) {
			d.Withdraw = newFormErrors(p, rq.Lang, nil, "/reason")
		})
	}
	if err != nil {
		return err
	}
	rq.flash("flash_withdrawn")
	return rq.redirect("/ui/nominations/" + url.PathEscape(id))
}

// idem is the form's idempotency key (fresh when the form had none).
func (rq *request) idem() string {
	k := rq.r.PostForm.Get("idem")
	if k == "" || len(k) > 64 || strings.ContainsFunc(k, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		return randomHex(16)
	}
	return k
}

// draftPDF sends the nomination's draft certificate.
func (u *UI) draftPDF(rq *request) error {
	d, err := rq.svc().CertificateDraft(rq.ctx(), rq.Caller, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return rq.sendDocument(d)
}
