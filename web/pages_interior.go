package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Interior's pages: a round's consolidated province-level list, the
// council's votes, the decision, its certificates and their revocation.

// councilForm holds the council form as typed.
type councilForm struct {
	HeldOn, Total, Present, Threshold string
	For, Against                      map[string]string // by nomination ID
}

// decisionForm holds the decision form as typed.
type decisionForm struct {
	Number, SignedOn, SignerTitle, SignerName string
	Selected                                  map[string]bool
}

// consolidatedData is the consolidation page.
type consolidatedData struct {
	Round        Round
	Items        []Consolidated
	Voteable     []Consolidated // no decision yet
	Council      councilForm
	CouncilErrs  formErrors
	Decision     decisionForm
	DecisionErrs formErrors
	RowErrs      map[string][]string // by nomination ID
	Back         string
}

// consolidated shows a round's consolidated list with the council and
// decision forms.
func (u *UI) consolidated(rq *request) error {
	return u.showConsolidated(rq, http.StatusOK, nil)
}

// showConsolidated renders the consolidation page; edit adds a refused
// form's values and errors.
func (u *UI) showConsolidated(rq *request, status int, edit func(*consolidatedData)) error {
	r, err := rq.round(rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	var items list[Consolidated]
	if err := rq.get("/api/v1/rounds/"+seg(r.ID)+"/consolidated", &items); err != nil {
		return err
	}
	d := &consolidatedData{Round: r, Items: items.Items, RowErrs: map[string][]string{},
		Council:  councilForm{HeldOn: time.Now().In(zone).Format(time.DateOnly), For: map[string]string{}, Against: map[string]string{}},
		Decision: decisionForm{SignedOn: time.Now().In(zone).Format(time.DateOnly), Selected: map[string]bool{}},
		Back:     "/ui/rounds/" + url.PathEscape(r.ID) + "/consolidated"}
	for _, it := range items.Items {
		if it.DecisionID == "" {
			d.Voteable = append(d.Voteable, it)
		}
	}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "consolidated", rq.page("consolidated_title", d))
}

// recordCouncil records the council's session and its votes. Rows left
// blank are not sent; the API's errors are put back on their rows.
func (u *UI) recordCouncil(rq *request) error {
	p := rq.r.PostForm
	f := councilForm{HeldOn: p.Get("/held_on"), Total: p.Get("/members_total"), Present: p.Get("/members_present"),
		Threshold: p.Get("/threshold_percent"), For: map[string]string{}, Against: map[string]string{}}
	var votes []map[string]any
	var rowIDs []string // nomination ID of each vote sent
	for i := 0; i < 2000; i++ {
		id := p.Get(fmt.Sprintf("/votes/%d/nomination_id", i))
		if id == "" {
			break
		}
		vf, va := strings.TrimSpace(p.Get(fmt.Sprintf("/votes/%d/for", i))), strings.TrimSpace(p.Get(fmt.Sprintf("/votes/%d/against", i)))
		f.For[id], f.Against[id] = vf, va
		if vf == "" && va == "" {
			continue
		}
		votes = append(votes, map[string]any{"nomination_id": id, "for": atoi(vf), "against": atoi(va)})
		rowIDs = append(rowIDs, id)
	}
	body := map[string]any{"held_on": f.HeldOn, "members_total": atoi(f.Total), "members_present": atoi(f.Present),
		"votes": votes}
	if votes == nil {
		body["votes"] = []any{}
	}
	if strings.TrimSpace(f.Threshold) != "" {
		body["threshold_percent"] = atoi(f.Threshold)
	}
	res := rq.call(http.MethodPost, "/api/v1/rounds/"+seg(rq.r.PathValue("id"))+"/council", body)
	if !res.ok() {
		prob := res.problem()
		rows := rowErrors(prob, "/votes/", rowIDs, rq.Lang)
		return u.showConsolidated(rq, res.Status, func(d *consolidatedData) {
			d.Council, d.RowErrs = f, rows
			d.CouncilErrs = newFormErrors(prob, rq.Lang, nil, "/held_on", "/members_total", "/members_present", "/threshold_percent", "/votes")
		})
	}
	rq.flash("flash_council")
	return rq.redirect("/ui/rounds/" + url.PathEscape(rq.r.PathValue("id")) + "/consolidated")
}

// rowErrors takes the errors under prefix+"k" out of p and files them
// under the ID of row k.
func rowErrors(p *Problem, prefix string, ids []string, lang string) map[string][]string {
	out := map[string][]string{}
	var rest []FieldError
	for _, e := range p.Errors {
		tail, ok := strings.CutPrefix(e.Pointer, prefix)
		if ok {
			k, err := strconv.Atoi(strings.SplitN(tail, "/", 2)[0])
			if err == nil && k >= 0 && k < len(ids) {
				out[ids[k]] = append(out[ids[k]], e.In(lang))
				continue
			}
		}
		rest = append(rest, e)
	}
	p.Errors = rest
	return out
}

