package models_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

func dayPtr(t *testing.T, s string) *time.Time { d := day(t, s); return &d }

// codes are the codes of rows, in order.
func codes(rows []models.LegalBasis) string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Code
	}
	return strings.Join(out, " ")
}

// TestLegalBasesOn: a decision cites what is in force on its day, the
// last day of a text included and the day after excluded, the sector's
// texts only for the sector, in the rows' order whatever the input's.
func TestLegalBasesOn(t *testing.T) {
	rows := seed.LegalBases()
	slices.Reverse(rows) // the order comes from Position, not the input
	before := codes(rows)
	for _, c := range []struct {
		on     string
		sector string
		want   string
	}{
		{"2025-06-15", "", "77/2015/QH13 06/2022/QH15 98/2023/NĐ-CP 01/2024/TT-BNV"},
		{"2025-06-20", "", "72/2025/QH15 06/2022/QH15 98/2023/NĐ-CP 01/2024/TT-BNV"},
		{"2025-06-30", "", "72/2025/QH15 06/2022/QH15 98/2023/NĐ-CP 01/2024/TT-BNV"},
		{"2025-07-01", "", "72/2025/QH15 06/2022/QH15 152/2025/NĐ-CP 01/2024/TT-BNV"},
		{"2025-08-04", "", "72/2025/QH15 06/2022/QH15 152/2025/NĐ-CP 01/2024/TT-BNV"},
		{"2025-08-05", "", "72/2025/QH15 06/2022/QH15 152/2025/NĐ-CP 15/2025/TT-BNV"},
		{"2026-11-25", "", "72/2025/QH15 06/2022/QH15 152/2025/NĐ-CP 15/2025/TT-BNV"},
		{"2025-06-20", models.SectorEducation, "72/2025/QH15 06/2022/QH15 98/2023/NĐ-CP 01/2024/TT-BNV 29/2023/TT-BGDĐT"},
		{"2026-04-01", models.SectorEducation, "72/2025/QH15 06/2022/QH15 152/2025/NĐ-CP 15/2025/TT-BNV 29/2023/TT-BGDĐT"},
		{"2026-04-02", models.SectorEducation, "72/2025/QH15 06/2022/QH15 152/2025/NĐ-CP 15/2025/TT-BNV 07/2026/TT-BGDĐT"},
		{"2023-06-01", "", "77/2015/QH13"},
	} {
		if got := codes(models.LegalBasesOn(rows, day(t, c.on), c.sector)); got != c.want {
			t.Errorf("%s (%q): %s, want %s", c.on, c.sector, got, c.want)
		}
	}
	if codes(rows) != before {
		t.Error("LegalBasesOn reordered its input")
	}
	// A time is read on its own day: 00:30 on 1 July in Vietnam is still
	// 30 June in UTC.
	vn := time.Date(2025, 7, 1, 0, 30, 0, 0, calendar.Zone)
	if got := codes(models.LegalBasesOn(rows, vn, "")); !strings.Contains(got, "152/2025/NĐ-CP") {
		t.Errorf("1 July 2025 00:30 in Vietnam cites %s", got)
	}
	if got := codes(models.LegalBasesOn(rows, vn.UTC(), "")); !strings.Contains(got, "98/2023/NĐ-CP") {
		t.Errorf("30 June 2025 17:30 UTC cites %s", got)
	}
}

