package forms

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNomineeKey(t *testing.T) {
	cases := []struct {
		name string
		kind string
		ops  map[string]any
		want string
	}{
		{"individual by CCCD", KindIndividual, nil, "individual|cccd|074185001234"},
		{"CCCD with spaces around", KindIndividual, map[string]any{"/nominee/cccd": " 074185001234\n", "/nominee/full_name": "Nguyen Thi Hong"},
			"individual|cccd|074185001234"},
		{"individual without CCCD", KindIndividual, map[string]any{"/nominee/cccd": nil}, "individual|1985-03-12|nguyen thi hong"},
		{"malformed CCCD falls back", KindIndividual, map[string]any{"/nominee/cccd": "07418500123"}, "individual|1985-03-12|nguyen thi hong"},
		{"accents, case and spacing do not count", KindIndividual, map[string]any{"/nominee/cccd": "",
			"/nominee/full_name": norm.NFD.String("  NGUYỄN   thị hồng ")}, "individual|1985-03-12|nguyen thi hong"},
		{"bad date of birth is left out", KindIndividual, map[string]any{"/nominee/cccd": "", "/nominee/date_of_birth": "12/03/1985"},
			"individual||nguyen thi hong"},
		{"no name", KindIndividual, map[string]any{"/nominee/cccd": "", "/nominee/full_name": " "}, ""},
		{"household", KindHousehold, nil, "household||tran van binh"},
		{"clan", KindClan, nil, "clan||dong ho huynh, xa thanh tuyen"},
		{"collective", KindCollective, nil, "collective||truong trung hoc pho thong chuyen hung vuong"},
		{"enterprise", KindEnterprise, nil, "enterprise||cong ty co phan det may tan uyen"},
		{"community", KindCommunity, nil, "community||khu pho 3, phuong phu loi, thanh pho thu dau mot"},
		{"control characters", KindHousehold, map[string]any{"/nominee/head_name": "Trần\x00Văn\xffBình"}, "household||tran van binh"},
		{"name of the wrong type", KindHousehold, map[string]any{"/nominee/head_name": 12.0}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := example(t, c.kind)
			for p, v := range c.ops {
				set(t, d, p, v)
			}
			if got := NomineeKey(c.kind, d); got != c.want {
				t.Fatalf("NomineeKey = %q, want %q", got, c.want)
			}
		})
	}
	for _, d := range []map[string]any{nil, {}, {"nominee": "x"}, {"nominee": map[string]any{"full_name": []any{}}}} {
		if got := NomineeKey(KindIndividual, d); got != "" {
			t.Fatalf("NomineeKey(%v) = %q", d, got)
		}
	}
	if got := NomineeKey("robot", example(t, KindIndividual)); got != "" {
		t.Fatalf("unknown kind: %q", got)
	}
}
