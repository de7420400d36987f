package service

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// refusedAt checks that err is a 422 naming ptr.
func refusedAt(t *testing.T, err error, ptr string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrInvalid {
		t.Fatalf("want a 422 at %s, got %v", ptr, err)
	}
	for _, f := range e.Fields {
		if f.Pointer == ptr {
			return
		}
	}
	t.Fatalf("refusal %v does not name %s", e.Fields, ptr)
}

// recomputed is an indicator computed again from the register's rows and
// the counts, without the tallies: recognised holders of the title (with
// the qualifier) over units, against the recorded measure.
func recomputed(t *testing.T, s *Service, year int, units []string, title learning.Title, qualifier string, measure learning.Measure) (n, d int64) {
	t.Helper()
	q := s.db.Model(&models.LearningRecognition{}).Where("year = ? AND unit_id IN ? AND title = ? AND status = ?", year, units, title, learning.Recognised)
	if qualifier != "" {
		q = q.Where("qualifier = ?", qualifier)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	var sum struct{ N int64 }
	s.db.Model(&models.LearningCount{}).Select("COALESCE(SUM(value), 0) AS n").Where("year = ? AND unit_id IN ? AND measure = ?", year, units, measure).Scan(&sum)
	return n, sum.N
}

func valueOf(t *testing.T, vs []learning.Value, code string) learning.Value {
	t.Helper()
	for _, v := range vs {
		if v.Indicator.Code == code {
			return v
		}
	}
	t.Fatalf("no indicator %s", code)
	return learning.Value{}
}

func TestIndicatorsFromTheRegister(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "vanthu.phuongdian")
	dian := seed.NewCommuneID("Phường Dĩ An")

	// The demo's 2025 register, for the phường and for the city, agrees
	// with a count made from the rows.
	for _, unit := range []string{dian, seed.CityID} {
		v, err := s.Indicators(ctx, clerk, unit, "2025")
		if err != nil {
			t.Fatal(err)
		}
		tree, _ := s.treeOn(ctx, mustDay(v.Day))
		set := tree.descendants(unit)
		for _, c := range []struct {
			code      string
			title     learning.Title
			qualifier string
			measure   learning.Measure
		}{
			{"gia-dinh-hoc-tap", learning.Family, "", learning.Households},
			{"cong-dong-hoc-tap", learning.Community, "", learning.Communities},
		} {
			n, d := recomputed(t, s, 2025, set, c.title, c.qualifier, c.measure)
			got := valueOf(t, v.Values, c.code)
			if got.Numerator != n || got.Denominator != d || got.Percent == nil || *got.Percent != learning.Percent(n, d) {
				t.Errorf("%s %s: %d/%d (%v), want %d/%d", unit, c.code, got.Numerator, got.Denominator, got.Percent, n, d)
			}
			if got.Target == nil || got.TargetYear != 2025 || got.Met == nil || *got.Met != (*got.Percent >= *got.Target) {
				t.Errorf("%s %s: target %v met %v", unit, c.code, got.Target, got.Met)
			}
		}
		good := valueOf(t, v.Values, "xa-xep-loai-tot")
		communes := 0
		for _, id := range set {
			if tree.units[id].Kind == models.KindCommune {
				communes++
			}
		}
		if good.Denominator != int64(communes) {
			t.Errorf("%s: %d communes rated, want %d", unit, good.Denominator, communes)
		}
		if len(v.Values) != len(learning.Indicators) {
			t.Errorf("%s 2025: %d indicators, want all %d", unit, len(v.Values), len(learning.Indicators))
		}
	}
	city, err := s.Indicators(ctx, clerk, seed.CityID, "2025")
	if err != nil {
		t.Fatal(err)
	}
	if len(city.Units) != 168 {
		t.Errorf("the city's 2025 has %d commune-level units, want 168", len(city.Units))
	}
	// Huyện học tập ends with 2025.
	v, err := s.Indicators(ctx, clerk, seed.CityID, "2026")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range v.Values {
		if x.Indicator.Code == "huyen-hoc-tap" {
			t.Error("Huyện học tập reported for 2026")
		}
	}
	if _, err := s.Indicators(ctx, clerk, seed.CityID, "2019"); err == nil {
		t.Error("a year before the movement accepted")
	}
}

