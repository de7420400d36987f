package api

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

// plannedUnits plans a provincial Bằng khen for body with the directory
// of day at, as a submission does, and lists the steps' units.
func (e *env) plannedUnits(at string, chain routing.Chain, body string) []string {
	e.t.Helper()
	day, _ := time.Parse(time.DateOnly, at)
	dir, err := e.s.reference().Directory(context.Background(), day)
	if err != nil {
		e.t.Fatal(err)
	}
	r, err := routing.Plan(dir, chain, body, routing.BangKhenTinh)
	if err != nil {
		e.t.Fatalf("plan on %s: %v", at, err)
	}
	var out []string
	for _, s := range r.Steps {
		out = append(out, s.UnitID)
	}
	return out
}

func TestUnitValidation(t *testing.T) {
	e := newEnv(t)
	admin := e.token("quantri")
	newDongHoa := seed.NewCommuneID("Phường Đông Hòa")
	for _, c := range []struct {
		body map[string]any
		ptrs string
	}{
		{map[string]any{"id": "Xã Mới", "name": "", "kind": "village", "review_level": "chief", "parent_id": "", "effective_from": "2026-13-01"},
			"/effective_from /id /kind /name /parent_id /review_level"},
		{map[string]any{"id": "-x", "name": "X", "kind": "ward", "parent_id": seed.CityID, "effective_from": "1999-01-01"},
			"/effective_from /id /kind"},
		// An administrative unit needs its national code, of its form,
		// and a legal kind its kind allows.
		{map[string]any{"id": "xa-moi", "name": "Xã Mới", "kind": "commune", "parent_id": seed.CityID, "effective_from": "2026-01-01"},
			"/code"},
		{map[string]any{"id": "xa-moi", "code": "2594", "name": "Mới", "kind": "commune", "parent_id": seed.CityID, "effective_from": "2026-01-01"},
			"/code /legal_kind"},
		{map[string]any{"id": "xa-moi", "code": "99999", "name": "Xã Mới", "legal_kind": "quận", "kind": "commune", "parent_id": seed.CityID,
			"effective_from": "2026-01-01"}, "/legal_kind"},
		// A code names one unit on a day: 25942 is Phường Dĩ An's.
		{map[string]any{"id": "xa-moi", "code": "25942", "name": "Xã Mới", "kind": "commune", "parent_id": seed.CityID, "effective_from": "2026-01-01"},
			"/code"},
		// A parent must be of a kind that may hold the child.
		{map[string]any{"id": "tinh-moi", "code": "98", "name": "Tỉnh Mới", "kind": "province", "parent_id": seed.Schools[0].ID, "effective_from": "2026-01-01"},
			"/parent_id"},
		{map[string]any{"id": "th-x", "name": "Trường X", "kind": "school", "parent_id": seed.CityID, "effective_from": "2026-01-01"},
			"/parent_id"},
		{map[string]any{"id": "xa-moi", "code": "99999", "name": "Xã Mới", "kind": "commune", "parent_id": seed.CityEducationID, "effective_from": "2026-01-01"},
			"/parent_id"},
		{map[string]any{"id": "th-x", "name": "Trường X", "kind": "school", "review_level": "commune", "parent_id": "khong-co", "effective_from": "2024-01-01"},
			"/parent_id /review_level"},
		// Districts ended with the reform of 1 July 2025.
		{map[string]any{"id": "th-x", "name": "Trường X", "kind": "school", "parent_id": seed.DistrictID("di-an"), "effective_from": "2026-01-01"},
			"/parent_id"},
		// One Department of Education at a time in the city.
		{map[string]any{"id": "so-gddt-2", "name": "Sở GD&ĐT mới", "kind": "department", "review_level": "education",
			"parent_id": seed.CityID, "effective_from": "2026-01-01"}, "/review_level"},
		{map[string]any{"id": strings.Repeat("a", 65), "name": strings.Repeat("á", 256), "kind": "school", "parent_id": seed.CityEducationID,
			"effective_from": "2026-01-01"}, "/id /name"},
	} {
		if code, m := e.call("POST", "/api/v1/units", admin, c.body); code != 422 || strings.Join(pointers(m), " ") != c.ptrs {
			t.Errorf("%v: %d %v, want 422 %s", c.body, code, m, c.ptrs)
		}
	}
	code, m := e.call("POST", "/api/v1/units", admin, map[string]any{"id": "xa-dong-hoa", "code": "99999", "name": "Phường Đông Hòa (2)", "kind": "commune",
		"review_level": "commune", "parent_id": seed.CityID, "effective_from": "2026-01-01"})
	if code != 409 || pointers(m)[0] != "/id" {
		t.Fatalf("a taken ID: %d %v", code, m)
	}

	for _, c := range []struct {
		body map[string]any
		ptrs string
	}{
		{map[string]any{}, ""},
		{map[string]any{"name": ""}, "/name"},
		{map[string]any{"effective_to": "31/12/2026"}, "/effective_to"},
		{map[string]any{"parent_id": seed.CityID}, "/parent_from"},
		{map[string]any{"parent_from": "2026-09-01"}, "/parent_id"},
		{map[string]any{"parent_id": seed.CityID, "parent_from": "2026-09-01", "effective_to": "2027-01-01"}, "/effective_to"},
		// Needing the database.
		{map[string]any{"parent_id": "khong-co", "parent_from": "2026-09-01"}, "/parent_id"},
		{map[string]any{"parent_id": newDongHoa, "parent_from": "2026-09-01"}, "/parent_id"},
		// Districts ended with the reform.
		{map[string]any{"parent_id": seed.DistrictID("thuan-an"), "parent_from": "2026-09-01"}, "/parent_id"},
		{map[string]any{"parent_id": seed.CityID, "parent_from": "2022-12-31"}, "/parent_from /parent_id"},
		// Neither a department nor a commune holds a commune.
		{map[string]any{"parent_id": seed.CityEducationID, "parent_from": "2026-09-01"}, "/parent_id"},
		{map[string]any{"parent_id": seed.NewCommuneID("Phường Dĩ An"), "parent_from": "2026-09-01"}, "/parent_id"},
		{map[string]any{"effective_to": "2025-01-01"}, "/effective_to"},
	} {
		if code, m := e.call("PATCH", "/api/v1/units/"+newDongHoa, admin, c.body); code != 422 || strings.Join(pointers(m), " ") != c.ptrs {
			t.Errorf("PATCH %v: %d %v, want 422 %q", c.body, code, m, c.ptrs)
		}
	}
	if code, _ := e.call("PATCH", "/api/v1/units/khong-co", admin, map[string]any{"name": "X"}); code != 404 {
		t.Errorf("PATCH an unknown unit: %d", code)
	}
	if code, _ := e.call("GET", "/api/v1/units/khong-co", admin, nil); code != 404 {
		t.Errorf("GET an unknown unit: %d", code)
	}
	var n int64
	e.s.DB.Model(&models.AuditEvent{}).Count(&n)
	if n != 0 {
		t.Fatalf("refused changes left %d audit events", n)
	}
}

