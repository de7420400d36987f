package learning

import "testing"

func TestCompute(t *testing.T) {
	f := Figures{
		Tallies:  map[string]int64{Key(Family, ""): 700, Key(Community, ""): 12, Key(CommuneCommunity, RatingGood): 1, Key(Citizen, Worker): 50},
		Measures: map[Measure]int64{Households: 1000, Communities: 20, Workers: 40, Centres: 3, CentresUsingIT: 2},
		Units:    map[string]int64{"commune": 2, "district": 1},
	}
	targets := map[string]Target{"gia-dinh-hoc-tap": {70, 2025}, "cong-dong-hoc-tap": {65, 2025}, "trung-tam-cntt": {70, 2025}, "xa-xep-loai-tot": {90, 2025}}
	got := map[string]Value{}
	for _, v := range Compute(2025, f, targets) {
		got[v.Indicator.Code] = v
	}
	if len(got) != len(Indicators) {
		t.Fatalf("%d indicators in 2025, want %d", len(got), len(Indicators))
	}
	check := func(code string, percent float64, met *bool) {
		t.Helper()
		v := got[code]
		if v.Percent == nil || *v.Percent != percent {
			t.Errorf("%s: percent %v, want %v", code, v.Percent, percent)
		}
		switch {
		case met == nil && v.Met != nil:
			t.Errorf("%s: met %v without a target", code, *v.Met)
		case met != nil && (v.Met == nil || *v.Met != *met):
			t.Errorf("%s: met %v, want %v", code, v.Met, *met)
		}
	}
	yes, no := true, false
	check("gia-dinh-hoc-tap", 70, &yes) // exactly the target meets it
	check("cong-dong-hoc-tap", 60, &no)
	check("trung-tam-cntt", 66.7, &no) // 2 of 3, rounded
	check("xa-xep-loai-tot", 50, &no)
	check("huyen-hoc-tap", 0, nil)
	if v := got["don-vi-hoc-tap"]; v.Percent != nil || v.Met != nil {
		t.Errorf("no organisations recorded: %+v", v)
	}
	if v := got["cong-dan-lao-dong"]; !v.Inconsistent {
		t.Errorf("50 workers recognised of 40 recorded is not flagged: %+v", v)
	}
	for _, v := range Compute(2026, f, nil) {
		if v.Indicator.Code == "huyen-hoc-tap" {
			t.Error("Huyện học tập reported after the districts ended")
		}
	}
}

func TestPercentRounds(t *testing.T) {
	for _, c := range []struct {
		n, d int64
		want float64
	}{{1, 3, 33.3}, {2, 3, 66.7}, {1, 8, 12.5}, {0, 5, 0}, {5, 5, 100}} {
		if got := Percent(c.n, c.d); got != c.want {
			t.Errorf("%d/%d = %v, want %v", c.n, c.d, got, c.want)
		}
	}
}

func TestTitleByName(t *testing.T) {
	if ti, ok := TitleByName("  gia đình  HỌC tập "); !ok || ti.Code != Family {
		t.Errorf("a clerk's spelling: %v %v", ti, ok)
	}
	if _, ok := TitleByName("Gia đình văn hóa"); ok {
		t.Error("another title accepted")
	}
}

// TestShortNames: every indicator has a short name that fits a sheet's
// name behind the per-commune prefix ("Xã - ").
func TestShortNames(t *testing.T) {
	for _, ind := range Indicators {
		n := ShortName(ind.Code)
		if n == ind.Code {
			t.Errorf("%s has no short name", ind.Code)
		}
		if l := len([]rune("Xã - " + n)); l > 31 {
			t.Errorf("%s: %q is %d characters, more than a sheet's 31", ind.Code, n, l)
		}
	}
}

func TestFormatPercentAndVerdict(t *testing.T) {
	if got := FormatPercent(75); got != "75,0" {
		t.Errorf("FormatPercent(75) = %q", got)
	}
	if got := FormatPercent(33.3); got != "33,3" {
		t.Errorf("FormatPercent(33.3) = %q", got)
	}
	yes, no, target, p := true, false, 70.0, 75.0
	for _, c := range []struct {
		v    Value
		want string
	}{
		{Value{Percent: &p, Target: &target, Met: &yes}, "Đạt"},
		{Value{Percent: &p, Target: &target, Met: &no}, "Chưa đạt"},
		{Value{Target: &target}, "Chưa có số liệu"},
		{Value{Percent: &p}, "Chưa đặt chỉ tiêu"},
	} {
		if got := c.v.Verdict(); got != c.want {
			t.Errorf("Verdict of %+v = %q, want %q", c.v, got, c.want)
		}
	}
}

// A numerator above its denominator (the counts behind the register) is
// flagged and gets no verdict.
func TestInconsistentFiguresGetNoVerdict(t *testing.T) {
	f := Figures{Tallies: map[string]int64{Key(Family, ""): 50000}, Measures: map[Measure]int64{Households: 1}, Units: map[string]int64{}}
	for _, v := range Compute(2026, f, map[string]Target{"gia-dinh-hoc-tap": {70, 2025}}) {
		if v.Indicator.Code == "gia-dinh-hoc-tap" && (!v.Inconsistent || v.Met != nil) {
			t.Fatalf("50,000 of 1: %+v", v)
		}
	}
}
