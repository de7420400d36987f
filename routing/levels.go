// Package routing decides where a nomination travels: the review levels of
// the chain in force, the unit that reviews at each level, and the level
// whose authority decides the award asked for. It is pure data and logic (no
// database, no clock) so that the API, the workflow and the tests share one
// answer.
package routing

import (
	"fmt"
	"time"
)

// Level is a review level of the chain.
type Level string

// The review levels, from the bottom of the chain to the top.
const (
	Commune   Level = "commune"   // UBND xã / phường / thị trấn
	District  Level = "district"  // UBND huyện / thị xã / thành phố thuộc tỉnh
	Education Level = "education" // Sở Giáo dục và Đào tạo
	Interior  Level = "interior"  // Sở Nội vụ (Ban Thi đua – Khen thưởng)
)

// Levels lists every level from the bottom up; its order is the rank.
var Levels = []Level{Commune, District, Education, Interior}

// Rank orders levels; an unknown level ranks -1.
func (l Level) Rank() int {
	for i, x := range Levels {
		if x == l {
			return i
		}
	}
	return -1
}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return l.Rank() >= 0 }

// Label is the Vietnamese name shown to users.
func (l Level) Label() string {
	switch l {
	case Commune:
		return "Cấp xã"
	case District:
		return "Cấp huyện"
	case Education:
		return "Sở Giáo dục và Đào tạo"
	case Interior:
		return "Sở Nội vụ"
	}
	return string(l)
}

// Chain is an ordered list of review levels, in force over a period. The
// chain is data: the three-tier chain applied until the district level was
// abolished on 1 July 2025; rounds after that use the two-tier chain.
type Chain struct {
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	Levels []Level `json:"levels"`
}

// The chains known to the system. Rounds name one of them by code.
var (
	ThreeTier = Chain{Code: "three-tier", Name: "Xã → Huyện → Sở GD&ĐT → Sở Nội vụ",
		Levels: []Level{Commune, District, Education, Interior}}
	TwoTier = Chain{Code: "two-tier", Name: "Xã → Sở GD&ĐT → Sở Nội vụ",
		Levels: []Level{Commune, Education, Interior}}
)

// DistrictsAbolished is the day the district level ended (Luật Tổ chức
// chính quyền địa phương 2025): a round referenced from then is two-tier.
var DistrictsAbolished = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

// Chains lists the known chains.
var Chains = []Chain{ThreeTier, TwoTier}

// ChainByCode finds a chain by its code.
func ChainByCode(code string) (Chain, error) {
	for _, c := range Chains {
		if c.Code == code {
			return c, nil
		}
	}
	return Chain{}, fmt.Errorf("unknown review chain %q", code)
}

// Has reports whether the chain passes through level l.
func (c Chain) Has(l Level) bool {
	for _, x := range c.Levels {
		if x == l {
			return true
		}
	}
	return false
}
