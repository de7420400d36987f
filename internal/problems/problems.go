// Package problems is the one translation of service refusals into HTTP:
// an RFC 9457 problem with its status, for the JSON API to send and for the
// web UI to show (the page status, the message, the errors beside the form
// fields they point at).
package problems

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/tdkt/tdkt/service"
)

// Problem is an RFC 9457 problem detail. Detail is Vietnamese, the language
// of the clerks reading it; DetailEN carries the same sentence in English
// for integrators.
type Problem struct {
	Type      string               `json:"type"`
	Title     string               `json:"title"`
	Status    int                  `json:"status"`
	Detail    string               `json:"detail,omitempty"`
	DetailEN  string               `json:"detail_en,omitempty"`
	Instance  string               `json:"instance,omitempty"`
	RequestID string               `json:"request_id,omitempty"`
	Errors    []service.FieldError `json:"errors,omitempty"`
	// RetryAfter, in seconds, is sent as the Retry-After header.
	RetryAfter int `json:"-"`
}

func (p *Problem) Error() string {
	if p.DetailEN != "" {
		return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.DetailEN)
	}
	return fmt.Sprintf("%d %s", p.Status, p.Title)
}

// Text is the problem's message in lang ("en" or Vietnamese).
func (p *Problem) Text(lang string) string {
	if lang == "en" && p.DetailEN != "" {
		return p.DetailEN
	}
	if p.Detail != "" {
		return p.Detail
	}
	if p.Title != "" {
		return p.Title
	}
	return http.StatusText(p.Status)
}

// types names each status's problem type URI (relative to the API).
var types = map[int]string{
	http.StatusBadRequest:            "/problems/bad-request",
	http.StatusUnauthorized:          "/problems/unauthorized",
	http.StatusForbidden:             "/problems/forbidden",
	http.StatusNotFound:              "/problems/not-found",
	http.StatusMethodNotAllowed:      "/problems/method-not-allowed",
	http.StatusConflict:              "/problems/conflict",
	http.StatusRequestEntityTooLarge: "/problems/too-large",
	http.StatusUnsupportedMediaType:  "/problems/unsupported-media-type",
	http.StatusUnprocessableEntity:   "/problems/validation",
	http.StatusTooManyRequests:       "/problems/rate-limited",
	http.StatusServiceUnavailable:    "/problems/unavailable",
}

// New builds a problem for status with a Vietnamese and an English
// sentence.
func New(status int, vi, en string) *Problem {
	t, ok := types[status]
	if !ok {
		t = "about:blank"
	}
	return &Problem{Type: t, Title: http.StatusText(status), Status: status, Detail: vi, DetailEN: en}
}

// Invalid builds a 422 listing every field error.
func Invalid(errs []service.FieldError) *Problem {
	p := New(http.StatusUnprocessableEntity,
		"Dữ liệu gửi lên chưa hợp lệ; xem danh sách lỗi theo từng trường.",
		"The request has invalid fields; see the list of errors.")
	p.Errors = errs
	return p
}

// statuses maps a service refusal's kind to its HTTP status.
var statuses = []struct {
	kind   error
	status int
}{
	{service.ErrInvalid, http.StatusUnprocessableEntity},
	{service.ErrBadRequest, http.StatusBadRequest},
	{service.ErrUnauthorized, http.StatusUnauthorized},
	{service.ErrForbidden, http.StatusForbidden},
	{service.ErrNotFound, http.StatusNotFound},
	{service.ErrConflict, http.StatusConflict},
	{service.ErrTooLarge, http.StatusRequestEntityTooLarge},
	{service.ErrUnsupported, http.StatusUnsupportedMediaType},
	{service.ErrTooMany, http.StatusTooManyRequests},
	{service.ErrUnavailable, http.StatusServiceUnavailable},
}

// From is the problem an error is: a *Problem as is, a service refusal
// with its status, or nil for any other error (an internal failure, which
// the edge logs and answers without internals).
func From(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	var se *service.Error
	if !errors.As(err, &se) {
		return nil
	}
	for _, k := range statuses {
		if errors.Is(se.Kind, k.kind) {
			p := New(k.status, se.Message, se.MessageEN)
			// Any refusal may point at fields: a conflict at the taken
			// ID, a forbidden unit at the field naming it.
			p.Errors = se.Fields
			p.RetryAfter = se.RetryAfter
			return p
		}
	}
	return nil
}
