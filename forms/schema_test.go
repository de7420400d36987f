package forms

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// schemaOf returns the JSON Schema of a form as a client receives it:
// encoded and decoded again.
func schemaOf(t *testing.T, f Form) map[string]any {
	t.Helper()
	b, err := json.Marshal(f.JSONSchema())
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b) {
		t.Fatal("invalid JSON")
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJSONSchema(t *testing.T) {
	for _, kind := range Kinds() {
		nominee, _ := Lookup(kind)
		for _, f := range []Form{Dossier(kind), nominee} {
			t.Run(kind+"/"+f.Title, func(t *testing.T) {
				s := schemaOf(t, f)
				if s["$schema"] != SchemaDialect || s["title"] != f.Title || s["description"] != f.Help || s["type"] != "object" {
					t.Fatalf("header: %v %v %v", s["$schema"], s["title"], s["type"])
				}
				compareSchema(t, "", f.Fields, s)
			})
		}
	}
	if s := schemaOf(t, Dossier(KindIndividual)); s["x-quorum"] != "2/3" || s["x-majority"] != "1/2" {
		t.Fatalf("thresholds: %v %v", s["x-quorum"], s["x-majority"])
	}
}

// compareSchema checks that an object schema states exactly the fields,
// the required list and the constraints of the declarations.
func compareSchema(t *testing.T, path string, fields []Field, s map[string]any) {
	t.Helper()
	if s["additionalProperties"] != false {
		t.Errorf("%s: additionalProperties = %v", path, s["additionalProperties"])
	}
	var wantReq []string
	for _, f := range fields {
		if f.Required {
			wantReq = append(wantReq, f.Name)
		}
	}
	var gotReq []string
	for _, r := range s["required"].([]any) {
		gotReq = append(gotReq, r.(string))
	}
	if !slices.Equal(gotReq, wantReq) {
		t.Errorf("%s: required = %v, want %v", path, gotReq, wantReq)
	}
	props := s["properties"].(map[string]any)
	if len(props) != len(fields) {
		t.Errorf("%s: %d properties, %d fields", path, len(props), len(fields))
	}
	for _, f := range fields {
		p, ok := props[f.Name].(map[string]any)
		if !ok {
			t.Errorf("%s/%s: missing", path, f.Name)
			continue
		}
		comparefield(t, path+"/"+f.Name, f, p)
	}
}

func comparefield(t *testing.T, path string, f Field, p map[string]any) {
	t.Helper()
	if p["title"] != f.Label || p["x-label-en"] != f.LabelEN || f.Label == "" || f.LabelEN == "" {
		t.Errorf("%s: labels %v / %v", path, p["title"], p["x-label-en"])
	}
	if f.Help != "" && (p["x-help"] != f.Help || p["description"] != f.Help) {
		t.Errorf("%s: help", path)
	}
	wantType := map[Type]string{TypeString: "string", TypeText: "string", TypeEnum: "string", TypeDate: "string",
		TypeInteger: "integer", TypeNumber: "number", TypeBoolean: "boolean", TypeObject: "object", TypeArray: "array"}[f.Type]
	if p["type"] != wantType {
		t.Errorf("%s: type %v, want %s", path, p["type"], wantType)
	}
	switch f.Type {
	case TypeString, TypeText, TypeEnum:
		if p["maxLength"] != float64(f.maxLength()) {
			t.Errorf("%s: maxLength %v", path, p["maxLength"])
		}
		if f.Pattern != "" && p["pattern"] != f.Pattern {
			t.Errorf("%s: pattern %v", path, p["pattern"])
		}
		if f.Type == TypeEnum {
			if len(p["enum"].([]any)) != len(f.Enum) || len(f.Enum) == 0 {
				t.Errorf("%s: enum %v", path, p["enum"])
			}
		}
	case TypeDate:
		if p["format"] != "date" {
			t.Errorf("%s: format %v", path, p["format"])
		}
	case TypeInteger:
		if f.Min != nil && p["minimum"] != *f.Min || f.Max != nil && p["maximum"] != *f.Max {
			t.Errorf("%s: bounds %v %v", path, p["minimum"], p["maximum"])
		}
	case TypeObject:
		compareSchema(t, path, f.Fields, p)
	case TypeArray:
		if p["maxItems"] != float64(f.maxItems()) {
			t.Errorf("%s: maxItems %v", path, p["maxItems"])
		}
		items := p["items"].(map[string]any)
		if f.Items.Type == TypeObject {
			compareSchema(t, path+"/*", f.Items.Fields, items)
		} else {
			comparefield(t, path+"/*", *f.Items, items)
		}
	}
}

// TestSchemaAcceptsExamples validates the examples with a small validator
// of the JSON Schema keywords the forms use, so that the schema served to
// clients and the server agree on what a valid dossier is.
func TestSchemaAcceptsExamples(t *testing.T) {
	for _, kind := range Kinds() {
		s := schemaOf(t, Dossier(kind))
		var d any
		if err := json.Unmarshal(exampleBytes(t, kind), &d); err != nil {
			t.Fatal(err)
		}
		if errs := schemaValidate(s, d, ""); len(errs) > 0 {
			t.Errorf("%s: %v", kind, errs)
		}
		// And refuses what the server refuses for the same reason.
		bad := map[string]func(m map[string]any){
			"/extra":                 func(m map[string]any) { m["extra"] = 1 },
			"/nominee/achievements":  func(m map[string]any) { m["nominee"].(map[string]any)["achievements"] = "ngắn" },
			"/letter/number":         func(m map[string]any) { m["letter"].(map[string]any)["number"] = "12/UBND" },
			"/letter/award":          func(m map[string]any) { m["letter"].(map[string]any)["award"] = "x" },
			"/minutes/members_total": func(m map[string]any) { m["minutes"].(map[string]any)["members_total"] = 9.5 },
			"/minutes/votes/0/for": func(m map[string]any) {
				m["minutes"].(map[string]any)["votes"].([]any)[0].(map[string]any)["for"] = -1.0
			},
			"/letter/nominees":      func(m map[string]any) { m["letter"].(map[string]any)["nominees"] = []any{} },
			"/minutes/meeting_date": func(m map[string]any) { m["minutes"].(map[string]any)["meeting_date"] = "05/06/2025" },
			"/nominee/titles/0/title": func(m map[string]any) {
				m["nominee"].(map[string]any)["titles"].([]any)[0].(map[string]any)["title"] = "?"
			},
		}
		for ptr, mutate := range bad {
			m := deepCopy(d).(map[string]any)
			mutate(m)
			errs := schemaValidate(s, m, "")
			if len(errs) == 0 || !strings.HasPrefix(errs[0], ptr) {
				t.Errorf("%s: schema accepts a bad %s: %v", kind, ptr, errs)
			}
			if _, verrs := Validate(kind, m, testNow); len(verrs) == 0 {
				t.Errorf("%s: server accepts a bad %s", kind, ptr)
			}
		}
	}
}

// schemaValidate implements the subset of JSON Schema 2020-12 that
// JSONSchema emits.
func schemaValidate(s map[string]any, v any, ptr string) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, ptr+": "+fmt.Sprintf(format, args...)) }
	switch s["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			fail("not an object")
			return errs
		}
		props := s["properties"].(map[string]any)
		for _, r := range s["required"].([]any) {
			if _, ok := m[r.(string)]; !ok {
				errs = append(errs, ptr+"/"+r.(string)+": required")
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ps, ok := props[k]
			if !ok {
				if s["additionalProperties"] == false {
					errs = append(errs, ptr+"/"+k+": additional property")
				}
				continue
			}
			errs = append(errs, schemaValidate(ps.(map[string]any), m[k], ptr+"/"+k)...)
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			fail("not an array")
			return errs
		}
		if n, ok := s["minItems"].(float64); ok && float64(len(a)) < n {
			fail("minItems")
		}
		if n, ok := s["maxItems"].(float64); ok && float64(len(a)) > n {
			fail("maxItems")
		}
		for i, e := range a {
			errs = append(errs, schemaValidate(s["items"].(map[string]any), e, ptr+"/"+strconv.Itoa(i))...)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			fail("not a string")
			return errs
		}
		n := float64(utf8.RuneCountInString(str))
		if m, ok := s["minLength"].(float64); ok && n < m {
			fail("minLength")
		}
		if m, ok := s["maxLength"].(float64); ok && n > m {
			fail("maxLength")
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			fail("pattern")
		}
		if e, ok := s["enum"].([]any); ok && !slices.Contains(e, any(str)) {
			fail("enum")
		}
	case "integer", "number":
		x, ok := v.(float64)
		if !ok || s["type"] == "integer" && x != math.Trunc(x) {
			fail("not an %s", s["type"])
			return errs
		}
		if m, ok := s["minimum"].(float64); ok && x < m {
			fail("minimum")
		}
		if m, ok := s["maximum"].(float64); ok && x > m {
			fail("maximum")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			fail("not a boolean")
		}
	default:
		fail("unknown type %v", s["type"])
	}
	return errs
}

