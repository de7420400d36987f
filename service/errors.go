package service

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Sentinels name the kind of a refusal, so that callers test it with
// errors.Is and each edge maps it once: the API to an RFC 9457 problem
// status, the web UI to a page status and a message beside the form.
var (
	ErrInvalid      = errors.New("invalid")      // a field or the request is malformed (422)
	ErrBadRequest   = errors.New("bad request")  // the request itself cannot be read (400)
	ErrUnauthorized = errors.New("unauthorized") // no valid session (401)
	ErrForbidden    = errors.New("forbidden")    // the caller may not do this (403)
	ErrNotFound     = errors.New("not found")    // nothing the caller may see by that name (404)
	ErrConflict     = errors.New("conflict")     // wrong state, or someone else acted first (409)
	ErrTooLarge     = errors.New("too large")    // a file or body beyond its limit (413)
	ErrTooMany      = errors.New("too many")     // rate-limited or locked out (429)
	ErrUnavailable  = errors.New("unavailable")  // a dependency is busy; retry (503)
	ErrUnsupported  = errors.New("unsupported")  // a file type we do not take (415)
)

// Error is a refusal with its reason in Vietnamese, the language of the
// clerks reading it, and in English for integrators. Fields locates it by
// JSON pointer: every invalid field of an ErrInvalid, or the field at
// fault in a refusal of another kind (the taken ID of a conflict).
type Error struct {
	Kind      error
	Message   string
	MessageEN string
	Fields    []FieldError
	// RetryAfter, in seconds, tells a rate-limited or locked-out caller
	// when to try again (0: unknown).
	RetryAfter int
}

func (e *Error) Error() string {
	if e.MessageEN != "" {
		return fmt.Sprintf("%v: %s", e.Kind, e.MessageEN)
	}
	return e.Kind.Error()
}

// Unwrap makes errors.Is(err, ErrConflict) and the like work.
func (e *Error) Unwrap() error { return e.Kind }

// FieldError locates one invalid field by JSON pointer (RFC 6901) into the
// request, with its message in both languages.
type FieldError struct {
	Pointer   string `json:"pointer"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

func refusal(kind error, vi, en string) *Error { return &Error{Kind: kind, Message: vi, MessageEN: en} }

// NotFound, Conflict, Forbidden, … build a refusal of their kind.
func NotFound(vi, en string) *Error     { return refusal(ErrNotFound, vi, en) }
func Conflict(vi, en string) *Error     { return refusal(ErrConflict, vi, en) }
func Forbidden(vi, en string) *Error    { return refusal(ErrForbidden, vi, en) }
func BadRequest(vi, en string) *Error   { return refusal(ErrBadRequest, vi, en) }
func Unauthorized(vi, en string) *Error { return refusal(ErrUnauthorized, vi, en) }
func TooLarge(vi, en string) *Error     { return refusal(ErrTooLarge, vi, en) }
func Unavailable(vi, en string) *Error  { return refusal(ErrUnavailable, vi, en) }
func Unsupported(vi, en string) *Error  { return refusal(ErrUnsupported, vi, en) }

// TooMany refuses for retryAfter seconds.
func TooMany(retryAfter int, vi, en string) *Error {
	e := refusal(ErrTooMany, vi, en)
	e.RetryAfter = retryAfter
	return e
}

// Invalid lists every invalid field of a request.
func Invalid(fields ...FieldError) *Error {
	e := refusal(ErrInvalid, "Dữ liệu gửi lên chưa hợp lệ; xem danh sách lỗi theo từng trường.",
		"The request has invalid fields; see the list of errors.")
	e.Fields = fields
	return e
}

// InvalidIf is Invalid(fields...) when there are any, else nil.
func InvalidIf(fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return Invalid(fields...)
}

// Required is the error of a missing field.
func Required(ptr string) FieldError {
	return FieldError{Pointer: ptr, Message: "Bắt buộc nhập.", MessageEN: "Required."}
}

// MaxRunes refuses a text field longer than n characters.
func MaxRunes(ptr, text string, n int) error {
	if utf8.RuneCountInString(text) > n {
		return Invalid(FieldError{ptr, fmt.Sprintf("Tối đa %d ký tự.", n), fmt.Sprintf("At most %d characters.", n)})
	}
	return nil
}

// In is the field error's message in lang ("en" or Vietnamese).
func (e FieldError) In(lang string) string {
	if lang == "en" && e.MessageEN != "" {
		return e.MessageEN
	}
	return e.Message
}

// failed passes a refusal (*Error) returned from inside a transaction on
// as it is, for the edge to map, and wraps any other error with what was
// being done; nil stays nil.
func failed(err error, what string) error {
	var refusal *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &refusal):
		return refusal
	}
	return fmt.Errorf("%s: %w", what, err)
}
