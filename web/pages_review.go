package web

import (
	"net/http"
	"strings"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/service"
)

// Reviewers' pages: the inbox with filters and overdue flags, and bulk
// approval (one decision call per nomination, results listed).

// inboxData is the inbox page.
type inboxData struct {
	Items                         []Nomination
	Total                         int
	Sort, Q, Round, Award         string
	Overdue, Filtered, CanBulk    bool
	Sorts                         []Option
	Rounds                        []Round
	Awards                        []Award
	AwardNames, Units, RoundNames map[string]string
	Idem                          string
	Error                         string
}

var inboxSorts = []string{"due_at", "-submitted_at", "nominee_name", "-updated_at"}

// inbox lists what waits for the caller: GET /api/v1/inbox, or, with
// filters, the nominations in review at the caller's level.
func (u *UI) inbox(rq *request) error {
	return u.showInbox(rq, http.StatusOK, "")
}

// showInbox renders the inbox with status and, if any, an error message.
func (u *UI) showInbox(rq *request, status int, msg string) error {
	in := rq.r.URL.Query()
	d := inboxData{Sort: in.Get("sort"), Q: strings.TrimSpace(in.Get("q")), Round: in.Get("round"), Award: in.Get("award"),
		Overdue: in.Get("overdue") == "true", Error: msg, Idem: randomHex(16)}
	if !contains(inboxSorts, d.Sort) {
		d.Sort = "due_at"
	}
	for _, s := range inboxSorts {
		d.Sorts = append(d.Sorts, Option{Value: s, Label: rq.t("sort_" + strings.TrimPrefix(s, "-")), Selected: s == d.Sort})
	}
	d.Filtered = d.Q != "" || d.Round != "" || d.Award != "" || d.Overdue
	q := service.ListQuery{Sort: d.Sort, PerPage: 100}
	list := rq.svc().Inbox
	if d.Filtered {
		list = rq.svc().Nominations
		switch rq.Me.Role {
		case roleNominator:
			q.Status = access.StatusReturned
		default:
			q.Status, q.Level = access.StatusInReview, rq.Me.Level
		}
		q.Search, q.RoundID, q.Award = textnorm.Fold(d.Q), d.Round, d.Award
		if d.Overdue {
			q.Overdue = &d.Overdue
		}
	}
	pg, err := list(rq.ctx(), rq.Caller, q)
	if err != nil {
		return err
	}
	d.Items, d.Total = pg.Items, int(pg.Total)
	d.CanBulk = rq.Me.Role == roleReviewer || rq.Me.Role == roleInterior
	if d.Rounds, err = rq.rounds(); err != nil {
		return err
	}
	if d.Awards, err = rq.awards(); err != nil {
		return err
	}
	d.AwardNames, d.Units, d.RoundNames = rq.awardNames(), rq.unitNames(), rq.roundNames()
	return rq.show(status, "inbox", rq.page("inbox_title", d))
}

// contains reports whether s is in list.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// bulkResult is the outcome of one decision of a bulk approval.
type bulkResult struct {
	ID, Name string
	OK       bool
	Status   string
	Level    string
	Message  string
}

// bulkApprove approves each selected nomination with one decision call
// apiece (an Idempotency-Key per form and nomination, so that posting the
// form twice decides once) and lists the results.
func (u *UI) bulkApprove(rq *request) error {
	f := rq.r.PostForm
	ids := f["id"]
	if len(ids) == 0 {
		return u.showInbox(rq, http.StatusUnprocessableEntity, rq.t("bulk_none"))
	}
	if len(ids) > 100 {
		ids = ids[:100]
	}
	idem := rq.idem()
	in := service.DecisionInput{Action: "approve", Comment: strings.TrimSpace(f.Get("comment"))}
	var results []bulkResult
	for _, id := range ids {
		n, err := rq.svc().Decide(rq.ctx(), rq.Caller, id, in, "ui-bulk-"+idem+"-"+id)
		r := bulkResult{ID: id, OK: err == nil}
		if r.OK {
			r.Status, r.Level = n.Status, n.CurrentLevel
		} else {
			p := problems.From(err)
			if p == nil {
				return err
			}
			r.Message = p.Text(rq.Lang)
			if got, err := rq.loadNomination(id); err == nil {
				n = got
			}
		}
		r.Name = n.NomineeName
		if r.Name == "" {
			r.Name = id
		}
		results = append(results, r)
	}
	return rq.show(http.StatusOK, "bulk", rq.page("bulk_title", results))
}
