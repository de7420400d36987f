package e2e

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// TestDossierChecksAtSubmit: a draft may be incomplete, but submission
// validates the dossier against its form (every error by pointer), the
// award's eligibility rules (a hard rule blocks) and duplicates (the same
// CCCD with an open nomination for the same award: 409 naming it). A
// refused submission stores nothing.
func TestDossierChecksAtSubmit(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	create := func(name string, dossier map[string]any) string {
		r := must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{"round_id": "thu-nghiem",
			"nominee_kind": "individual", "nominee_name": name, "award": "bang-khen-tinh", "dossier": dossier}),
			http.StatusCreated, "draft")
		return r.str("id")
	}
	unchanged := func(id string) {
		t.Helper()
		var n models.Nomination
		s.db.First(&n, "id = ?", id)
		var versions int64
		s.db.Model(&models.DossierVersion{}).Where("nomination_id = ?", id).Count(&versions)
		if n.Status != workflows.StatusDraft || n.Route != "" || versions != 0 || n.PendingVersion != 0 {
			t.Fatalf("refused submission left traces: status %s, route %q, %d versions, pending %d", n.Status, n.Route, versions, n.PendingVersion)
		}
	}

	incomplete := create("Kiều Thị Nga", map[string]any{"nominee": map[string]any{"full_name": "Kiều Thị Nga", "cccd": "12345"}})
	r := must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+incomplete+"/submit", nil), http.StatusUnprocessableEntity, "incomplete")
	pointers := map[string]bool{}
	for _, e := range r.body["errors"].([]any) {
		fe := e.(map[string]any)
		pointers[fe["pointer"].(string)] = true
		if fe["message"] == "" || fe["message_en"] == "" {
			t.Errorf("error without messages: %v", fe)
		}
	}
	for _, p := range []string{"/dossier/letter", "/dossier/nominee/cccd", "/dossier/nominee/achievements", "/dossier/minutes"} {
		if !pointers[p] {
			t.Errorf("no error at %s; got %v", p, pointers)
		}
	}
	unchanged(incomplete)

	noTitle := dossierFor(t, "Kiều Thị Oanh", "bang-khen-tinh")
	noTitle["nominee"].(map[string]any)["titles"] = []any{}
	ineligible := create("Kiều Thị Oanh", noTitle)
	r = must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+ineligible+"/submit", nil), http.StatusUnprocessableEntity, "ineligible")
	if !strings.Contains(string(r.raw), "Công dân học tập") {
		t.Fatalf("eligibility problem does not name the missing title: %s", r.raw)
	}
	unchanged(ineligible)

	d := dossierFor(t, "Kiều Thị Phương", "bang-khen-tinh")
	first := create("Kiều Thị Phương", d)
	second := create("Kiều Thị Phương", d)
	submit(t, s, first)
	r = must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+second+"/submit", nil), http.StatusConflict, "duplicate")
	if !strings.Contains(r.str("detail"), first) {
		t.Fatalf("duplicate problem does not name %s: %s", first, r.raw)
	}
	unchanged(second)

	// The reviewer sees the rules' results.
	r = must(t, s.call("xet.donghoa", "GET", "/api/v1/nominations/"+first, nil), http.StatusOK, "get")
	results, _ := r.body["eligibility"].([]any)
	if len(results) == 0 {
		t.Fatalf("no eligibility results: %s", r.raw)
	}
	for _, res := range results {
		if st := res.(map[string]any)["status"]; st == "fail" {
			t.Fatalf("submitted nomination has a failing rule: %v", res)
		}
	}
}
