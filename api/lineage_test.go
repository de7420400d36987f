package api

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// items lists the IDs of a list answer's items.
func items(m map[string]any) []string {
	var out []string
	for _, it := range m["items"].([]any) {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	return out
}

// TestUnitTreeByDate: the tree of 2024 is Bình Dương's with its districts
// and communes, the tree of 2026 the city's 168 communes and no district;
// kind filters by kind or legal kind, code by the national code.
func TestUnitTreeByDate(t *testing.T) {
	e := newEnv(t)
	tok := e.token("donvi.donghoa")
	count := func(query string) int {
		t.Helper()
		code, m := e.call("GET", "/api/v1/units?"+query, tok, nil)
		if code != 200 || int(m["total"].(float64)) != len(m["items"].([]any)) {
			t.Fatalf("%s: %d %v", query, code, m["total"])
		}
		return len(m["items"].([]any))
	}
	for q, want := range map[string]int{
		"date=2024-06-01&parent=" + seed.ProvinceID + "&kind=district": 9,
		"date=2024-06-01&kind=district":                                38,
		"date=2026-06-01&kind=district":                                0,
		"date=2026-06-01&parent=" + seed.CityID + "&kind=commune":      168,
		"date=2026-06-01&kind=" + url.QueryEscape("phường"):            113,
		"date=2026-06-01&kind=" + url.QueryEscape("xã"):                54,
		"date=2026-06-01&kind=" + url.QueryEscape("đặc khu"):           1,
		"date=2026-06-01&parent=" + seed.ProvinceID:                    0,
		"at=2024-06-01&parent=" + seed.DistrictID("di-an"):             7,
	} {
		if got := count(q); got != want {
			t.Errorf("%s: %d units, want %d", q, got, want)
		}
	}
	communes := 0
	for _, id := range func() []string {
		_, m := e.call("GET", "/api/v1/units?date=2024-06-01&kind=district&parent="+seed.ProvinceID, tok, nil)
		return items(m)
	}() {
		communes += count("date=2024-06-01&parent=" + id)
	}
	if communes != 91 {
		t.Errorf("Bình Dương's districts hold %d communes in 2024, want 91", communes)
	}
	// The code 25942 names old Phường Dĩ An until 30 June 2025 and the new
	// one from 1 July.
	for date, want := range map[string]string{"2025-06-30": seed.CommuneID("di-an"), "2025-07-01": seed.NewCommuneID("Phường Dĩ An")} {
		_, m := e.call("GET", "/api/v1/units?code=25942&date="+date, tok, nil)
		if got := items(m); !slices.Equal(got, []string{want}) {
			t.Errorf("code 25942 on %s: %v, want %s", date, got, want)
		}
	}
	if code, m := e.call("GET", "/api/v1/units?date=2026-13-01", tok, nil); code != 422 || pointers(m)[0] != "/date" {
		t.Errorf("a bad date: %d %v", code, m)
	}
}

// TestUnitLineage: the new Phường Dĩ An comes from old Dĩ An and An Bình
// whole and part of Tân Đông Hiệp, which went also into Phường Đông Hòa…
// (as the reference file says); the old ones name it as successor, with
// their last day in force.
func TestUnitLineage(t *testing.T) {
	e := newEnv(t)
	tok := e.token("donvi.donghoa")
	code, m := e.call("GET", "/api/v1/units/"+seed.NewCommuneID("Phường Dĩ An"), tok, nil)
	if code != 200 || m["code"] != "25942" || m["legal_kind"] != "phường" || m["valid_from"] != "2025-07-01" || m["valid_to"] != nil {
		t.Fatalf("Phường Dĩ An: %d %v", code, m)
	}
	shares := map[string]string{}
	for _, p := range m["predecessors"].([]any) {
		p := p.(map[string]any)
		shares[p["name"].(string)] = p["share"].(string)
		if p["valid_to"] != "2025-06-30" {
			t.Errorf("predecessor %v: last day %v", p["name"], p["valid_to"])
		}
	}
	want := map[string]string{"Phường Dĩ An": "full", "Phường An Bình": "full", "Phường Tân Đông Hiệp": "partial"}
	if len(shares) != len(want) {
		t.Fatalf("predecessors %v, want %v", shares, want)
	}
	for n, s := range want {
		if shares[n] != s {
			t.Errorf("predecessor %s: share %q, want %s", n, shares[n], s)
		}
	}
	_, m = e.call("GET", "/api/v1/units/"+seed.CommuneID("tan-dong-hiep"), tok, nil)
	if m["valid_to"] != "2025-06-30" || m["effective_to"] != "2025-07-01" || len(m["successors"].([]any)) < 2 {
		t.Fatalf("Tân Đông Hiệp: %v", m)
	}
	for _, s := range m["successors"].([]any) {
		if s.(map[string]any)["share"] != "partial" {
			t.Errorf("Tân Đông Hiệp went in part, not %v", s)
		}
	}
	_, m = e.call("GET", "/api/v1/units/"+seed.ProvinceID, tok, nil)
	if s := m["successors"].([]any); len(s) != 1 || s[0].(map[string]any)["id"] != seed.CityID || s[0].(map[string]any)["share"] != "full" {
		t.Errorf("Bình Dương's successors: %v", m["successors"])
	}
}

// TestSuccessorsAndSucceed: an ended unit's successors are recorded whole
// (one full, or several partial, starting after its end, no cycle) and its
// accounts move to one of them only by the administrator's explicit,
// audited step.
func TestSuccessorsAndSucceed(t *testing.T) {
	e := newEnv(t)
	e.s.Now = func() time.Time { return time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC) }
	admin := e.token("quantri")
	dongHoa := seed.CommuneID("dong-hoa")
	newDongHoa, diAn := seed.NewCommuneID("Phường Đông Hòa"), seed.NewCommuneID("Phường Dĩ An")
	put := func(id string, succ ...map[string]any) (int, map[string]any) {
		return e.call("PUT", "/api/v1/units/"+id+"/successors", admin, map[string]any{"successors": succ})
	}
	for _, c := range []struct {
		id   string
		succ []map[string]any
		ptrs string
	}{
		{dongHoa, nil, "/successors"},
		{dongHoa, []map[string]any{{"id": diAn, "share": "partial"}}, "/successors/0/share"},
		{dongHoa, []map[string]any{{"id": diAn, "share": "full"}, {"id": newDongHoa, "share": "partial"}}, "/successors"},
		{dongHoa, []map[string]any{{"id": diAn, "share": "half"}, {"id": "khong-co", "share": "partial"}}, "/successors/0/share /successors/1/id"},
		// A successor that began before the unit ended.
		{dongHoa, []map[string]any{{"id": seed.CityID, "share": "full"}}, "/successors/0/id"},
		// The new Phường Đông Hòa has not ended.
		{newDongHoa, []map[string]any{{"id": diAn, "share": "full"}}, ""},
	} {
		if code, m := put(c.id, c.succ...); code != 422 || strings.Join(pointers(m), " ") != c.ptrs {
			t.Errorf("successors %v of %s: %d %v, want 422 %q", c.succ, c.id, code, m, c.ptrs)
		}
	}
	var rows []models.UnitLineage
	e.s.DB.Where("predecessor_id = ?", dongHoa).Find(&rows)
	if len(rows) != 1 || rows[0].SuccessorID != newDongHoa || e.audits("unit.successors", dongHoa) != 0 {
		t.Fatalf("refused successors changed the lineage: %+v", rows)
	}
	if code, m := e.call("PUT", "/api/v1/units/"+dongHoa+"/successors", e.token("donvi.donghoa"), map[string]any{}); code != 403 {
		t.Errorf("a nominator sets successors: %d %v", code, m)
	}

	// A cycle: the new Phường Đông Hòa ends and is said to go back into a
	// unit it comes from.
	if code, m := e.call("PATCH", "/api/v1/units/"+newDongHoa, admin, map[string]any{"effective_to": "2027-01-01"}); code != 200 {
		t.Fatalf("end the new Phường Đông Hòa: %d %v", code, m)
	}
	if code, m := put(newDongHoa, map[string]any{"id": dongHoa, "share": "full"}); code != 422 || pointers(m)[0] != "/successors/0/id" {
		t.Errorf("a cycle (and a successor that ended before): %d %v", code, m)
	}

	// Đông Hòa's clerk still belongs to the ended unit; the move is the
	// administrator's, to its one successor.
	var clerk models.User
	e.s.DB.First(&clerk, "username = ?", "donvi.donghoa")
	if clerk.UnitID != dongHoa {
		t.Fatalf("the clerk's unit: %s", clerk.UnitID)
	}
	if code, m := e.call("POST", "/api/v1/units/"+diAn+"/succeed", admin, map[string]any{}); code != 422 {
		t.Errorf("succeeding a unit in force: %d %v", code, m)
	}
	if code, m := e.call("POST", "/api/v1/units/"+dongHoa+"/succeed", admin, map[string]any{"to": diAn}); code != 422 || pointers(m)[0] != "/to" ||
		!strings.Contains(m["errors"].([]any)[0].(map[string]any)["message"].(string), newDongHoa) {
		t.Errorf("succeeding to a unit not its successor: %d %v", code, m)
	}
	code, m := e.call("POST", "/api/v1/units/"+dongHoa+"/succeed", admin, map[string]any{})
	moved, _ := m["accounts"].([]any)
	if code != 200 || m["to"].(map[string]any)["id"] != newDongHoa || !slices.Contains(moved, any(clerk.ID)) {
		t.Fatalf("succeed: %d %v", code, m)
	}
	e.s.DB.First(&clerk, "id = ?", clerk.ID)
	if clerk.UnitID != newDongHoa || e.audits("user.succeed", clerk.ID) != 1 {
		t.Fatalf("the clerk after the move: %s, audited %d", clerk.UnitID, e.audits("user.succeed", clerk.ID))
	}
}

