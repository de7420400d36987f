package forms

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// testNow is the day of submission of the example dossiers (the 2025
// preliminary review), 10:00 in Việt Nam.
var testNow = time.Date(2025, 6, 20, 3, 0, 0, 0, time.UTC)

func exampleBytes(t testing.TB, kind string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "examples", kind+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decode reads JSON as the API does (json.Number) or as plain
// encoding/json does (float64).
func decode(t testing.TB, b []byte, useNumber bool) map[string]any {
	t.Helper()
	d, err := decodeJSON(b, useNumber)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func decodeJSON(b []byte, useNumber bool) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if useNumber {
		dec.UseNumber()
	}
	var d map[string]any
	err := dec.Decode(&d)
	return d, err
}

func example(t testing.TB, kind string) map[string]any {
	return decode(t, exampleBytes(t, kind), true)
}

// deepCopy copies a decoded JSON document.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if x == nil {
			return x
		}
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		if x == nil {
			return x
		}
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = deepCopy(e)
		}
		return a
	}
	return v
}

// resolve walks a JSON pointer to the parent container of its last token.
func resolve(t testing.TB, d map[string]any, ptr string) (parent any, last string) {
	t.Helper()
	toks := strings.Split(ptr, "/")[1:]
	for i := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(toks[i], "~1", "/"), "~0", "~")
	}
	var cur any = d
	for _, tok := range toks[:len(toks)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i >= len(c) {
				t.Fatalf("bad pointer %s", ptr)
			}
			cur = c[i]
		default:
			t.Fatalf("bad pointer %s", ptr)
		}
	}
	return cur, toks[len(toks)-1]
}

// set sets the value at a JSON pointer; on an array, the index may be the
// length (append).
func set(t testing.TB, d map[string]any, ptr string, v any) {
	t.Helper()
	parent, last := resolve(t, d, ptr)
	switch c := parent.(type) {
	case map[string]any:
		c[last] = v
	case []any:
		i, _ := strconv.Atoi(last)
		if i == len(c) {
			// append: rewrite the parent
			pp := ptr[:strings.LastIndex(ptr, "/")]
			set(t, d, pp, append(c, v))
			return
		}
		c[i] = v
	default:
		t.Fatalf("bad pointer %s", ptr)
	}
}

// del removes the value at a JSON pointer (map keys only).
func del(t testing.TB, d map[string]any, ptr string) {
	t.Helper()
	parent, last := resolve(t, d, ptr)
	m, ok := parent.(map[string]any)
	if !ok {
		t.Fatalf("del %s: not in an object", ptr)
	}
	delete(m, last)
}

// checkErrs asserts what every error list must satisfy: a pointer that is
// "" or starts with "/", both messages present, valid UTF-8 and no fmt
// formatting artefacts.
func checkErrs(t testing.TB, errs []FieldError) {
	t.Helper()
	for _, e := range errs {
		if e.Pointer != "" && !strings.HasPrefix(e.Pointer, "/") {
			t.Errorf("pointer %q does not start with /", e.Pointer)
		}
		for _, m := range []string{e.Message, e.MessageEN} {
			if m == "" || !utf8.ValidString(m) || strings.Contains(m, "%!") {
				t.Errorf("bad message %q at %q", m, e.Pointer)
			}
		}
		if !utf8.ValidString(e.Pointer) {
			t.Errorf("pointer %q is not valid UTF-8", e.Pointer)
		}
	}
}

func pointers(errs []FieldError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Pointer
	}
	return out
}
