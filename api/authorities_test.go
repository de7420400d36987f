package api

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

func (e *env) countAuthorities() (rows, audits int64) {
	e.s.DB.Model(&models.Authority{}).Count(&rows)
	e.s.DB.Model(&models.AuditEvent{}).Where("action LIKE ?", "authority.%").Count(&audits)
	return rows, audits
}

// TestAuthorities: everyone reads who may award what, all of it, of a
// day or of an award; the province's administrator adds a row and
// corrects it, each audited once; a row without its first day, or sharing
// days with another row of its award, is refused naming the field, and
// nothing is written.
func TestAuthorities(t *testing.T) {
	e := newEnv(t)
	admin, clerk := e.token("quantri"), e.token("donvi.donghoa")
	code, m := e.call("GET", "/api/v1/authorities", clerk, nil)
	if code != 200 || m["total"] != float64(len(routing.Awards)) {
		t.Fatalf("list: %d %v", code, m)
	}
	code, m = e.call("GET", "/api/v1/authorities?date=2026-01-15", clerk, nil)
	var held []string
	for _, it := range m["items"].([]any) {
		held = append(held, it.(map[string]any)["award"].(string))
	}
	if code != 200 || strings.Join(held, " ") != "giay-khen-xa giay-khen-so bang-khen-tinh bang-khen-bo bang-khen-thu-tuong" {
		t.Fatalf("held on 15 January 2026: %d %v", code, m)
	}
	code, m = e.call("GET", "/api/v1/authorities?award=giay-khen-huyen", clerk, nil)
	if items, _ := m["items"].([]any); code != 200 || len(items) != 1 || items[0].(map[string]any)["valid_to"] != "2025-06-30" ||
		items[0].(map[string]any)["council"] == "" {
		t.Fatalf("the district's Giấy khen: %d %v", code, m)
	}
	for _, q := range []string{"date=15-01-2026", "award=huan-chuong"} {
		if code, m = e.call("GET", "/api/v1/authorities?"+q, clerk, nil); code != 422 || len(pointers(m)) != 1 {
			t.Errorf("?%s: %d %v", q, code, m)
		}
	}

	rows, audits := e.countAuthorities()
	// The district chairman's Giấy khen under the 2003 law, before the
	// seeded row.
	row := map[string]any{"award": "giay-khen-huyen", "valid_from": "2023-01-01", "valid_to": "2023-12-31",
		"council": "Hội đồng Thi đua – Khen thưởng huyện", "source": "Luật Thi đua, khen thưởng 2003 (thử)", "position": 15}
	if code, _ = e.call("POST", "/api/v1/authorities", clerk, row); code != 403 {
		t.Errorf("a nominating body adds a row: %d", code)
	}
	for _, bad := range []struct {
		edit map[string]any
		ptrs string
	}{
		{map[string]any{"valid_from": ""}, "/valid_from"},
		{map[string]any{"valid_from": nil, "source": nil, "council": nil}, "/council /source /valid_from"},
		{map[string]any{"valid_to": "2022-12-31"}, "/valid_to"},
		{map[string]any{"last_level": "interior"}, "/last_level"},
		// The seeded row holds it from 1 January 2024 to 30 June 2025.
		{map[string]any{"valid_to": "2024-03-01"}, "/valid_to"},
		{map[string]any{"valid_from": "2025-01-01", "valid_to": ""}, "/valid_from"},
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
		code, m := e.call("POST", "/api/v1/authorities", admin, body)
		if code != 422 || strings.Join(pointers(m), " ") != bad.ptrs {
			t.Errorf("%v: %d %v, want 422 %s", bad.edit, code, m, bad.ptrs)
		}
	}
	if r, a := e.countAuthorities(); r != rows || a != audits {
		t.Fatal("a refused row was written")
	}
	code, m = e.call("POST", "/api/v1/authorities", admin, row)
	if code != 201 || m["valid_to"] != "2023-12-31" || m["name"] != "Giấy khen của Chủ tịch UBND huyện" || m["last_level"] != "district" ||
		m["external"] != false {
		t.Fatalf("add: %d %v", code, m)
	}
	id := strconv.Itoa(int(m["id"].(float64)))
	if r, _ := e.countAuthorities(); r != rows+1 || e.audits("authority.create", id) != 1 {
		t.Fatal("the added row or its audit is missing")
	}

	code, m = e.call("PATCH", "/api/v1/authorities/"+id, admin, map[string]any{"valid_to": "2023-12-30", "source": "Luật 2003 (đã sửa)"})
	if code != 200 || m["valid_to"] != "2023-12-30" || m["source"] != "Luật 2003 (đã sửa)" || m["award"] != "giay-khen-huyen" {
		t.Fatalf("correct: %d %v", code, m)
	}
	if code, m = e.call("PATCH", "/api/v1/authorities/"+id, admin, map[string]any{"valid_to": "2024-01-01"}); code != 422 ||
		strings.Join(pointers(m), " ") != "/valid_to" {
		t.Errorf("a last day running into the seeded row: %d %v", code, m)
	}
	for _, c := range []struct {
		path, token string
		want        int
	}{{"/api/v1/authorities/" + id, clerk, 403}, {"/api/v1/authorities/999999", admin, 404}, {"/api/v1/authorities/khong-co", admin, 404}} {
		if code, _ := e.call("PATCH", c.path, c.token, map[string]any{"source": "x"}); code != c.want {
			t.Errorf("PATCH %s: %d, want %d", c.path, code, c.want)
		}
	}
	if code, m = e.call("PATCH", "/api/v1/authorities/"+id, admin, map[string]any{"sources": "x"}); code != 422 ||
		strings.Join(pointers(m), " ") != "/sources" {
		t.Errorf("an unknown field: %d %v", code, m)
	}
	if e.audits("authority.update", id) != 1 {
		t.Error("the correction is not audited once")
	}
}

