package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/service"
)

// Files: evidence uploads and downloads, the Excel import of nominees, and
// the workbooks and PDFs the API produces, passed through the session.

// Attachment is one evidence file of a nomination.
type Attachment = service.AttachmentView

// postedFile is the form's file "file" as the service takes it (nil when
// none was chosen); the body's limit was applied by parseForm.
func (rq *request) postedFile() (*service.Upload, error) {
	f, fh, err := rq.r.FormFile("file")
	if err != nil {
		return nil, nil // no file chosen: the page says so beside the field
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, rq.ui.maxUpload()+1))
	if err != nil {
		return nil, fmt.Errorf("read the posted file: %w", err)
	}
	return &service.Upload{Name: fh.Filename, Data: data}, nil
}

// noFile is the page's wording when no file was chosen.
func noFile() *Problem {
	return &Problem{Status: http.StatusUnprocessableEntity, Detail: "Chưa chọn tệp.", DetailEN: "No file chosen.",
		Errors: []FieldError{{Pointer: "/file", Message: "Chọn một tệp để tải lên.", MessageEN: "Choose a file to upload."}}}
}

// uploadAttachment adds an evidence file to a draft or returned
// nomination.
func (u *UI) uploadAttachment(rq *request) error {
	id := rq.r.PathValue("id")
	up, err := rq.postedFile()
	if err != nil {
		return err
	}
	if up == nil {
		return u.showDetail(rq, id, http.StatusUnprocessableEntity, func(d *detailData) {
			d.Upload = newFormErrors(noFile(), rq.Lang, nil, "/file")
		})
	}
	_, err = rq.svc().AddAttachment(rq.ctx(), rq.Caller, id, up)
	if p := problems.From(err); p != nil {
		return u.showDetail(rq, id, p.Status, func(d *detailData) {
			d.Upload = newFormErrors(p, rq.Lang, nil, "/file")
		})
	}
	if err != nil {
		return err
	}
	rq.flash("flash_uploaded")
	return rq.redirect("/ui/nominations/" + url.PathEscape(id) + "#evidence")
}

// downloadAttachment sends an evidence file (always as a download).
func (u *UI) downloadAttachment(rq *request) error {
	return rq.document(rq.svc().Attachment(rq.ctx(), rq.Caller, rq.r.PathValue("id"), rq.r.PathValue("file")))
}

// document sends a document the service made, or renders its refusal.
func (rq *request) document(d service.Document, err error) error {
	if err != nil {
		return err
	}
	return rq.sendDocument(d)
}

// importData is the import page.
type importData struct {
	Rounds  []Option
	Errs    formErrors
	Created int
}

// importPage shows the form to import a filled workbook of nominees.
func (u *UI) importPage(rq *request) error {
	return u.showImport(rq, http.StatusOK, "", formErrors{})
}

// showImport renders the import page with status and errors.
func (u *UI) showImport(rq *request, status int, round string, errs formErrors) error {
	d := importData{Errs: errs}
	rounds, err := rq.rounds()
	if err != nil {
		return err
	}
	d.Rounds = []Option{{Value: "", Label: "—", Selected: round == ""}}
	for _, r := range rounds {
		if r.State == "open" || r.ClosesAt.After(rq.svc().Now()) {
			d.Rounds = append(d.Rounds, Option{Value: r.ID, Label: r.Name, Selected: r.ID == round})
		}
	}
	return rq.show(status, "import", rq.page("import_title", d))
}

// importNominations sends the workbook to the API, which creates every
// row as a draft or none.
func (u *UI) importNominations(rq *request) error {
	round := rq.r.PostForm.Get("round")
	up, err := rq.postedFile()
	if err != nil {
		return err
	}
	if up == nil {
		return u.showImport(rq, http.StatusUnprocessableEntity, round, newFormErrors(noFile(), rq.Lang, nil, "/file"))
	}
	_, err = rq.svc().ImportNominations(rq.ctx(), rq.Caller, round, up.Data)
	if p := problems.From(err); p != nil {
		return u.showImport(rq, p.Status, round, newFormErrors(p, rq.Lang, nil, "/file", "/round"))
	}
	if err != nil {
		return err
	}
	rq.flash("flash_imported")
	return rq.redirect("/ui/nominations?status=draft")
}

// importTemplate sends the workbook template.
func (u *UI) importTemplate(rq *request) error { return rq.document(rq.svc().ImportTemplate()) }

// exports are the lists the pages export: inbox or not, format.
var exports = map[string]struct {
	inbox  bool
	format string
}{
	"nominations.xlsx": {false, service.FormatXLSX}, "nominations.csv": {false, service.FormatCSV},
	"inbox.xlsx": {true, service.FormatXLSX}, "inbox.csv": {true, service.FormatCSV},
}

// export sends a list, with the page's filters, as a workbook or CSV file.
func (u *UI) export(rq *request) error {
	file := rq.r.PathValue("file")
	e, ok := exports[file]
	if !ok {
		u.notFound(rq.w, rq.r)
		return nil
	}
	in := rq.r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(in.Get(k)) }
	q := service.ListQuery{Search: textnorm.Fold(get("q")), Status: get("status"), RoundID: get("round"),
		Level: get("level"), BodyUnitID: get("unit"), Award: get("award"), Sort: get("sort")}
	if get("overdue") == "true" || get("overdue") == "false" {
		b := get("overdue") == "true"
		q.Overdue = &b
	}
	name := "danh-sach-ho-so"
	if e.inbox {
		name = "ho-so-cho-xu-ly"
	}
	return rq.document(rq.svc().Export(rq.ctx(), rq.Caller, q, e.inbox, e.format, name))
}

// decisionDocument sends the decision itself as a PDF.
func (u *UI) decisionDocument(rq *request) error {
	return rq.document(rq.svc().DecisionPDF(rq.ctx(), rq.Caller, rq.r.PathValue("id")))
}

// consolidatedXLSX sends the consolidated list as a workbook.
func (u *UI) consolidatedXLSX(rq *request) error {
	return rq.document(rq.svc().ConsolidatedXLSX(rq.ctx(), rq.Caller, rq.r.PathValue("id")))
}

// roundReport sends a round's report workbook.
func (u *UI) roundReport(rq *request) error {
	return rq.document(rq.svc().RoundReportXLSX(rq.ctx(), rq.Caller, rq.r.PathValue("id"), service.ReportScope{}))
}
