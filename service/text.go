package service

import (
	"maps"
	"slices"

	"github.com/tdkt/tdkt/internal/textnorm"
)

// cleanText puts the text fields of an input, by JSON pointer, in NFC
// with surrounding white space trimmed, as the API's decoding does, and
// refuses text with control characters: the web UI's forms reach the
// service without that decoding. Nil fields are skipped.
func cleanText(fields map[string]*string) []FieldError {
	var errs []FieldError
	for _, ptr := range slices.Sorted(maps.Keys(fields)) {
		v := fields[ptr]
		if v == nil {
			continue
		}
		if !textnorm.Valid(*v) {
			errs = append(errs, FieldError{Pointer: ptr, Message: "Chứa ký tự điều khiển không hợp lệ.",
				MessageEN: "Contains control characters."})
		}
		*v = textnorm.Clean(*v)
	}
	return errs
}