func TestUnitsAdminOnly(t *testing.T) {
	e := newEnv(t)
	e.s.DB.Create(&models.User{ID: "u-qt-so", Username: "qt.so", FullName: "QT Sở", Role: models.RoleAdmin,
		UnitID: seed.EducationID, PasswordHash: "x"})
	unit := map[string]any{"id": "th-x", "name": "Trường X", "kind": "school", "parent_id": seed.EducationID, "effective_from": "2026-01-01"}
	for _, who := range []string{"donvi.donghoa", "xet.sogddt", "canbo.sonoivu", "qt.so"} {
		tok := e.token(who)
		if code, _ := e.call("POST", "/api/v1/units", tok, unit); code != 403 {
			t.Errorf("POST /units as %s: %d, want 403", who, code)
		}
		if code, _ := e.call("PATCH", "/api/v1/units/"+seed.EducationID, tok, map[string]any{"name": "Sở X"}); code != 403 {
			t.Errorf("PATCH /units as %s: %d, want 403", who, code)
		}
		if code, m := e.call("GET", "/api/v1/units/"+seed.EducationID, tok, nil); code != 200 || m["name"] != "Sở Giáo dục và Đào tạo tỉnh Bình Dương" {
			t.Errorf("GET a unit as %s: %d %v", who, code, m)
		}
	}
	if code, _ := e.call("POST", "/api/v1/units", "", unit); code != 401 {
		t.Errorf("anonymous: %d", code)
	}
	var u models.Unit
	if e.s.DB.First(&u, "id = ?", "th-x").Error == nil {
		t.Fatal("a refused caller created the unit")
	}
}

