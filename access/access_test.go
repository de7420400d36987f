package access

import (
	"slices"
	"testing"

	"github.com/tdkt/tdkt/routing"
)

func TestAllowed(t *testing.T) {
	body := Actor{UserID: "u1", Role: RoleNominator, UnitID: "xa-a"}
	otherBody := Actor{UserID: "u2", Role: RoleNominator, UnitID: "xa-b"}
	commune := Actor{UserID: "u3", Role: RoleReviewer, UnitID: "xa-a", Level: routing.Commune}
	interior := Actor{UserID: "u4", Role: RoleInterior, UnitID: "so-nv", Level: routing.Interior}
	admin := Actor{UserID: "u5", Role: RoleAdmin, UnitID: "tinh", ProvinceWide: true}
	unitAdmin := Actor{UserID: "u6", Role: RoleAdmin, UnitID: "so-gd"}
	atCommune := func(status string) Nomination {
		return Nomination{BodyUnitID: "xa-a", Status: status, CurrentLevel: string(routing.Commune),
			CurrentUnitID: "xa-a", HasDeadline: status == StatusInReview}
	}
	cases := []struct {
		name string
		who  Actor
		n    Nomination
		want []Action
	}{
		{"body, draft", body, atCommune(StatusDraft), []Action{Edit, Upload, Submit, Withdraw}},
		{"body, returned", body, atCommune(StatusReturned), []Action{Edit, Upload, Resubmit, Withdraw}},
		{"body, in review", body, atCommune(StatusInReview), []Action{Withdraw}},
		{"body, accepted", body, atCommune(StatusAccepted), nil},
		{"another body", otherBody, atCommune(StatusDraft), nil},
		{"the step's reviewer", commune, atCommune(StatusInReview), []Action{Decide}},
		{"the step's reviewer, returned", commune, atCommune(StatusReturned), nil},
		{"another level's reviewer", interior, atCommune(StatusInReview), nil},
		{"Interior at its step", interior, Nomination{BodyUnitID: "xa-a", Status: StatusInReview,
			CurrentLevel: string(routing.Interior), CurrentUnitID: "so-nv"}, []Action{Decide}},
		{"the province's administrator", admin, atCommune(StatusInReview), []Action{Extend}},
		{"no deadline to extend", admin, Nomination{Status: StatusInReview}, nil},
		{"a unit's administrator", unitAdmin, atCommune(StatusInReview), nil},
		// A reviewer of the nominating unit who is not a nominator cannot
		// act for the body.
		{"a reviewer is not the body", commune, atCommune(StatusDraft), nil},
	}
	for _, c := range cases {
		got := Allowed(c.who, c.n)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: Allowed = %v, want %v", c.name, got, c.want)
		}
		for _, act := range actions {
			if Can(c.who, c.n, act) != slices.Contains(c.want, act) {
				t.Errorf("%s: Can(%s) disagrees with Allowed", c.name, act)
			}
		}
	}
}

func TestReviews(t *testing.T) {
	step := routing.Step{Level: routing.Education, UnitID: "so-gd"}
	for _, c := range []struct {
		who  Actor
		want bool
	}{
		{Actor{Role: RoleReviewer, UnitID: "so-gd", Level: routing.Education}, true},
		{Actor{Role: RoleInterior, UnitID: "so-gd", Level: routing.Education}, true},
		{Actor{Role: RoleReviewer, UnitID: "so-gd", Level: routing.Commune}, false},
		{Actor{Role: RoleReviewer, UnitID: "so-nv", Level: routing.Education}, false},
		{Actor{Role: RoleNominator, UnitID: "so-gd", Level: routing.Education}, false},
		{Actor{Role: RoleAdmin, UnitID: "so-gd", Level: routing.Education}, false},
	} {
		if got := Reviews(c.who, step); got != c.want {
			t.Errorf("Reviews(%+v) = %v, want %v", c.who, got, c.want)
		}
	}
}

// A nominator speaks for their unit and for the units it comes from.
func TestIsBodyCarriesFormerUnits(t *testing.T) {
	clerk := Actor{Role: RoleNominator, UnitID: "tphcm-phuong-dong-hoa", FormerUnits: []string{"xa-dong-hoa"}}
	if !IsBody(clerk, "xa-dong-hoa") || !IsBody(clerk, "tphcm-phuong-dong-hoa") || IsBody(clerk, "xa-an-binh") {
		t.Fatal("IsBody and the units a clerk's unit comes from")
	}
	reviewer := clerk
	reviewer.Role = RoleReviewer
	if IsBody(reviewer, "xa-dong-hoa") {
		t.Fatal("a reviewer speaks for a body")
	}
}
