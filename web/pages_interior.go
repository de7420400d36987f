package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/service"
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
	Items        []service.ConsolidatedItem
	Voteable     []service.ConsolidatedItem // no decision yet
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
	items, err := rq.svc().Consolidated(rq.ctx(), rq.Caller, r.ID)
	if err != nil {
		return err
	}
	today := rq.svc().DateToday()
	d := &consolidatedData{Round: r, Items: items, RowErrs: map[string][]string{},
		Council:  councilForm{HeldOn: today, For: map[string]string{}, Against: map[string]string{}},
		Decision: decisionForm{SignedOn: today, Selected: map[string]bool{}},
		Back:     "/ui/rounds/" + url.PathEscape(r.ID) + "/consolidated"}
	for _, it := range items {
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
// blank are not sent; the service's errors are put back on their rows.
func (u *UI) recordCouncil(rq *request) error {
	p := rq.r.PostForm
	f := councilForm{HeldOn: p.Get("/held_on"), Total: p.Get("/members_total"), Present: p.Get("/members_present"),
		Threshold: p.Get("/threshold_percent"), For: map[string]string{}, Against: map[string]string{}}
	in := service.CouncilInput{HeldOn: f.HeldOn, MembersTotal: atoi(f.Total), MembersPresent: atoi(f.Present),
		Votes: []service.VoteInput{}}
	if strings.TrimSpace(f.Threshold) != "" {
		t := atoi(f.Threshold)
		in.ThresholdPercent = &t
	}
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
		in.Votes = append(in.Votes, service.VoteInput{NominationID: id, For: atoi(vf), Against: atoi(va)})
		rowIDs = append(rowIDs, id)
	}
	roundID := rq.r.PathValue("id")
	_, err := rq.svc().RecordCouncil(rq.ctx(), rq.Caller, roundID, func(v *service.CouncilInput) error { *v = in; return nil })
	if err != nil {
		prob := problems.From(err)
		if prob == nil || prob.Status == http.StatusNotFound {
			return err
		}
		rows := rowErrors(prob, "/votes/", rowIDs, rq.Lang)
		return u.showConsolidated(rq, prob.Status, func(d *consolidatedData) {
			d.Council, d.RowErrs = f, rows
			d.CouncilErrs = newFormErrors(prob, rq.Lang, nil, "/held_on", "/members_total", "/members_present", "/threshold_percent", "/votes")
		})
	}
	rq.flash("flash_council")
	return rq.redirect("/ui/rounds/" + url.PathEscape(roundID) + "/consolidated")
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
	f := decisionForm{Number: strings.TrimSpace(p.Get("/number")), SignedOn: p.Get("/signed_on"),
		SignerTitle: strings.TrimSpace(p.Get("/signer_title")), SignerName: strings.TrimSpace(p.Get("/signer_name")),
		Selected: map[string]bool{}}
	ids := p["/nomination_ids"]
	for _, id := range ids {
		f.Selected[id] = true
	}
	r, err := rq.round(rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	dec, err := rq.svc().IssueDecision(rq.ctx(), rq.Caller, service.IssueInput{RoundID: r.ID, Number: f.Number,
		SignedOn: f.SignedOn, SignerTitle: f.SignerTitle, SignerName: f.SignerName, NominationIDs: append([]string{}, ids...)})
	if err != nil {
		prob := problems.From(err)
		if prob == nil {
			return err
		}
		rows := rowErrors(prob, "/nomination_ids/", ids, rq.Lang)
		return u.showConsolidated(rq, prob.Status, func(d *consolidatedData) {
			d.Decision, d.RowErrs = f, rows
			d.DecisionErrs = newFormErrors(prob, rq.Lang, nil, "/number", "/signed_on", "/signer_title", "/signer_name", "/nomination_ids", "/round_id")
		})
	}
	rq.flash("flash_decision")
	return rq.redirect("/ui/decisions/" + url.PathEscape(dec.ID))
}

// decisionData is a decision's page.
type decisionData struct {
	D         service.DecisionView
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
	dec, err := rq.svc().Decision(rq.ctx(), rq.Caller, id)
	if err != nil {
		return err
	}
	items, err := rq.svc().Consolidated(rq.ctx(), rq.Caller, dec.RoundID)
	if err != nil {
		return err
	}
	d := &decisionData{D: dec, RoundName: rq.roundNames()[dec.RoundID], Names: map[string]string{}}
	for _, it := range items {
		d.Names[it.ID] = it.NomineeName
	}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "decision", rq.page("decision_title", d))
}

// sendDocument answers with a document the service rendered or stored.
func (rq *request) sendDocument(d service.Document) error {
	disposition := "attachment"
	if d.Inline {
		disposition = "inline"
	}
	h := rq.w.Header()
	h.Set("Content-Type", d.ContentType)
	cd := disposition + `; filename="` + d.Name + `"`
	if d.UTF8Name != "" {
		cd += `; filename*=UTF-8''` + d.UTF8Name
	}
	h.Set("Content-Disposition", cd)
	if d.ETag != "" {
		h.Set("ETag", d.ETag)
	}
	rq.w.WriteHeader(http.StatusOK)
	_, err := rq.w.Write(d.Body)
	return err
}

// decisionPDF sends every certificate of a decision in one PDF.
func (u *UI) decisionPDF(rq *request) error {
	d, err := rq.svc().DecisionCertificatesPDF(rq.ctx(), rq.Caller, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return rq.sendDocument(d)
}

// certificatePDF sends an issued certificate ({id}.pdf) as stored.
func (u *UI) certificatePDF(rq *request) error {
	id, ok := strings.CutSuffix(rq.r.PathValue("file"), ".pdf")
	if !ok || id == "" {
		u.notFound(rq.w, rq.r)
		return nil
	}
	d, err := rq.svc().CertificatePDF(rq.ctx(), rq.Caller, id)
	if err != nil {
		return err
	}
	return rq.sendDocument(d)
}

// revokeCertificate revokes a certificate with a reason, then shows its
// decision again.
func (u *UI) revokeCertificate(rq *request) error {
	id := rq.r.PathValue("id")
	decision := rq.r.PostForm.Get("decision")
	err := rq.svc().RevokeCertificate(rq.ctx(), rq.Caller, id, service.RevokeInput{Reason: strings.TrimSpace(rq.r.PostForm.Get("reason"))})
	if err != nil {
		prob := problems.From(err)
		if decision == "" || prob == nil {
			return err
		}
		return u.showDecision(rq, decision, prob.Status, func(d *decisionData) {
			d.RevokeID, d.Revoke = id, newFormErrors(prob, rq.Lang, nil, "/reason")
		})
	}
	rq.flash("flash_revoked")
	if decision == "" {
		return rq.redirect("/ui/")
	}
	return rq.redirect("/ui/decisions/" + url.PathEscape(decision))
}
