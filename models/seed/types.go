// Package seed holds static reference data (administrative units of Bình
// Dương province and Vietnamese public-holiday calendars) used to seed the
// thi đua – khen thưởng workflow engine. It is pure Go data with no
// dependencies beyond the standard library.
package seed

import (
	"unicode"
	"unicode/utf8"
)

// District kinds (đơn vị hành chính cấp huyện).
const (
	DistrictKindCity  = "thành phố" // thành phố thuộc tỉnh
	DistrictKindTown  = "thị xã"
	DistrictKindRural = "huyện"
)

// Commune kinds (đơn vị hành chính cấp xã).
const (
	CommuneKindWard     = "phường"
	CommuneKindCommune  = "xã"
	CommuneKindTownship = "thị trấn"
)

// District is a district-level unit (huyện / thị xã / thành phố thuộc tỉnh).
type District struct {
	Code     string // short ASCII slug, e.g. "thu-dau-mot"
	Name     string // e.g. "Thủ Dầu Một"
	Kind     string // "thành phố", "thị xã" or "huyện"
	Communes []Commune
}

// Commune is a commune-level unit (xã / phường / thị trấn).
type Commune struct {
	Code string // ASCII slug unique within the province, e.g. "phu-cuong"
	Name string // e.g. "Phú Cường"
	Kind string // "phường", "xã" or "thị trấn"
}

// Holiday is one day off for public servants (a weekday on which offices are closed).
type Holiday struct {
	Date string // "2025-01-27"
	Name string // Vietnamese, e.g. "Tết Nguyên đán Ất Tỵ"
}

// FullName returns the official full name, e.g. "Thành phố Thủ Dầu Một",
// "Thị xã …" or "Huyện Dầu Tiếng".
func (d District) FullName() string { return capitalize(d.Kind) + " " + d.Name }

// FullName returns the official full name, e.g. "Phường Phú Cường",
// "Xã An Sơn" or "Thị trấn Lai Uyên".
func (c Commune) FullName() string { return capitalize(c.Kind) + " " + c.Name }

// capitalize upper-cases the first rune of s ("thị trấn" → "Thị trấn").
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
