package web

import (
	"net/http"
	"net/url"
	"strings"
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
	q := url.Values{"per_page": {"100"}, "sort": {d.Sort}}
	path := "/api/v1/inbox?"
	if d.Filtered {
		path = "/api/v1/nominations?"
		switch rq.Me.Role {
		case roleNominator:
			q.Set("status", "returned")
		default:
			q.Set("status", "in_review")
			q.Set("level", rq.Me.Level)
		}
		for k, v := range map[string]string{"q": d.Q, "round": d.Round, "award": d.Award} {
			if v != "" {
				q.Set(k, v)
			}
		}
		if d.Overdue {
			q.Set("overdue", "true")
		}
	}
	var pg NominationPage
	if err := rq.get(path+q.Encode(), &pg); err != nil {
		return err
	}
	d.Items, d.Total = pg.Items, pg.Total
	d.CanBulk = rq.Me.Role == roleReviewer || rq.Me.Role == roleInterior
	d.Rounds, _ = rq.rounds()
	d.Awards, _ = rq.awards()
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
	body := map[string]any{"action": "approve"}
	if c := strings.TrimSpace(f.Get("comment")); c != "" {
		body["comment"] = c
	}
	var results []bulkResult
	for _, id := range ids {
		res := rq.call(http.MethodPost, "/api/v1/nominations/"+seg(id)+"/decisions", body,
			"Idempotency-Key", "ui-bulk-"+idem+"-"+id)
		r := bulkResult{ID: id, OK: res.ok()}
		var n Nomination
		if r.OK {
			_ = res.decode(&n)
			r.Status, r.Level = n.Status, n.CurrentLevel
		} else {
			r.Message = res.problem().Text(rq.Lang)
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