// issueDecision issues the decision over the selected nominees.
func (u *UI) issueDecision(rq *request) error {
	p := rq.r.PostForm
	roundID := rq.r.PathValue("id")
	f := decisionForm{Number: strings.TrimSpace(p.Get("/number")), SignedOn: p.Get("/signed_on"),
		SignerTitle: strings.TrimSpace(p.Get("/signer_title")), SignerName: strings.TrimSpace(p.Get("/signer_name")),
		Selected: map[string]bool{}}
	ids := p["/nomination_ids"]
	for _, id := range ids {
		f.Selected[id] = true
	}
	r, err := rq.round(roundID)
	if err != nil {
		return err
	}
	body := map[string]any{"round_id": r.ID, "number": f.Number, "signed_on": f.SignedOn, "signer_title": f.SignerTitle,
		"signer_name": f.SignerName, "nomination_ids": append([]string{}, ids...)}
	res := rq.call(http.MethodPost, "/api/v1/decisions", body, "Idempotency-Key", "ui-decision-"+rq.idem())
	if !res.ok() {
		prob := res.problem()
		rows := rowErrors(prob, "/nomination_ids/", ids, rq.Lang)
		return u.showConsolidated(rq, res.Status, func(d *consolidatedData) {
			d.Decision, d.RowErrs = f, rows
			d.DecisionErrs = newFormErrors(prob, rq.Lang, nil, "/number", "/signed_on", "/signer_title", "/signer_name", "/nomination_ids", "/round_id")
		})
	}
	var dec Decision
	if err := res.into(&dec); err != nil {
		return err
	}
	rq.flash("flash_decision")
	return rq.redirect("/ui/decisions/" + url.PathEscape(dec.ID))
}

// decisionData is a decision's page.
type decisionData struct {
	D         Decision
	RoundName string
	Names     map[string]string // nomination ID → nominee
	RevokeID  string
	Revoke    formErrors
}

// decisionPage shows a decision, its certificates and the revoke forms.
func (u *UI) decisionPage(rq *request) error {
	return u.showDecision(rq, rq.r.PathValue("id"), http.StatusOK, nil)
}

// showDecision renders a decision's page; edit adds a refused revocation.
func (u *UI) showDecision(rq *request, id string, status int, edit func(*decisionData)) error {
	var dec Decision
	if err := rq.get("/api/v1/decisions/"+seg(id), &dec); err != nil {
		return err
	}
	d := &decisionData{D: dec, RoundName: rq.roundNames()[dec.RoundID], Names: map[string]string{}}
	var items list[Consolidated]
	if rq.get("/api/v1/rounds/"+seg(dec.RoundID)+"/consolidated", &items) == nil {
		for _, it := range items.Items {
			d.Names[it.ID] = it.NomineeName
		}
	}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "decision", rq.page("decision_title", d))
}

// decisionPDF proxies every certificate of a decision in one PDF.
func (u *UI) decisionPDF(rq *request) error {
	return rq.proxy("/api/v1/decisions/"+seg(rq.r.PathValue("id"))+"/certificates.pdf", typePDF)
}

// certificatePDF proxies an issued certificate ({id}.pdf).
func (u *UI) certificatePDF(rq *request) error {
	id, ok := strings.CutSuffix(rq.r.PathValue("file"), ".pdf")
	if !ok || id == "" {
		u.notFound(rq.w, rq.r)
		return nil
	}
	return rq.proxy("/api/v1/certificates/"+seg(id)+".pdf", typePDF)
}

// revokeCertificate revokes a certificate with a reason, then shows its
// decision again.
func (u *UI) revokeCertificate(rq *request) error {
	id := rq.r.PathValue("id")
	decision := rq.r.PostForm.Get("decision")
	res := rq.call(http.MethodPost, "/api/v1/certificates/"+seg(id)+"/revoke",
		map[string]any{"reason": strings.TrimSpace(rq.r.PostForm.Get("reason"))})
	if !res.ok() {
		if decision == "" {
			return &apiError{res}
		}
		return u.showDecision(rq, decision, res.Status, func(d *decisionData) {
			d.RevokeID, d.Revoke = id, newFormErrors(res.problem(), rq.Lang, nil, "/reason")
		})
	}
	rq.flash("flash_revoked")
	if decision == "" {
		return rq.redirect("/ui/")
	}
	return rq.redirect("/ui/decisions/" + url.PathEscape(decision))
}
