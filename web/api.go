package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/service"
)

// apiResponse is the API's answer to an in-process call.
type apiResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// Problem is a refusal as the pages show it (package problems).
type Problem = problems.Problem

// FieldError is one invalid field, located by a JSON pointer.
type FieldError = service.FieldError

// apiError is an unexpected API answer, rendered as the error page.
type apiError struct{ res *apiResponse }

// Error describes the API answer.
func (e *apiError) Error() string {
	return fmt.Sprintf("api: status %d: %s", e.res.Status, e.res.problem().Text("en"))
}

// call serves one API request in-process with the caller's token, with
// body (if any) as JSON.
func (rq *request) call(method, path string, body any, headers ...string) *apiResponse {
	if body == nil {
		return rq.callRaw(method, path, "", nil, headers...)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return &apiResponse{Status: http.StatusInternalServerError}
	}
	return rq.callRaw(method, path, "application/json", b, headers...)
}

// callRaw serves one API request in-process with the caller's token. The
// request keeps the browser's address (for the API's rate limits), host
// and TLS state (for the links the API prints).
func (rq *request) callRaw(method, path, contentType string, body []byte, headers ...string) *apiResponse {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(rq.r.Context(), method, path, rd)
	if err != nil {
		return &apiResponse{Status: http.StatusBadRequest}
	}
	req.RemoteAddr, req.Host, req.TLS = rq.r.RemoteAddr, rq.r.Host, rq.r.TLS
	req.RequestURI = req.URL.RequestURI()
	if p := rq.r.Header.Get("X-Forwarded-Proto"); p != "" {
		req.Header.Set("X-Forwarded-Proto", p)
	}
	// The page's request ID (set by the API server's middleware when it
	// mounts the UI), so that the API's log lines of a page share it.
	if id := rq.w.Header().Get("X-Request-Id"); id != "" {
		req.Header.Set("X-Request-Id", id)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "tdkt-web")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if rq.Token != "" {
		req.Header.Set("Authorization", "Bearer "+rq.Token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	rq.ui.api.ServeHTTP(rec, req)
	return &apiResponse{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// ok reports a 2xx answer.
func (res *apiResponse) ok() bool { return res.Status >= 200 && res.Status < 300 }

// decode reads the JSON body into v.
func (res *apiResponse) decode(v any) error { return json.Unmarshal(res.Body, v) }

// into decodes a successful answer into v, or returns the answer as an
// *apiError.
func (res *apiResponse) into(v any) error {
	if !res.ok() {
		return &apiError{res}
	}
	if v == nil {
		return nil
	}
	if err := res.decode(v); err != nil {
		return fmt.Errorf("api answer: %w", err)
	}
	return nil
}

// problem decodes the error body (a bare status when it is not a problem).
func (res *apiResponse) problem() *Problem {
	p := &Problem{Status: res.Status}
	_ = json.Unmarshal(res.Body, p)
	if p.Status == 0 {
		p.Status = res.Status
	}
	return p
}

// get calls GET path and decodes the answer into v.
func (rq *request) get(path string, v any) error { return rq.call(http.MethodGet, path, nil).into(v) }

// seg escapes one path segment of an API URL (IDs come from the page's
// URL and must not add segments).
func seg(s string) string { return url.PathEscape(s) }

// Content types the UI passes on from the API.
const (
	typePDF  = "application/pdf"
	typeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	typeCSV  = "text/csv"
	typeJPEG = "image/jpeg"
	typePNG  = "image/png"
)

// proxy passes a file the API serves (a PDF, a workbook, an evidence
// file) on to the browser, if its type is one of types.
func (rq *request) proxy(path string, types ...string) error {
	res := rq.call(http.MethodGet, path, nil)
	if !res.ok() {
		return &apiError{res}
	}
	ct := res.Header.Get("Content-Type")
	allowed := false
	for _, t := range types {
		allowed = allowed || strings.HasPrefix(ct, t)
	}
	if !allowed {
		return fmt.Errorf("api answered %q for %s", ct, path)
	}
	h := rq.w.Header()
	for _, k := range []string{"Content-Type", "Content-Disposition", "ETag"} {
		if v := res.Header.Get(k); v != "" {
			h.Set(k, v)
		}
	}
	rq.w.WriteHeader(http.StatusOK)
	_, err := rq.w.Write(res.Body)
	return err
}
