package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// Problem is an RFC 9457 problem detail. Detail is Vietnamese, the language
// of the clerks reading it; DetailEN carries the same sentence in English
// for integrators.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	DetailEN  string       `json:"detail_en,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
}

// FieldError locates one invalid field by JSON pointer (RFC 6901).
type FieldError struct {
	Pointer   string `json:"pointer"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

func (p *Problem) Error() string {
	if p.DetailEN != "" {
		return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.DetailEN)
	}
	return fmt.Sprintf("%d %s", p.Status, p.Title)
}

// problemTypes names each status's problem type URI (relative to the API).
var problemTypes = map[int]string{
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

func problemType(status int) string {
	if t, ok := problemTypes[status]; ok {
		return t
	}
	return "about:blank"
}

// problem builds a problem for status with a Vietnamese and an English
// sentence.
func problem(status int, vi, en string) *Problem {
	return &Problem{Type: problemType(status), Title: http.StatusText(status), Status: status, Detail: vi, DetailEN: en}
}

// invalid builds a 422 listing every field error.
func invalid(errs []FieldError) *Problem {
	p := problem(http.StatusUnprocessableEntity,
		"Dữ liệu gửi lên chưa hợp lệ; xem danh sách lỗi theo từng trường.",
		"The request has invalid fields; see the list of errors.")
	p.Errors = errs
	return p
}

// errorHandler renders every error — ours, echo's router 404/405, body
// limits, recovered panics — as problem JSON. Internal errors are logged
// with the request ID and answered without internals.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var p *Problem
	var he *echo.HTTPError
	switch {
	case errors.As(err, &p):
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			p = problem(he.Code, "Không tìm thấy địa chỉ này.", "No such resource.")
		case http.StatusMethodNotAllowed:
			p = problem(he.Code, "Phương thức không được hỗ trợ cho địa chỉ này.", "Method not allowed on this resource.")
		case http.StatusRequestEntityTooLarge:
			p = problem(he.Code, "Dữ liệu gửi lên vượt quá dung lượng cho phép.", "The request body is too large.")
		case http.StatusUnauthorized:
			p = problem(he.Code, "Cần đăng nhập.", "Authentication required.")
		default:
			if he.Code >= 500 {
				s.Log.Error("request failed", "request_id", requestID(c), "error", err)
				p = problem(http.StatusInternalServerError, "Lỗi hệ thống; vui lòng thử lại sau.", "Internal server error.")
			} else {
				p = problem(he.Code, fmt.Sprint(he.Message), fmt.Sprint(he.Message))
			}
		}
	default:
		s.Log.Error("request failed", "request_id", requestID(c), "method", c.Request().Method,
			"path", c.Path(), "error", err)
		p = problem(http.StatusInternalServerError, "Lỗi hệ thống; vui lòng thử lại sau.", "Internal server error.")
	}
	p.Instance = c.Request().URL.Path
	p.RequestID = requestID(c)
	if p.Status == http.StatusTooManyRequests && c.Response().Header().Get("Retry-After") == "" {
		c.Response().Header().Set("Retry-After", "60")
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method == http.MethodHead {
		return
	}
	_ = jsonEncode(c.Response(), p)
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}
