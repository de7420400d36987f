package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/service"
)

// The dossier form is generated from the form's own definition
// (forms.Form, as the service hands it out): the same declarations that
// validate a submission and give the API its JSON Schema give each field
// its input, label, help, bounds and choices here.

// FormInfo names a nominee kind's dossier form.
type FormInfo = service.FormInfo

// formList lists the nominee kinds' forms, in the order the form offers
// them. It cannot fail (the forms are compiled in); the error keeps the
// shape of the pages' other reference reads.
func (rq *request) formList() ([]FormInfo, error) { return rq.svc().Forms(), nil }

// Field is one node of a generated form: a fieldset (object, array) or an
// input. Its Pointer is both the input's name and the JSON pointer the
// service's errors use, so that every error finds its field.
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

// root is the form as one object field: its title is the root's label.
func root(def forms.Form) *forms.Field {
	return &forms.Field{Type: forms.TypeObject, Label: def.Title, LabelEN: def.TitleEN, Help: def.Help, Fields: def.Fields}
}

// label is a field's label in lang.
func label(f *forms.Field, lang string) string {
	if lang == "en" && f.LabelEN != "" {
		return f.LabelEN
	}
	return f.Label
}

// item is the element of an array field (one line of text if undeclared).
func item(f *forms.Field) *forms.Field {
	if f.Items == nil {
		return &forms.Field{Type: forms.TypeString}
	}
	return f.Items
}

// maxRows bounds the rows of an array: its declared maximum (the forms'
// default when it declares none), at most 500.
func maxRows(f *forms.Field) int {
	n := f.MaxItems
	if n <= 0 {
		n = forms.DefaultMaxItems
	}
	return min(n, 500)
}

// maxLength is a text field's bound in runes, as the form enforces it (0:
// none shown).
func maxLength(f *forms.Field) int {
	switch {
	case f.Type != forms.TypeString && f.Type != forms.TypeText && f.Type != forms.TypeEnum:
		return 0
	case f.MaxLength > 0:
		return f.MaxLength
	case f.Type == forms.TypeText:
		return forms.DefaultTextMaxLength
	default:
		return forms.DefaultMaxLength
	}
}

// BuildForm generates the form of dossier form def rooted at pointer ptr,
// filled with value v (decoded JSON, or nil). Each array gets extraRows
// blank rows after its values (at least its minimum); extraRows 0 gives
// the read-only view of exactly the values.
func BuildForm(def forms.Form, ptr string, v any, lang string, extraRows int) *Form {
	f := &Form{index: map[string]*Field{}}
	f.Root = f.build(root(def), ptr, v, lang, extraRows, true)
	return f
}

// build makes the field of fd at ptr with value v, and indexes it.
func (f *Form) build(def *forms.Field, ptr string, v any, lang string, extra int, required bool) *Field {
	fd := &Field{Pointer: ptr, ID: FieldID(ptr), Label: label(def, lang), Help: def.Help, Required: required}
	f.index[ptr] = fd
	switch def.Type {
	case forms.TypeObject:
		fd.Kind = "object"
		obj, _ := v.(map[string]any) // anything else fills nothing
		for i := range def.Fields {
			c := &def.Fields[i]
			fd.Children = append(fd.Children, f.build(c, ptr+"/"+escapeToken(c.Name), obj[c.Name], lang, extra, c.Required))
		}
	case forms.TypeArray:
		fd.Kind = "array"
		rows, _ := v.([]any) // anything else fills no row
		n := len(rows) + extra
		if extra > 0 && n < def.MinItems {
			n = def.MinItems
		}
		n = min(max(n, len(rows)), maxRows(def))
		fd.Rows = n
		it := item(def)
		for i := 0; i < n; i++ {
			var rv any
			if i < len(rows) {
				rv = rows[i]
			}
			child := f.build(it, fmt.Sprintf("%s/%d", ptr, i), rv, lang, extra, false)
			child.Label = fmt.Sprintf("%s %d", label(it, lang), i+1)
			child.Required = it.Type != forms.TypeObject && i < def.MinItems
			fd.Children = append(fd.Children, child)
		}
	default:
		fd.Value = scalarString(v)
		fd.Display = fd.Value
		fd.MaxLength = maxLength(def)
		switch def.Type {
		case forms.TypeEnum:
			fd.Kind = "select"
			fd.Options = enumOptions(def, fd.Value, lang)
			for _, o := range fd.Options {
				if o.Selected {
					fd.Display = o.Label
				}
			}
		case forms.TypeDate:
			fd.Kind = "date"
			fd.Display = formatTime(fd.Value, "02/01/2006")
		case forms.TypeText:
			fd.Kind = "textarea"
		case forms.TypeInteger, forms.TypeNumber:
			fd.Kind, fd.Step = "number", "1"
			if def.Type == forms.TypeNumber {
				fd.Step = "any"
			}
			if def.Min != nil {
				fd.Min = strconv.FormatFloat(*def.Min, 'f', -1, 64)
			}
			if def.Max != nil {
				fd.Max = strconv.FormatFloat(*def.Max, 'f', -1, 64)
			}
		case forms.TypeBoolean:
			fd.Kind = "checkbox"
		default:
			fd.Kind = "text"
		}
	}
	return fd
}

