package learning

// Measure is a count a unit records per year for the rates' denominators
// (and the one numerator no title gives: centres using IT).
type Measure string

// The measures.
const (
	Households     Measure = "households"       // hộ gia đình
	Communities    Measure = "communities"      // thôn, ấp, khu phố
	Organisations  Measure = "organisations"    // cơ quan, tổ chức, trường học
	Workers        Measure = "workers"          // người lao động
	CivilServants  Measure = "civil_servants"   // cán bộ, công chức, viên chức
	Centres        Measure = "centres"          // trung tâm học tập cộng đồng
	CentresUsingIT Measure = "centres_using_it" // of them, using IT in management
)

// MeasureInfo names a measure.
type MeasureInfo struct {
	Code Measure `json:"code"`
	Name string  `json:"name"`
}

// Checks pairs each measure with what may not exceed it: the unit's
// recognised holders of a tally key, or another measure.
var Checks = map[Measure]struct {
	Key     string
	Measure Measure
}{
	Households:    {Key: Key(Family, "")},
	Communities:   {Key: Key(Community, "")},
	Organisations: {Key: Key(Unit, "")},
	Workers:       {Key: Key(Citizen, Worker)},
	CivilServants: {Key: Key(Citizen, CivilServant)},
	Centres:       {Measure: CentresUsingIT},
}

// Measures lists the measures a unit records.
var Measures = []MeasureInfo{
	{Households, "Số hộ gia đình"},
	{Communities, "Số thôn, ấp, khu phố"},
	{Organisations, "Số cơ quan, tổ chức, trường học"},
	{Workers, "Số người lao động"},
	{CivilServants, "Số cán bộ, công chức, viên chức"},
	{Centres, "Số trung tâm học tập cộng đồng"},
	{CentresUsingIT, "Số trung tâm học tập cộng đồng ứng dụng công nghệ thông tin trong quản lý"},
}

// ValidMeasure reports whether m is a known measure.
func ValidMeasure(m Measure) bool {
	for _, x := range Measures {
		if x.Code == m {
			return true
		}
	}
	return false
}

// Key names what a tally counts: the recognised holders of a title, with
// the person's category or the commune's rating where an indicator counts
// them apart ("cong-dan-hoc-tap/worker", "cong-dong-hoc-tap-cap-xa/tot").
func Key(t Title, qualifier string) string {
	if qualifier == "" {
		return string(t)
	}
	return string(t) + "/" + qualifier
}

// Indicator is one of the plan's rates: a numerator over a denominator.
type Indicator struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Numerator is the tally key counted, or with NumeratorMeasure a
	// measure the units record.
	Numerator        string  `json:"numerator,omitempty"`
	NumeratorMeasure Measure `json:"numerator_measure,omitempty"`
	// Denominator is a measure the units record, or with
	// DenominatorUnits the number of units of that kind in the tree.
	Denominator      Measure `json:"denominator,omitempty"`
	DenominatorUnits string  `json:"denominator_units,omitempty"`
	// LastYear is the last year the indicator is reported (0: every year).
	LastYear int `json:"last_year,omitempty"`
}

// The indicators of the plan (letter 09/CV-HKH of 2 February 2024 on plan
// 151/KH-UBND), in its order.
var Indicators = []Indicator{
	{Code: "gia-dinh-hoc-tap", Name: "Gia đình được công nhận Gia đình học tập", Numerator: Key(Family, ""), Denominator: Households},
	{Code: "cong-dong-hoc-tap", Name: "Cộng đồng khu, ấp đạt danh hiệu Cộng đồng học tập", Numerator: Key(Community, ""), Denominator: Communities},
	{Code: "don-vi-hoc-tap", Name: "Cơ quan, tổ chức, trường học được công nhận Đơn vị học tập", Numerator: Key(Unit, ""), Denominator: Organisations},
	{Code: "cong-dan-lao-dong", Name: "Người lao động trong Gia đình học tập, Cộng đồng học tập đạt Công dân học tập", Numerator: Key(Citizen, Worker), Denominator: Workers},
	{Code: "cong-dan-cbccvc", Name: "Cán bộ, công chức, viên chức trong Đơn vị học tập đạt Công dân học tập", Numerator: Key(Citizen, CivilServant), Denominator: CivilServants},
	{Code: "trung-tam-cntt", Name: "Trung tâm học tập cộng đồng ứng dụng công nghệ thông tin trong quản lý", NumeratorMeasure: CentresUsingIT, Denominator: Centres},
	{Code: "xa-xep-loai-tot", Name: "Xã, phường được xếp loại tốt về Cộng đồng học tập cấp xã", Numerator: Key(CommuneCommunity, RatingGood), DenominatorUnits: "commune"},
	{Code: "huyen-hoc-tap", Name: "Huyện, thị xã, thành phố đạt danh hiệu Huyện học tập", Numerator: Key(District, ""), DenominatorUnits: "district", LastYear: 2025},
}

// Figures are what the indicators are computed from, summed over a set of
// units: the tallies of recognised holders by key, the measures recorded,
// and the number of units by kind.
type Figures struct {
	Tallies  map[string]int64
	Measures map[Measure]int64
	Units    map[string]int64
}

// Value is one indicator for one unit and year.
type Value struct {
	Indicator   Indicator `json:"indicator"`
	Numerator   int64     `json:"numerator"`
	Denominator int64     `json:"denominator"`
	// Percent is the rate to one decimal, nil when the denominator is
	// not recorded.
	Percent *float64 `json:"percent"`
	// Target is the plan's percentage due by TargetYear (the first target
	// set for the year or after it), nil when none is set.
	Target     *float64 `json:"target"`
	TargetYear int      `json:"target_year,omitempty"`
	// Met is nil when either side is missing, or the figures are
	// inconsistent.
	Met *bool `json:"met"`
	// Inconsistent flags a numerator above its denominator: the counts
	// recorded are behind the register.
	Inconsistent bool `json:"inconsistent,omitempty"`
}

// Target is a plan's percentage for an indicator, due by Year.
type Target struct {
	Percent float64 `json:"percent"`
	Year    int     `json:"year"`
}

// Compute gives each indicator reported in year from f, against targets
// (by indicator code).
func Compute(year int, f Figures, targets map[string]Target) []Value {
	out := make([]Value, 0, len(Indicators))
	for _, ind := range Indicators {
		if ind.LastYear != 0 && year > ind.LastYear {
			continue
		}
		v := Value{Indicator: ind}
		if ind.NumeratorMeasure != "" {
			v.Numerator = f.Measures[ind.NumeratorMeasure]
		} else {
			v.Numerator = f.Tallies[ind.Numerator]
		}
		if ind.DenominatorUnits != "" {
			v.Denominator = f.Units[ind.DenominatorUnits]
		} else {
			v.Denominator = f.Measures[ind.Denominator]
		}
		if v.Denominator > 0 {
			p := Percent(v.Numerator, v.Denominator)
			v.Percent = &p
			v.Inconsistent = v.Numerator > v.Denominator
		}
		if t, ok := targets[ind.Code]; ok {
			v.Target, v.TargetYear = &t.Percent, t.Year
			// A numerator above its denominator says the counts are
			// behind the register: no verdict until they are corrected.
			if v.Percent != nil && !v.Inconsistent {
				met := *v.Percent >= t.Percent
				v.Met = &met
			}
		}
		out = append(out, v)
	}
	return out
}

// Percent is n over d in percent, rounded to one decimal (half away from
// zero), as reports print it.
func Percent(n, d int64) float64 {
	tenths := (n*1000 + d/2) / d
	return float64(tenths) / 10
}