func TestRegisterOfAHousehold(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "vanthu.phuongdian")
	dian := seed.NewCommuneID("Phường Dĩ An")
	rows := func() (n int64) {
		s.db.Model(&models.LearningRecognition{}).Count(&n)
		return n
	}

	h, err := s.CreateHolder(ctx, clerk, HolderInput{Kind: "household", Name: "Hộ ông Nguyễn Văn Tám", HeadName: "Nguyễn Văn Tám",
		UnitID: dian, Area: "Khu phố Nhị Đồng 1", SinceYear: 2018})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateHolder(ctx, clerk, HolderInput{Kind: "household", Name: "Hộ không chủ", UnitID: dian, SinceYear: 2018})
	refusedAt(t, err, "/head_name")

	// Recognised 2024 by old Phường Dĩ An (a predecessor), then 2025 and
	// 2026 by today's: three years running.
	lineage, _ := s.ref.Lineage(ctx)
	preds := models.WithPredecessors(lineage, dian)[1:]
	if len(preds) == 0 {
		t.Fatal("Phường Dĩ An has no predecessors")
	}
	old := preds[0]
	for _, y := range []struct {
		year int
		unit string
	}{{2024, old}, {2025, ""}, {2026, ""}} {
		if _, err := s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: y.year, UnitID: y.unit,
			Status: "recognised", DecisionNumber: "15/QĐ-UBND"}); err != nil {
			t.Fatalf("%d: %v", y.year, err)
		}
	}
	got, err := s.Holder(ctx, clerk, h.ID)
	if err != nil || got.YearsRunning["gia-dinh-hoc-tap"] != 3 || len(got.Recognitions) != 3 {
		t.Fatalf("the household's record: %+v %v", got, err)
	}

	before := rows()
	score := 120.0
	for _, c := range []struct {
		in  RecognitionInput
		ptr string
	}{
		{RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2017, UnitID: old, Status: "recognised"}, "/year"},                           // before the holder
		{RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2026, Status: "recognised"}, "/year"},                                        // a second 2026
		{RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2023, Status: "recognised"}, "/year"},                                        // before the phường existed
		{RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2026, UnitID: old, Status: "recognised"}, "/year"},                           // after the old one ended
		{RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2023, UnitID: seed.CommuneID("dong-hoa"), Status: "recognised"}, "/unit_id"}, // not its lineage
		{RecognitionInput{HolderID: h.ID, Title: "cong-dan-hoc-tap", Year: 2025, Status: "recognised"}, "/title"},
		{RecognitionInput{HolderID: h.ID, Title: "dong-ho-hoc-tap", Year: 2025, Status: "recognised"}, "/title"},
		{RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2023, UnitID: old, Status: "recognised", Score: &score}, "/score"},
		{RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2023, UnitID: old, Status: "not_recognised"}, "/reason"},
		{RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2023, UnitID: old, Status: "recognised", DecisionDate: "2022-12-01"}, "/decision_date"},
	} {
		_, err := s.RecordRecognition(ctx, clerk, c.in)
		refusedAt(t, err, c.ptr)
	}
	if rows() != before {
		t.Fatal("a refused recognition was written")
	}

	// The count of households may not be below what the register holds.
	zero, hundred := int64(0), int64(100)
	_, err = s.RecordCount(ctx, clerk, LearningCountInput{UnitID: dian, Year: 2026, Measure: "households", Value: &zero, Source: "Thống kê 2026"})
	refusedAt(t, err, "/value")
	if _, err := s.RecordCount(ctx, clerk, LearningCountInput{UnitID: dian, Year: 2026, Measure: "households", Value: &hundred, Source: "Thống kê 2026"}); err != nil {
		t.Fatal(err)
	}
	v, err := s.Indicators(ctx, clerk, dian, "2026")
	if err != nil {
		t.Fatal(err)
	}
	if g := valueOf(t, v.Values, "gia-dinh-hoc-tap"); g.Numerator != 1 || g.Denominator != 100 || *g.Percent != 1 {
		t.Fatalf("2026: %+v", g)
	}

	// 2024 is summed over the units Phường Dĩ An comes from; one went only
	// in part into it.
	v, err = s.Indicators(ctx, clerk, dian, "2024")
	if err != nil {
		t.Fatal(err)
	}
	if g := valueOf(t, v.Values, "gia-dinh-hoc-tap"); g.Numerator != 1 {
		t.Errorf("2024 over the predecessors: %+v", g)
	}
	if !v.Partial || len(v.Over) != len(preds) || slices.ContainsFunc(v.Over, func(l LineageView) bool { return l.ID == dian }) {
		t.Errorf("2024 is over %+v (partial %v), want the %d predecessors", v.Over, v.Partial, len(preds))
	}

	// Revoking takes it out of the tally.
	rec := got.Recognitions[0]
	if _, err := s.RevokeRecognition(ctx, clerk, rec.ID, RevokeInput{Reason: "Không còn đạt tiêu chí"}); err != nil {
		t.Fatal(err)
	}
	v, _ = s.Indicators(ctx, clerk, dian, "2026")
	if g := valueOf(t, v.Values, "gia-dinh-hoc-tap"); g.Numerator != 0 {
		t.Errorf("after revoking: %+v", g)
	}
	if _, err := s.RevokeRecognition(ctx, clerk, rec.ID, RevokeInput{Reason: "lần hai"}); err == nil {
		t.Error("revoked twice")
	}

	// Another commune's clerk keeps neither this register nor its counts.
	other := callerOf(t, s, "donvi.donghoa")
	if _, err := s.Holder(ctx, other, h.ID); err == nil {
		t.Error("another commune reads the household")
	}
}