// TestNominationsWithPredecessors: the new Phường Dĩ An's list "with
// predecessors" holds the nominations old Dĩ An and An Bình sent before
// the merger, not Đông Hòa's; a clerk moved to the new Phường Đông Hòa
// still sees what old Đông Hòa sent, and nobody else's.
func TestNominationsWithPredecessors(t *testing.T) {
	e := newEnv(t)
	dian := seed.NewCommuneID("Phường Dĩ An")
	for id, unit := range map[string]string{"n-old-dian": seed.CommuneID("di-an"), "n-old-anbinh": seed.CommuneID("an-binh-di-an"),
		"n-new-dian": dian, "n-old-donghoa": seed.CommuneID("dong-hoa")} {
		n := models.Nomination{ID: id, RoundID: seed.DemoRoundID, UnitID: unit, CreatedBy: "u", NomineeKind: "individual",
			NomineeName: "Ông " + id, Award: "giay-khen-xa", Dossier: "{}", Status: "draft", Route: `{"steps":[]}`}
		if err := e.s.DB.Create(&n).Error; err != nil {
			t.Fatal(err)
		}
	}
	list := func(tok, query string) []string {
		t.Helper()
		code, m := e.call("GET", "/api/v1/nominations?per_page=100&"+query, tok, nil)
		if code != 200 {
			t.Fatalf("%s: %d %v", query, code, m)
		}
		got := items(m)
		slices.Sort(got)
		return got
	}
	admin := e.token("quantri")
	if got, want := list(admin, "unit="+dian+"&with_predecessors=true"), []string{"n-new-dian", "n-old-anbinh", "n-old-dian"}; !slices.Equal(got, want) {
		t.Errorf("with predecessors: %v, want %v", got, want)
	}
	if got := list(admin, "unit="+dian); !slices.Equal(got, []string{"n-new-dian"}) {
		t.Errorf("the unit alone: %v", got)
	}
	if code, m := e.call("GET", "/api/v1/nominations?unit="+dian+"&with_predecessors=yes", admin, nil); code != 422 || pointers(m)[0] != "/with_predecessors" {
		t.Errorf("with_predecessors=yes: %d %v", code, m)
	}

	if err := e.s.DB.Model(&models.User{}).Where("username = ?", "donvi.donghoa").
		Update("unit_id", seed.NewCommuneID("Phường Đông Hòa")).Error; err != nil {
		t.Fatal(err)
	}
	if got := list(e.token("donvi.donghoa"), ""); !slices.Contains(got, "n-old-donghoa") || slices.Contains(got, "n-old-dian") {
		t.Errorf("the clerk moved to Phường Đông Hòa sees %v", got)
	}
}

