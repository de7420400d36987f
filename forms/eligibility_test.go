package forms

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/routing"
)

// outcome of one rule in a result list: "rule:status@pointer".
func summary(rs []Result) []string {
	var out []string
	for _, r := range rs {
		if r.Status == StatusPass {
			continue
		}
		out = append(out, r.RuleID+":"+r.Status+"@"+r.Pointer)
	}
	return out
}

func TestEligibility(t *testing.T) {
	type op struct {
		ptr string
		val any
	}
	bangKhenBo := map[string]any{"year": 2024.0, "form": "Bằng khen", "level": "bo", "decision": "4521/QĐ-BGDĐT",
		"issuer": "Bộ trưởng Bộ Giáo dục và Đào tạo"}
	giayKhenTinh := map[string]any{"year": 2024.0, "form": "Giấy khen", "level": "tinh", "decision": "12/QĐ-UBND", "issuer": "x"}
	cases := []struct {
		name     string
		kind     string
		award    routing.Award // default: the example letter's
		ops      []op
		want     []string // failures and warnings
		blocking bool
	}{
		{"individual example", KindIndividual, "", nil, nil, false},
		{"household example", KindHousehold, "", nil, nil, false},
		{"clan example", KindClan, "", nil, nil, false},
		{"collective example", KindCollective, "", nil, nil, false},
		{"enterprise example", KindEnterprise, "", nil, nil, false},
		{"community example", KindCommunity, "", nil, nil, false},

		{"individual without Công dân học tập", KindIndividual, "", []op{{"/nominee/titles", []any{
			map[string]any{"title": "Chiến sĩ thi đua cơ sở", "year": 2024.0}}}},
			[]string{"individual-learning-citizen:fail@/nominee/titles"}, true},
		{"individual without titles", KindIndividual, "", []op{{"/nominee/titles", nil}},
			[]string{"individual-learning-citizen:fail@/nominee/titles"}, true},
		{"Công dân học tập of 2023 counts", KindIndividual, "", []op{{"/nominee/titles/0/year", 2023.0}}, nil, false},
		{"household without Gia đình học tập", KindHousehold, "", []op{{"/nominee/titles", []any{
			map[string]any{"title": "Gia đình văn hóa", "year": 2024.0}}}},
			[]string{"household-learning-family:fail@/nominee/titles"}, true},
		{"clan without Dòng họ học tập", KindClan, "", []op{{"/nominee/titles", []any{}}},
			[]string{"clan-learning-clan:fail@/nominee/titles"}, true},
		{"community without Cộng đồng học tập", KindCommunity, "", []op{{"/nominee/titles", []any{}}},
			[]string{"community-learning-community:fail@/nominee/titles"}, true},
		{"collective without Đơn vị học tập warns", KindCollective, "", []op{{"/nominee/titles", []any{
			map[string]any{"title": "Tập thể lao động xuất sắc", "year": 2024.0}}}},
			[]string{"unit-learning-unit:warning@/nominee/titles"}, false},
		{"enterprise without Đơn vị học tập warns", KindEnterprise, "", []op{{"/nominee/titles", []any{}}},
			[]string{"unit-learning-unit:warning@/nominee/titles"}, false},

		{"Prime Minister: provincial Bằng khen held", KindCollective, routing.BangKhenThuTuong, nil, nil, false},
		{"Prime Minister: no Bằng khen", KindCollective, routing.BangKhenThuTuong, []op{{"/nominee/awards", []any{giayKhenTinh}}},
			[]string{"prime-minister-prior-merit:fail@/nominee/awards"}, true},
		{"Prime Minister: ministerial Bằng khen", KindCollective, routing.BangKhenThuTuong, []op{{"/nominee/awards", []any{giayKhenTinh, bangKhenBo}}}, nil, false},
		{"Prime Minister: individual", KindIndividual, routing.BangKhenThuTuong, []op{{"/letter/award", "bang-khen-thu-tuong"}},
			[]string{"prime-minister-prior-merit:fail@/nominee/awards"}, true},
		{"provincial Bằng khen needs no prior one", KindEnterprise, routing.BangKhenTinh, []op{{"/nominee/awards", []any{}}}, nil, false},

		{"letter asks another award", KindIndividual, routing.GiayKhenXa, nil, []string{"letter-award:fail@/letter/award"}, true},

		{"nominee voted down", KindIndividual, "", []op{{"/minutes/votes/0/for", 4.0}, {"/minutes/votes/0/against", 4.0}},
			[]string{"minutes-vote:fail@/minutes/votes/0/for", "minutes-letter-nominees:warning@/letter/nominees/0"}, true},
		{"half is not more than half", KindIndividual, "", []op{{"/minutes/members_total", 8.0}, {"/minutes/votes/0/for", 4.0}},
			[]string{"minutes-vote:fail@/minutes/votes/0/for", "minutes-letter-nominees:warning@/letter/nominees/0"}, true},
		{"more than half of all members", KindIndividual, "", []op{{"/minutes/members_total", 8.0}, {"/minutes/votes/0/for", 5.0}}, nil, false},
		{"majority of all members, not of those present", KindIndividual, "", []op{{"/minutes/members_total", 12.0},
			{"/minutes/votes/0/for", 6.0}, {"/minutes/votes/1/for", 7.0}},
			[]string{"minutes-vote:fail@/minutes/votes/0/for", "minutes-letter-nominees:warning@/letter/nominees/0"}, true},
		{"no vote on the nominee", KindIndividual, "", []op{{"/minutes/votes", []any{
			map[string]any{"nominee": "Lê Văn Tâm", "for": 6.0, "against": 2.0}}}},
			[]string{"minutes-vote:fail@/minutes/votes", "minutes-letter-nominees:warning@/letter/nominees/0"}, true},
		{"another nominee of the letter voted down", KindIndividual, "", []op{{"/minutes/votes/1/for", 3.0}},
			[]string{"minutes-letter-nominees:warning@/letter/nominees/1"}, false},
		{"household matched by suffix", KindHousehold, "", []op{{"/minutes/votes/0/nominee", "Trần Văn Bình"}}, nil, false},
		{"vote as json.Number", KindIndividual, "", []op{{"/minutes/votes/0/for", json.Number("4")}},
			[]string{"minutes-vote:fail@/minutes/votes/0/for", "minutes-letter-nominees:warning@/letter/nominees/0"}, true},
		{"incomplete vote", KindIndividual, "", []op{{"/minutes/votes/0/for", "tám"}},
			[]string{"minutes-vote:fail@/minutes/votes/0"}, true},
		{"nominee without a name", KindIndividual, "", []op{{"/nominee/full_name", ""}},
			[]string{"minutes-vote:fail@/nominee/full_name"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := example(t, c.kind)
			for _, o := range c.ops {
				set(t, d, o.ptr, o.val)
			}
			award := string(c.award)
			if award == "" {
				award = d["letter"].(map[string]any)["award"].(string)
			}
			rs := Eligibility(award, c.kind, d, testNow)
			if got := summary(rs); !slices.Equal(got, c.want) {
				t.Fatalf("got %q, want %q\n%+v", got, c.want, rs)
			}
			if Blocking(rs) != c.blocking {
				t.Fatalf("Blocking = %v", !c.blocking)
			}
			for _, r := range rs {
				if r.Message == "" || r.MessageEN == "" || strings.Contains(r.Message+r.MessageEN, "%!") {
					t.Errorf("bad messages: %+v", r)
				}
				if r.Pointer != "" && !strings.HasPrefix(r.Pointer, "/") {
					t.Errorf("bad pointer: %+v", r)
				}
			}
			// The clean dossier, where it validates, gives the same results.
			if clean, errs := Validate(c.kind, d, testNow); errs == nil {
				if again := Eligibility(award, c.kind, clean, testNow); !reflect.DeepEqual(again, rs) {
					t.Fatalf("clean dossier: %+v\nraw: %+v", again, rs)
				}
			}
		})
	}
}