// TestCorrectedAuthorityRefusesADecision: once the administrator ends the
// commune chairman's Giấy khen on 30 June 2026 through the API, a decision
// of Phường Dĩ An signed the next day is refused naming the nominee, with
// nothing written, one signed on the last day is recorded, and the awards'
// catalogue gives the new last day — no release in between.
func TestCorrectedAuthorityRefusesADecision(t *testing.T) {
	e := newEnv(t)
	dian := seed.NewCommuneID("Phường Dĩ An")
	for _, id := range []string{"n-xa-1", "n-xa-2"} {
		n := models.Nomination{ID: id, RoundID: seed.DemoTwoTierRoundID, UnitID: dian, CreatedBy: "u", NomineeKind: "household",
			NomineeName: "Hộ " + id, Award: "giay-khen-xa", Dossier: "{}", Status: "accepted",
			Route: `{"chain":"two-tier","award":"giay-khen-xa","steps":[{"level":"commune","unit_id":"` + dian + `"}]}`}
		if err := e.s.DB.Create(&n).Error; err != nil {
			t.Fatal(err)
		}
	}
	var xa models.Authority
	if err := e.s.DB.First(&xa, "award = ?", "giay-khen-xa").Error; err != nil {
		t.Fatal(err)
	}
	if code, m := e.call("PATCH", "/api/v1/authorities/"+strconv.Itoa(int(xa.ID)), e.token("quantri"),
		map[string]any{"valid_to": "2026-06-30"}); code != 200 {
		t.Fatalf("end the commune chairman's Giấy khen: %d %v", code, m)
	}
	chair := e.token("chutich.phuongdian")
	decision := func(number, signed, id string) (int, map[string]any) {
		return e.call("POST", "/api/v1/decisions", chair, map[string]any{"round_id": seed.DemoTwoTierRoundID, "number": number,
			"signed_on": signed, "signer_title": "CHỦ TỊCH", "signer_name": "Trần Văn Bình", "nomination_ids": []string{id}})
	}
	var before int64
	e.s.DB.Model(&models.Decision{}).Count(&before)
	code, m := decision("12/QĐ-UBND", "2026-07-01", "n-xa-1")
	if code != 422 || strings.Join(pointers(m), " ") != "/nomination_ids/0" {
		t.Fatalf("signed after the authority ended: %d %v", code, m)
	}
	msg, _ := m["errors"].([]any)[0].(map[string]any)["message"].(string)
	if !strings.Contains(msg, "chỉ đến hết ngày 30/06/2026") {
		t.Errorf("the refusal says %q", msg)
	}
	var after int64
	if e.s.DB.Model(&models.Decision{}).Count(&after); after != before {
		t.Fatal("a refused decision was written")
	}
	if code, m = decision("12/QĐ-UBND", "2026-06-30", "n-xa-2"); code != 201 {
		t.Fatalf("signed on the last day: %d %v", code, m)
	}
	_, m = e.call("GET", "/api/v1/awards", chair, nil)
	for _, it := range m["items"].([]any) {
		if a := it.(map[string]any); a["code"] == "giay-khen-xa" && a["valid_to"] != "2026-06-30" {
			t.Errorf("the catalogue's commune Giấy khen: %v", a)
		}
	}
}
