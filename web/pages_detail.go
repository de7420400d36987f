package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tdkt/tdkt/routing"
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
	d.RoundName = rq.roundNames()[n.RoundID]
	d.UnitName = d.Units[n.UnitID]
	s, err := rq.schema(n.NomineeKind)
	if err == nil {
		d.Dossier = BuildForm(s, "/dossier", decodeValue(n.Dossier), rq.Lang, 0)
	}
	if n.Route != nil {
		for i, st := range n.Route.Steps {
			row := stepRow{Level: st.Level, UnitName: st.UnitName, State: "pending"}
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
	if n.Status != "draft" {
		var vs list[Version]
		if err := rq.get("/api/v1/nominations/"+seg(n.ID)+"/versions", &vs); err != nil {
			return err
		}
		for _, v := range vs.Items {
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
	var files list[Attachment]
	if err := rq.get("/api/v1/nominations/"+seg(n.ID)+"/attachments", &files); err != nil {
		return err
	}
	d.Attachments = files.Items
	me := rq.Me
	d.CanUpload = me.Role == roleNominator && editable(n)
	d.CanEdit = me.Role == roleNominator && editable(n)
	d.CanSubmit = me.Role == roleNominator && n.Status == "draft"
	d.CanWithdraw = me.Role == roleNominator && (editable(n) || n.Status == "in_review")
	d.CanDecide = (me.Role == roleReviewer || me.Role == roleInterior) && n.Status == "in_review" &&
		n.CurrentUnitID == me.Unit.ID && n.CurrentLevel == me.Level
	d.CanExtend = me.Role == roleAdmin && n.Status == "in_review"
	if (me.Role == roleInterior || me.Role == roleAdmin) && n.Certificate != nil {
		d.DecisionID = n.Certificate.DecisionID // the decision's page is theirs
	}
	// Objectors' names are Interior's alone (the public form says so).
	if me.Role == roleInterior && n.Status == "accepted" && n.Award == awardPrimeMinister {
		if err := rq.get("/api/v1/nominations/"+seg(n.ID)+"/objections", &d.Objections); err != nil {
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
	body := map[string]any{"action": f.Get("action")}
	comment := strings.TrimSpace(f.Get("comment"))
	if comment != "" {
		body["comment"] = comment
	}
	res := rq.call(http.MethodPost, "/api/v1/nominations/"+seg(id)+"/decisions", body,
		"Idempotency-Key", "ui-decide-"+rq.idem())
	if !res.ok() {
		return u.showDetail(rq, id, res.Status, func(d *detailData) {
			d.Comment = f.Get("comment")
			d.Decide = newFormErrors(res.problem(), rq.Lang, nil, "/comment", "/action")
		})
	}
	rq.flash("flash_decided_" + f.Get("action"))
	return rq.redirect("/ui/nominations/" + url.PathEscape(id))
}

// extendDeadline lets an administrator extend the current step's term.
func (u *UI) extendDeadline(rq *request) error {
	id := rq.r.PathValue("id")
	f := rq.r.PostForm
	days, err := strconv.Atoi(strings.TrimSpace(f.Get("working_days")))
	body := map[string]any{"reason": strings.TrimSpace(f.Get("reason")), "working_days": days}
	if err != nil {
		body["working_days"] = 0
	}
	res := rq.call(http.MethodPost, "/api/v1/nominations/"+seg(id)+"/deadline", body,
		"Idempotency-Key", "ui-deadline-"+rq.idem())
	if !res.ok() {
		return u.showDetail(rq, id, res.Status, func(d *detailData) {
			d.Deadline = newFormErrors(res.problem(), rq.Lang, nil, "/working_days", "/reason")
		})
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
	res := rq.call(http.MethodPost, "/api/v1/nominations/"+seg(id)+"/posting", nil)
	if !res.ok() {
		return &apiError{res}
	}
	rq.flash("flash_posted")
	return rq.redirect(safeNext(rq.r.PostForm.Get("back")))
}
