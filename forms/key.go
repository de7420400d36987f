package forms

import (
	"strings"
	"unicode"

	"github.com/tdkt/tdkt/internal/textnorm"
)

// NomineeKey identifies the nominee of a dossier across nominations, so
// that the API can refuse a second open nomination of the same nominee.
//
// An individual with a citizen ID is keyed by it alone
// ("individual|cccd|074185001234"): the ID is unique and survives a
// misspelt name. Otherwise the key is the kind, the date of birth (for an
// individual, else empty) and the name folded by textnorm.Fold — case,
// accents and spacing do not count ("individual|1985-03-12|nguyen thi
// hong", "household||tran van binh"). Names alone collide across units
// (two households of Trần Văn Bình in two communes), so the caller adds
// the nominating unit to the key before comparing.
//
// It returns "" when the dossier names no nominee, so that an empty draft
// matches nothing. It reads raw or clean dossiers and never panics.
func NomineeKey(kind string, dossier map[string]any) string {
	nf, ok := nomineeForms[kind]
	if !ok {
		return ""
	}
	n := nominee(dossier)
	if kind == KindIndividual {
		if id := textnorm.Clean(str(n["cccd"])); len(id) == 12 && strings.Trim(id, "0123456789") == "" {
			return kind + "|cccd|" + id
		}
	}
	name := textnorm.Fold(keyText(str(n[nf.NameField])))
	if name == "" {
		return ""
	}
	dob := ""
	if kind == KindIndividual {
		if d := textnorm.Clean(str(n["date_of_birth"])); validDate(d) {
			dob = d
		}
	}
	return kind + "|" + dob + "|" + name
}

// keyText drops what cannot be part of a name in a key: invalid UTF-8 and
// control characters (which Validate refuses anyway).
func keyText(s string) string {
	s = strings.ToValidUTF8(s, " ")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func validDate(s string) bool {
	_, ok := parseDate(s)
	return ok
}
