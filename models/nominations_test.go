package models_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/models"
)

// fillNominations adds n nominations from 30 communes, each routed
// commune → district → education, in every status.
func fillNominations(t *testing.T, db *gorm.DB, n int) {
	t.Helper()
	statuses := []string{access.StatusInReview, access.StatusInReview, access.StatusAccepted, access.StatusReturned, access.StatusDraft}
	levels := []string{"commune", "district", "education"}
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	var noms []models.Nomination
	var steps []models.RouteStep
	for i := range n {
		commune := fmt.Sprintf("xa-%02d", i%30)
		id := fmt.Sprintf("n-%06d", i)
		st := statuses[i%len(statuses)]
		noms = append(noms, models.Nomination{ID: id, WorkflowID: "nomination-" + id, RoundID: "r", UnitID: commune,
			CreatedBy: "u", NomineeKind: "individual", NomineeName: "Người " + id, SearchName: "nguoi " + id,
			Award: "giay-khen-xa", Dossier: "{}", Status: st, CurrentLevel: levels[i%3], CurrentUnitID: commune,
			CreatedAt: now, UpdatedAt: now.Add(time.Duration(i) * time.Second)})
		for k, l := range levels {
			unit := commune
			if k == 1 {
				unit = fmt.Sprintf("huyen-%d", i%3)
			} else if k == 2 {
				unit = "so-gddt"
			}
			steps = append(steps, models.RouteStep{NominationID: id, Step: k, Level: l, UnitID: unit})
		}
	}
	if err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.CreateInBatches(noms, 500).Error; err != nil {
			return err
		}
		return tx.CreateInBatches(steps, 1000).Error
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("ANALYZE").Error; err != nil {
		t.Fatal(err)
	}
}

// TestListPlans: every role's list and the inbox are planned without a
// per-row probe of the route rows, and a reviewer's scope reads the
// (unit, level, nomination) index — on both engines.
func TestListPlans(t *testing.T) {
	ctx := context.Background()
	yes := true
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	reviewer := models.NominationScope{ReviewUnitIDs: []string{"huyen-1"}, ReviewLevel: "district"}
	cases := []struct {
		name  string
		scope models.NominationScope
		f     models.NominationFilter
		route bool // the plan must read the route index
		dense bool // the scope holds more than a page's worth: the page is read in the order's index
	}{
		{"reviewer", reviewer, models.NominationFilter{PerPage: 20}, true, false},
		{"reviewer in review at a level", reviewer, models.NominationFilter{Status: access.StatusInReview, Level: "commune", PerPage: 1}, true, false},
		{"reviewer overdue by due date", reviewer, models.NominationFilter{Overdue: &yes, Now: now, Sort: "due_at", PerPage: 20}, true, false},
		{"reviewer search", reviewer, models.NominationFilter{Search: "nguoi n-0001", PerPage: 20}, true, false},
		{"reviewer of every nomination", models.NominationScope{ReviewUnitIDs: []string{"so-gddt"}, ReviewLevel: "education"}, models.NominationFilter{PerPage: 20}, true, true},
		{"reviewer of every nomination, by name", models.NominationScope{ReviewUnitIDs: []string{"so-gddt"}, ReviewLevel: "education"}, models.NominationFilter{Sort: "nominee_name", Page: 3, PerPage: 20}, true, true},
		{"nominator", models.NominationScope{BodyUnitIDs: []string{"xa-07"}}, models.NominationFilter{PerPage: 20}, false, false},
		{"interior", models.NominationScope{All: true}, models.NominationFilter{Sort: "-submitted_at", PerPage: 20}, false, false},
	}
	inboxScope, inboxFilter := models.InboxScope{ReviewUnitID: "huyen-1", ReviewLevel: "district"}.Nominations(models.NominationFilter{Sort: "due_at", PerPage: 100})
	cases = append(cases, struct {
		name  string
		scope models.NominationScope
		f     models.NominationFilter
		route bool
		dense bool
	}{"inbox", inboxScope, inboxFilter, false, false})

	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			fillNominations(t, db, 3000)
			for _, c := range cases {
				count, page, err := models.ListQueries(ctx, db, c.scope, c.f)
				if err != nil {
					t.Fatal(err)
				}
				for i, stmt := range []string{count, page} {
					plan := explain(t, db, stmt)
					if correlated(name, plan) {
						t.Errorf("%s: a per-row subquery in\n%s\nfor %s", c.name, plan, stmt)
					}
					if !c.route || name != "sqlite" {
						continue
					}
					// A reviewer's scope is the route index's list of
					// nominations, built once. The count looks each one up
					// by ID; so does a small scope's page. A dense scope's
					// page reads the order's index and keeps the listed
					// ones until the page is full. Never a scan of the
					// table itself (a per-row probe of the route rows took
					// 30 s at 10,000 nominations).
					if !strings.Contains(plan, "idx_route_steps_scope") {
						t.Errorf("%s: not driven by the route index:\n%s", c.name, plan)
					}
					if ordered := strings.Contains(plan, "SCAN nominations USING INDEX idx_nominations_"); ordered != (c.dense && i == 1) {
						t.Errorf("%s: read in the order's index %v, want %v:\n%s", c.name, ordered, c.dense && i == 1, plan)
					}
					if strings.Contains(strings.ReplaceAll(plan, "SCAN nominations USING INDEX", ""), "SCAN nominations") {
						t.Errorf("%s: scans the nominations:\n%s", c.name, plan)
					}
				}
				// The functions answer what the plans are of.
				rows, total, err := models.ListNominations(ctx, db, c.scope, c.f)
				if err != nil || int64(len(rows)) > total || (total > 0 && len(rows) == 0) {
					t.Errorf("%s: %d rows of %d, %v", c.name, len(rows), total, err)
				}
				if c.dense {
					// The Sở reviews every nomination: its page read in the
					// order's index is the page of all of them.
					want, _, err := models.ListNominations(ctx, db, models.NominationScope{All: true}, c.f)
					if err != nil || fmt.Sprint(ids(rows)) != fmt.Sprint(ids(want)) {
						t.Errorf("%s: page %v, want %v (%v)", c.name, ids(rows), ids(want), err)
					}
				}
			}
		})
	}
}

func ids(rows []models.Nomination) []string {
	var out []string
	for _, n := range rows {
		out = append(out, n.ID)
	}
	return out
}

func explain(t *testing.T, db *gorm.DB, stmt string) string {
	t.Helper()
	prefix := "EXPLAIN "
	if models.Dialect(db) == "sqlite" {
		prefix = "EXPLAIN QUERY PLAN "
	}
	rows, err := db.Raw(prefix + stmt).Rows()
	if err != nil {
		t.Fatalf("explain %s: %v", stmt, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
	}
	return strings.Join(lines, "\n")
}

// correlated reports a subquery run once per outer row: SQLite says
// CORRELATED, PostgreSQL a SubPlan that is not hashed.
func correlated(engine, plan string) bool {
	if engine == "sqlite" {
		return strings.Contains(plan, "CORRELATED")
	}
	for _, l := range strings.Split(plan, "\n") {
		if strings.Contains(l, "SubPlan") && !strings.Contains(l, "hashed SubPlan") {
			return true
		}
	}
	return false
}
