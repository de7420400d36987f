package forms

import (
	"fmt"
	"testing"
)

func BenchmarkValidate(b *testing.B) {
	d := example(b, KindIndividual)
	for b.Loop() {
		if _, errs := Validate(KindIndividual, d, testNow); errs != nil {
			b.Fatal(errs)
		}
	}
}

// BenchmarkEligibilityLargeMinutes is the worst case of the vote rules: a
// letter of 500 nominees against minutes of 500 votes, none equal, on
// raw input of 20,000 each (only the first 500 are read). Before names
// were folded once per list it took seconds.
func BenchmarkEligibilityLargeMinutes(b *testing.B) {
	var noms, votes []any
	for i := range 20000 {
		noms = append(noms, fmt.Sprintf("Nguyễn Văn Người Thứ %d", i))
		votes = append(votes, map[string]any{"nominee": fmt.Sprintf("Trần Thị Ai %d", i), "for": 1.0, "against": 0.0})
	}
	d := map[string]any{"letter": map[string]any{"nominees": noms}, "minutes": map[string]any{"members_total": 9.0, "votes": votes}}
	for b.Loop() {
		Eligibility("giay-khen-xa", KindIndividual, d, testNow)
	}
}