func TestEligibilityRulesApply(t *testing.T) {
	// Every kind is checked against the title of its kind and the vote,
	// and only the Prime Minister's award asks for a prior Bằng khen.
	for _, kind := range Kinds() {
		for _, a := range routing.Awards {
			ids := map[string]bool{}
			for _, r := range Eligibility(string(a.Code), kind, example(t, kind), testNow) {
				ids[r.RuleID] = true
			}
			if !ids["minutes-vote"] || !ids["letter-award"] {
				t.Errorf("%s/%s: %v", kind, a.Code, ids)
			}
			if ids["prime-minister-prior-merit"] != (a.Code == routing.BangKhenThuTuong) {
				t.Errorf("%s/%s: prior merit rule %v", kind, a.Code, ids)
			}
			titleRules := 0
			for id := range ids {
				if strings.HasSuffix(id, "-learning-citizen") || strings.HasSuffix(id, "-family") || strings.HasSuffix(id, "-clan") ||
					strings.HasSuffix(id, "-community") || strings.HasSuffix(id, "-unit") {
					titleRules++
				}
			}
			if titleRules != 1 {
				t.Errorf("%s/%s: %d title rules", kind, a.Code, titleRules)
			}
		}
	}
}

func TestEligibilityUnknown(t *testing.T) {
	d := example(t, KindIndividual)
	if rs := Eligibility("huan-chuong", KindIndividual, d, testNow); len(rs) != 1 || rs[0].RuleID != "award" || !Blocking(rs) {
		t.Fatalf("%+v", rs)
	}
	if rs := Eligibility("giay-khen-so", "robot", d, testNow); len(rs) != 1 || rs[0].RuleID != "kind" || !Blocking(rs) {
		t.Fatalf("%+v", rs)
	}
	if rs := Eligibility("giay-khen-so", KindIndividual, nil, testNow); !Blocking(rs) {
		t.Fatalf("%+v", rs)
	}
	if Blocking(nil) {
		t.Fatal("no results block")
	}
}

func TestMajorityParameter(t *testing.T) {
	f := Form{Majority: Fraction{2, 3}}
	if passed(f, 9, 6) || !passed(f, 9, 7) {
		t.Fatal("2/3 majority")
	}
	if passed(Form{}, 9, 4) || !passed(Form{}, 9, 5) {
		t.Fatal("default majority")
	}
}

func TestRules(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = true
		if r.Severity != StatusFail && r.Severity != StatusWarning {
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if r.Description == "" || r.DescriptionEN == "" {
			t.Errorf("%s: no description", r.ID)
		}
		conds := 0
		for _, c := range []bool{r.Title != "", r.PriorAward != nil, r.Check != nil} {
			if c {
				conds++
			}
		}
		if conds != 1 {
			t.Errorf("%s: %d conditions", r.ID, conds)
		}
		for _, k := range r.Kinds {
			if _, ok := Lookup(k); !ok {
				t.Errorf("%s: kind %s", r.ID, k)
			}
		}
		for _, a := range r.Awards {
			if _, err := routing.LookupAward(a); err != nil {
				t.Errorf("%s: %v", r.ID, err)
			}
		}
	}
	rs := Rules()
	rs[0].ID = "changed"
	if Rules()[0].ID == "changed" {
		t.Fatal("Rules shares its slice")
	}
	if _, err := json.Marshal(Rules()); err != nil {
		t.Fatal(err)
	}
}