func TestPersonIsKeptWithoutTheirCCCD(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "vanthu.phuongdian")
	in := HolderInput{Kind: "person", Name: "Lê Thị Mai", BirthYear: 1985, Address: "Khu phố Thống Nhất", Category: "worker",
		CCCD: "074185001234", UnitID: seed.NewCommuneID("Phường Dĩ An"), SinceYear: 2003}
	h, err := s.CreateHolder(ctx, clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(h)
	var row models.LearningHolder
	s.db.First(&row, "id = ?", h.ID)
	if strings.Contains(string(raw), in.CCCD) || strings.Contains(row.PersonKey, in.CCCD) || row.PersonKey == "" {
		t.Fatalf("the CCCD is kept or shown: %s / %q", raw, row.PersonKey)
	}
	in.Name = "Lê T. Mai"
	_, err = s.CreateHolder(ctx, clerk, in)
	refusedAt(t, err, "/cccd")
	in.CCCD = "12345"
	_, err = s.CreateHolder(ctx, clerk, in)
	refusedAt(t, err, "/cccd")
	if _, err := s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: h.ID, Title: "cong-dan-hoc-tap", Year: 2026, Status: "recognised"}); err != nil {
		t.Fatal(err)
	}
	var tally models.LearningTally
	s.db.First(&tally, "key = ?", learning.Key(learning.Citizen, learning.Worker))
	if tally.N != 1 {
		t.Fatalf("the worker's tally: %+v", tally)
	}
}

func mustDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// A year's figures belong to the units that close it; readers who see
// every unit's register (Interior) may not change it; a second record of
// a CCCD names no one.
func TestRegisterBoundaries(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "vanthu.phuongdian")
	dian := seed.NewCommuneID("Phường Dĩ An")
	h, err := s.CreateHolder(ctx, clerk, HolderInput{Kind: "household", Name: "Hộ bà Lê Thị Bảy", HeadName: "Lê Thị Bảy", UnitID: dian, SinceYear: 2015})
	if err != nil {
		t.Fatal(err)
	}
	lineage, _ := s.ref.Lineage(ctx)
	old := models.WithPredecessors(lineage, dian)[1]
	// Old Phường Dĩ An ended on 30 June 2025: its 2025 would be summed by
	// no tree, so 2025 is recorded under today's phường.
	_, err = s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2025, UnitID: old, Status: "recognised"})
	refusedAt(t, err, "/year")
	ten := int64(10)
	_, err = s.RecordCount(ctx, clerk, LearningCountInput{UnitID: old, Year: 2025, Measure: "households", Value: &ten, Source: "x"})
	refusedAt(t, err, "/year")
	rec, err := s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2025, Status: "recognised"})
	if err != nil {
		t.Fatal(err)
	}

	interior := callerOf(t, s, "canbo.sonoivu")
	if _, err := s.Holder(ctx, interior, h.ID); err != nil {
		t.Fatalf("Interior reads the register: %v", err)
	}
	var e *Error
	if _, err := s.RevokeRecognition(ctx, interior, rec.ID, RevokeInput{Reason: "x"}); !errors.As(err, &e) || e.Kind != ErrForbidden {
		t.Fatalf("Interior revokes a commune's recognition: %v", err)
	}
	if _, err := s.RecordCount(ctx, interior, LearningCountInput{UnitID: dian, Year: 2025, Measure: "households", Value: &ten, Source: "x"}); !errors.As(err, &e) || e.Kind != ErrForbidden {
		t.Fatalf("Interior overwrites a commune's count: %v", err)
	}

	person := HolderInput{Kind: "person", Name: "Trần Văn Mười", BirthYear: 1970, CCCD: "074170009999", UnitID: dian, SinceYear: 1990}
	if _, err := s.CreateHolder(ctx, clerk, person); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateHolder(ctx, clerk, person)
	refusedAt(t, err, "/cccd")
	var first models.LearningHolder
	s.db.First(&first, "name = ?", person.Name)
	errors.As(err, &e)
	for _, f := range e.Fields {
		if strings.Contains(f.Message, person.Name) || strings.Contains(f.Message, first.ID) || strings.Contains(f.MessageEN, first.ID) {
			t.Errorf("the refusal names the person: %+v", f)
		}
	}
}

// Points per criterion are scored on the title's sheet in force for the
// year: the total is the score, the commune's rating the sheet's, a total
// below the threshold cannot be recognised, an unknown criterion is
// refused by its name; the recognition keeps the sheet's version.
func TestRecognitionScoredOnTheSheet(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "vanthu.phuongdian")
	dian := seed.NewCommuneID("Phường Dĩ An")
	h, err := s.CreateHolder(ctx, clerk, HolderInput{Kind: "household", Name: "Hộ ông Đỗ Văn Hai", HeadName: "Đỗ Văn Hai", UnitID: dian, SinceYear: 2010})
	if err != nil {
		t.Fatal(err)
	}
	sheet, _ := learning.SheetInForce(learning.Family, mustDay("2026-01-01"))
	points := map[string]float64{}
	for _, c := range sheet.Criteria {
		points[c.Code] = c.Max
	}
	points[sheet.Criteria[0].Code] = sheet.Criteria[0].Max - 5
	v, err := s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2026, Status: "recognised", Criteria: points})
	if err != nil {
		t.Fatal(err)
	}
	if v.Score == nil || *v.Score != sheet.Max()-5 || v.Sheet != sheet.Code+" v1" || v.Criteria[sheet.Criteria[0].Code] != sheet.Criteria[0].Max-5 {
		t.Fatalf("scored: %+v", v)
	}
	low := map[string]float64{}
	for _, c := range sheet.Criteria {
		low[c.Code] = 0
	}
	_, err = s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2025, Status: "recognised", Criteria: low})
	refusedAt(t, err, "/criteria")
	low["khong-co"] = 1
	_, err = s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2025, Status: "recognised", Criteria: low})
	refusedAt(t, err, "/criteria/khong-co")
	// Scored below the threshold and not recognised is a decision too.
	delete(low, "khong-co")
	if _, err := s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2025, Status: "not_recognised",
		Reason: "Chưa đạt tiêu chí", Criteria: low}); err != nil {
		t.Fatal(err)
	}

	xa, err := s.CreateHolder(ctx, clerk, HolderInput{Kind: "commune", Name: "Phường Dĩ An", UnitID: dian, SinceYear: 2025})
	if err != nil {
		t.Fatal(err)
	}
	commune, _ := learning.SheetInForce(learning.CommuneCommunity, mustDay("2026-01-01"))
	cp := map[string]float64{}
	for _, c := range commune.Criteria {
		cp[c.Code] = c.Max * 0.75 // 75 of 100: khá
	}
	r, err := s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: xa.ID, Title: "cong-dong-hoc-tap-cap-xa", Year: 2026, Status: "recognised", Criteria: cp})
	if err != nil || r.Rating != learning.RatingFair {
		t.Fatalf("the commune rated by its sheet: %+v %v", r, err)
	}
}
