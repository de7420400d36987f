// Package forms is the single source of truth for nomination dossier forms.
//
// A form is data (Form, Field): the JSON Schema served to clients
// (Form.JSONSchema), the server-side validation (Validate) and the web form
// are all produced from the same declarations, so that they cannot drift
// apart. Checks that a schema cannot express (the CCCD province code, the
// quorum of the review meeting, …) are named in the data and implemented
// once in checks.go; eligibility for an award is a separate list of rules
// (Rules, Eligibility) because it depends on the award asked, not on the
// shape of the dossier.
package forms

import "fmt"

// Type is the kind of value a field holds. It decides the JSON type, the
// widget of the web form and the validation applied.
type Type string

// Field types.
const (
	TypeString  Type = "string"  // one line of text
	TypeText    Type = "text"    // multi-line text (reports, legal basis)
	TypeInteger Type = "integer" // whole number
	TypeNumber  Type = "number"  // any finite number
	TypeDate    Type = "date"    // civil date, YYYY-MM-DD
	TypeEnum    Type = "enum"    // one of Enum's values
	TypeBoolean Type = "boolean"
	TypeObject  Type = "object" // Fields
	TypeArray   Type = "array"  // Items
)

// Default bounds, applied when a field leaves them at zero, so that no
// string or list in a dossier is unbounded.
const (
	DefaultMaxLength     = 300   // runes, TypeString and TypeEnum
	DefaultTextMaxLength = 20000 // runes, TypeText
	DefaultMaxItems      = 100
)

// Option is one allowed value of an enum field with its labels.
type Option struct {
	Value   string `json:"value"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en,omitempty"`
}

// Field declares one JSON property of a dossier: what the clerk sees
// (labels and help in Vietnamese, English labels for integrators) and what
// is accepted. Zero values mean "no constraint", except for the default
// length and list bounds above.
type Field struct {
	Name    string `json:"name"` // JSON key
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	Help    string `json:"help,omitempty"`
	Type    Type   `json:"type"`

	Required bool `json:"required,omitempty"`

	// MinLength and MaxLength count runes of the NFC-normalized, trimmed
	// text (string, text, enum).
	MinLength int `json:"min_length,omitempty"`
	MaxLength int `json:"max_length,omitempty"`

	// Min and Max bound integer and number fields (inclusive).
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`

	// Pattern is a Go regular expression the whole string must match. It is
	// also emitted in the JSON Schema, so it keeps to the syntax common to
	// Go and ECMA-262 and carries its own anchors.
	Pattern          string `json:"pattern,omitempty"`
	PatternMessage   string `json:"pattern_message,omitempty"`
	PatternMessageEN string `json:"pattern_message_en,omitempty"`

	// MinDate and MaxDate bound a date field (YYYY-MM-DD, inclusive).
	MinDate string `json:"min_date,omitempty"`
	MaxDate string `json:"max_date,omitempty"`
	// MinYearsAgo requires a date at least this many years before the day
	// of submission (a minimum age).
	MinYearsAgo int `json:"min_years_ago,omitempty"`
	// NotFuture refuses a date after the day of submission, or an integer
	// year after the year of submission.
	NotFuture bool `json:"not_future,omitempty"`

	Enum []Option `json:"enum,omitempty"`

	MinItems int    `json:"min_items,omitempty"`
	MaxItems int    `json:"max_items,omitempty"`
	Items    *Field `json:"items,omitempty"` // element of an array

	Fields []Field `json:"fields,omitempty"` // properties of an object

	// Checks names further checks (see checks.go) run on a value that
	// passed the checks above; on an object they see its clean value and
	// may compare its fields.
	Checks []string `json:"checks,omitempty"`
}

// Fraction is Num/Den, used for the voting thresholds of review minutes.
type Fraction struct {
	Num int `json:"num"`
	Den int `json:"den"`
}

// String writes the fraction as the regulations do ("2/3"), for messages
// and the JSON Schema.
func (q Fraction) String() string { return fmt.Sprintf("%d/%d", q.Num, q.Den) }

// Form is one dossier form: the achievement report of a nominee kind
// (Lookup) or the whole dossier of a nomination (Dossier).
type Form struct {
	Kind string `json:"kind"`

	// Code and Version name the form (versions.go): Code is one per
	// nominee kind and never changes, Version grows when the legal
	// instrument the form follows is replaced. LegalBasis is that
	// instrument, its annex and template ("Nghị định 98/2023/NĐ-CP, Phụ
	// lục I, Mẫu số 03"); ValidFrom and ValidTo the days the version is in
	// force (YYYY-MM-DD, inclusive; ValidTo "" while in force); Source
	// where those facts come from and what is not confirmed.
	Code       string `json:"code"`
	Version    int    `json:"version"`
	LegalBasis string `json:"legal_basis"`
	ValidFrom  string `json:"valid_from"`
	ValidTo    string `json:"valid_to,omitempty"`
	Source     string `json:"source,omitempty"`

	Title   string  `json:"title"`
	TitleEN string  `json:"title_en"`
	Help    string  `json:"help,omitempty"`
	Fields  []Field `json:"fields"`

	// NameField is the field of the nominee's report naming the nominee
	// (full name, unit name, head of household, clan): the name the
	// submission letter and the minutes refer to.
	NameField string `json:"name_field,omitempty"`

	// Checks names cross-field checks run on the whole clean form.
	Checks []string `json:"checks,omitempty"`

	// Quorum is the share of the review body's members that must attend
	// its meeting (present ≥ Quorum × total); Majority is the share of all
	// members whose votes for a nominee it needs (for > Majority × total).
	// Set on dossier forms.
	Quorum   Fraction `json:"quorum,omitzero"`
	Majority Fraction `json:"majority,omitzero"`
}

// FieldError locates one invalid value by JSON pointer (RFC 6901), with a
// message in Vietnamese for the clerk and in English for integrators. The
// API turns it into its problem-detail error list unchanged.
type FieldError struct {
	Pointer   string `json:"pointer"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

func num(v float64) *float64 { return &v }

func (f Field) maxLength() int {
	switch {
	case f.MaxLength > 0:
		return f.MaxLength
	case f.Type == TypeText:
		return DefaultTextMaxLength
	default:
		return DefaultMaxLength
	}
}

func (f Field) maxItems() int {
	if f.MaxItems > 0 {
		return f.MaxItems
	}
	return DefaultMaxItems
}

// clone deep-copies f so that callers of Lookup and Dossier cannot change
// the registry.
func (f Field) clone() Field {
	c := f
	if f.Min != nil {
		c.Min = num(*f.Min)
	}
	if f.Max != nil {
		c.Max = num(*f.Max)
	}
	c.Enum = append([]Option(nil), f.Enum...)
	c.Checks = append([]string(nil), f.Checks...)
	if f.Items != nil {
		it := f.Items.clone()
		c.Items = &it
	}
	c.Fields = cloneFields(f.Fields)
	return c
}

func cloneFields(fs []Field) []Field {
	if fs == nil {
		return nil
	}
	out := make([]Field, len(fs))
	for i, f := range fs {
		out[i] = f.clone()
	}
	return out
}

func (f Form) clone() Form {
	c := f
	c.Fields = cloneFields(f.Fields)
	c.Checks = append([]string(nil), f.Checks...)
	return c
}

// field returns the field named name, or nil.
func field(fs []Field, name string) *Field {
	for i := range fs {
		if fs[i].Name == name {
			return &fs[i]
		}
	}
	return nil
}