// TestUnitAwardsWithPredecessors: the new Phường Dĩ An's awards "with
// predecessors" hold what old Dĩ An's nominee received in June 2025 as
// well as its own of 2026; alone, only its own; a bad flag is refused.
func TestUnitAwardsWithPredecessors(t *testing.T) {
	e := newEnv(t)
	dian := seed.NewCommuneID("Phường Dĩ An")
	for i, c := range []struct {
		unit, issuer string
		signed       time.Time
	}{
		{seed.CommuneID("di-an"), seed.CommuneID("di-an"), time.Date(2025, 6, 20, 0, 0, 0, 0, time.UTC)},
		{dian, dian, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
	} {
		id := []string{"old", "new"}[i]
		rows := []any{
			&models.Decision{ID: "d-" + id, RoundID: seed.DemoRoundID, IssuerUnitID: c.issuer, Year: c.signed.Year(), Number: "5/QĐ-UBND",
				SignedOn: c.signed, SignerTitle: "CHỦ TỊCH", SignerName: "Trần Văn Bình"},
			&models.Nomination{ID: "n-" + id, RoundID: seed.DemoRoundID, UnitID: c.unit, CreatedBy: "u", NomineeKind: "household",
				NomineeName: "Hộ " + id, Award: "giay-khen-xa", Dossier: "{}", Status: "accepted", Route: `{"steps":[]}`},
			&models.Certificate{ID: "c-" + id, DecisionID: "d-" + id, NominationID: "n-" + id, IssuerUnitID: c.issuer, Year: c.signed.Year(),
				RegisterNumber: 1, VerifyCode: strings.Repeat(string(rune('a'+i)), 32), Status: "valid", Paper: "400x300"},
		}
		for _, v := range rows {
			if err := e.s.DB.Create(v).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	admin := e.token("quantri")
	list := func(query string) []string {
		t.Helper()
		code, m := e.call("GET", "/api/v1/units/"+dian+"/awards"+query, admin, nil)
		if code != 200 {
			t.Fatalf("%s: %d %v", query, code, m)
		}
		var ids []string
		for _, it := range m["items"].([]any) {
			ids = append(ids, it.(map[string]any)["certificate_id"].(string))
		}
		return ids
	}
	if got := list("?with_predecessors=true"); !slices.Equal(got, []string{"c-new", "c-old"}) {
		t.Errorf("with predecessors: %v", got)
	}
	if got := list(""); !slices.Equal(got, []string{"c-new"}) {
		t.Errorf("alone: %v", got)
	}
	if code, m := e.call("GET", "/api/v1/units/"+dian+"/awards?with_predecessors=1", admin, nil); code != 422 || pointers(m)[0] != "/with_predecessors" {
		t.Errorf("a bad flag: %d %v", code, m)
	}
	if code, _ := e.call("GET", "/api/v1/units/khong-co/awards", admin, nil); code != 404 {
		t.Errorf("no such unit: %d", code)
	}
}
