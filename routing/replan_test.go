package routing

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// After 30 June 2025 the district is gone: the province's units as they
// are then, with the commune directly under the province.
var afterReform = mapDir{
	"tinh":     {ID: "tinh", Name: "Tỉnh Bình Dương"},
	"sogd":     {ID: "sogd", Name: "Sở GD&ĐT", Level: Education, ParentID: "tinh"},
	"sonv":     {ID: "sonv", Name: "Sở Nội vụ", Level: Interior, ParentID: "tinh"},
	"phuongdi": {ID: "phuongdi", Name: "Phường Dĩ An", Level: Commune, ParentID: "tinh"},
}

func TestReplan(t *testing.T) {
	planned, err := Plan(binhDuong, ThreeTier, "dongh", BangKhenTinh)
	if err != nil {
		t.Fatal(err)
	}
	if got := levels(planned); !reflect.DeepEqual(got, []Level{Commune, District, Education, Interior}) {
		t.Fatalf("planned %v", got)
	}

	// Waiting at the district when it ended: the commune's step stays as
	// it was taken, the district gives way to the Sở that follows it.
	next, changed, err := Replan(afterReform, TwoTier, planned, 1, "phuongdi")
	if err != nil || !changed {
		t.Fatalf("replan at the district: changed %v, %v", changed, err)
	}
	want := []Step{planned.Steps[0], {Level: Education, UnitID: "sogd", UnitName: "Sở GD&ĐT"}, {Level: Interior, UnitID: "sonv", UnitName: "Sở Nội vụ"}}
	if !reflect.DeepEqual(next.Steps, want) || next.Chain != TwoTier.Code {
		t.Fatalf("replanned %+v (chain %s), want %+v on two tiers", next.Steps, next.Chain, want)
	}

	// Reaching the first step after the commune became another: the new
	// commune reviews.
	next, changed, err = Replan(afterReform, TwoTier, planned, 0, "phuongdi")
	if err != nil || !changed || next.Steps[0].UnitID != "phuongdi" || len(next.Steps) != 3 {
		t.Fatalf("replan at the commune: %+v changed %v, %v", next.Steps, changed, err)
	}

	// Nothing ended: the route stands.
	if _, changed, err := Replan(binhDuong, ThreeTier, planned, 1, "dongh"); err != nil || changed {
		t.Fatalf("replan on the planned day: changed %v, %v", changed, err)
	}

	// The district chairman's Giấy khen has no level on two tiers.
	huyen, err := Plan(binhDuong, ThreeTier, "dongh", GiayKhenHuyen)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Replan(afterReform, TwoTier, huyen, 1, "phuongdi"); !errors.Is(err, ErrNotRoutable) {
		t.Fatalf("the district's award on two tiers: %v, want not routable", err)
	}
	if _, _, err := Replan(afterReform, TwoTier, planned, 5, "phuongdi"); !errors.Is(err, ErrNotRoutable) {
		t.Fatalf("a step off the route: %v", err)
	}
}

func TestChainOn(t *testing.T) {
	before := time.Date(2025, 6, 30, 23, 0, 0, 0, time.UTC)
	if got := ChainOn(ThreeTier, before); got.Code != ThreeTier.Code {
		t.Errorf("on 30 June 2025: %s", got.Code)
	}
	if got := ChainOn(ThreeTier, DistrictsAbolished); got.Code != TwoTier.Code {
		t.Errorf("on 1 July 2025: %s", got.Code)
	}
	if got := ChainOn(TwoTier, before); got.Code != TwoTier.Code {
		t.Errorf("two tiers before the reform: %s", got.Code)
	}
}
