package seed

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// The city as it stands since 1 July 2025, and what it was made of, come
// from data/hcmc-communes-2025.json: every old and new commune-level unit
// of Thành phố Hồ Chí Minh by national code, with the lineage of the
// merger (its "about" names the sources: Nghị quyết 1685/NQ-UBTVQH15 and
// 202/2025/QH15). The file is a copy of the project's reference file, not
// retyped; TestCityMatchesReference reads it back against the units built
// here.

//go:embed data/hcmc-communes-2025.json
var cityJSON []byte

// Reorganisation is the reference file: the old provinces, the new city,
// the commune-level units before and after the reform.
type Reorganisation struct {
	About        string          `json:"about"`
	Effective    string          `json:"effective"`
	OldProvinces []ProvinceEntry `json:"old_provinces"`
	NewProvince  ProvinceEntry   `json:"new_province"`
	OldUnits     []OldUnit       `json:"old_units"`
	NewUnits     []NewUnit       `json:"new_units"`
}

// ProvinceEntry is a province-level unit by code.
type ProvinceEntry struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// OldUnit is a commune-level unit in force until 30 June 2025, with its
// district and province.
type OldUnit struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	DistrictCode string `json:"district_code"`
	District     string `json:"district"`
	ProvinceCode string `json:"province_code"`
	Province     string `json:"province"`
	// Note says when the entry is not a commune ("district without
	// communes": Huyện Côn Đảo, whose code is the district's).
	Note string `json:"note,omitempty"`
}

// IsDistrict reports whether the entry is a district-level unit that had
// no communes, listed as its own old unit.
func (o OldUnit) IsDistrict() bool { return o.Code == o.DistrictCode }

// NewUnit is a commune-level unit in force from 1 July 2025, with the old
// units it was formed from.
type NewUnit struct {
	Code         string        `json:"code"`
	Name         string        `json:"name"`
	Kind         string        `json:"kind"`
	Predecessors []Predecessor `json:"predecessors"`
}

// Predecessor is an old unit's share in a new one.
type Predecessor struct {
	Code  string `json:"code"`
	Share string `json:"share"`
}

// City is the reference file compiled into the binary, read once; callers
// share it and must not change it.
var City = sync.OnceValue(func() Reorganisation {
	var r Reorganisation
	if err := json.Unmarshal(cityJSON, &r); err != nil {
		panic(fmt.Sprintf("seed: data/hcmc-communes-2025.json: %v", err))
	}
	return r
})

// IDs of the city and its departments, which carry on through the reform,
// and of the province merged into it beside Bình Dương.
const (
	CityID          = "tp-ho-chi-minh"
	CityEducationID = "so-gddt-tphcm"
	CityInteriorID  = "so-noi-vu-tphcm"
	BRVTID          = "ba-ria-vung-tau"
)

// provinceIDs names the old provinces by code; the old city is the city.
var provinceIDs = map[string]string{"74": ProvinceID, "77": BRVTID, "79": CityID}

// NewCommuneID is the ID of the commune-level unit formed on 1 July 2025
// with this name: "tphcm-" and the ASCII form of its name
// ("tphcm-phuong-di-an"), apart from the old units' IDs, which the same
// names may have. Names that differ only in their tones (Xã Thanh An, Xã
// Thạnh An) add the unit's code to tell them apart. "" for a name the city
// does not have.
func NewCommuneID(name string) string {
	for _, n := range City().NewUnits {
		if n.Name == name {
			return newCommuneIDs()[n.Code]
		}
	}
	return ""
}

// newCommuneIDs maps each new unit's code to its ID.
func newCommuneIDs() map[string]string {
	units := City().NewUnits
	slugs := map[string]int{}
	for _, n := range units {
		slugs[slugOf(n.Name)]++
	}
	ids := make(map[string]string, len(units))
	for _, n := range units {
		id := "tphcm-" + slugOf(n.Name)
		if slugs[slugOf(n.Name)] > 1 {
			id += "-" + n.Code
		}
		ids[n.Code] = id
	}
	return ids
}

// slugOf is the ASCII form of a name, words joined by "-".
func slugOf(name string) string {
	f := strings.ToLower(textnorm.Fold(name))
	return strings.Join(strings.FieldsFunc(f, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), "-")
}

