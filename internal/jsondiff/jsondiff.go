// Package jsondiff lists what changed between two versions of a JSON
// document, one entry per changed value, located by JSON pointer — so that
// a reviewer sees who changed what between two versions of a dossier.
package jsondiff

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Change is one changed value. Before is absent for an added value, After
// for a removed one.
type Change struct {
	Pointer string `json:"pointer"`
	Before  any    `json:"before,omitempty"`
	After   any    `json:"after,omitempty"`
}

// Diff compares two JSON documents.
func Diff(before, after []byte) ([]Change, error) {
	var a, b any
	if len(before) > 0 {
		if err := json.Unmarshal(before, &a); err != nil {
			return nil, fmt.Errorf("diff: before: %w", err)
		}
	}
	if err := json.Unmarshal(after, &b); err != nil {
		return nil, fmt.Errorf("diff: after: %w", err)
	}
	var out []Change
	walk("", a, b, &out)
	return out, nil
}

func escape(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

func walk(ptr string, a, b any, out *[]Change) {
	switch av := a.(type) {
	case map[string]any:
		if bv, ok := b.(map[string]any); ok {
			keys := map[string]bool{}
			for k := range av {
				keys[k] = true
			}
			for k := range bv {
				keys[k] = true
			}
			sorted := make([]string, 0, len(keys))
			for k := range keys {
				sorted = append(sorted, k)
			}
			sort.Strings(sorted)
			for _, k := range sorted {
				walk(ptr+"/"+escape(k), av[k], bv[k], out)
			}
			return
		}
	case []any:
		if bv, ok := b.([]any); ok {
			for i := 0; i < max(len(av), len(bv)); i++ {
				var x, y any
				if i < len(av) {
					x = av[i]
				}
				if i < len(bv) {
					y = bv[i]
				}
				walk(fmt.Sprintf("%s/%d", ptr, i), x, y, out)
			}
			return
		}
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, Change{Pointer: ptr, Before: a, After: b})
	}
}
