package forms

import (
	"testing"
	"time"

	"github.com/tdkt/tdkt/routing"
)

func TestExampleForIsValidAndEligible(t *testing.T) {
	now := time.Date(2025, 6, 20, 10, 0, 0, 0, time.UTC)
	for _, kind := range Kinds() {
		for _, award := range []routing.Award{routing.GiayKhenXa, routing.BangKhenTinh, routing.BangKhenThuTuong} {
			d, err := ExampleFor(kind, "Đối tượng thử nghiệm", award, 42)
			if err != nil {
				t.Fatal(err)
			}
			clean, errs := Validate(kind, d, now)
			if len(errs) > 0 {
				t.Fatalf("%s/%s: %+v", kind, award, errs)
			}
			if res := Eligibility(string(award), kind, clean, now); Blocking(res) {
				t.Fatalf("%s/%s not eligible: %+v", kind, award, res)
			}
		}
	}
	a, _ := ExampleFor(KindIndividual, "A", routing.BangKhenTinh, 1)
	b, _ := ExampleFor(KindIndividual, "A", routing.BangKhenTinh, 2)
	if NomineeKey(KindIndividual, a) == NomineeKey(KindIndividual, b) {
		t.Fatal("serials do not make distinct nominees")
	}
}
