package certificates

import (
	"bytes"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// The default typeface is Liberation Serif 2.1.5 (SIL OFL 1.1, see
// fonts/OFL.txt), copied unmodified from the Debian package
// fonts-liberation2. It is metrically compatible with Times New Roman, the
// typeface of Vietnamese administrative documents (Decree 30/2020/NĐ-CP),
// and covers the Vietnamese letters with their stacked diacritics. It is
// embedded so that the binary renders certificates with no font installed
// on the host.
//
//go:embed fonts/LiberationSerif-Regular.ttf fonts/LiberationSerif-Bold.ttf fonts/LiberationSerif-Italic.ttf fonts/LiberationSerif-BoldItalic.ttf
var embedded embed.FS

// Fonts holds the TrueType files of one serif family. A deployment may
// supply its own family (Times New Roman under a licence it holds, Tinos,
// …) with LoadFonts; the files must be TrueType outlines (.ttf, not
// CFF-based .otf: fpdf embeds glyf tables only) and must cover Vietnamese.
// Regular, Bold and Italic are required. BoldItalic completes the family
// but no template draws it today, and a style no page draws is neither
// parsed nor embedded, so it may be left nil.
type Fonts struct {
	Regular, Bold, Italic, BoldItalic []byte
}

// DefaultFonts returns the embedded Liberation Serif family. The slices
// share the binary's read-only data: do not modify them.
func DefaultFonts() Fonts {
	read := func(name string) []byte {
		b, err := embedded.ReadFile("fonts/LiberationSerif-" + name + ".ttf")
		if err != nil {
			// The files are embedded at build time; a miss is a build bug.
			panic(err)
		}
		return b
	}
	return Fonts{
		Regular:    read("Regular"),
		Bold:       read("Bold"),
		Italic:     read("Italic"),
		BoldItalic: read("BoldItalic"),
	}
}

// styleSuffixes maps a file-name ending to a style, longest first, so that
// "X-BoldItalic.ttf" is not taken for an italic.
var styleSuffixes = []struct{ suffix, style string }{
	{"bolditalic.ttf", "BoldItalic"},
	{"bold.ttf", "Bold"},
	{"italic.ttf", "Italic"},
	{"regular.ttf", "Regular"},
}

// LoadFonts reads a family from dir, which must hold one file per style
// whose name ends (case-insensitively) in Regular.ttf, Bold.ttf and
// Italic.ttf, and may hold one ending in BoldItalic.ttf — the naming of
// Liberation, Tinos and most font packages, e.g. Tinos-Regular.ttf. Other
// files are ignored, so the licence can sit beside the fonts. Naming the
// styles rather than sniffing the font tables keeps the choice visible to
// whoever deploys the files.
func LoadFonts(dir string) (Fonts, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Fonts{}, fmt.Errorf("certificates: fonts: %w", err)
	}
	found := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		lower := strings.ToLower(e.Name())
		for _, s := range styleSuffixes {
			if strings.HasSuffix(lower, s.suffix) {
				if prev, dup := found[s.style]; dup {
					return Fonts{}, fmt.Errorf("certificates: fonts: %s: both %s and %s are %s", dir, prev, e.Name(), s.style)
				}
				found[s.style] = e.Name()
				break
			}
		}
	}
	var missing []string
	for _, s := range styleSuffixes {
		if _, ok := found[s.style]; !ok && s.style != "BoldItalic" {
			missing = append(missing, "*"+s.style+".ttf")
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return Fonts{}, fmt.Errorf("certificates: fonts: %s has no %s", dir, strings.Join(missing, ", "))
	}
	var f Fonts
	for _, p := range []struct {
		style string
		dst   *[]byte
	}{{"Regular", &f.Regular}, {"Bold", &f.Bold}, {"Italic", &f.Italic}, {"BoldItalic", &f.BoldItalic}} {
		name, ok := found[p.style]
		if !ok {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return Fonts{}, fmt.Errorf("certificates: fonts: %w", err)
		}
		*p.dst = b
	}
	if err := f.check(); err != nil {
		return Fonts{}, fmt.Errorf("certificates: fonts from %s: %w", dir, err)
	}
	// Parse each file now, so that a deployment learns of a bad font when
	// it starts rather than at the first render.
	for _, p := range []struct {
		style string
		b     []byte
	}{{"", f.Regular}, {"B", f.Bold}, {"I", f.Italic}, {"BI", f.BoldItalic}} {
		if p.b == nil {
			continue
		}
		if err := addFont(fpdf.New("L", "mm", "A4", ""), p.style, p.b); err != nil {
			return Fonts{}, fmt.Errorf("certificates: fonts from %s: %w", dir, err)
		}
	}
	return f, nil
}

// check rejects what is plainly not a usable font before fpdf gets it:
// fpdf reports a parse failure only on stdout (doc.font turns that into an
// error, but later and with less to say).
func (f Fonts) check() error {
	for _, p := range []struct {
		style string
		b     []byte
	}{{"Regular", f.Regular}, {"Bold", f.Bold}, {"Italic", f.Italic}, {"BoldItalic", f.BoldItalic}} {
		switch {
		case len(p.b) == 0 && p.style == "BoldItalic":
			continue // optional: see Fonts
		case len(p.b) == 0:
			return fmt.Errorf("%s font is missing", p.style)
		case len(p.b) < 12:
			return fmt.Errorf("%s font is truncated", p.style)
		case bytes.HasPrefix(p.b, []byte("OTTO")):
			return fmt.Errorf("%s font has CFF outlines (.otf); supply a TrueType (.ttf) file", p.style)
		case !bytes.HasPrefix(p.b, []byte{0, 1, 0, 0}) && !bytes.HasPrefix(p.b, []byte("true")):
			return fmt.Errorf("%s font is not a TrueType file", p.style)
		}
	}
	return nil
}
