package service

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

// TestNominationKeepsItsFormVersion: a draft of the demo round (reference
// date 1 March 2025) is filed under NĐ 98/2023's version of the form
// although NĐ 152/2025's is in force on the service's day (1 October
// 2026); it opens, validates and changes kind under that version, and a
// version the registry does not have is an error, not the newest form.
func TestNominationKeepsItsFormVersion(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "donvi.donghoa")
	if f, _ := forms.InForce(forms.KindIndividual, s.now()); f.Version != 2 {
		t.Fatalf("in force on the service's day: version %d, want 2", f.Version)
	}
	d, err := forms.ExampleFor(forms.KindIndividual, "Trần Thị Mai", routing.BangKhenTinh, 77)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(d)
	v, err := s.CreateNomination(ctx, clerk, NominationInput{RoundID: strp(seed.DemoRoundID), NomineeKind: strp(forms.KindIndividual),
		NomineeName: strp("Trần Thị Mai"), Award: strp(string(routing.BangKhenTinh)), Dossier: raw}, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Form == nil || v.Form.Code != "HSKT-CN" || v.Form.Version != 1 || !strings.HasPrefix(v.Form.LegalBasis, "Nghị định 98/2023/NĐ-CP") {
		t.Fatalf("created under %+v, want HSKT-CN v1 under NĐ 98/2023", v.Form)
	}
	// It opens with its version.
	opened, err := s.Nomination(ctx, clerk, v.ID)
	if err != nil || opened.Form == nil || *opened.Form != *v.Form {
		t.Fatalf("opened: %v %+v", err, opened.Form)
	}
	f, err := s.NominationForm(opened)
	if err != nil || f.Version != 1 || f.ValidTo != "2025-06-30" {
		t.Fatalf("its form: %v v%d to %s", err, f.Version, f.ValidTo)
	}
	// It validates with its version.
	var n models.Nomination
	if err := s.db.First(&n, "id = ?", v.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.checkDossier(ctx, n); err != nil {
		t.Fatalf("the dossier under v1: %v", err)
	}
	// A change of kind keeps the version.
	if _, err := s.PatchNomination(ctx, clerk, v.ID, NominationInput{NomineeKind: strp(forms.KindHousehold)}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.First(&n, "id = ?", v.ID).Error; err != nil || n.FormCode != "HSKT-HGD" || n.FormVersion != 1 {
		t.Fatalf("after a change of kind: %v %s v%d", err, n.FormCode, n.FormVersion)
	}
	// A version the registry lacks is not replaced by the newest.
	n.FormVersion = 99
	if _, err := s.checkDossier(ctx, n); err == nil || !strings.Contains(err.Error(), "not registered") {
		t.Fatalf("an unregistered version: %v", err)
	}
}
