package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/service"
)

// formOf is a kind's dossier form as the service hands it to the pages
// (the forms need no store).
func formOf(t *testing.T, kind string) forms.Form {
	t.Helper()
	f, err := (&service.Service{}).Form(kind)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// posted is what a browser posts for a rendered form: each input's value
// under its pointer, and each array's row count.
func posted(f *Field, v url.Values) url.Values {
	switch f.Kind {
	case "object":
		for _, c := range f.Children {
			posted(c, v)
		}
	case "array":
		v.Set(f.Pointer+"#rows", fmt.Sprint(f.Rows))
		for _, c := range f.Children {
			posted(c, v)
		}
	case "checkbox":
		if f.Value == "true" {
			v.Set(f.Pointer, "true")
		}
	default:
		v.Set(f.Pointer, f.Value)
	}
	return v
}

// normalized re-encodes a JSON value without empty strings, so that two
// dossiers compare by content.
func normalized(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	var drop func(any) any
	drop = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && s == "" {
					delete(x, k)
					continue
				}
				if a, ok := e.([]any); ok && len(a) == 0 {
					delete(x, k)
					continue
				}
				x[k] = drop(e)
			}
		case []any:
			for i := range x {
				x[i] = drop(x[i])
			}
		}
		return v
	}
	return drop(out)
}

// TestFormRoundTrip renders each kind's example dossier into the form
// generated from its definition, posts the form back and reads the same
// dossier: every field of every form has an input, and nothing is lost.
func TestFormRoundTrip(t *testing.T) {
	for _, kind := range forms.Kinds() {
		t.Run(kind, func(t *testing.T) {
			s := formOf(t, kind)
			example, err := forms.ExampleFor(kind, "Đối tượng thử nghiệm", routing.BangKhenTinh, 42)
			if err != nil {
				t.Fatal(err)
			}
			f := BuildForm(s, "/dossier", normalized(t, example), "vi", 2)
			got := Collect(s, "/dossier", posted(f.Root, url.Values{}))
			if want := normalized(t, example); !reflect.DeepEqual(normalized(t, got), want) {
				a, _ := json.MarshalIndent(normalized(t, got), "", " ")
				b, _ := json.MarshalIndent(want, "", " ")
				t.Fatalf("round trip changed the dossier:\ngot  %s\nwant %s", a, b)
			}
			day := time.Date(2025, 6, 20, 10, 0, 0, 0, time.UTC)
			if _, errs := forms.Validate(kind, normalized(t, got).(map[string]any), day); len(errs) > 0 {
				t.Fatalf("collected dossier does not validate: %v", errs)
			}
		})
	}
}

func TestFormShape(t *testing.T) {
	s := formOf(t, forms.KindIndividual)
	f := BuildForm(s, "/dossier", nil, "vi", 2)
	cases := map[string]string{
		"/dossier/letter/date":           "date",
		"/dossier/letter/legal_basis":    "textarea",
		"/dossier/letter/award":          "select",
		"/dossier/nominee/cccd":          "text",
		"/dossier/minutes/members_total": "number",
		"/dossier/nominee/titles":        "array",
		"/dossier/nominee/titles/1":      "object",
		"/dossier/nominee/titles/1/year": "number",
		"/dossier/letter/nominees/0":     "text",
	}
	for ptr, kind := range cases {
		fd := f.index[ptr]
		if fd == nil {
			t.Errorf("no field for %s", ptr)
			continue
		}
		if fd.Kind != kind {
			t.Errorf("%s is a %s, want %s", ptr, fd.Kind, kind)
		}
	}
	// Declared order, required marks, labels in both languages.
	var names []string
	for _, c := range f.index["/dossier/nominee"].Children {
		names = append(names, strings.TrimPrefix(c.Pointer, "/dossier/nominee/"))
	}
	if got := strings.Join(names[:4], ","); got != "full_name,date_of_birth,sex,cccd" {
		t.Errorf("nominee fields in order %s", got)
	}
	if !f.index["/dossier/nominee/full_name"].Required || f.index["/dossier/nominee/cccd"].Required {
		t.Error("required marks wrong")
	}
	if f.index["/dossier/nominee/titles"].Rows != 2 || f.index["/dossier/nominee/titles/1"].Label != "Danh hiệu 2" {
		t.Errorf("array rows: %d, %q", f.index["/dossier/nominee/titles"].Rows, f.index["/dossier/nominee/titles/1"].Label)
	}
	en := BuildForm(s, "/dossier", nil, "en", 0)
	if got := en.index["/dossier/nominee/cccd"].Label; got != "Citizen ID number (CCCD)" {
		t.Errorf("English label %q", got)
	}
	if got := en.index["/dossier/nominee/sex"].Options[2].Label; got != "Female" {
		t.Errorf("English option %q", got)
	}
	if en.index["/dossier/nominee/titles"].Rows != 0 {
		t.Error("the read-only view adds blank rows")
	}
}

