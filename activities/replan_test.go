package activities

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// replan runs ReplanStep in Temporal's activity test environment.
func replan(t *testing.T, a *Activities, req workflows.ReplanStep) workflows.Replanned {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(a.ReplanStep)
	v, err := env.ExecuteActivity(a.ReplanStep, req)
	if err != nil {
		t.Fatalf("replan: %v", err)
	}
	var out workflows.Replanned
	if err := v.Get(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// vnNoon is noon in Việt Nam on a day.
func vnNoon(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, calendar.Zone).UTC()
}

// threeTierRound is a real round of the province before the reform, routed
// by the day like every round but the demo's rehearsal.
func threeTierRound(t *testing.T, db *gorm.DB) models.Round {
	r := seed.DemoRound()
	r.ID, r.Code, r.FixedRouting = "ba-cap-2025", "ba-cap-2025", false
	if err := db.Create(&r).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

// plannedOn plans Phường Đông Hòa's nomination for award on the round's
// reference date, as the service does at submission.
func plannedOn(t *testing.T, db *gorm.DB, r models.Round, award routing.Award) routing.Route {
	t.Helper()
	dir, err := models.LoadDirectory(t.Context(), db, r.ReferenceDate)
	if err != nil {
		t.Fatal(err)
	}
	route, err := routing.Plan(dir, routing.ThreeTier, seed.CommuneID("dong-hoa"), award)
	if err != nil {
		t.Fatal(err)
	}
	if route.Steps[1].UnitID != seed.DistrictID("di-an") {
		t.Fatalf("planned %+v", route.Steps)
	}
	return route
}

func TestReplanStepByTheDay(t *testing.T) {
	for name, db := range databases(t) {
		t.Run(name, func(t *testing.T) {
			a := &Activities{DB: db, Log: slog.New(slog.DiscardHandler)}
			r := threeTierRound(t, db)
			route := plannedOn(t, db, r, routing.BangKhenTinh)
			req := workflows.ReplanStep{NominationID: "n-1", RoundID: r.ID, BodyUnitID: seed.CommuneID("dong-hoa"), Route: route, Step: 1}

			req.At = vnNoon(2025, 6, 30)
			if out := replan(t, a, req); out.Route != nil || out.Stranded {
				t.Fatalf("on 30 June 2025 the district still reviews: %+v", out)
			}

			// From 1 July the district is gone: the city's Sở follows the
			// commune's step, taken as it was.
			req.At = vnNoon(2025, 7, 2)
			out := replan(t, a, req)
			if out.Route == nil || out.Stranded {
				t.Fatalf("on 2 July 2025: %+v", out)
			}
			got := out.Route.Steps
			if len(got) != 3 || got[0] != route.Steps[0] || got[1].UnitID != seed.CityEducationID || got[2].UnitID != seed.CityInteriorID {
				t.Fatalf("replanned %+v", got)
			}
			if out.Route.Chain != routing.TwoTier.Code {
				t.Errorf("chain %s", out.Route.Chain)
			}
			for _, want := range []string{"Thành phố Dĩ An thôi hoạt động từ ngày 01/07/2025", got[1].UnitName, "Phường Đông Hòa"} {
				if !strings.Contains(out.Note, want) {
					t.Errorf("note %q lacks %q", out.Note, want)
				}
			}

			// Reaching the commune's step after the reform: the commune the
			// old one went into reviews.
			req.Step = 0
			out = replan(t, a, req)
			if out.Route == nil || out.Route.Steps[0].UnitID != seed.NewCommuneID("Phường Đông Hòa") {
				t.Fatalf("the commune's step on 2 July 2025: %+v", out)
			}

			// The demo's rehearsal keeps the units of its reference date.
			fixed := req
			fixed.RoundID, fixed.Step, fixed.At = seed.DemoRoundID, 1, vnNoon(2026, 12, 8)
			if out := replan(t, a, fixed); out.Route != nil || out.Stranded {
				t.Fatalf("the demo round: %+v", out)
			}

			// The district chairman's Giấy khen ended with the districts.
			huyen := req
			huyen.Route, huyen.Step = plannedOn(t, db, r, routing.GiayKhenHuyen), 1
			out = replan(t, a, huyen)
			if !out.Stranded || out.Route != nil || !strings.Contains(out.Note, "30/06/2025") {
				t.Fatalf("the district's Giấy khen after the reform: %+v", out)
			}
		})
	}
}

func TestStrandedNominations(t *testing.T) {
	for name, db := range databases(t) {
		t.Run(name, func(t *testing.T) {
			a := &Activities{DB: db, Log: slog.New(slog.DiscardHandler)}
			r := threeTierRound(t, db)
			for _, n := range []models.Nomination{
				{ID: "n-waiting", RoundID: r.ID, CurrentUnitID: seed.DistrictID("di-an"), Status: workflows.StatusInReview},
				{ID: "n-rehearsal", RoundID: seed.DemoRoundID, CurrentUnitID: seed.DistrictID("di-an"), Status: workflows.StatusInReview},
				{ID: "n-returned", RoundID: r.ID, CurrentUnitID: seed.DistrictID("di-an"), Status: workflows.StatusReturned},
				{ID: "n-city", RoundID: r.ID, CurrentUnitID: seed.CityInteriorID, Status: workflows.StatusInReview},
			} {
				n.UnitID, n.CreatedBy, n.NomineeKind, n.NomineeName, n.Award, n.Dossier = seed.CommuneID("dong-hoa"), "u", "individual", n.ID, "bang-khen-tinh", "{}"
				if err := db.Create(&n).Error; err != nil {
					t.Fatal(err)
				}
			}
			list := func(at time.Time) []string {
				var s testsuite.WorkflowTestSuite
				env := s.NewTestActivityEnvironment()
				env.RegisterActivity(a.StrandedNominations)
				v, err := env.ExecuteActivity(a.StrandedNominations, workflows.StrandedPage{At: at, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				if err := v.Get(&ids); err != nil {
					t.Fatal(err)
				}
				return ids
			}
			if got := list(vnNoon(2025, 6, 30)); len(got) != 0 {
				t.Errorf("on 30 June 2025: %v", got)
			}
			if got := list(vnNoon(2025, 7, 1)); len(got) != 1 || got[0] != "n-waiting" {
				t.Errorf("on 1 July 2025: %v, want [n-waiting]", got)
			}
		})
	}
}

// A reroute's projection stores the new route in place of the old one,
// both its JSON and the rows that scope reviewers' lists.
func TestProjectedRerouteStoresTheRoute(t *testing.T) {
	for name, db := range databases(t) {
		t.Run(name, func(t *testing.T) {
			a := &Activities{DB: db, Log: slog.New(slog.DiscardHandler)}
			nomination(t, db)
			r := threeTierRound(t, db)
			old := plannedOn(t, db, r, routing.BangKhenTinh)
			if err := models.SaveRoute(db, "n-1", old); err != nil {
				t.Fatal(err)
			}
			next := old
			next.Steps = []routing.Step{old.Steps[0], {Level: routing.Interior, UnitID: seed.CityInteriorID, UnitName: "Sở Nội vụ"}}
			tr := workflows.Transition{NominationID: "n-1", Seq: 1, Action: workflows.ActionReroute, FromStatus: workflows.StatusInReview,
				ToStatus: workflows.StatusInReview, Step: 1, Level: "interior", UnitID: seed.CityInteriorID, Actor: workflows.SystemActor,
				Comment: "chuyển", DossierVersion: 1, At: vnNoon(2025, 7, 2), Route: &next}
			for range 2 {
				if _, err := run(t, a.ProjectTransition, tr); err != nil {
					t.Fatal(err)
				}
			}
			var n models.Nomination
			db.First(&n, "id = ?", "n-1")
			if got, ok := n.PlannedRoute(); !ok || len(got.Steps) != 2 || got.Steps[1].UnitID != seed.CityInteriorID {
				t.Fatalf("stored route %s", n.Route)
			}
			var rows []models.RouteStep
			db.Where("nomination_id = ?", "n-1").Order("step").Find(&rows)
			if len(rows) != 2 || rows[1].UnitID != seed.CityInteriorID || rows[1].Level != "interior" {
				t.Fatalf("route rows %+v", rows)
			}
		})
	}
}
