// Package textnorm normalizes the Vietnamese text users type: NFC at the
// API boundary (decomposed diacritics render broken in PDFs and compare
// unequal), and an accent-free folded form for search.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Clean returns s in NFC with surrounding white space trimmed.
func Clean(s string) string {
	return strings.TrimSpace(norm.NFC.String(s))
}

// Valid reports whether s is valid UTF-8 without control characters other
// than tab, newline and carriage return.
func Valid(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}

// Fold lower-cases s and strips its diacritics ("Nguyễn Thị Hồng" →
// "nguyen thi hong"; đ → d), collapsing runs of white space, so that a
// search typed without accents finds accented names.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		switch r {
		case 'đ', 'Đ':
			return 'd'
		}
		return unicode.ToLower(r)
	}, out)
	return strings.Join(strings.Fields(out), " ")
}
