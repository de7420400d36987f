package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/service"
)

// A nomination's page: summary, route, eligibility, the dossier read-only,
// its versions and their changes, the history, and the actions the caller
// may take (edit, submit, withdraw; decide; extend the deadline).

// detailData is the nomination page.
type detailData struct {
	N             Nomination
	Dossier       *Form
	Steps         []stepRow
	Versions      []versionRow
	RoundName     string
	AwardName     string
	UnitName      string
	Units         map[string]string
	ReturnComment string
	DecisionID    string
	Idem          string
	Attachments   []Attachment
	Eligibility   []forms.Result
	// RegisterFlag: a claimed learning title the register lacks; the
	// reviewer approves only with a comment.
	RegisterFlag bool
	// Indicators are the unit's learning indicators beside a
	// collective's dossier in a sơ kết or tổng kết round.
	Indicators []indicatorRow

	// IssuedBy is the central body that issues the award asked for, ""
	// when tdkt renders its certificate: a central award's page offers no
	// draft (service.CertificateDraft refuses it).
	IssuedBy string

	CanEdit, CanSubmit, CanWithdraw, CanDecide, CanExtend, CanUpload, LastStep bool

	// A Prime Minister's Bằng khen nominee's public posting and the
	// objections to it (Interior, administrators).
	ShowPosting, CanPost, CanResolve bool
	Objections                       Objections
	ResolveID, ResolveText           string
	Resolve                          formErrors

	Comment  string
	Decide   formErrors
	Withdraw formErrors
	Deadline formErrors
	Upload   formErrors
}

// stepRow is one level of the route, with how far the nomination got.
type stepRow struct {
	Level, UnitName string
	State           string // done, current, returned, rejected, pending
}

// versionRow is a submitted version with its changes named by label.
type versionRow struct {
	Version
	Rows []changeRow
}

// changeRow is one changed value.
type changeRow struct {
	Label         string
	Before, After any
}

// nominationDetail shows one nomination.
func (u *UI) nominationDetail(rq *request) error {
	return u.showDetail(rq, rq.r.PathValue("id"), http.StatusOK, nil)
}

// showDetail renders a nomination's page with status; edit adds the
// errors of a refused action.
func (u *UI) showDetail(rq *request, id string, status int, edit func(*detailData)) error {
	n, err := rq.loadNomination(id)
	if err != nil {
		return err
	}
	d := &detailData{N: n, ReturnComment: returnComment(n), Idem: randomHex(16), Units: rq.unitNames()}
	d.AwardName = rq.awardNames()[n.Award]
	if a, err := routing.LookupAward(routing.Award(n.Award)); err == nil {
		d.IssuedBy = a.IssuedBy
	}
	d.RoundName = rq.roundNames()[n.RoundID]
	d.UnitName = d.Units[n.UnitID]
	s, err := rq.dossierForm(&n, n.NomineeKind)
	if err == nil {
		d.Dossier = BuildForm(s, "/dossier", decodeValue(n.Dossier), rq.Lang, 0)
	}
	if n.Route != nil {
		for i, st := range n.Route.Steps {
			row := stepRow{Level: string(st.Level), UnitName: st.UnitName, State: "pending"}
			switch {
			case n.Status == "accepted" || i < n.CurrentStep && n.Status != "draft":
				row.State = "done"
			case i == n.CurrentStep && n.Status == "in_review":
				row.State = "current"
			case i == n.CurrentStep && (n.Status == "returned" || n.Status == "rejected"):
				row.State = n.Status
			}
			d.Steps = append(d.Steps, row)
			d.Units[st.UnitID] = st.UnitName
		}
		d.LastStep = n.CurrentStep == len(n.Route.Steps)-1
	}
	d.Indicators = indicatorRows(n.LearningIndicators)
	if len(n.Eligibility) > 0 {
		if err := json.Unmarshal(n.Eligibility, &d.Eligibility); err != nil {
			return fmt.Errorf("eligibility of %s: %w", n.ID, err)
		}
		for _, r := range d.Eligibility {
			d.RegisterFlag = d.RegisterFlag || r.RuleID == service.RuleLearningRegister && r.Status == forms.StatusWarning
		}
	}
	if n.Status != "draft" {
		vs, err := rq.svc().Versions(rq.ctx(), rq.Caller, n.ID)
		if err != nil {
			return err
		}
		for _, v := range vs {
			row := versionRow{Version: v}
			for _, c := range v.Changes {
				label := labelPath(s, c.Pointer, rq.Lang)
				if c.Pointer == "/nominee_name" {
					label = rq.t("nominee_name")
				}
				row.Rows = append(row.Rows, changeRow{Label: label, Before: c.Before, After: c.After})
			}
			d.Versions = append(d.Versions, row)
		}
	}
	if d.Attachments, err = rq.svc().Attachments(rq.ctx(), rq.Caller, n.ID); err != nil {
		return err
	}
	me := rq.Me
	// A button for each action the service would accept (package access,
	// whose rule the workflow's validators apply too).
	can := func(a access.Action) bool { return slices.Contains(n.Allowed, a) }
	d.CanUpload, d.CanEdit = can(access.Upload), can(access.Edit)
	d.CanSubmit, d.CanWithdraw = can(access.Submit), can(access.Withdraw)
	d.CanDecide, d.CanExtend = can(access.Decide), can(access.Extend)
	if (me.Role == roleInterior || me.Role == roleAdmin) && n.Certificate != nil {
		d.DecisionID = n.Certificate.DecisionID // the decision's page is theirs
	}
	// Objectors' names are Interior's alone (the public form says so).
	if me.Role == roleInterior && n.Status == "accepted" && n.Award == awardPrimeMinister {
		if d.Objections, err = rq.svc().Objections(rq.ctx(), rq.Caller, n.ID); err != nil {
			return err
		}
		d.ShowPosting = true
		d.CanPost = d.Objections.Posting == nil
		d.CanResolve = true
	}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "nomination", rq.page("detail_title", d))
}

