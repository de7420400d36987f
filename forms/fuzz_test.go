package forms

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The seed corpora are in testdata/fuzz/FuzzValidate and
// testdata/fuzz/FuzzNomineeKey (the examples, NFD text, wrong types, odd
// numbers), so that `go test` replays them; the examples are also added
// here so that a new example is fuzzed at once.

// FuzzValidate feeds arbitrary JSON to every kind's validation (and to
// Eligibility and NomineeKey, which may see raw dossiers): nothing panics,
// every error is located by a pointer, the input is never modified, and a
// clean dossier validates to itself.
func FuzzValidate(f *testing.F) {
	for _, kind := range Kinds() {
		f.Add(exampleBytes(f, kind))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, useNumber := range []bool{false, true} {
			d, err := decodeJSON(data, useNumber)
			if err != nil {
				return
			}
			before := deepCopy(d)
			award := ""
			if l, ok := d["letter"].(map[string]any); ok {
				award, _ = l["award"].(string)
			}
			for _, kind := range Kinds() {
				clean, errs := Validate(kind, d, testNow)
				checkErrs(t, errs)
				if (clean == nil) == (errs == nil) {
					t.Fatalf("%s: clean %v with errors %v", kind, clean != nil, errs)
				}
				for _, e := range errs {
					if e.Pointer != "" && !parentExists(d, e.Pointer) {
						t.Fatalf("%s: error at %q, whose parent is not in the dossier", kind, e.Pointer)
					}
				}
				if useNumber {
					// Canonically equivalent text validates alike.
					nclean, nerrs := Validate(kind, transform(d, norm.NFD.String).(map[string]any), testNow)
					if !reflect.DeepEqual(nclean, clean) || !reflect.DeepEqual(nerrs, errs) {
						t.Fatalf("%s: NFD input validates differently:\n%+v\n%+v", kind, nerrs, errs)
					}
				}
				if errs == nil {
					again, errs2 := Validate(kind, clean, testNow)
					if errs2 != nil || !reflect.DeepEqual(again, clean) {
						t.Fatalf("%s: clean dossier does not validate to itself: %+v", kind, errs2)
					}
					if NomineeKey(kind, clean) != NomineeKey(kind, d) {
						t.Fatalf("%s: keys of raw and clean differ", kind)
					}
				}
				for _, r := range Eligibility(award, kind, d, testNow) {
					if r.Status != StatusPass && r.Status != StatusFail && r.Status != StatusWarning {
						t.Fatalf("status %q", r.Status)
					}
					if r.Pointer != "" && !strings.HasPrefix(r.Pointer, "/") {
						t.Fatalf("pointer %q", r.Pointer)
					}
				}
				NomineeKey(kind, d)
			}
			if !reflect.DeepEqual(d, before) {
				t.Fatal("input modified")
			}
		}
	})
}

// FuzzNomineeKey: the key never panics, is valid UTF-8 without control
// characters, starts with the kind, and does not change when the text is
// decomposed (NFD).
func FuzzNomineeKey(f *testing.F) {
	for _, kind := range Kinds() {
		f.Add(kind, exampleBytes(f, kind))
	}
	f.Fuzz(func(t *testing.T, kind string, data []byte) {
		d, err := decodeJSON(data, true)
		if err != nil {
			return
		}
		key := NomineeKey(kind, d)
		if key == "" {
			return
		}
		if !utf8.ValidString(key) || strings.IndexFunc(key, unicode.IsControl) >= 0 {
			t.Fatalf("key %q", key)
		}
		if !strings.HasPrefix(key, kind+"|") {
			t.Fatalf("key %q for kind %q", key, kind)
		}
		if got := NomineeKey(kind, transform(d, norm.NFD.String).(map[string]any)); got != key {
			t.Fatalf("NFD: %q != %q", got, key)
		}
	})
}

// transform copies a document, applying fn to every string value.
func transform(v any, fn func(string) string) any {
	switch x := v.(type) {
	case string:
		return fn(x)
	case map[string]any:
		if x == nil {
			return x
		}
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = transform(e, fn)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = transform(e, fn)
		}
		return a
	}
	return v
}

// parentExists reports whether the container a JSON pointer points into
// is in the document: an error may name a missing key, never a missing
// object.
func parentExists(d map[string]any, ptr string) bool {
	toks := strings.Split(ptr, "/")[1:]
	var cur any = d
	for _, tok := range toks[:len(toks)-1] {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return false
			}
			cur = c[i]
		default:
			return false
		}
	}
	switch cur.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}
