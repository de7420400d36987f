package forms

import "slices"

// SchemaDialect is the JSON Schema version JSONSchema emits.
const SchemaDialect = "https://json-schema.org/draft/2020-12/schema"

// JSONSchema renders the form as a JSON Schema 2020-12 document, served by
// GET /api/v1/forms/{kind} so that clients validate before they submit and
// the web form can be generated.
//
// Titles and descriptions are in Vietnamese; each property also carries
// "x-label-en" and "x-help", enum labels in "x-enum-labels", the message of
// a pattern in "x-pattern-message", multi-line text "x-multiline" and the
// rules a schema cannot state (checks, date bounds relative to the day of
// submission, voting thresholds) as "x-" keywords, and the form's code,
// version and legal source as "x-form-code", "x-form-version",
// "x-legal-basis", "x-valid-from" and "x-valid-to", so nothing the server
// enforces is hidden from the client. Validate remains the authority:
// it also accepts null or "" for an optional field and trims strings
// before measuring them.
func (f Form) JSONSchema() map[string]any {
	root := Field{Type: TypeObject, Fields: f.Fields, Checks: f.Checks}
	s := fieldSchema(&root)
	s["$schema"] = SchemaDialect
	s["$id"] = "urn:tdkt:forms:" + f.Kind
	s["title"] = f.Title
	s["x-title-en"] = f.TitleEN
	if f.Help != "" {
		s["description"] = f.Help
	}
	s["x-kind"] = f.Kind
	// The version and its legal source, so that a client knows which
	// form, under which instrument, it validates against.
	if f.Code != "" {
		s["x-form-code"] = f.Code
		s["x-form-version"] = f.Version
		s["x-legal-basis"] = f.LegalBasis
		s["x-valid-from"] = f.ValidFrom
		if f.ValidTo != "" {
			s["x-valid-to"] = f.ValidTo
		}
	}
	if f.NameField != "" {
		s["x-name-field"] = f.NameField
	}
	if f.Quorum.Den > 0 {
		s["x-quorum"] = f.Quorum.String()
	}
	if f.Majority.Den > 0 {
		s["x-majority"] = f.Majority.String()
	}
	return s
}

func fieldSchema(f *Field) map[string]any {
	s := map[string]any{}
	if f.Label != "" {
		s["title"] = f.Label
	}
	if f.LabelEN != "" {
		s["x-label-en"] = f.LabelEN
	}
	if f.Help != "" {
		s["description"] = f.Help
		s["x-help"] = f.Help
	}
	if len(f.Checks) > 0 {
		s["x-checks"] = slices.Clone(f.Checks)
	}
	switch f.Type {
	case TypeString, TypeText, TypeEnum, TypeDate:
		s["type"] = "string"
		min := f.MinLength
		if f.Required && min < 1 {
			min = 1 // a required value cannot be empty
		}
		if min > 0 {
			s["minLength"] = min
		}
		if f.Type != TypeDate {
			s["maxLength"] = f.maxLength()
		}
		if f.Pattern != "" {
			s["pattern"] = f.Pattern
			if f.PatternMessage != "" {
				s["x-pattern-message"] = f.PatternMessage
				s["x-pattern-message-en"] = f.PatternMessageEN
			}
		}
		switch f.Type {
		case TypeText:
			s["x-multiline"] = true
		case TypeEnum:
			vals := make([]any, len(f.Enum))
			labels := make([]any, len(f.Enum))
			for i, o := range f.Enum {
				vals[i] = o.Value
				l := map[string]any{"value": o.Value, "label": o.Label}
				if o.LabelEN != "" {
					l["label_en"] = o.LabelEN
				}
				labels[i] = l
			}
			s["enum"] = vals
			s["x-enum-labels"] = labels
		case TypeDate:
			s["format"] = "date"
			s["pattern"] = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
			if f.MinDate != "" {
				s["x-min-date"] = f.MinDate
			}
			if f.MaxDate != "" {
				s["x-max-date"] = f.MaxDate
			}
			if f.MinYearsAgo > 0 {
				s["x-min-years-ago"] = f.MinYearsAgo
			}
		}
	case TypeInteger, TypeNumber:
		s["type"] = string(f.Type)
		if f.Min != nil {
			s["minimum"] = *f.Min
		}
		if f.Max != nil {
			s["maximum"] = *f.Max
		}
	case TypeBoolean:
		s["type"] = "boolean"
	case TypeObject:
		s["type"] = "object"
		props := map[string]any{}
		required := []any{}
		for i := range f.Fields {
			fd := &f.Fields[i]
			props[fd.Name] = fieldSchema(fd)
			if fd.Required {
				required = append(required, fd.Name)
			}
		}
		s["properties"] = props
		s["required"] = required
		s["additionalProperties"] = false
		s["x-order"] = fieldNames(f.Fields)
	case TypeArray:
		s["type"] = "array"
		if f.MinItems > 0 {
			s["minItems"] = f.MinItems
		}
		s["maxItems"] = f.maxItems()
		if f.Items != nil {
			s["items"] = fieldSchema(f.Items)
		}
	}
	if f.NotFuture {
		s["x-not-future"] = true
	}
	return s
}

// fieldNames keeps the declaration order, which a JSON object loses: the
// web form shows fields in this order.
func fieldNames(fs []Field) []any {
	out := make([]any, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}
