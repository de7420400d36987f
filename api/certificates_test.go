package api

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/signing"
	"github.com/tdkt/tdkt/workflows"
)

// withFiles serves e's database again with a data directory for the
// certificates' PDFs (and signer, if any): the service reads both when it
// is built.
func (e *env) withFiles(signer *signing.Signer) {
	e.t.Helper()
	e.srv.Close()
	e.s = &testServer{DB: e.s.DB, Log: e.s.Log, MaxBodyBytes: e.s.MaxBodyBytes, Tokens: e.s.Tokens,
		DataDir: e.t.TempDir(), Signer: signer}
	e.srv = httptest.NewServer(e.s.Handler())
	e.t.Cleanup(e.srv.Close)
}

// render runs what the decision's workflow runs: the activity that
// renders, signs and stores the certificates' PDFs, as the worker has it
// configured (the API's data directory and signer).
func (e *env) render(decisionID string) {
	e.t.Helper()
	acts := &activities.Activities{DB: e.s.DB, Log: e.s.Log, DataDir: e.s.DataDir, Signer: e.s.Signer}
	if _, err := acts.RenderCertificates(context.Background(), workflows.CertificateBatch{DecisionID: decisionID,
		Limit: workflows.CertificateBatchSize, BaseURL: e.srv.URL, At: time.Now()}); err != nil {
		e.t.Fatal(err)
	}
}

// TestCertificateNotRenderedYet: before its decision's workflow stored
// it, a certificate is not rendered by its download: the caller is told,
// in both languages, to retry.
func TestCertificateNotRenderedYet(t *testing.T) {
	e := newEnv(t)
	e.withFiles(nil)
	e.issued(routing.BangKhenTinh)
	code, h, m := e.do("GET", "/api/v1/certificates/c-9.pdf", e.token("donvi.donghoa"), "", nil)
	if code != 503 || h.Get("Retry-After") != "30" || !strings.Contains(m["detail"].(string), "đang được tạo") ||
		!strings.Contains(m["detail_en"].(string), "still being rendered") {
		t.Fatalf("download before rendering: %d %v %v", code, h, m)
	}
	e.render("d-9")
	if code, h, _ := e.do("GET", "/api/v1/certificates/c-9.pdf", e.token("donvi.donghoa"), "", nil); code != 200 ||
		h.Get("Content-Type") != "application/pdf" || len(h.Get("ETag")) != 66 {
		t.Fatalf("download after rendering: %d %v", code, h)
	}
}
