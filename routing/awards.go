package routing

import "fmt"

// Award is the form of commendation asked for.
type Award string

// The awards of the plan, by deciding authority (Law on Emulation and
// Commendation 2022).
const (
	GiayKhenXa       Award = "giay-khen-xa"        // Giấy khen của Chủ tịch UBND xã
	GiayKhenHuyen    Award = "giay-khen-huyen"     // Giấy khen của Chủ tịch UBND huyện
	GiayKhenSo       Award = "giay-khen-so"        // Giấy khen của Giám đốc Sở GD&ĐT
	BangKhenTinh     Award = "bang-khen-tinh"      // Bằng khen của Chủ tịch UBND thành phố (tỉnh)
	BangKhenBo       Award = "bang-khen-bo"        // Bằng khen của Bộ trưởng Bộ GD&ĐT
	BangKhenThuTuong Award = "bang-khen-thu-tuong" // Bằng khen của Thủ tướng Chính phủ
)

// AwardInfo is one row of the routing table in DESIGN.md: who decides the
// award, the last level that reviews it and the level that issues it.
type AwardInfo struct {
	Code      Award  `json:"code"`
	Name      string `json:"name"`       // e.g. "Bằng khen của Chủ tịch UBND thành phố"
	Form      string `json:"form"`       // "Giấy khen" or "Bằng khen"
	DecidedBy string `json:"decided_by"` // the deciding authority's title
	LastLevel Level  `json:"last_level"`
	Issuer    Level  `json:"issuer"`
	// External is set when the decision is taken outside the province (the
	// ministry, the central level): Interior records it.
	External bool `json:"external"`
	// IssuedBy names, for an External award, the central body that issues
	// its decision and the certificate itself ("Thủ tướng Chính phủ"):
	// tdkt records the decision from its number and date and writes no
	// document in that body's name.
	IssuedBy string `json:"issued_by,omitempty"`
	// ValidTo is the last day the authority holds the award (YYYY-MM-DD),
	// empty while it does: the district chairman's Giấy khen ended with
	// the districts on 30 June 2025.
	ValidTo string `json:"valid_to,omitempty"`
	// Formerly is the name the award bore in Bình Dương before 1 July
	// 2025, still accepted where a clerk types a name (an import).
	Formerly string `json:"formerly,omitempty"`
}

// Awards is the routing table: each award's levels, which the workflow
// and the planner read without a database. Who holds an award on a day is
// dated data, models.Authority, seeded from this table (its ValidTo
// included) and corrected there without a release.
var Awards = []AwardInfo{
	{GiayKhenXa, "Giấy khen của Chủ tịch UBND xã", "Giấy khen", "Chủ tịch UBND xã", Commune, Commune, false, "", "", ""},
	{GiayKhenHuyen, "Giấy khen của Chủ tịch UBND huyện", "Giấy khen", "Chủ tịch UBND huyện", District, District, false, "", "2025-06-30", ""},
	{GiayKhenSo, "Giấy khen của Giám đốc Sở Giáo dục và Đào tạo", "Giấy khen", "Giám đốc Sở GD&ĐT", Education, Education, false, "", "", ""},
	{BangKhenTinh, "Bằng khen của Chủ tịch UBND thành phố", "Bằng khen", "Chủ tịch UBND thành phố", Interior, Interior, false, "", "", "Bằng khen của Chủ tịch UBND tỉnh"},
	{BangKhenBo, "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo", "Bằng khen", "Bộ trưởng Bộ GD&ĐT", Interior, Interior, true, "Bộ Giáo dục và Đào tạo", "", ""},
	{BangKhenThuTuong, "Bằng khen của Thủ tướng Chính phủ", "Bằng khen", "Thủ tướng Chính phủ", Interior, Interior, true, "Thủ tướng Chính phủ", "", ""},
}

// LookupAward returns the routing row of an award.
func LookupAward(code Award) (AwardInfo, error) {
	for _, a := range Awards {
		if a.Code == code {
			return a, nil
		}
	}
	return AwardInfo{}, fmt.Errorf("unknown award %q", code)
}
