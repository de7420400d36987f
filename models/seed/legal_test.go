package seed

import (
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/models"
)

// TestLegalBasesAreValid: every seeded row passes the rules an
// administrator's row must (its own fields, no overlap with a row of its
// code), its text is NFC as the API stores text, and the texts that
// replace one another meet without a gap.
func TestLegalBasesAreValid(t *testing.T) {
	rows := LegalBases()
	for i := range rows {
		rows[i].ID = uint(i + 1)
	}
	for _, b := range rows {
		if p := models.CheckLegalBasis(b, rows); len(p) > 0 {
			t.Errorf("%s: %+v", b.Code, p)
		}
		for _, s := range []string{b.Code, b.Title, b.Source} {
			if !norm.NFC.IsNormalString(s) {
				t.Errorf("%s: %q is not NFC", b.Code, s)
			}
		}
	}
	byCode := map[string]models.LegalBasis{}
	for _, b := range rows {
		byCode[b.Code] = b
	}
	for _, pair := range [][2]string{{"77/2015/QH13", "72/2025/QH15"}, {"98/2023/NĐ-CP", "152/2025/NĐ-CP"},
		{"01/2024/TT-BNV", "15/2025/TT-BNV"}, {"29/2023/TT-BGDĐT", "07/2026/TT-BGDĐT"}} {
		old, next := byCode[pair[0]], byCode[pair[1]]
		if old.ValidTo == nil || !old.ValidTo.AddDate(0, 0, 1).Equal(next.ValidFrom) {
			t.Errorf("%s does not end the day before %s starts", pair[0], pair[1])
		}
	}
}
