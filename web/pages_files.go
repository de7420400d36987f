package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// Files: evidence uploads and downloads, the Excel import of nominees, and
// the workbooks and PDFs the API produces, passed through the session.

// Attachment is one evidence file of a nomination.
type Attachment struct {
	ID          string `json:"id"`
	FileName    string `json:"file_name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	CreatedAt   string `json:"created_at"`
}

// KB is the file's size in kilobytes, rounded up.
func (a Attachment) KB() int64 { return (a.Size + 1023) / 1024 }

// forwardFile re-sends the posted file of the form field "file" to the API
// as a multipart request with the same field name.
func (rq *request) forwardFile(path string) (*apiResponse, bool) {
	f, fh, err := rq.r.FormFile("file")
	if err != nil {
		return nil, false
	}
	defer f.Close()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition("file", fh.Filename))
	h.Set("Content-Type", "application/octet-stream")
	part, err := mw.CreatePart(h)
	if err != nil {
		return nil, false
	}
	if _, err := io.Copy(part, f); err != nil {
		return nil, false
	}
	if err := mw.Close(); err != nil {
		return nil, false
	}
	return rq.callRaw(http.MethodPost, path, mw.FormDataContentType(), body.Bytes()), true
}

// noFile is the API's own wording when no file was chosen.
func noFile() *Problem {
	return &Problem{Status: http.StatusUnprocessableEntity, Detail: "Chưa chọn tệp.", DetailEN: "No file chosen.",
		Errors: []FieldError{{Pointer: "/file", Message: "Chọn một tệp để tải lên.", MessageEN: "Choose a file to upload."}}}
}

// uploadAttachment adds an evidence file to a draft or returned
// nomination.
func (u *UI) uploadAttachment(rq *request) error {
	id := rq.r.PathValue("id")
	res, ok := rq.forwardFile("/api/v1/nominations/" + seg(id) + "/attachments")
	if !ok || !res.ok() {
		p := noFile()
		status := http.StatusUnprocessableEntity
		if ok {
			p, status = res.problem(), res.Status
		}
		return u.showDetail(rq, id, status, func(d *detailData) {
			d.Upload = newFormErrors(p, rq.Lang, nil, "/file")
		})
	}
	rq.flash("flash_uploaded")
	return rq.redirect("/ui/nominations/" + url.PathEscape(id) + "#evidence")
}

// downloadAttachment passes an evidence file on (always as a download).
func (u *UI) downloadAttachment(rq *request) error {
	return rq.proxy("/api/v1/nominations/"+seg(rq.r.PathValue("id"))+"/attachments/"+seg(rq.r.PathValue("file")),
		typePDF, typeJPEG, typePNG)
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
		if r.State == "open" || r.ClosesAt.After(time.Now()) {
			d.Rounds = append(d.Rounds, Option{Value: r.ID, Label: r.Name, Selected: r.ID == round})
		}
	}
	return rq.show(status, "import", rq.page("import_title", d))
}

// importNominations sends the workbook to the API, which creates every
// row as a draft or none.
func (u *UI) importNominations(rq *request) error {
	round := rq.r.PostForm.Get("round")
	res, ok := rq.forwardFile("/api/v1/nominations/import?round=" + url.QueryEscape(round))
	if !ok {
		return u.showImport(rq, http.StatusUnprocessableEntity, round, newFormErrors(noFile(), rq.Lang, nil, "/file"))
	}
	if !res.ok() {
		return u.showImport(rq, res.Status, round, newFormErrors(res.problem(), rq.Lang, nil, "/file", "/round"))
	}
	rq.flash("flash_imported")
	return rq.redirect("/ui/nominations?status=draft")
}

// importTemplate passes on the API's workbook template.
func (u *UI) importTemplate(rq *request) error {
	return rq.proxy("/api/v1/nominations/import-template.xlsx", typeXLSX)
}

// exports are the lists the API exports, with the page's filters.
var exports = map[string]string{
	"nominations.xlsx": typeXLSX, "nominations.csv": typeCSV, "inbox.xlsx": typeXLSX, "inbox.csv": typeCSV,
}

// export passes on a list as a workbook or CSV file.
func (u *UI) export(rq *request) error {
	file := rq.r.PathValue("file")
	typ, ok := exports[file]
	if !ok {
		u.notFound(rq.w, rq.r)
		return nil
	}
	q := url.Values{}
	for _, k := range []string{"q", "status", "round", "level", "unit", "award", "overdue", "sort"} {
		if v := strings.TrimSpace(rq.r.URL.Query().Get(k)); v != "" {
			q.Set(k, v)
		}
	}
	path := "/api/v1/" + file
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return rq.proxy(path, typ)
}

// decisionDocument passes on the decision itself as a PDF.
func (u *UI) decisionDocument(rq *request) error {
	return rq.proxy("/api/v1/decisions/"+seg(rq.r.PathValue("id"))+"/decision.pdf", typePDF)
}

// consolidatedXLSX passes on the consolidated list as a workbook.
func (u *UI) consolidatedXLSX(rq *request) error {
	return rq.proxy("/api/v1/rounds/"+seg(rq.r.PathValue("id"))+"/consolidated.xlsx", typeXLSX)
}

// roundReport sends a round's report workbook.
func (u *UI) roundReport(rq *request) error {
	d, err := rq.svc().RoundReportXLSX(rq.ctx(), rq.Caller, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return rq.sendDocument(d)
}
