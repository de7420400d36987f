package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/service"
)

// The units' reports on the movement (the 20 November report and the
// reviews'): the reports a unit sends and those sent to it, a report's
// page with its figures, its sections to write, the button that sends it
// (or, for the level above, receives it) and every version sent.

// reportsData is the list's page.
type reportsData struct {
	Year  int
	Years []int
	List  service.LearningReportsView
}

// reportData is a report's page.
type reportData struct {
	Report   service.LearningReportView
	Sections []sectionField
	Writes   bool // the caller's unit writes it
	Receives bool // the caller's unit receives it
	Errs     formErrors
}

// sectionField is a section's field on the form.
type sectionField struct{ Key, Title, Pointer, ID string }

// sectionFields are the report's sections as fields.
func sectionFields() []sectionField {
	out := make([]sectionField, 0, len(service.ReportSections))
	for _, s := range service.ReportSections {
		ptr := "/sections/" + s.Key
		out = append(out, sectionField{s.Key, s.Title, ptr, FieldID(ptr)})
	}
	return out
}

// reportPointers are the sections' fields.
func reportPointers() []string {
	out := make([]string, 0, len(service.ReportSections))
	for _, s := range service.ReportSections {
		out = append(out, "/sections/"+s.Key)
	}
	return out
}

// learningReports lists the year's reports (?year=, this year by default).
func (u *UI) learningReports(rq *request) error {
	this := rq.svc().Now().In(zone).Year()
	year, err := strconv.Atoi(rq.r.URL.Query().Get("year"))
	if err != nil || year < firstLearningYear || year > 2030 {
		year = min(this, 2030)
	}
	list, err := rq.svc().LearningReports(rq.ctx(), rq.Caller, strconv.Itoa(year))
	if err != nil {
		return err
	}
	d := reportsData{Year: year, List: list}
	for y := min(this, 2030); y >= firstLearningYear; y-- {
		d.Years = append(d.Years, y)
	}
	return rq.show(http.StatusOK, "learningreports", rq.page("reports_title", d))
}

// learningReportPage shows one report.
func (u *UI) learningReportPage(rq *request) error { return u.showReport(rq, http.StatusOK, nil) }

func (u *UI) showReport(rq *request, status int, edit func(*reportData)) error {
	v, err := rq.svc().LearningReport(rq.ctx(), rq.Caller, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	d := &reportData{Report: v, Sections: sectionFields()}
	for _, id := range append([]string{rq.Me.Unit.ID}, rq.Caller.Predecessors...) {
		d.Writes = d.Writes || id == v.UnitID
		d.Receives = d.Receives || id == v.ToUnitID
	}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "learningreport", rq.page("report_title", d))
}

// saveLearningReport saves the sections as typed and, with
// action=submit, sends the report.
func (u *UI) saveLearningReport(rq *request) error {
	id := rq.r.PathValue("id")
	in := service.ReportSectionsInput{Sections: map[string]string{}}
	for _, s := range service.ReportSections {
		in.Sections[s.Key] = strings.TrimSpace(rq.r.PostForm.Get("/sections/" + s.Key))
	}
	refused := func(err error) error {
		prob := problems.From(err)
		if prob == nil || (prob.Status != http.StatusUnprocessableEntity && prob.Status != http.StatusConflict) {
			return err
		}
		return u.showReport(rq, prob.Status, func(d *reportData) {
			d.Report.Sections = in.Sections
			d.Errs = newFormErrors(prob, rq.Lang, nil, reportPointers()...)
		})
	}
	if _, err := rq.svc().PatchLearningReport(rq.ctx(), rq.Caller, id, in); err != nil {
		return refused(err)
	}
	if rq.r.PostForm.Get("action") == "submit" {
		if _, err := rq.svc().SubmitLearningReport(rq.ctx(), rq.Caller, id); err != nil {
			return refused(err)
		}
		rq.flash("flash_report_submitted")
	} else {
		rq.flash("flash_report_saved")
	}
	return rq.redirect("/ui/learning/reports/" + id)
}

// receiveLearningReport records the report received by the level above.
func (u *UI) receiveLearningReport(rq *request) error {
	id := rq.r.PathValue("id")
	if _, err := rq.svc().ReceiveLearningReport(rq.ctx(), rq.Caller, id); err != nil {
		prob := problems.From(err)
		if prob == nil || prob.Status != http.StatusConflict {
			return err
		}
		return u.showReport(rq, prob.Status, func(d *reportData) { d.Errs = newFormErrors(prob, rq.Lang, nil) })
	}
	rq.flash("flash_report_received")
	return rq.redirect("/ui/learning/reports/" + id)
}