// TestCheckLegalBasis: a row needs its code, kind, title, first day and
// source; its last day is not before its first; its title names its kind
// and, but for a law, its code; and it may not share a day with another
// row of its code — the field at fault is the day that runs into it.
func TestCheckLegalBasis(t *testing.T) {
	nd98 := models.LegalBasis{ID: 1, Code: "98/2023/NĐ-CP", Kind: "nghị định", Title: "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023",
		ValidFrom: day(t, "2024-01-01"), ValidTo: dayPtr(t, "2025-06-30"), Source: "Công báo"}
	others := []models.LegalBasis{nd98}
	problems := func(b models.LegalBasis) string {
		var out []string
		for _, p := range models.CheckLegalBasis(b, others) {
			out = append(out, p.Field+":"+p.Rule)
		}
		return strings.Join(out, " ")
	}
	if got := problems(nd98); got != "" {
		t.Errorf("the row itself: %s", got)
	}
	// The next text, from the day after: no problem.
	nd152 := models.LegalBasis{Code: "152/2025/NĐ-CP", Kind: "nghị định", Title: "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025",
		ValidFrom: day(t, "2025-07-01"), Source: "Công báo"}
	if got := problems(nd152); got != "" {
		t.Errorf("a replacing text: %s", got)
	}
	for _, c := range []struct {
		name string
		edit func(*models.LegalBasis)
		want string
	}{
		{"empty", func(b *models.LegalBasis) { *b = models.LegalBasis{} },
			"code:required kind:required title:required valid_from:required source:required"},
		{"unknown kind and sector", func(b *models.LegalBasis) { b.Kind, b.Sector = "công văn", "health" },
			"kind:unknown sector:unknown"},
		{"last day before the first", func(b *models.LegalBasis) { b.ValidTo = dayPtr(t, "2025-06-30") }, "valid_to:order"},
		{"one day", func(b *models.LegalBasis) { b.ValidTo = dayPtr(t, "2025-07-01") }, ""},
		{"issued after it took effect", func(b *models.LegalBasis) { b.IssuedOn = dayPtr(t, "2025-07-02") }, "issued_on:after"},
		{"title of another kind", func(b *models.LegalBasis) { b.Title = "Thông tư số 152/2025/NĐ-CP" }, "title:title_kind"},
		{"title without the code", func(b *models.LegalBasis) { b.Title = "Nghị định số 125/2025/NĐ-CP" }, "title:title_code"},
		{"a law is cited by its date", func(b *models.LegalBasis) {
			b.Kind, b.Title = "luật", "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"
		}, ""},
		// Same code as NĐ 98: starting inside its period, the first day is at fault…
		{"starts inside another", func(b *models.LegalBasis) {
			b.Code, b.Title = nd98.Code, nd98.Title
			b.ValidFrom = day(t, "2025-06-30")
		},
			"valid_from:overlap"},
		// …starting before it and running into it, the last day.
		{"runs into another", func(b *models.LegalBasis) {
			b.Code, b.Title, b.ValidFrom, b.ValidTo = nd98.Code, nd98.Title, day(t, "2023-06-01"), dayPtr(t, "2024-01-01")
		}, "valid_to:overlap"},
		{"open-ended before another", func(b *models.LegalBasis) { b.Code, b.Title, b.ValidFrom = nd98.Code, nd98.Title, day(t, "2023-06-01") },
			"valid_to:overlap"},
		{"adjacent after another", func(b *models.LegalBasis) { b.Code, b.Title = nd98.Code, nd98.Title }, ""},
		{"adjacent before another", func(b *models.LegalBasis) {
			b.Code, b.Title, b.ValidFrom, b.ValidTo = nd98.Code, nd98.Title, day(t, "2023-06-01"), dayPtr(t, "2023-12-31")
		}, ""},
	} {
		b := nd152
		c.edit(&b)
		want := strings.ReplaceAll(c.want, "issued_on:after", "issued_on:"+models.RuleIssuedAfter)
		if got := problems(b); got != want {
			t.Errorf("%s: %q, want %q", c.name, got, want)
		}
	}
	// The overlapped row is named.
	b := nd152
	b.Code, b.Title, b.ValidFrom = nd98.Code, nd98.Title, day(t, "2025-01-01")
	if p := models.CheckLegalBasis(b, others); len(p) != 1 || p[0].Other == nil || p[0].Other.ID != nd98.ID {
		t.Errorf("overlap: %+v", p)
	}
	// A row patched within its own period does not overlap itself.
	moved := nd98
	moved.ValidTo = dayPtr(t, "2025-07-31")
	if got := problems(moved); got != "" {
		t.Errorf("a row changing its own dates: %s", got)
	}
}

// TestMigrateAddsLegalBases upgrades a database as version 6 left it:
// version 8 creates the table, the seed fills it once, and a corrected
// row is not brought back by the next start.
func TestMigrateAddsLegalBases(t *testing.T) {
	ctx := context.Background()
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := db.Migrator().DropTable(&models.LegalBasis{}); err != nil {
				t.Fatal(err)
			}
			db.Where("version > 6").Delete(&models.SchemaMigration{})
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 2; i++ {
				if err := seed.Apply(ctx, db, seed.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			rows, err := models.LegalBases(ctx, db)
			if err != nil || len(rows) != len(seed.LegalBases()) {
				t.Fatalf("%d rows after two starts (%v), want %d", len(rows), err, len(seed.LegalBases()))
			}
			var nd models.LegalBasis
			if err := db.First(&nd, "code = ?", "152/2025/NĐ-CP").Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Model(&nd).Update("title", "Nghị định số 152/2025/NĐ-CP (đã sửa)").Error; err != nil {
				t.Fatal(err)
			}
			if err := seed.Apply(ctx, db, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			got, err := models.LoadLegalBasis(ctx, db, nd.ID)
			if err != nil || got.Title != "Nghị định số 152/2025/NĐ-CP (đã sửa)" {
				t.Errorf("the corrected row after a start: %+v %v", got, err)
			}
			if on := models.LegalBasesOn(rows, day(t, "2026-01-15"), ""); codes(on) != "72/2025/QH15 06/2022/QH15 152/2025/NĐ-CP 15/2025/TT-BNV" {
				t.Errorf("read back, 2026 cites %s", codes(on))
			}
		})
	}
}
