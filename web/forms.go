package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Schema is the part of a JSON Schema — as GET /api/v1/forms/{kind}
// serves it, with tdkt's "x-" keywords — that the form generator reads.
type Schema struct {
	Type        string             `json:"type"`
	Title       string             `json:"title"`
	TitleEN     string             `json:"x-title-en"`
	LabelEN     string             `json:"x-label-en"`
	Description string             `json:"description"`
	Properties  map[string]*Schema `json:"properties"`
	Order       []string           `json:"x-order"`
	Required    []string           `json:"required"`
	Items       *Schema            `json:"items"`
	MinItems    int                `json:"minItems"`
	MaxItems    int                `json:"maxItems"`
	Enum        []any              `json:"enum"`
	EnumLabels  []enumLabel        `json:"x-enum-labels"`
	Format      string             `json:"format"`
	Multiline   bool               `json:"x-multiline"`
	MaxLength   int                `json:"maxLength"`
	Minimum     *float64           `json:"minimum"`
	Maximum     *float64           `json:"maximum"`
	NameField   string             `json:"x-name-field"`
}

// enumLabel is one entry of "x-enum-labels".
type enumLabel struct {
	Value   any    `json:"value"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
}

// label is the schema's title in lang.
func (s *Schema) label(lang string) string {
	if lang == "en" {
		if s.LabelEN != "" {
			return s.LabelEN
		}
		if s.TitleEN != "" {
			return s.TitleEN
		}
	}
	return s.Title
}

// order lists the properties in the form's declared order.
func (s *Schema) order() []string {
	if len(s.Order) > 0 {
		return s.Order
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// requires reports whether the object schema requires the property.
func (s *Schema) requires(name string) bool {
	for _, r := range s.Required {
		if r == name {
			return true
		}
	}
	return false
}

// maxRows bounds the rows of an array, whatever the schema says.
func (s *Schema) maxRows() int {
	if s.MaxItems > 0 && s.MaxItems < 500 {
		return s.MaxItems
	}
	return 500
}

// Field is one node of a generated form: a fieldset (object, array) or an
// input. Its Pointer is both the input's name and the JSON pointer the
// API's errors use, so that every error finds its field.
type Field struct {
	Pointer   string
	ID        string
	Label     string
	Help      string
	Kind      string // object, array, text, textarea, select, date, number, checkbox
	Required  bool
	Value     string // the value as typed; for a select, the option's value
	Display   string // the value as shown read-only (an option's label)
	Options   []Option
	Children  []*Field
	Rows      int // rendered rows of an array
	MaxLength int
	Min, Max  string
	Step      string
	Errors    []string
}

// Option is one choice of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// Form is a generated form: its root field and an index by pointer.
type Form struct {
	Root  *Field
	index map[string]*Field
}

// DescribedBy lists the IDs of the field's help and error texts.
func (f *Field) DescribedBy() string {
	var ids []string
	if f.Help != "" {
		ids = append(ids, f.ID+"-help")
	}
	if len(f.Errors) > 0 {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Scalar reports an input (not a fieldset).
func (f *Field) Scalar() bool { return f.Kind != "object" && f.Kind != "array" }

// Empty reports a field with nothing to show read-only.
func (f *Field) Empty() bool {
	if f.Scalar() {
		return f.Value == ""
	}
	for _, c := range f.Children {
		if !c.Empty() {
			return false
		}
	}
	return true
}

// FieldID is the HTML id of the input (or fieldset) of a JSON pointer:
// "/dossier/nominee/cccd" → "f-dossier-nominee-cccd". Browser tests use it
// to find the input of a value.
func FieldID(ptr string) string {
	var b strings.Builder
	b.WriteString("f")
	for _, r := range ptr {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// escapeToken escapes one JSON pointer token (RFC 6901).
func escapeToken(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// BuildForm generates the form of schema s rooted at pointer ptr, filled
// with value v (decoded JSON, or nil). Each array gets extraRows blank rows
// after its values (at least its minimum); extraRows 0 gives the read-only
// view of exactly the values.
func BuildForm(s *Schema, ptr string, v any, lang string, extraRows int) *Form {
	f := &Form{index: map[string]*Field{}}
	f.Root = f.build(s, ptr, v, lang, extraRows, true)
	if s.TitleEN != "" && lang == "en" {
		f.Root.Label = s.TitleEN
	}
	return f
}

// build makes the field of schema s at ptr with value v, and indexes it.
func (f *Form) build(s *Schema, ptr string, v any, lang string, extra int, required bool) *Field {
	fd := &Field{Pointer: ptr, ID: FieldID(ptr), Label: s.label(lang), Help: s.Description, Required: required}
	f.index[ptr] = fd
	switch s.Type {
	case "object":
		fd.Kind = "object"
		obj, _ := v.(map[string]any)
		for _, name := range s.order() {
			ps := s.Properties[name]
			if ps == nil {
				continue
			}
			fd.Children = append(fd.Children, f.build(ps, ptr+"/"+escapeToken(name), obj[name], lang, extra, s.requires(name)))
		}
	case "array":
		fd.Kind = "array"
		rows, _ := v.([]any)
		n := len(rows) + extra
		if extra > 0 && n < s.MinItems {
			n = s.MinItems
		}
		n = min(max(n, len(rows)), s.maxRows())
		fd.Rows = n
		item := s.Items
		if item == nil {
			item = &Schema{Type: "string"}
		}
		for i := 0; i < n; i++ {
			var rv any
			if i < len(rows) {
				rv = rows[i]
			}
			child := f.build(item, fmt.Sprintf("%s/%d", ptr, i), rv, lang, extra, false)
			child.Label = fmt.Sprintf("%s %d", item.label(lang), i+1)
			child.Required = item.Type != "object" && i < s.MinItems
			fd.Children = append(fd.Children, child)
		}
	default:
		fd.Value = scalarString(v)
		fd.Display = fd.Value
		fd.MaxLength = s.MaxLength
		switch {
		case s.Type == "string" && len(s.Enum) > 0:
			fd.Kind = "select"
			fd.Options = enumOptions(s, fd.Value, lang)
			for _, o := range fd.Options {
				if o.Selected {
					fd.Display = o.Label
				}
			}
		case s.Type == "string" && s.Format == "date":
			fd.Kind, fd.MaxLength = "date", 0
			fd.Display = formatTime(fd.Value, "02/01/2006")
		case s.Type == "string" && s.Multiline:
			fd.Kind = "textarea"
		case s.Type == "integer" || s.Type == "number":
			fd.Kind, fd.Step, fd.MaxLength = "number", "1", 0
			if s.Type == "number" {
				fd.Step = "any"
			}
			if s.Minimum != nil {
				fd.Min = strconv.FormatFloat(*s.Minimum, 'f', -1, 64)
			}
			if s.Maximum != nil {
				fd.Max = strconv.FormatFloat(*s.Maximum, 'f', -1, 64)
			}
		case s.Type == "boolean":
			fd.Kind = "checkbox"
		default:
			fd.Kind = "text"
		}
	}
	return fd
}

// enumOptions are a select's choices: an empty one, then the schema's.
func enumOptions(s *Schema, selected, lang string) []Option {
	labels := map[string]enumLabel{}
	for _, l := range s.EnumLabels {
		labels[scalarString(l.Value)] = l
	}
	opts := []Option{{Value: "", Label: "—", Selected: selected == ""}}
	for _, e := range s.Enum {
		v := scalarString(e)
		label := v
		if l, ok := labels[v]; ok {
			label = l.Label
			if lang == "en" && l.LabelEN != "" {
				label = l.LabelEN
			}
		}
		opts = append(opts, Option{Value: v, Label: label, Selected: v == selected})
	}
	return opts
}

// scalarString shows a decoded JSON scalar as a form value.
func scalarString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	default:
		b, _ := json.Marshal(x) // decoded from JSON: encodes again
		return string(b)
	}
}

// Attach puts each error beside the deepest field its pointer reaches and
// returns those that reach no field (shown above the form).
func (f *Form) Attach(errs []FieldError, lang string) []FieldError {
	var rest []FieldError
	for _, e := range errs {
		if fd := f.lookup(e.Pointer); fd != nil {
			fd.Errors = append(fd.Errors, e.In(lang))
			continue
		}
		rest = append(rest, e)
	}
	return rest
}

// lookup finds the field of a pointer or of its nearest ancestor.
func (f *Form) lookup(ptr string) *Field {
	for p := ptr; ; {
		if fd, ok := f.index[p]; ok {
			return fd
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return nil
		}
		p = p[:i]
	}
}

// Collect reads the value of schema s at pointer ptr back from a posted
// form: empty inputs, rows and objects are left out (a draft may be
// incomplete; the API's validation names what is missing), numbers are
// parsed (a value that is not a number is sent as typed, for the API to
// refuse beside its field).
func Collect(s *Schema, ptr string, form url.Values) any {
	switch s.Type {
	case "object":
		obj := map[string]any{}
		for _, name := range s.order() {
			if ps := s.Properties[name]; ps != nil {
				if v := Collect(ps, ptr+"/"+escapeToken(name), form); v != nil {
					obj[name] = v
				}
			}
		}
		if len(obj) == 0 {
			return nil
		}
		return obj
	case "array":
		n, _ := strconv.Atoi(form.Get(ptr + "#rows"))
		n = min(max(n, 0), s.maxRows())
		item := s.Items
		if item == nil {
			item = &Schema{Type: "string"}
		}
		var out []any
		for i := 0; i < n; i++ {
			if v := Collect(item, fmt.Sprintf("%s/%d", ptr, i), form); v != nil {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case "boolean":
		if _, ok := form[ptr]; !ok {
			return nil
		}
		return form.Get(ptr) == "true"
	}
	raw := form.Get(ptr)
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	if s.Type == "integer" || s.Type == "number" {
		t := strings.TrimSpace(raw)
		if i, err := strconv.ParseInt(t, 10, 64); err == nil {
			return i
		}
		if x, err := strconv.ParseFloat(t, 64); err == nil {
			return x
		}
	}
	return raw
}

// decodeValue decodes a JSON document for BuildForm (nil when empty).
func decodeValue(raw json.RawMessage) any {
	var v any
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &v) // the service stored it as JSON; an unreadable one shows an empty form
	}
	return v
}

// labelPath names a dossier pointer by its labels: "/dossier/nominee/cccd"
// → "Báo cáo thành tích cá nhân › Số căn cước công dân".
func labelPath(s *Schema, ptr, lang string) string {
	rest, ok := strings.CutPrefix(ptr, "/dossier")
	if !ok || s == nil {
		return ptr
	}
	var parts []string
	cur := s
	for _, tok := range strings.Split(strings.TrimPrefix(rest, "/"), "/") {
		if tok == "" || cur == nil {
			continue
		}
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch cur.Type {
		case "object":
			next := cur.Properties[tok]
			if next == nil {
				parts = append(parts, tok)
				cur = nil
				continue
			}
			parts = append(parts, next.label(lang))
			cur = next
		case "array":
			i, err := strconv.Atoi(tok)
			if err != nil || cur.Items == nil {
				parts = append(parts, tok)
				cur = nil
				continue
			}
			parts[len(parts)-1] = fmt.Sprintf("%s %d", cur.Items.label(lang), i+1)
			cur = cur.Items
		default:
			parts = append(parts, tok)
		}
	}
	if len(parts) == 0 {
		return s.label(lang)
	}
	return strings.Join(parts, " › ")
}
