// Package learning holds the learning titles of the movement "Cả nước thi
// đua xây dựng xã hội học tập" — who may hold each, how it is rated — and
// the indicators the plan sets targets for, computed from the register's
// tallies and the units' counts. It is pure data and arithmetic (no
// database, no clock), so the service, the dashboard and the tests share
// one answer.
package learning

import (
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Title is a learning title recognised in the register.
type Title string

// The titles of the movement (QĐ 387/QĐ-TTg; TT 25/2023/TT-BGDĐT for the
// commune's self-assessment).
const (
	Family           Title = "gia-dinh-hoc-tap"         // Gia đình học tập: a household
	Clan             Title = "dong-ho-hoc-tap"          // Dòng họ học tập: a clan
	Community        Title = "cong-dong-hoc-tap"        // Cộng đồng học tập of a thôn, ấp or khu phố
	CommuneCommunity Title = "cong-dong-hoc-tap-cap-xa" // Cộng đồng học tập cấp xã, rated
	Unit             Title = "don-vi-hoc-tap"           // Đơn vị học tập: an agency, a school, a commune's body
	Citizen          Title = "cong-dan-hoc-tap"         // Công dân học tập: a person
	District         Title = "huyen-hoc-tap"            // Huyện học tập, until the districts ended
)

// HolderKind is what holds a title.
type HolderKind string

// The kinds of holder.
const (
	Household    HolderKind = "household"    // a household, with its head
	ClanHolder   HolderKind = "clan"         // a clan
	Area         HolderKind = "community"    // a thôn, ấp or khu phố
	Organisation HolderKind = "organisation" // an agency, a school, an enterprise
	Person       HolderKind = "person"       // a citizen, by name, year of birth and address
	Commune      HolderKind = "commune"      // a commune-level unit
	DistrictUnit HolderKind = "district"     // a district-level unit
)

// Person categories the indicators of Công dân học tập count apart.
const (
	Worker       = "worker"        // người lao động (in a learning family or community)
	CivilServant = "civil_servant" // cán bộ, công chức, viên chức (in a learning unit)
)

// Ratings of the commune's learning community (TT 25/2023/TT-BGDĐT).
const (
	RatingGood = "tot" // Tốt
	RatingFair = "kha" // Khá
	RatingPass = "dat" // Đạt
)

// Statuses of a recognition.
const (
	Recognised    = "recognised"     // công nhận
	NotRecognised = "not_recognised" // không công nhận
	Revoked       = "revoked"        // thu hồi, with its reason
)

// TitleInfo describes one title.
type TitleInfo struct {
	Code   Title      `json:"code"`
	Name   string     `json:"name"`
	Holder HolderKind `json:"holder"`
	// Rated titles carry a rating (tốt, khá, đạt) rather than a plain yes.
	Rated bool `json:"rated,omitempty"`
	// LastYear is the last year the title is given, 0 while it is: Huyện
	// học tập ended with the districts in 2025.
	LastYear int `json:"last_year,omitempty"`
}

// Titles lists every title.
var Titles = []TitleInfo{
	{Family, "Gia đình học tập", Household, false, 0},
	{Clan, "Dòng họ học tập", ClanHolder, false, 0},
	{Community, "Cộng đồng học tập (thôn, ấp, khu phố)", Area, false, 0},
	{CommuneCommunity, "Cộng đồng học tập cấp xã", Commune, true, 0},
	{Unit, "Đơn vị học tập", Organisation, false, 0},
	{Citizen, "Công dân học tập", Person, false, 0},
	{District, "Huyện học tập", DistrictUnit, false, 2025},
}

// LookupTitle returns a title's description.
func LookupTitle(code Title) (TitleInfo, error) {
	for _, t := range Titles {
		if t.Code == code {
			return t, nil
		}
	}
	return TitleInfo{}, fmt.Errorf("unknown learning title %q", code)
}

// TitleByName finds a title by its Vietnamese name, as a clerk types it in
// a sheet ("Gia đình học tập"); case and spacing do not matter.
func TitleByName(name string) (TitleInfo, bool) {
	for _, t := range Titles {
		if equalFold(t.Name, name) || string(t.Code) == name {
			return t, true
		}
	}
	return TitleInfo{}, false
}

// HolderKinds lists the kinds of holder.
var HolderKinds = []HolderKind{Household, ClanHolder, Area, Organisation, Person, Commune, DistrictUnit}

// equalFold compares two names as a reader would: in NFC, ignoring case
// and runs of spaces.
func equalFold(a, b string) bool {
	clean := func(s string) string { return strings.Join(strings.Fields(norm.NFC.String(s)), " ") }
	return strings.EqualFold(clean(a), clean(b))
}
