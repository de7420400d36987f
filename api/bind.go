package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/service"
)

// decode reads a JSON request body into v, strictly: JSON content type,
// valid UTF-8, no unknown fields, one value, types as declared. Every string
// is then trimmed and NFC-normalized, and strings with control characters
// are refused with the field's pointer.
func decode(c echo.Context, v any) error {
	ct, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)) // unreadable: not JSON, refused below
	if ct != "application/json" {
		return problem(http.StatusUnsupportedMediaType,
			"Dữ liệu phải ở dạng JSON (Content-Type: application/json).",
			"The body must be JSON (Content-Type: application/json).")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return problem(http.StatusRequestEntityTooLarge, "Dữ liệu gửi lên vượt quá dung lượng cho phép.", "The request body is too large.")
		}
		return problem(http.StatusBadRequest, "Không đọc được dữ liệu gửi lên.", "Could not read the request body.")
	}
	if !utf8.Valid(body) {
		return problem(http.StatusBadRequest, "Dữ liệu gửi lên không phải UTF-8 hợp lệ.", "The body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return problem(http.StatusBadRequest, "Dữ liệu thừa sau đối tượng JSON.", "Unexpected data after the JSON value.")
	}
	var errs []FieldError
	normalize(reflect.ValueOf(v), "", &errs)
	if len(errs) > 0 {
		return invalid(errs)
	}
	return nil
}

func jsonProblem(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typ):
		ptr := "/" + strings.ReplaceAll(typ.Field, ".", "/")
		return invalid([]FieldError{{Pointer: ptr,
			Message:   fmt.Sprintf("Sai kiểu dữ liệu: cần %s.", typeName(typ.Type)),
			MessageEN: fmt.Sprintf("Wrong type: expected %s, got %s.", typeName(typ.Type), typ.Value)}})
	case errors.As(err, &syntax):
		return problem(http.StatusBadRequest,
			fmt.Sprintf("JSON sai cú pháp tại vị trí %d.", syntax.Offset),
			fmt.Sprintf("Malformed JSON at offset %d.", syntax.Offset))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return problem(http.StatusBadRequest, "Thiếu dữ liệu JSON hoặc JSON bị cắt cụt.", "Empty or truncated JSON body.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalid([]FieldError{{Pointer: "/" + name,
			Message: "Trường không được hỗ trợ.", MessageEN: "Unknown field."}})
	}
	return problem(http.StatusBadRequest, "JSON không hợp lệ.", "Invalid JSON: "+err.Error())
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "chuỗi (string)"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "số nguyên (integer)"
	case reflect.Bool:
		return "true/false (boolean)"
	case reflect.Slice:
		return "danh sách (array)"
	case reflect.Map, reflect.Struct:
		return "đối tượng (object)"
	}
	return t.String()
}

// normalize walks v, cleaning every string in place and recording strings
// with control characters. Pointers are the JSON names of the fields.
func normalize(v reflect.Value, ptr string, errs *[]FieldError) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			normalize(v.Elem(), ptr, errs)
		}
	case reflect.String:
		if !textnorm.Valid(v.String()) {
			*errs = append(*errs, controlError(ptr))
		}
		if v.CanSet() {
			v.SetString(textnorm.Clean(v.String()))
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			normalize(v.Field(i), ptr+"/"+name, errs)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // raw JSON (a dossier) is cleaned by its owner
		}
		for i := 0; i < v.Len(); i++ {
			normalize(v.Index(i), fmt.Sprintf("%s/%d", ptr, i), errs)
		}
	case reflect.Map, reflect.Interface:
		if !v.IsNil() {
			*errs = append(*errs, service.CleanJSON(v.Interface(), ptr)...)
		}
	}
}

func controlError(ptr string) FieldError {
	return FieldError{Pointer: ptr, Message: "Chứa ký tự điều khiển không hợp lệ.",
		MessageEN: "Contains control characters."}
}

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}

// decodeOptional is decode for an endpoint whose body may be empty.
func decodeOptional(c echo.Context, v any) error {
	r := c.Request()
	if r.ContentLength == 0 {
		return nil
	}
	if r.ContentLength < 0 {
		// A body of unknown length (chunked: some proxies forward an
		// empty body so) may still be empty.
		br := bufio.NewReader(r.Body)
		if _, err := br.Peek(1); errors.Is(err, io.EOF) {
			return nil
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{br, r.Body}
	}
	return decode(c, v)
}

// maxRunes refuses a free-text field longer than n characters.
func maxRunes(ptr, text string, n int) error {
	if len([]rune(text)) > n {
		return invalid([]FieldError{{Pointer: ptr, Message: fmt.Sprintf("Tối đa %d ký tự.", n), MessageEN: fmt.Sprintf("At most %d characters.", n)}})
	}
	return nil
}
