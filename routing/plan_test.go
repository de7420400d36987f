package routing

import (
	"errors"
	"reflect"
	"testing"
)

type mapDir map[string]Unit

func (d mapDir) Unit(id string) (Unit, bool) { u, ok := d[id]; return u, ok }
func (d mapDir) Reviewer(l Level, root string) (Unit, bool) {
	for _, u := range d {
		if u.Level == l && (l == Education || l == Interior) && d.root(u.ID) == root {
			return u, true
		}
	}
	return Unit{}, false
}

func (d mapDir) root(id string) string {
	for d[id].ParentID != "" {
		id = d[id].ParentID
	}
	return id
}

var binhDuong = mapDir{
	"tinh":    {ID: "tinh", Name: "Tỉnh Bình Dương"},
	"sogd":    {ID: "sogd", Name: "Sở GD&ĐT", Level: Education, ParentID: "tinh"},
	"sonv":    {ID: "sonv", Name: "Sở Nội vụ", Level: Interior, ParentID: "tinh"},
	"dian":    {ID: "dian", Name: "Thành phố Dĩ An", Level: District, ParentID: "tinh"},
	"dongh":   {ID: "dongh", Name: "Phường Đông Hòa", Level: Commune, ParentID: "dian"},
	"school":  {ID: "school", Name: "Trường Tiểu học Đông Hòa", ParentID: "dongh"},
	"thpt":    {ID: "thpt", Name: "Trường THPT Dĩ An", ParentID: "sogd"},
	"dianhs":  {ID: "dianhs", Name: "Trường THCS Dĩ An", ParentID: "dian"},
	"orphan":  {ID: "orphan", Name: "Đơn vị lạc", ParentID: "missing"},
	"company": {ID: "company", Name: "Công ty TNHH A", ParentID: "tinh"},
	// A neighbouring province, with departments of its own.
	"vt":     {ID: "vt", Name: "Tỉnh Bà Rịa - Vũng Tàu"},
	"sogdvt": {ID: "sogdvt", Name: "Sở GD&ĐT Bà Rịa - Vũng Tàu", Level: Education, ParentID: "vt"},
	"sonvvt": {ID: "sonvvt", Name: "Sở Nội vụ Bà Rịa - Vũng Tàu", Level: Interior, ParentID: "vt"},
	"baria":  {ID: "baria", Name: "Thành phố Bà Rịa", Level: District, ParentID: "vt"},
	"phuoch": {ID: "phuoch", Name: "Phường Phước Hiệp", Level: Commune, ParentID: "baria"},
}

func levels(r Route) []Level {
	var out []Level
	for _, s := range r.Steps {
		out = append(out, s.Level)
	}
	return out
}

func TestPlan(t *testing.T) {
	cases := []struct {
		name  string
		chain Chain
		body  string
		award Award
		want  []Level
		units []string
	}{
		{"commune body, provincial award, three tiers", ThreeTier, "dongh", BangKhenTinh,
			[]Level{Commune, District, Education, Interior}, []string{"dongh", "dian", "sogd", "sonv"}},
		{"commune body, provincial award, two tiers", TwoTier, "dongh", BangKhenTinh,
			[]Level{Commune, Education, Interior}, []string{"dongh", "sogd", "sonv"}},
		{"school under a commune enters at the commune", ThreeTier, "school", GiayKhenHuyen,
			[]Level{Commune, District}, []string{"dongh", "dian"}},
		{"commune award ends at the commune", TwoTier, "school", GiayKhenXa,
			[]Level{Commune}, []string{"dongh"}},
		{"provincial high school enters at education", ThreeTier, "thpt", BangKhenThuTuong,
			[]Level{Education, Interior}, []string{"sogd", "sonv"}},
		{"district school skips a chain without districts", TwoTier, "dianhs", GiayKhenSo,
			[]Level{Education}, []string{"sogd"}},
		{"enterprise enters at education", TwoTier, "company", BangKhenBo,
			[]Level{Education, Interior}, []string{"sogd", "sonv"}},
		{"each province's bodies go to its own departments", ThreeTier, "phuoch", BangKhenTinh,
			[]Level{Commune, District, Education, Interior}, []string{"phuoch", "baria", "sogdvt", "sonvvt"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Plan(binhDuong, c.chain, c.body, c.award)
			if err != nil {
				t.Fatal(err)
			}
			if got := levels(r); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("levels = %v, want %v", got, c.want)
			}
			for i, s := range r.Steps {
				if s.UnitID != c.units[i] {
					t.Errorf("step %d unit = %s, want %s", i, s.UnitID, c.units[i])
				}
			}
		})
	}
}

func TestPlanRefuses(t *testing.T) {
	cases := []struct {
		name     string
		chain    Chain
		body     string
		award    Award
		routable bool // false: the request is at fault (ErrNotRoutable)
	}{
		{"district award in a chain without districts", TwoTier, "dongh", GiayKhenHuyen, false},
		{"provincial school cannot get a commune award", ThreeTier, "thpt", GiayKhenXa, false},
		{"unknown award", ThreeTier, "dongh", Award("huan-chuong"), false},
		{"unit missing from the directory", ThreeTier, "orphan", BangKhenTinh, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Plan(binhDuong, c.chain, c.body, c.award)
			if err == nil {
				t.Fatal("planned, want an error")
			}
			if got := errors.Is(err, ErrNotRoutable); got == c.routable {
				t.Fatalf("errors.Is(ErrNotRoutable) = %v for %v", got, err)
			}
		})
	}
}