// History is every unit the city's documents may name, from 2023: the
// three provinces and their districts and communes until 30 June 2025, the
// city's 168 communes from 1 July 2025, the departments and the demo
// schools; their parent links over time; and the lineage of the merger.
func History() ([]models.Unit, []models.UnitParent, []models.UnitLineage) {
	city := City()
	reform := Reform
	var (
		units   []models.Unit
		parents []models.UnitParent
		lineage []models.UnitLineage
	)
	ended := func(id, name, code, kind, typ string, level routing.Level) {
		units = append(units, models.Unit{ID: id, Name: name, Code: code, Kind: kind, LegalKind: typ,
			ReviewLevel: string(level), EffectiveFrom: periodStart, EffectiveTo: &reform})
	}
	under := func(id, parent string, from time.Time, to *time.Time) {
		parents = append(parents, models.UnitParent{UnitID: id, ParentID: parent, EffectiveFrom: from, EffectiveTo: to})
	}

	// The provinces: Bình Dương and Bà Rịa - Vũng Tàu end and go whole
	// into the city, which carries on.
	for _, p := range city.OldProvinces {
		id := provinceIDs[p.Code]
		if id == CityID {
			units = append(units, models.Unit{ID: id, Name: p.Name, Code: p.Code, Kind: models.KindProvince,
				LegalKind: "thành phố", EffectiveFrom: periodStart})
			continue
		}
		ended(id, p.Name, p.Code, models.KindProvince, "tỉnh", "")
		lineage = append(lineage, models.UnitLineage{PredecessorID: id, SuccessorID: CityID, Share: models.ShareFull})
	}

	// The departments that review: the provinces' end with them, the
	// city's carry on and succeed them.
	for _, d := range []struct{ province, education, interior, name string }{
		{ProvinceID, EducationID, InteriorID, "tỉnh Bình Dương"},
		{BRVTID, "so-gddt-ba-ria-vung-tau", "so-noi-vu-ba-ria-vung-tau", "tỉnh Bà Rịa - Vũng Tàu"},
	} {
		ended(d.education, "Sở Giáo dục và Đào tạo "+d.name, "", models.KindDepartment, "sở", routing.Education)
		ended(d.interior, "Sở Nội vụ "+d.name, "", models.KindDepartment, "sở", routing.Interior)
		under(d.education, d.province, periodStart, &reform)
		under(d.interior, d.province, periodStart, &reform)
		lineage = append(lineage,
			models.UnitLineage{PredecessorID: d.education, SuccessorID: CityEducationID, Share: models.ShareFull},
			models.UnitLineage{PredecessorID: d.interior, SuccessorID: CityInteriorID, Share: models.ShareFull})
	}
	units = append(units,
		models.Unit{ID: CityEducationID, Name: "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh", Kind: models.KindDepartment,
			LegalKind: "sở", ReviewLevel: string(routing.Education), EffectiveFrom: periodStart},
		models.Unit{ID: CityInteriorID, Name: "Sở Nội vụ Thành phố Hồ Chí Minh", Kind: models.KindDepartment,
			LegalKind: "sở", ReviewLevel: string(routing.Interior), EffectiveFrom: periodStart})
	under(CityEducationID, CityID, periodStart, nil)
	under(CityInteriorID, CityID, periodStart, nil)

	// The old districts and communes, until 30 June 2025. Bình Dương's
	// keep the IDs they have had since the first release.
	known := binhDuongUnits()
	oldID := map[string]string{}
	seenDistrict := map[string]bool{}
	for _, o := range city.OldUnits {
		d := knownUnit{"huyen-" + o.DistrictCode, o.District}
		c := knownUnit{"xa-" + o.Code, o.Name}
		if o.ProvinceCode == "74" {
			var ok1, ok2 bool
			d, ok1 = known[slugOf(o.District)]
			c, ok2 = known[slugOf(o.District)+"/"+slugOf(o.Name)]
			if !ok1 || !ok2 {
				panic(fmt.Sprintf("seed: %s, %s is not in BinhDuong2024", o.Name, o.District))
			}
		}
		if !seenDistrict[d.id] {
			seenDistrict[d.id] = true
			ended(d.id, d.name, o.DistrictCode, models.KindDistrict, models.LegalKindOf(models.KindDistrict, d.name), routing.District)
			under(d.id, provinceIDs[o.ProvinceCode], periodStart, &reform)
		}
		if o.IsDistrict() {
			oldID[o.Code] = d.id
			continue
		}
		ended(c.id, c.name, o.Code, models.KindCommune, models.LegalKindOf(models.KindCommune, c.name), routing.Commune)
		under(c.id, d.id, periodStart, &reform)
		oldID[o.Code] = c.id
	}

	// The city's communes from 1 July 2025, directly under the city.
	newIDs := newCommuneIDs()
	for _, n := range city.NewUnits {
		id := newIDs[n.Code]
		units = append(units, models.Unit{ID: id, Name: n.Name, Code: n.Code, Kind: models.KindCommune, LegalKind: n.Kind,
			ReviewLevel: string(routing.Commune), EffectiveFrom: reform})
		under(id, CityID, reform, nil)
		for _, p := range n.Predecessors {
			lineage = append(lineage, models.UnitLineage{PredecessorID: oldID[p.Code], SuccessorID: id, Share: p.Share})
		}
	}

	// The demo schools are provincial upper-secondary schools: under the
	// province's Sở until the reform, under the city's from it.
	for _, s := range Schools {
		units = append(units, models.Unit{ID: s.ID, Name: s.Name, Kind: models.KindSchool, LegalKind: "trường", EffectiveFrom: periodStart})
		under(s.ID, EducationID, periodStart, &reform)
		under(s.ID, CityEducationID, reform, nil)
	}
	return units, parents, lineage
}

// knownUnit is a unit's ID and name as earlier versions stored them.
type knownUnit struct{ id, name string }

// binhDuongUnits maps Bình Dương's districts by the ASCII form of their
// full name, and its communes by "district/commune", to the IDs and names
// BinhDuong2024 gives them: the names their documents have always printed
// (the reference file writes some tones in the older place: "Định Hoà"
// for "Định Hòa").
func binhDuongUnits() map[string]knownUnit {
	units := map[string]knownUnit{}
	for _, d := range BinhDuong2024 {
		units[slugOf(d.FullName())] = knownUnit{DistrictID(d.Code), d.FullName()}
		for _, c := range d.Communes {
			units[slugOf(d.FullName())+"/"+slugOf(c.FullName())] = knownUnit{CommuneID(c.Code), c.FullName()}
		}
	}
	return units
}