// enumOptions are a select's choices: an empty one, then the field's.
func enumOptions(def *forms.Field, selected, lang string) []Option {
	opts := []Option{{Value: "", Label: "—", Selected: selected == ""}}
	for _, e := range def.Enum {
		l := e.Label
		if lang == "en" && e.LabelEN != "" {
			l = e.LabelEN
		}
		opts = append(opts, Option{Value: e.Value, Label: l, Selected: e.Value == selected})
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
	case int64:
		return strconv.FormatInt(x, 10)
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	default:
		// A list or an object where the form has an input: shown as JSON
		// for the clerk to see and retype. Decoded JSON always encodes.
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
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

// Collect reads the value of dossier form def at pointer ptr back from a
// posted form: empty inputs, rows and objects are left out (a draft may be
// incomplete; the service's validation names what is missing), numbers
// are parsed (a value that is not a number is sent as typed, for the
// service to refuse beside its field).
func Collect(def forms.Form, ptr string, form url.Values) any {
	return collect(root(def), ptr, form)
}

func collect(def *forms.Field, ptr string, form url.Values) any {
	switch def.Type {
	case forms.TypeObject:
		obj := map[string]any{}
		for i := range def.Fields {
			c := &def.Fields[i]
			if v := collect(c, ptr+"/"+escapeToken(c.Name), form); v != nil {
				obj[c.Name] = v
			}
		}
		if len(obj) == 0 {
			return nil
		}
		return obj
	case forms.TypeArray:
		n, err := strconv.Atoi(form.Get(ptr + "#rows"))
		if err != nil {
			n = 0 // no rows posted
		}
		n = min(max(n, 0), maxRows(def))
		it := item(def)
		var out []any
		for i := 0; i < n; i++ {
			if v := collect(it, fmt.Sprintf("%s/%d", ptr, i), form); v != nil {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case forms.TypeBoolean:
		if _, ok := form[ptr]; !ok {
			return nil
		}
		return form.Get(ptr) == "true"
	}
	raw := form.Get(ptr)
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	if def.Type == forms.TypeInteger || def.Type == forms.TypeNumber {
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

// decodeValue decodes a stored JSON document for BuildForm (nil when empty
// or unreadable: the form then shows no values).
func decodeValue(raw json.RawMessage) any {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return nil
	}
	return v
}

// labelPath names a dossier pointer by its labels: "/dossier/nominee/cccd"
// → "Báo cáo thành tích cá nhân › Số căn cước công dân". Without a form
// (the zero Form), the pointer names itself.
func labelPath(def forms.Form, ptr, lang string) string {
	rest, ok := strings.CutPrefix(ptr, "/dossier")
	if !ok || def.Kind == "" {
		return ptr
	}
	top := root(def)
	var parts []string
	cur := top
	for _, tok := range strings.Split(strings.TrimPrefix(rest, "/"), "/") {
		if tok == "" || cur == nil {
			continue
		}
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch cur.Type {
		case forms.TypeObject:
			next := fieldNamed(cur.Fields, tok)
			if next == nil {
				parts = append(parts, tok)
				cur = nil
				continue
			}
			parts = append(parts, label(next, lang))
			cur = next
		case forms.TypeArray:
			i, err := strconv.Atoi(tok)
			if err != nil || cur.Items == nil {
				parts = append(parts, tok)
				cur = nil
				continue
			}
			parts[len(parts)-1] = fmt.Sprintf("%s %d", label(cur.Items, lang), i+1)
			cur = cur.Items
		default:
			parts = append(parts, tok)
		}
	}
	if len(parts) == 0 {
		return label(top, lang)
	}
	return strings.Join(parts, " › ")
}

// fieldNamed is the field of fs named name, or nil.
func fieldNamed(fs []forms.Field, name string) *forms.Field {
	for i := range fs {
		if fs[i].Name == name {
			return &fs[i]
		}
	}
	return nil
}

// dossierForm is the dossier form a page shows and collects: the version
// an existing nomination was filed under, the one in force today for a
// new one of kind.
func (rq *request) dossierForm(n *Nomination, kind string) (forms.Form, error) {
	if n != nil && n.ID != "" {
		return rq.svc().NominationForm(*n)
	}
	return rq.svc().Form(kind)
}
