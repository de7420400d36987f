package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/workflows"
)

// TestLearningReportPages: Phường Dĩ An's clerk finds the 2025 report the
// schedule drafted, is told beside the field that the results must be
// written, writes and sends it; the city's Sở GD&ĐT finds it among those
// sent to it and receives it; the phường can no longer edit it. Text the
// clerk typed is escaped.
func TestLearningReportPages(t *testing.T) {
	ui := newUI(t, Options{})
	db := ui.svc.DB()
	if _, err := (&activities.Activities{DB: db, Log: slog.New(slog.DiscardHandler)}).DraftLearningReports(context.Background(), workflows.ReportsYear{Year: 2025}); err != nil {
		t.Fatal(err)
	}
	dian := seed.NewCommuneID("Phường Dĩ An")
	id := "lr-annual-2025-" + dian
	clerk := newClient(t, ui)
	clerk.loginAs("vanthu.phuongdian")
	list := clerk.do("GET", "/ui/learning/reports?year=2025", nil).Body.String()
	if !strings.Contains(list, `href="/ui/learning/reports/`+id+`"`) || !strings.Contains(list, `href="/ui/learning/reports/lr-preliminary-2025-`+dian+`"`) {
		t.Fatalf("the phường's list lacks its annual and preliminary reports: %s", list)
	}
	w := clerk.do("GET", "/ui/learning/reports/"+id, nil)
	page := w.Body.String()
	if w.Code != 200 || !strings.Contains(page, `<tr data-indicator="gia-dinh-hoc-tap">`) || !strings.Contains(page, "75,0 %") {
		t.Fatalf("the report's page (%d) lacks the households' 75,0 %%: %s", w.Code, page)
	}
	tok := csrfOf(t, w)
	w = clerk.do("POST", "/ui/learning/reports/"+id, url.Values{"csrf": {tok}, "action": {"submit"}, "/sections/kien_nghi": {"Đề nghị <b>thêm</b> kinh phí"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="f-sections-ket_qua-error"`) {
		t.Fatalf("sending without results: %d %s", w.Code, w.Body.String())
	}
	if !strings.Contains(w.Body.String(), "Đề nghị &lt;b&gt;thêm&lt;/b&gt; kinh phí") {
		t.Error("the typed text is lost or not escaped")
	}
	w = clerk.do("POST", "/ui/learning/reports/"+id, url.Values{"csrf": {tok}, "action": {"submit"},
		"/sections/ket_qua": {"Công nhận 30 Gia đình học tập."}, "/sections/kien_nghi": {"Đề nghị thêm kinh phí"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("send: %d %s", w.Code, w.Body.String())
	}
	var r models.LearningReport
	db.First(&r, "id = ?", id)
	if r.Status != models.ReportSubmitted || r.Version != 1 || !strings.Contains(r.Sections, "30 Gia đình học tập") {
		t.Fatalf("after sending: %+v", r)
	}

	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&models.User{ID: "u-xet.sogddt.tphcm", Username: "xet.sogddt.tphcm", FullName: "Sở GD&ĐT",
		Role: models.RoleReviewer, UnitID: seed.CityEducationID, PasswordHash: hash}).Error; err != nil {
		t.Fatal(err)
	}
	so := newClient(t, ui)
	so.loginAs("xet.sogddt.tphcm")
	in := so.do("GET", "/ui/learning/reports?year=2025", nil).Body.String()
	if !strings.Contains(between(t, in, `id="reports-received"`, "</table>"), id) {
		t.Fatal("the Sở does not see the phường's report")
	}
	w = so.do("GET", "/ui/learning/reports/"+id, nil)
	if !strings.Contains(w.Body.String(), `id="report-receive"`) || strings.Contains(w.Body.String(), `id="report-submit"`) {
		t.Fatal("the Sở is offered to send, or not to receive")
	}
	if w = so.do("POST", "/ui/learning/reports/"+id+"/receive", url.Values{"csrf": {csrfOf(t, w)}}); w.Code != http.StatusSeeOther {
		t.Fatalf("receive: %d %s", w.Code, w.Body.String())
	}
	page = clerk.do("GET", "/ui/learning/reports/"+id, nil).Body.String()
	if strings.Contains(page, `id="report-submit"`) || !strings.Contains(page, "không sửa được nữa") {
		t.Error("the phường may still edit a received report")
	}
	if w := clerk.do("POST", "/ui/learning/reports/"+id, url.Values{"csrf": {tok}, "/sections/ket_qua": {"x"}}); w.Code != http.StatusConflict {
		t.Errorf("editing a received report: %d", w.Code)
	}
}
