package seed_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"slices"
	"testing"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// referenceFile is the project's reference file, beside the repository
// when it is checked out in the team's workspace; data/ holds the copy
// compiled in.
const referenceFile = "../../../shared/reference/hcmc-communes-2025.json"

// TestCopyIsTheReference: the compiled-in file is the reference file, not
// an edited copy (where the workspace has it).
func TestCopyIsTheReference(t *testing.T) {
	ref, err := os.ReadFile(referenceFile)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("no reference file beside the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	copied, err := os.ReadFile("data/hcmc-communes-2025.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ref, copied) {
		t.Fatal("data/hcmc-communes-2025.json differs from the reference file: copy it again")
	}
}

// TestCityMatchesReference reads the file as plain JSON, apart from the
// types the seed decodes it into, and checks the seeded history against
// it: every old unit ends on 30 June 2025, every new one starts on 1 July
// 2025 under the city, and each one's lineage is the file's, share for
// share.
func TestCityMatchesReference(t *testing.T) {
	raw, err := os.ReadFile("data/hcmc-communes-2025.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		OldUnits []struct {
			Code, Name, Note string
			DistrictCode     string `json:"district_code"`
		} `json:"old_units"`
		NewUnits []struct {
			Code, Name, Kind string
			Predecessors     []struct{ Code, Share string }
		} `json:"new_units"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	units, parents, lineage := seed.History()
	byID := map[string]models.Unit{}
	for _, u := range units {
		if _, dup := byID[u.ID]; dup {
			t.Errorf("two units with ID %s", u.ID)
		}
		byID[u.ID] = u
		if u.LegalKind == "" || !slices.Contains(models.LegalKinds[u.Kind], u.LegalKind) {
			t.Errorf("%s %s: legal kind %q for a %s", u.ID, u.Name, u.LegalKind, u.Kind)
		}
		if slices.Contains(models.CodedKinds, u.Kind) && u.Code == "" {
			t.Errorf("%s %s has no code", u.ID, u.Name)
		}
	}

	type edge struct{ old, new, share string }
	var want, got []edge
	for _, n := range file.NewUnits {
		for _, p := range n.Predecessors {
			want = append(want, edge{p.Code, n.Code, p.Share})
		}
	}
	for _, l := range lineage {
		p, s := byID[l.PredecessorID], byID[l.SuccessorID]
		if p.ID == "" || s.ID == "" {
			t.Errorf("lineage %s → %s names a unit the seed has not", l.PredecessorID, l.SuccessorID)
			continue
		}
		if s.Kind == models.KindCommune {
			got = append(got, edge{p.Code, s.Code, l.Share})
		}
	}
	cmp := func(a, b edge) int {
		if c := bytes.Compare([]byte(a.old+" "+a.new), []byte(b.old+" "+b.new)); c != 0 {
			return c
		}
		return bytes.Compare([]byte(a.share), []byte(b.share))
	}
	slices.SortFunc(want, cmp)
	slices.SortFunc(got, cmp)
	if !slices.Equal(got, want) {
		t.Errorf("lineage of the communes: %d edges seeded, %d in the file; first seeded %v, first in the file %v",
			len(got), len(want), got[:min(3, len(got))], want[:min(3, len(want))])
	}

	// Every old unit, by code, ends with the reform; every new one starts
	// with it, of the kind the file gives, under the city.
	ended := map[string]bool{}
	started := map[string]models.Unit{}
	for _, u := range units {
		switch {
		case u.EffectiveTo != nil && u.EffectiveTo.Equal(seed.Reform):
			ended[u.Code] = true
		case u.EffectiveFrom.Equal(seed.Reform) && u.Kind == models.KindCommune:
			started[u.Code] = u
		}
	}
	for _, o := range file.OldUnits {
		if !ended[o.Code] {
			t.Errorf("old unit %s %s does not end on 30 June 2025", o.Code, o.Name)
		}
	}
	kinds := map[string]int{}
	underCity := map[string]bool{}
	for _, p := range parents {
		if p.ParentID == seed.CityID && p.EffectiveFrom.Equal(seed.Reform) && p.EffectiveTo == nil {
			underCity[p.UnitID] = true
		}
	}
	for _, n := range file.NewUnits {
		u, ok := started[n.Code]
		if !ok || u.Name != n.Name || u.LegalKind != n.Kind || u.EffectiveTo != nil {
			t.Errorf("new unit %s %s (%s) seeded as %+v", n.Code, n.Name, n.Kind, u)
			continue
		}
		if !underCity[u.ID] {
			t.Errorf("new unit %s is not under the city from 1 July 2025", u.Name)
		}
		kinds[n.Kind]++
	}
	if len(file.OldUnits) != 442 || len(started) != 168 || kinds["phường"] != 113 || kinds["xã"] != 54 || kinds["đặc khu"] != 1 {
		t.Errorf("%d old units, %d new: %v", len(file.OldUnits), len(started), kinds)
	}
}

// TestDepartmentsAndProvincesCarryOn: Bình Dương and Bà Rịa - Vũng Tàu
// and their departments end with the reform and go whole into the city
// and its departments, which carry on; the demo schools move to the
// city's Sở.
func TestDepartmentsAndProvincesCarryOn(t *testing.T) {
	units, parents, lineage := seed.History()
	byID := map[string]models.Unit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	successor := map[string]string{}
	for _, l := range lineage {
		if l.Share == models.ShareFull {
			successor[l.PredecessorID] = l.SuccessorID
		}
	}
	for old, next := range map[string]string{
		seed.ProvinceID: seed.CityID, seed.BRVTID: seed.CityID,
		seed.EducationID: seed.CityEducationID, seed.InteriorID: seed.CityInteriorID,
	} {
		if u := byID[old]; u.EffectiveTo == nil || !u.EffectiveTo.Equal(seed.Reform) {
			t.Errorf("%s does not end with the reform", old)
		}
		if successor[old] != next {
			t.Errorf("%s succeeded by %q, want %s", old, successor[old], next)
		}
		if byID[next].EffectiveTo != nil {
			t.Errorf("%s ends", next)
		}
	}
	for _, s := range seed.Schools {
		var after string
		for _, p := range parents {
			if p.UnitID == s.ID && p.EffectiveFrom.Equal(seed.Reform) {
				after = p.ParentID
			}
		}
		if after != seed.CityEducationID {
			t.Errorf("school %s under %q from the reform", s.ID, after)
		}
	}
}
