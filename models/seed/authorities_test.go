package seed

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// TestAuthoritiesAreValid: every seeded row passes the rules an
// administrator's row must, its text is NFC as the API stores text, every
// award of the routing table has one, and the district chairman's Giấy
// khen ends the day before the districts did.
func TestAuthoritiesAreValid(t *testing.T) {
	rows := Authorities()
	if len(rows) != len(routing.Awards) {
		t.Fatalf("%d rows for %d awards", len(rows), len(routing.Awards))
	}
	for i := range rows {
		rows[i].ID = uint(i + 1)
	}
	for _, a := range rows {
		if p := models.CheckAuthority(a, rows); len(p) > 0 {
			t.Errorf("%s: %+v", a.Award, p)
		}
		for _, s := range []string{a.Name, a.DecidedBy, a.Council, a.Source} {
			if !norm.NFC.IsNormalString(s) {
				t.Errorf("%s: %q is not NFC", a.Award, s)
			}
		}
		if !strings.Contains(a.Source, "06/2022/QH15") {
			t.Errorf("%s: the source does not cite the law: %s", a.Award, a.Source)
		}
	}
	huyen := rows[1]
	if huyen.Award != string(routing.GiayKhenHuyen) || huyen.ValidTo == nil ||
		!huyen.ValidTo.AddDate(0, 0, 1).Equal(routing.DistrictsAbolished) {
		t.Errorf("the district's row: %+v", huyen)
	}
}