// TestPatternsPortable keeps patterns to the syntax Go and ECMA-262 (the
// browser) read alike, since both use them.
func TestPatternsPortable(t *testing.T) {
	goOnly := regexp.MustCompile(`\(\?[a-zA-Z]|\\[pPzAQE]|\[\[:`)
	var walk func(fs []Field)
	walk = func(fs []Field) {
		for _, f := range fs {
			if f.Pattern != "" {
				if goOnly.MatchString(f.Pattern) {
					t.Errorf("%s: pattern %q uses Go-only syntax", f.Name, f.Pattern)
				}
				if f.PatternMessage == "" && f.Name != "" {
					t.Logf("%s: pattern without a message", f.Name)
				}
			}
			if f.Items != nil {
				walk([]Field{*f.Items})
			}
			walk(f.Fields)
		}
	}
	for _, kind := range Kinds() {
		walk(Dossier(kind).Fields)
	}
}

func TestLookupAndDossier(t *testing.T) {
	if got := Kinds(); !slices.Equal(got, []string{"individual", "household", "clan", "collective", "enterprise", "community"}) {
		t.Fatalf("Kinds = %v", got)
	}
	for _, kind := range Kinds() {
		f, ok := Lookup(kind)
		if !ok || f.Kind != kind || f.Title == "" || f.NameField == "" || field(f.Fields, f.NameField) == nil {
			t.Fatalf("Lookup(%s) = %+v", kind, f)
		}
		d := Dossier(kind)
		if d.Kind != kind || d.Quorum != (Fraction{2, 3}) || d.Majority != (Fraction{1, 2}) {
			t.Fatalf("Dossier(%s) = %+v", kind, d)
		}
		names := fieldNames(d.Fields)
		if !slices.Equal(names, []any{"letter", "nominee", "minutes"}) {
			t.Fatalf("dossier fields %v", names)
		}
		// Every field is labelled in both languages; every check exists.
		var walk func(path string, fs []Field, checksOf []string)
		walk = func(path string, fs []Field, checksOf []string) {
			for _, c := range checksOf {
				if _, ok := checks[c]; !ok {
					t.Errorf("%s: unknown check %q", path, c)
				}
			}
			for _, f := range fs {
				if f.Label == "" || f.LabelEN == "" || f.Name == "" {
					t.Errorf("%s/%s: unlabelled", path, f.Name)
				}
				for _, o := range f.Enum {
					if o.Value == "" || o.Label == "" {
						t.Errorf("%s/%s: enum option %+v", path, f.Name, o)
					}
				}
				if (f.Type == TypeArray) != (f.Items != nil) {
					t.Errorf("%s/%s: items", path, f.Name)
				}
				if f.Items != nil {
					walk(path+"/"+f.Name+"/*", []Field{*f.Items}, nil)
				}
				walk(path+"/"+f.Name, f.Fields, f.Checks)
			}
		}
		walk(kind, d.Fields, d.Checks)
		// Callers get copies.
		f.Fields[0].Label = "changed"
		f.Fields[0].Checks = append(f.Fields[0].Checks, "x")
		d.Fields[1].Fields[0].Label = "changed"
		if g, _ := Lookup(kind); g.Fields[0].Label == "changed" || len(g.Fields[0].Checks) > 1 {
			t.Fatal("Lookup shares its form")
		}
		if Dossier(kind).Fields[1].Fields[0].Label == "changed" {
			t.Fatal("Dossier shares its form")
		}
	}
	if _, ok := Lookup("robot"); ok {
		t.Fatal("Lookup(robot)")
	}
	if d := Dossier("robot"); d.Kind != "" || d.Fields != nil {
		t.Fatal("Dossier(robot)")
	}
	// Forms are data: they encode to JSON for the web form.
	if _, err := json.Marshal(Dossier(KindIndividual)); err != nil {
		t.Fatal(err)
	}
}
