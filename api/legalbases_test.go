package api

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/internal/testkit/pdftest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/workflows"
)

func (e *env) countLegalBases() (rows, audits int64) {
	e.s.DB.Model(&models.LegalBasis{}).Count(&rows)
	e.s.DB.Model(&models.AuditEvent{}).Where("action LIKE ?", "legal_basis.%").Count(&audits)
	return rows, audits
}

// download GETs path and returns the status and the body.
func (e *env) download(path, token string) (int, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// TestLegalBases: everyone reads the legal bases, all or those of a day;
// the province's administrator adds one and corrects it, each audited; a
// row without its first day, or sharing days with another row of its
// text, is refused naming the field, and nothing is written.
func TestLegalBases(t *testing.T) {
	e := newEnv(t)
	admin, clerk := e.token("quantri"), e.token("donvi.donghoa")
	code, m := e.call("GET", "/api/v1/legal-bases", clerk, nil)
	if code != 200 || m["total"] != float64(len(seed.LegalBases())) {
		t.Fatalf("list: %d %v", code, m)
	}
	code, m = e.call("GET", "/api/v1/legal-bases?date=2025-06-20", clerk, nil)
	if code != 200 || m["date"] != "2025-06-20" {
		t.Fatalf("list of a day: %d %v", code, m)
	}
	var cited []string
	for _, it := range m["items"].([]any) {
		row := it.(map[string]any)
		cited = append(cited, row["code"].(string))
		if row["citation"] != "Căn cứ "+row["title"].(string)+";" {
			t.Errorf("citation %v", row["citation"])
		}
	}
	if got := strings.Join(cited, " "); got != "72/2025/QH15 06/2022/QH15 98/2023/NĐ-CP 01/2024/TT-BNV 29/2023/TT-BGDĐT" {
		t.Errorf("in force on 20 June 2025: %s", got)
	}
	if code, m = e.call("GET", "/api/v1/legal-bases?date=20-06-2025", clerk, nil); code != 422 || strings.Join(pointers(m), " ") != "/date" {
		t.Errorf("a malformed day: %d %v", code, m)
	}

	rows, audits := e.countLegalBases()
	row := map[string]any{"code": "200/2027/NĐ-CP", "kind": "nghị định", "title": "Nghị định số 200/2027/NĐ-CP ngày 01 tháng 3 năm 2027 của Chính phủ (thử)",
		"issued_on": "2027-03-01", "valid_from": "2027-04-01", "source": "Công báo số 1 (thử)", "position": 30}
	if code, _ = e.call("POST", "/api/v1/legal-bases", clerk, row); code != 403 {
		t.Errorf("a nominating body adds a row: %d", code)
	}
	for _, bad := range []struct {
		edit map[string]any
		ptrs string
	}{
		{map[string]any{"valid_from": ""}, "/valid_from"},
		{map[string]any{"valid_from": nil, "valid_to": nil, "source": nil, "code": nil}, "/code /source /valid_from"},
		{map[string]any{"valid_to": "2027-03-31"}, "/valid_to"},
		// NĐ 152/2025/NĐ-CP is in force from 1 July 2025, open-ended.
		{map[string]any{"code": "152/2025/NĐ-CP", "title": "Nghị định số 152/2025/NĐ-CP (bản thứ hai)", "issued_on": "",
			"valid_from": "2026-01-01"}, "/valid_from"},
		{map[string]any{"code": "152/2025/NĐ-CP", "title": "Nghị định số 152/2025/NĐ-CP (bản trước)", "issued_on": "",
			"valid_from": "2025-05-01", "valid_to": "2025-07-01"}, "/valid_to"},
	} {
		body := map[string]any{}
		for k, v := range row {
			body[k] = v
		}
		for k, v := range bad.edit {
			if v == nil {
				delete(body, k)
			} else {
				body[k] = v
			}
		}
		code, m := e.call("POST", "/api/v1/legal-bases", admin, body)
		if code != 422 || strings.Join(pointers(m), " ") != bad.ptrs {
			t.Errorf("%v: %d %v, want 422 %s", bad.edit, code, m, bad.ptrs)
		}
	}
	if r, a := e.countLegalBases(); r != rows || a != audits {
		t.Fatal("a refused row was written")
	}
	code, m = e.call("POST", "/api/v1/legal-bases", admin, row)
	if code != 201 || m["valid_to"] != nil || m["issued_on"] != "2027-03-01" || m["sector"] != "" {
		t.Fatalf("add: %d %v", code, m)
	}
	id := strconv.Itoa(int(m["id"].(float64)))
	if r, _ := e.countLegalBases(); r != rows+1 || e.audits("legal_basis.create", id) != 1 {
		t.Fatal("the added row or its audit is missing")
	}

	code, m = e.call("PATCH", "/api/v1/legal-bases/"+id, admin, map[string]any{"valid_to": "2027-12-31", "source": "Công báo số 2 (thử)"})
	if code != 200 || m["valid_to"] != "2027-12-31" || m["source"] != "Công báo số 2 (thử)" || m["code"] != "200/2027/NĐ-CP" {
		t.Fatalf("correct: %d %v", code, m)
	}
	if code, m = e.call("PATCH", "/api/v1/legal-bases/"+id, admin, map[string]any{"valid_to": "2027-01-01"}); code != 422 ||
		strings.Join(pointers(m), " ") != "/valid_to" {
		t.Errorf("a last day before the first: %d %v", code, m)
	}
	for _, c := range []struct {
		path, token string
		want        int
	}{{"/api/v1/legal-bases/" + id, clerk, 403}, {"/api/v1/legal-bases/999999", admin, 404}, {"/api/v1/legal-bases/khong-co", admin, 404}} {
		if code, _ := e.call("PATCH", c.path, c.token, map[string]any{"source": "x"}); code != c.want {
			t.Errorf("PATCH %s: %d, want %d", c.path, code, c.want)
		}
	}
	if code, m = e.call("PATCH", "/api/v1/legal-bases/"+id, admin, map[string]any{"sources": "x"}); code != 422 ||
		strings.Join(pointers(m), " ") != "/sources" {
		t.Errorf("an unknown field: %d %v", code, m)
	}
	if e.audits("legal_basis.update", id) != 1 {
		t.Error("the correction is not audited once")
	}
}

// TestDecisionCitesTheBasesOfItsDay reads the decision PDFs back with
// pdftotext: signed in 2026 a decision cites NĐ 152/2025/NĐ-CP and TT
// 15/2025/TT-BNV, signed on 20 June 2025 NĐ 98/2023/NĐ-CP and TT
// 01/2024/TT-BNV; the Director of Education's also cites the ministry's
// circular of its day; and a corrected row is cited by the next download.
func TestDecisionCitesTheBasesOfItsDay(t *testing.T) {
	e := newEnv(t)
	vn := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, calendar.Zone) }
	decisions := []struct {
		id     string
		signed time.Time
		award  string
		issuer string
	}{
		{"d-2026", vn(2026, 11, 25), "bang-khen-tinh", seed.InteriorID},
		{"d-2025", vn(2025, 6, 20), "bang-khen-tinh", seed.InteriorID},
		{"d-so-2025", vn(2025, 6, 20), "giay-khen-so", seed.EducationID},
		{"d-so-2026", vn(2026, 5, 4), "giay-khen-so", seed.EducationID},
	}
	for i, d := range decisions {
		rows := []any{
			&models.Decision{ID: d.id, RoundID: seed.DemoRoundID, IssuerUnitID: d.issuer, Year: d.signed.Year(), Number: strconv.Itoa(i+1) + "/QĐ-UBND",
				SignedOn: d.signed, SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Lộc Hà"},
			&models.Nomination{ID: "n-" + d.id, RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
				NomineeKind: "individual", NomineeName: "Bà Nguyễn Thị Hồng", Award: d.award, Dossier: "{}",
				Status: workflows.StatusAccepted, Route: `{"steps":[]}`},
			&models.Certificate{ID: "c-" + d.id, DecisionID: d.id, NominationID: "n-" + d.id, IssuerUnitID: d.issuer, Year: d.signed.Year(),
				RegisterNumber: 1, VerifyCode: strings.Repeat(strconv.Itoa(i), 32), Status: "valid", Paper: "400x300"},
		}
		for _, v := range rows {
			if err := e.s.DB.Create(v).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	text := func(id string) string {
		t.Helper()
		code, body := e.download("/api/v1/decisions/"+id+"/decision.pdf", e.token("canbo.sonoivu"))
		if code != 200 {
			t.Fatalf("decision %s: %d", id, code)
		}
		return pdftest.Flat(pdftest.Text(t, pdftest.Write(t, id+".pdf", body), 1))
	}
	nd152 := "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, phân quyền"
	nd98 := "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành"
	for _, c := range []struct {
		id       string
		has, not []string
	}{
		{"d-2026", []string{nd152, "Thông tư số 15/2025/TT-BNV", "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
			"Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"}, []string{"98/2023", "01/2024", "BGDĐT"}},
		{"d-2025", []string{nd98, "Thông tư số 01/2024/TT-BNV"}, []string{"152/2025/NĐ-CP", "15/2025", "BGDĐT"}},
		{"d-so-2025", []string{nd98, "Căn cứ Thông tư số 29/2023/TT-BGDĐT ngày 29 tháng 12 năm 2023"}, []string{"07/2026"}},
		{"d-so-2026", []string{nd152, "Thông tư số 07/2026/TT-BGDĐT"}, []string{"29/2023"}},
	} {
		got := text(c.id)
		for _, w := range c.has {
			if !strings.Contains(got, w) {
				t.Errorf("%s does not cite %q:\n%s", c.id, w, got)
			}
		}
		for _, w := range c.not {
			if strings.Contains(got, w) {
				t.Errorf("%s cites %q:\n%s", c.id, w, got)
			}
		}
	}

	// A correction needs no release: the next download cites it.
	var row models.LegalBasis
	if err := e.s.DB.First(&row, "code = ?", "152/2025/NĐ-CP").Error; err != nil {
		t.Fatal(err)
	}
	title := "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ (bản đã sửa)"
	if code, m := e.call("PATCH", "/api/v1/legal-bases/"+strconv.Itoa(int(row.ID)), e.token("quantri"), map[string]any{"title": title}); code != 200 {
		t.Fatalf("correct NĐ 152: %d %v", code, m)
	}
	if got := text("d-2026"); !strings.Contains(got, "Căn cứ "+title+";") {
		t.Errorf("after the correction the decision reads:\n%s", got)
	}
}