// decide records the reviewer's approve, return or reject.
func (u *UI) decide(rq *request) error {
	id := rq.r.PathValue("id")
	f := rq.r.PostForm
	in := service.DecisionInput{Action: f.Get("action"), Comment: strings.TrimSpace(f.Get("comment"))}
	_, err := rq.svc().Decide(rq.ctx(), rq.Caller, id, in, "ui-decide-"+rq.idem())
	if p := problems.From(err); p != nil {
		return u.showDetail(rq, id, p.Status, func(d *detailData) {
			d.Comment = f.Get("comment")
			d.Decide = newFormErrors(p, rq.Lang, nil, "/comment", "/action")
		})
	}
	if err != nil {
		return err
	}
	rq.flash("flash_decided_" + f.Get("action"))
	return rq.redirect("/ui/nominations/" + url.PathEscape(id))
}

// extendDeadline lets an administrator extend the current step's term.
func (u *UI) extendDeadline(rq *request) error {
	id := rq.r.PathValue("id")
	f := rq.r.PostForm
	days, err := strconv.Atoi(strings.TrimSpace(f.Get("working_days")))
	if err != nil {
		days = 0 // refused by the service as out of range, beside the field
	}
	in := service.ExtendInput{WorkingDays: days, Reason: strings.TrimSpace(f.Get("reason"))}
	_, err = rq.svc().Extend(rq.ctx(), rq.Caller, id, in, "ui-deadline-"+rq.idem())
	if p := problems.From(err); p != nil {
		return u.showDetail(rq, id, p.Status, func(d *detailData) {
			d.Deadline = newFormErrors(p, rq.Lang, nil, "/working_days", "/reason")
		})
	}
	if err != nil {
		return err
	}
	rq.flash("flash_deadline")
	return rq.redirect("/ui/nominations/" + url.PathEscape(id))
}

// awardPrimeMinister is the award whose nominees are posted publicly.
const awardPrimeMinister = string(routing.BangKhenThuTuong)

// startPosting publishes a Prime Minister's Bằng khen nominee, then goes
// back to the page it came from (the consolidated list, the nomination).
func (u *UI) startPosting(rq *request) error {
	id := rq.r.PathValue("id")
	if _, err := rq.svc().StartPosting(rq.ctx(), rq.Caller, id); err != nil {
		return err
	}
	rq.flash("flash_posted")
	return rq.redirect(safeNext(rq.r.PostForm.Get("back")))
}
