package forms

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Helpers for values as they come from JSON: numbers, dates, pointers and
// text echoed in messages.

// toFloat reads a JSON number as encoding/json produces it (float64, or
// json.Number with UseNumber) or as Go code builds it; NaN and infinities
// are not numbers of a dossier.
func toFloat(v any) (float64, bool) {
	var x float64
	switch n := v.(type) {
	case float64:
		x = n
	case float32:
		x = float64(n)
	case int:
		x = float64(n)
	case int32:
		x = float64(n)
	case int64:
		x = float64(n)
	case json.Number:
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return 0, false
		}
		x = f
	default:
		return 0, false
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

// asInt reads a whole JSON number, for rules that may see raw input.
func asInt(v any) (int64, bool) {
	x, ok := toFloat(v)
	if !ok || x != math.Trunc(x) || math.Abs(x) > maxExact {
		return 0, false
	}
	return int64(x), true
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// escape encodes a key as a JSON pointer reference token (RFC 6901).
func escape(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

// sanitize makes a key or value from the request safe to echo in an error:
// valid UTF-8, no control characters, at most 64 runes.
func sanitize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return '\uFFFD'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 64 {
		s = string([]rune(s)[:64]) + "…"
	}
	return s
}

var patterns sync.Map // pattern → *regexp.Regexp

func pattern(p string) *regexp.Regexp {
	if re, ok := patterns.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(p)
	patterns.Store(p, re)
	return re
}

func compilePatterns(fs []Field) {
	for _, f := range fs {
		if f.Pattern != "" {
			pattern(f.Pattern)
		}
		if f.Items != nil {
			compilePatterns([]Field{*f.Items})
		}
		compilePatterns(f.Fields)
	}
}

// civilDay is the day of t in Việt Nam, at 00:00 UTC, comparable with
// parseDate's results.
func civilDay(t time.Time) time.Time {
	y, m, d := t.In(vietnam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// parseDate reads exactly YYYY-MM-DD, a real calendar day.
func parseDate(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	for i, c := range []byte(s) {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return time.Time{}, false
		}
	}
	d, err := time.Parse(time.DateOnly, s)
	return d, err == nil
}

func viDate(d time.Time) string  { return d.Format("02/01/2006") }
func isoDate(d time.Time) string { return d.Format(time.DateOnly) }
