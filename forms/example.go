package forms

import (
	"embed"
	"encoding/json"
	"fmt"

	"github.com/tdkt/tdkt/routing"
)

// The examples are complete, valid dossiers with realistic Bình Dương
// data: the reference for clerks and integrators, and the base of test
// and load data.
//
//go:embed testdata/examples/*.json
var examples embed.FS

// Example returns a fresh copy of the example dossier of a nominee kind.
func Example(kind string) (map[string]any, error) {
	b, err := examples.ReadFile("testdata/examples/" + kind + ".json")
	if err != nil {
		return nil, fmt.Errorf("no example dossier for kind %q", kind)
	}
	var d map[string]any
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("example %s: %w", kind, err)
	}
	return d, nil
}

// ExampleFor adapts the example dossier of kind to a nominee called name,
// asked for award: the letter lists them alone, the minutes record a
// unanimous vote, and serial makes an individual's CCCD unique (so that
// generated nominees are not duplicates of one another). For the Prime
// Minister's Bằng khen it adds the provincial Bằng khen the nominee must
// already hold.
func ExampleFor(kind, name string, award routing.Award, serial int) (map[string]any, error) {
	d, err := Example(kind)
	if err != nil {
		return nil, err
	}
	letter, _ := d["letter"].(map[string]any)
	nominee, _ := d["nominee"].(map[string]any)
	minutes, _ := d["minutes"].(map[string]any)
	f, ok := nomineeForms[kind]
	if letter == nil || nominee == nil || minutes == nil || !ok {
		return nil, fmt.Errorf("example %s lacks a letter, nominee or minutes", kind)
	}
	letter["award"] = string(award)
	letter["nominees"] = []any{name}
	nominee[f.NameField] = name
	minutes["votes"] = []any{map[string]any{"nominee": name, "for": minutes["members_present"], "against": 0}}
	if kind == KindIndividual {
		// 074: Bình Dương; 1: a woman born in the 20th century; 85: 1985.
		nominee["cccd"] = fmt.Sprintf("074185%06d", serial%1000000)
	}
	if award == routing.BangKhenThuTuong {
		prior, _ := nominee["awards"].([]any)
		nominee["awards"] = append(prior, map[string]any{"year": 2024, "form": AwardFormBangKhen, "level": LevelProvince,
			"decision": "2468/QĐ-UBND", "issuer": "Chủ tịch Ủy ban nhân dân tỉnh Bình Dương"})
	}
	return d, nil
}
