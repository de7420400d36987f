package learning

import (
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"
)

// A scoring sheet is the criteria a title is judged by — each criterion's
// most points, the total needed to be recognised and, for a rated title,
// the total of each rating — in force over a period. Sheets are data
// (sheets/*.json, one file per version): a new circular is a new file, a
// recognition keeps the version it was scored under, and an older
// version still scores what was filed under it.

// Criterion is one line of a sheet.
type Criterion struct {
	Code string  `json:"code"`
	Text string  `json:"text"`
	Max  float64 `json:"max"`
}

// Rating is the least total of one rating of a rated title.
type Rating struct {
	Code string  `json:"code"`
	Min  float64 `json:"min"`
}

// Sheet is one version of a title's scoring sheet.
type Sheet struct {
	Code    string `json:"code"`
	Title   Title  `json:"title"`
	Version int    `json:"version"`
	// Source is the instrument the sheet follows, with what is not
	// confirmed against it.
	Source    string      `json:"source"`
	ValidFrom string      `json:"valid_from"`
	ValidTo   string      `json:"valid_to,omitempty"`
	Criteria  []Criterion `json:"criteria"`
	// Threshold is the least total recognised.
	Threshold float64  `json:"threshold"`
	Ratings   []Rating `json:"ratings,omitempty"`
}

//go:embed sheets/*.json
var sheetFiles embed.FS

// sheets are every version, loaded once from the embedded files.
var sheets = mustLoadSheets()

func mustLoadSheets() []Sheet {
	names, err := sheetFiles.ReadDir("sheets")
	if err != nil {
		panic(err)
	}
	var out []Sheet
	for _, n := range names {
		raw, err := sheetFiles.ReadFile("sheets/" + n.Name())
		if err != nil {
			panic(err)
		}
		var s Sheet
		if err := json.Unmarshal(raw, &s); err != nil {
			panic(fmt.Sprintf("scoring sheet %s: %v", n.Name(), err))
		}
		if err := s.check(); err != nil {
			panic(fmt.Sprintf("scoring sheet %s: %v", n.Name(), err))
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Sheet) int {
		if a.Code != b.Code {
			if a.Code < b.Code {
				return -1
			}
			return 1
		}
		return a.Version - b.Version
	})
	return out
}

// check refuses a sheet that cannot score: an unknown title, no criteria,
// a criterion without points, a threshold above the total, ratings out
// of order.
func (s Sheet) check() error {
	if _, err := LookupTitle(s.Title); err != nil {
		return err
	}
	if len(s.Criteria) == 0 || s.Version < 1 || s.Code == "" {
		return fmt.Errorf("a sheet needs a code, a version and criteria")
	}
	if _, err := time.Parse(time.DateOnly, s.ValidFrom); err != nil {
		return fmt.Errorf("valid_from: %w", err)
	}
	total := 0.0
	seen := map[string]bool{}
	for _, c := range s.Criteria {
		if c.Max <= 0 || c.Code == "" || seen[c.Code] {
			return fmt.Errorf("criterion %q: a code once and points above zero", c.Code)
		}
		seen[c.Code] = true
		total += c.Max
	}
	if s.Threshold <= 0 || s.Threshold > total {
		return fmt.Errorf("threshold %v outside 0–%v", s.Threshold, total)
	}
	for i := 1; i < len(s.Ratings); i++ {
		if s.Ratings[i].Min >= s.Ratings[i-1].Min {
			return fmt.Errorf("ratings are listed from the highest")
		}
	}
	return nil
}

// Sheets lists every version of every sheet.
func Sheets() []Sheet { return slices.Clone(sheets) }

// SheetInForce is the version of title's sheet in force on day.
func SheetInForce(t Title, day time.Time) (Sheet, bool) {
	d := day.Format(time.DateOnly)
	for _, s := range sheets {
		if s.Title == t && s.ValidFrom <= d && (s.ValidTo == "" || d <= s.ValidTo) {
			return s, true
		}
	}
	return Sheet{}, false
}

// SheetVersion is one version of a sheet by its code.
func SheetVersion(code string, version int) (Sheet, bool) {
	for _, s := range sheets {
		if s.Code == code && s.Version == version {
			return s, true
		}
	}
	return Sheet{}, false
}

// Max is the sheet's total.
func (s Sheet) Max() float64 {
	total := 0.0
	for _, c := range s.Criteria {
		total += c.Max
	}
	return total
}

// ScoreError names a criterion scored wrong.
type ScoreError struct {
	Criterion string
	Message   string
	MessageEN string
}

// Score totals the points given per criterion. Every criterion needs its
// points, from 0 to its most; a code the sheet does not have is refused.
func (s Sheet) Score(points map[string]float64) (float64, []ScoreError) {
	var errs []ScoreError
	total := 0.0
	for _, c := range s.Criteria {
		p, ok := points[c.Code]
		switch {
		case !ok:
			errs = append(errs, ScoreError{c.Code, "Chấm điểm tiêu chí “" + c.Text + "”.", "Score criterion " + c.Code + "."})
		case p < 0 || p > c.Max || math.IsNaN(p):
			errs = append(errs, ScoreError{c.Code, fmt.Sprintf("Điểm tiêu chí “%s” từ 0 đến %g.", c.Text, c.Max),
				fmt.Sprintf("Criterion %s scores 0 to %g.", c.Code, c.Max)})
		default:
			total += p
		}
	}
	for code := range points {
		if !slices.ContainsFunc(s.Criteria, func(c Criterion) bool { return c.Code == code }) {
			errs = append(errs, ScoreError{code, "Phiếu chấm điểm không có tiêu chí " + code + ".", "The sheet has no criterion " + code + "."})
		}
	}
	slices.SortFunc(errs, func(a, b ScoreError) int {
		if a.Criterion < b.Criterion {
			return -1
		}
		if a.Criterion > b.Criterion {
			return 1
		}
		return 0
	})
	return math.Round(total*100) / 100, errs
}

// Verdict is what a total gives: whether it reaches the threshold and,
// for a rated title, the rating it earns ("" below every rating).
func (s Sheet) Verdict(total float64) (recognised bool, rating string) {
	for _, r := range s.Ratings {
		if total >= r.Min {
			rating = r.Code
			break
		}
	}
	return total >= s.Threshold, rating
}
