package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models/seed"
)

// TestNominationViewNamesItsForm: a nomination of the demo round
// (reference date 1 March 2025) is created, and read back, with form
// {code, version, legal_basis} of NĐ 98/2023's version; the forms list
// names the version in force today and every version, and the replaced
// version's schema is still served with its legal source.
func TestNominationViewNamesItsForm(t *testing.T) {
	e := newEnv(t)
	tok := e.token("donvi.donghoa")
	body, _ := json.Marshal(map[string]any{"round_id": seed.DemoRoundID, "nominee_kind": "individual",
		"nominee_name": "Lê Thị Thu", "award": "bang-khen-tinh"})
	code, _, m := e.do("POST", "/api/v1/nominations", tok, "application/json", body)
	if code != 201 {
		t.Fatalf("create: %d %v", code, m)
	}
	check := func(what string, m map[string]any) {
		t.Helper()
		f, _ := m["form"].(map[string]any)
		if f["code"] != "HSKT-CN" || f["version"] != float64(1) ||
			!strings.HasPrefix(f["legal_basis"].(string), "Nghị định 98/2023/NĐ-CP, Phụ lục I, Mẫu số 03") {
			t.Fatalf("%s: form %v", what, m["form"])
		}
	}
	check("created", m)
	code, _, got := e.do("GET", "/api/v1/nominations/"+m["id"].(string), tok, "", nil)
	if code != 200 {
		t.Fatalf("get: %d", code)
	}
	check("read back", got)

	code, _, list := e.do("GET", "/api/v1/forms", tok, "", nil)
	items, _ := list["items"].([]any)
	if code != 200 || len(items) != len(forms.Kinds()) {
		t.Fatalf("forms: %d %v", code, list)
	}
	first := items[0].(map[string]any)
	today, _ := forms.InForce(forms.KindIndividual, time.Now())
	if first["code"] != "HSKT-CN" || first["version"] != float64(today.Version) || first["legal_basis"] != today.LegalBasis ||
		len(first["versions"].([]any)) != 2 {
		t.Fatalf("forms list: %v", first)
	}
	code, _, schema := e.do("GET", "/api/v1/forms/individual?version=1", tok, "", nil)
	if code != 200 || schema["x-form-version"] != float64(1) || schema["x-valid-to"] != "2025-06-30" ||
		!strings.HasPrefix(schema["x-legal-basis"].(string), "Nghị định 98/2023/NĐ-CP") {
		t.Fatalf("schema of v1: %d %v %v", code, schema["x-form-version"], schema["x-legal-basis"])
	}
	for q, want := range map[string]int{"?version=0": 422, "?version=x": 422, "?version=99": 404} {
		if code, _, _ := e.do("GET", "/api/v1/forms/individual"+q, tok, "", nil); code != want {
			t.Errorf("%s: %d, want %d", q, code, want)
		}
	}
}