func TestCollect(t *testing.T) {
	s := formOf(t, forms.KindIndividual)
	v := url.Values{
		"/dossier/minutes/members_total":   {" 9 "},
		"/dossier/minutes/members_present": {"tám"},
		"/dossier/nominee/full_name":       {"  "},
		"/dossier/nominee/titles#rows":     {"3"},
		"/dossier/nominee/titles/0/title":  {""},
		"/dossier/nominee/titles/1/title":  {"Công dân học tập"},
		"/dossier/nominee/titles/1/year":   {"2024"},
		"/dossier/nominee/titles/5/title":  {"beyond the rows"},
		"/dossier/letter/nominees#rows":    {"100000"},
		"/dossier/letter/nominees/0":       {"Nguyễn Văn A"},
		"/dossier/nominee/awards#rows":     {"-4"},
	}
	got := Collect(s, "/dossier", v).(map[string]any)
	minutes := got["minutes"].(map[string]any)
	if minutes["members_total"] != int64(9) || minutes["members_present"] != "tám" {
		t.Errorf("numbers: %v", minutes)
	}
	nominee := got["nominee"].(map[string]any)
	if _, ok := nominee["full_name"]; ok {
		t.Error("a blank value is sent")
	}
	titles := nominee["titles"].([]any)
	if len(titles) != 1 || titles[0].(map[string]any)["year"] != int64(2024) {
		t.Errorf("titles %v", titles)
	}
	if got["letter"].(map[string]any)["nominees"].([]any)[0] != "Nguyễn Văn A" {
		t.Error("string rows")
	}
	if Collect(s, "/dossier", url.Values{}) != nil {
		t.Error("an empty form is not nil")
	}
}

// TestFormErrors puts the API's errors beside their fields: a field's own
// pointer, a row of an array, an object; the nomination's own fields; the
// rest above the form.
func TestFormErrors(t *testing.T) {
	s := formOf(t, forms.KindIndividual)
	f := BuildForm(s, "/dossier", nil, "vi", 2)
	p := &Problem{Status: 422, Detail: "Hồ sơ chưa hợp lệ", DetailEN: "Invalid", Errors: []FieldError{
		{Pointer: "/dossier/nominee/cccd", Message: "CCCD sai", MessageEN: "Bad CCCD"},
		{Pointer: "/dossier/minutes/votes/0/for", Message: "Phiếu sai", MessageEN: "Bad votes"},
		{Pointer: "/dossier/minutes/votes/7", Message: "Dòng thừa", MessageEN: "Extra row"},
		{Pointer: "/dossier/letter", Message: "Thiếu tờ trình", MessageEN: "No letter"},
		{Pointer: "/round_id", Message: "Không có đợt", MessageEN: "No round"},
		{Pointer: "/elsewhere", Message: "Khác", MessageEN: "Other"},
	}}
	fe := newFormErrors(p, "en", f, topFields...)
	if fe.Message != "Invalid" {
		t.Errorf("message %q", fe.Message)
	}
	want := map[string]string{
		"/dossier/nominee/cccd":        "Bad CCCD",
		"/dossier/minutes/votes/0/for": "Bad votes",
		"/dossier/minutes/votes":       "Extra row",
		"/dossier/letter":              "No letter",
	}
	for ptr, msg := range want {
		if got := f.index[ptr].Errors; len(got) != 1 || got[0] != msg {
			t.Errorf("%s: errors %v, want %q", ptr, got, msg)
		}
	}
	if got := fe.Fields["/round_id"]; len(got) != 1 || got[0] != "No round" {
		t.Errorf("round_id errors %v", got)
	}
	if len(fe.Other) != 1 || fe.Other[0] != "Other" {
		t.Errorf("other errors %v", fe.Other)
	}
	if len(fe.Summary) != 5 || fe.Summary[0].Href != "#f-dossier-nominee-cccd" {
		t.Errorf("summary %v", fe.Summary)
	}

	// The rendered input carries its error, linked for screen readers.
	var b bytes.Buffer
	tmpl := parsePages()["edit"]
	if err := tmpl.ExecuteTemplate(&b, "field", f.Root); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		`<label for="f-dossier-nominee-cccd">Số căn cước công dân</label>`,
		`<p class="error" id="f-dossier-nominee-cccd-error">Bad CCCD</p>`,
		`id="f-dossier-nominee-cccd" name="/dossier/nominee/cccd" value="" maxlength="12" aria-invalid="true" aria-describedby="f-dossier-nominee-cccd-help f-dossier-nominee-cccd-error"`,
		`<input type="hidden" name="/dossier/nominee/titles#rows" value="2">`,
		`<legend>Danh hiệu 2</legend>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered form lacks %s", want)
		}
	}
}

func TestLabelPath(t *testing.T) {
	s := formOf(t, forms.KindIndividual)
	cases := map[string]string{
		"/dossier/nominee/achievements":  "Báo cáo thành tích cá nhân › Thành tích đạt được",
		"/dossier/nominee/titles/1/year": "Báo cáo thành tích cá nhân › Danh hiệu 2 › Năm đạt",
		"/dossier/letter/nominees/0":     "Tờ trình đề nghị khen thưởng › Đối tượng 1",
		"/dossier/nominee/unknown":       "Báo cáo thành tích cá nhân › unknown",
		"/nominee_name":                  "/nominee_name",
	}
	for ptr, want := range cases {
		if got := labelPath(s, ptr, "vi"); got != want {
			t.Errorf("labelPath(%s) = %q, want %q", ptr, got, want)
		}
	}
}
