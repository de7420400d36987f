package forms

import (
	"strings"
	"testing"
	"time"
)

// vnDay is midnight of a civil day in Việt Nam.
func vnDay(s string) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, s, vietnam)
	if err != nil {
		panic(err)
	}
	return d
}

// TestVersionInForceByDate: the NĐ 98/2023 version through 30 June 2025,
// the NĐ 152/2025 version from 1 July 2025, none before 2024, the day
// being Việt Nam's (23:30 UTC on 30 June is already 1 July there).
func TestVersionInForceByDate(t *testing.T) {
	for _, kind := range Kinds() {
		for _, tc := range []struct {
			day     time.Time
			version int // 0: none
			decree  string
		}{
			{vnDay("2023-12-31"), 0, ""},
			{vnDay("2024-01-01"), 1, "98/2023/NĐ-CP"},
			{vnDay("2025-03-01"), 1, "98/2023/NĐ-CP"},
			{vnDay("2025-06-30"), 1, "98/2023/NĐ-CP"},
			{time.Date(2025, 6, 30, 16, 59, 0, 0, time.UTC), 1, "98/2023/NĐ-CP"},
			{time.Date(2025, 6, 30, 17, 0, 0, 0, time.UTC), 2, "152/2025/NĐ-CP"},
			{vnDay("2025-07-01"), 2, "152/2025/NĐ-CP"},
			{vnDay("2030-03-01"), 2, "152/2025/NĐ-CP"},
		} {
			f, ok := InForce(kind, tc.day)
			if tc.version == 0 {
				if ok {
					t.Errorf("%s on %s: version %d in force, want none", kind, tc.day, f.Version)
				}
				continue
			}
			if !ok || f.Version != tc.version || f.Code != Code(kind) || !strings.Contains(f.LegalBasis, tc.decree) {
				t.Errorf("%s on %s: %s v%d (%q) %v, want v%d under %s", kind, tc.day, f.Code, f.Version, f.LegalBasis, ok, tc.version, tc.decree)
			}
		}
	}
	if _, ok := InForce("khong-co", vnDay("2025-03-01")); ok {
		t.Error("a form in force for an unknown kind")
	}
}

// TestOldVersionStaysRetrievable: after NĐ 152/2025's version is
// registered, NĐ 98/2023's is still there under its code and version,
// with its own legal source and days; the versions do not overlap and
// follow each other day after day.
func TestOldVersionStaysRetrievable(t *testing.T) {
	seen := map[string]bool{}
	for _, kind := range Kinds() {
		code := Code(kind)
		if code == "" || seen[code] {
			t.Fatalf("%s: code %q missing or shared", kind, code)
		}
		seen[code] = true
		old, ok := Get(code, 1)
		if !ok || old.Kind != kind || old.ValidTo != "2025-06-30" || !strings.HasPrefix(old.LegalBasis, "Nghị định 98/2023/NĐ-CP") {
			t.Fatalf("%s v1: %+v %v", code, old.LegalBasis, ok)
		}
		if !strings.Contains(field(field(old.Fields, "letter").Fields, "legal_basis").Help, "98/2023/NĐ-CP") {
			t.Errorf("%s v1: the letter's legal basis help does not cite NĐ 98/2023", code)
		}
		cur, ok := Get(code, 2)
		if !ok || cur.ValidFrom != "2025-07-01" || cur.ValidTo != "" || !strings.HasPrefix(cur.LegalBasis, "Nghị định 152/2025/NĐ-CP") {
			t.Fatalf("%s v2: %+v %v", code, cur.LegalBasis, ok)
		}
		if Dossier(kind).Version != 2 {
			t.Errorf("%s: Dossier is version %d, want the newest", kind, Dossier(kind).Version)
		}
		vs := Versions(kind)
		if len(vs) != 2 || vs[0].Version != 1 || vs[1].Version != 2 {
			t.Fatalf("%s: versions %v", kind, vs)
		}
		for i := 1; i < len(vs); i++ {
			end, _ := parseDate(vs[i-1].ValidTo)
			if next := isoDate(end.AddDate(0, 0, 1)); next != vs[i].ValidFrom {
				t.Errorf("%s: v%d ends %s but v%d starts %s", kind, vs[i-1].Version, vs[i-1].ValidTo, vs[i].Version, vs[i].ValidFrom)
			}
		}
		// A copy: changing it leaves the registry as it was.
		old.Fields[0].Label = "đổi"
		if again, _ := Get(code, 1); again.Fields[0].Label == "đổi" {
			t.Fatal("Get hands out the registry's form")
		}
		// The old version validates a dossier by itself, today.
		d := example(t, kind)
		if _, errs := ValidateForm(again(t, code, 1), d, testNow); len(errs) > 0 {
			t.Errorf("%s v1: example refused: %v", code, errs)
		}
		if res := EligibilityFor("giay-khen-xa", again(t, code, 1), d, testNow); len(res) == 0 || res[0].RuleID == "kind" {
			t.Errorf("%s v1: eligibility %v", code, res)
		}
	}
	if _, ok := Get("HSKT-CN", 99); ok {
		t.Error("a version never registered")
	}
}

func again(t *testing.T, code string, version int) Form {
	t.Helper()
	f, ok := Get(code, version)
	if !ok {
		t.Fatalf("%s v%d not registered", code, version)
	}
	return f
}