// TestUnitLifecycle: a school is created under a commune in 2024, moved
// under that commune's successor at the reform, renamed, moved under
// another of the city's communes in 2026 and ended; routes planned at 2024
// dates keep the old commune and district and Bình Dương's departments
// throughout. Moves and ends that would reach into a routed round, or
// leave nominations or units behind, are refused.
func TestUnitLifecycle(t *testing.T) {
	e := newEnv(t)
	e.s.Now = func() time.Time { return time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC) }
	admin := e.token("quantri")
	dongHoa, binhAn := seed.CommuneID("dong-hoa"), seed.CommuneID("binh-an")
	newDongHoa, diAn := seed.NewCommuneID("Phường Đông Hòa"), seed.NewCommuneID("Phường Dĩ An")
	old := []string{dongHoa, seed.DistrictID("di-an"), seed.EducationID, seed.InteriorID}

	code, m := e.call("POST", "/api/v1/units", admin, map[string]any{"id": "th-dong-hoa", "name": "Trường Tiểu học Đông Hòa",
		"kind": "school", "parent_id": dongHoa, "effective_from": "2024-01-01"})
	// The link ends with the old commune: on 1 October 2026 the school
	// sits under nothing until it is moved.
	if p := m["parents"].([]any); code != 201 || m["parent_id"] != nil || m["effective_from"] != "2024-01-01" || m["active_accounts"] != float64(0) ||
		m["legal_kind"] != "trường" || len(p) != 1 || p[0].(map[string]any)["effective_to"] != "2025-07-01" {
		t.Fatalf("create: %d %v", code, m)
	}
	if e.audits("unit.create", "th-dong-hoa") != 1 {
		t.Fatal("the creation was not audited")
	}
	if got := e.plannedUnits("2024-06-01", routing.ThreeTier, "th-dong-hoa"); !slices.Equal(got, old) {
		t.Fatalf("2024 route of the new school: %v", got)
	}
	if code, m = e.call("PATCH", "/api/v1/units/th-dong-hoa", admin, map[string]any{"parent_id": newDongHoa, "parent_from": "2025-07-01"}); code != 200 || m["parent_id"] != newDongHoa {
		t.Fatalf("move to the successor at the reform: %d %v", code, m)
	}
	before := e.plannedUnits("2026-10-01", routing.TwoTier, "th-dong-hoa") // cached, to be dropped by the move
	if !slices.Equal(before, []string{newDongHoa, seed.CityEducationID, seed.CityInteriorID}) {
		t.Fatalf("2026 route before the move: %v", before)
	}
	// A unit created under a district: its link ends with the district.
	code, m = e.call("POST", "/api/v1/units", admin, map[string]any{"id": "thcs-di-an-2", "name": "Trường THCS Dĩ An 2",
		"kind": "school", "parent_id": seed.DistrictID("di-an"), "effective_from": "2024-05-01"})
	if p := m["parents"].([]any); code != 201 || p[0].(map[string]any)["effective_to"] != "2025-07-01" || m["parent_id"] != nil {
		t.Fatalf("create under a district: %d %v", code, m)
	}

	code, m = e.call("PATCH", "/api/v1/units/th-dong-hoa", admin, map[string]any{"name": "Trường TH Đông Hòa"})
	if code != 200 || m["name"] != "Trường TH Đông Hòa" || e.audits("unit.rename", "th-dong-hoa") != 1 {
		t.Fatalf("rename: %d %v", code, m)
	}
	if names, _ := e.s.reference().UnitNames(context.Background()); names["th-dong-hoa"] != "Trường TH Đông Hòa" {
		t.Fatal("the cached names keep the old name")
	}

	// The school's nomination in the demo round (reference date
	// 1 March 2025) was routed through Đông Hòa and waits there.
	e.s.DB.Create(&models.Nomination{ID: "n-1", RoundID: seed.DemoRoundID, UnitID: "th-dong-hoa", CreatedBy: "u", NomineeKind: "collective",
		NomineeName: "Tổ khối 5", Award: "bang-khen-tinh", Dossier: "{}", Status: "in_review", CurrentUnitID: dongHoa, CurrentLevel: "commune"})
	for i, u := range old {
		e.s.DB.Create(&models.RouteStep{NominationID: "n-1", Step: i, Level: "x", UnitID: u})
	}
	if code, m = e.call("PATCH", "/api/v1/units/th-dong-hoa", admin, map[string]any{"parent_id": binhAn, "parent_from": "2025-01-01"}); code != 409 ||
		pointers(m)[0] != "/parent_from" || !strings.Contains(m["detail"].(string), "Đợt thử nghiệm") || !strings.Contains(m["detail"].(string), "01/03/2025") {
		t.Fatalf("a move into a routed round: %d %v", code, m)
	}
	move := map[string]any{"parent_id": diAn, "parent_from": "2026-09-01"}
	// The commune cannot move either: the nomination passes through it.
	if code, m = e.call("PATCH", "/api/v1/units/"+dongHoa, admin, map[string]any{"parent_id": seed.DistrictID("thuan-an"), "parent_from": "2025-02-01"}); code != 409 {
		t.Fatalf("moving the commune a routed nomination passes: %d %v", code, m)
	}
	code, m = e.call("PATCH", "/api/v1/units/th-dong-hoa", admin, move)
	if code != 200 || m["parent_id"] != diAn || len(m["parents"].([]any)) != 3 || e.audits("unit.move", "th-dong-hoa") != 2 {
		t.Fatalf("move: %d %v", code, m)
	}
	if code, _ = e.call("PATCH", "/api/v1/units/th-dong-hoa", admin, move); code != 200 || e.audits("unit.move", "th-dong-hoa") != 2 {
		t.Fatal("a retried move is not a no-op")
	}
	// History: the 2024 route still goes through Đông Hòa and Dĩ An; 2026
	// routes go through the new Phường Dĩ An.
	if got := e.plannedUnits("2024-06-01", routing.ThreeTier, "th-dong-hoa"); !slices.Equal(got, old) {
		t.Errorf("2024 route after the 2026 move: %v, want %v", got, old)
	}
	if got := e.plannedUnits("2026-10-01", routing.TwoTier, "th-dong-hoa"); !slices.Equal(got, []string{diAn, seed.CityEducationID, seed.CityInteriorID}) {
		t.Errorf("2026 route after the move: %v", got)
	}
	for at, want := range map[string]string{"2024-06-01": dongHoa, "2026-10-01": diAn} {
		_, m := e.call("GET", "/api/v1/units?at="+at+"&parent="+want, admin, nil)
		found := false
		for _, it := range m["items"].([]any) {
			found = found || it.(map[string]any)["id"] == "th-dong-hoa"
		}
		if !found {
			t.Errorf("GET /units?at=%s does not place the school under %s", at, want)
		}
	}
	// A move making a cycle.
	if code, m = e.call("PATCH", "/api/v1/units/"+diAn, admin, map[string]any{"parent_id": "th-dong-hoa", "parent_from": "2026-10-01"}); code != 422 || pointers(m)[0] != "/parent_id" {
		t.Fatalf("a cycle: %d %v", code, m)
	}

	// Ending: not a unit with units under it; a nomination in review (n-1)
	// does not hold it up: the handover moves such nominations.
	end := map[string]any{"effective_to": "2027-01-01"}
	if code, m = e.call("PATCH", "/api/v1/units/"+diAn, admin, end); code != 409 || !strings.Contains(m["detail"].(string), "1 đơn vị trực thuộc") {
		t.Fatalf("ending a commune with a school under it: %d %v", code, m)
	}
	e.s.DB.Create(&models.User{ID: "u-th", Username: "vanthu.th", FullName: "Văn thư", Role: models.RoleNominator, UnitID: "th-dong-hoa", PasswordHash: "x"})
	code, m = e.call("PATCH", "/api/v1/units/th-dong-hoa", admin, end)
	if code != 200 || m["effective_to"] != "2027-01-01" || m["active_accounts"] != float64(1) || e.audits("unit.end", "th-dong-hoa") != 1 {
		t.Fatalf("end: %d %v", code, m)
	}
	if p := m["parents"].([]any); p[2].(map[string]any)["effective_to"] != "2027-01-01" {
		t.Fatalf("the last link was not closed: %v", p)
	}
	if code, _ = e.call("PATCH", "/api/v1/units/th-dong-hoa", admin, end); code != 200 || e.audits("unit.end", "th-dong-hoa") != 1 {
		t.Fatal("a retried end is not a no-op")
	}
	if code, m = e.call("PATCH", "/api/v1/units/th-dong-hoa", admin, map[string]any{"effective_to": "2027-06-01"}); code != 409 || pointers(m)[0] != "/effective_to" {
		t.Fatalf("a second end: %d %v", code, m)
	}
	if got := e.plannedUnits("2024-06-01", routing.ThreeTier, "th-dong-hoa"); !slices.Equal(got, old) {
		t.Errorf("2024 route after the end: %v", got)
	}
	var ev models.AuditEvent
	e.s.DB.Order("id desc").First(&ev, "action = ?", "unit.move")
	if ev.ActorName != "quantri" || !strings.Contains(ev.Detail, `"previous_parent_id":"`+newDongHoa+`"`) {
		t.Fatalf("audit of the move: %+v", ev)
	}
}
