package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/service"
)

// Problem is an RFC 9457 problem detail (package problems).
type Problem = problems.Problem

// FieldError locates one invalid field by JSON pointer (RFC 6901).
type FieldError = service.FieldError

// required is the error of a missing field.
func required(ptr string) FieldError { return service.Required(ptr) }

// problem builds a problem for status with a Vietnamese and an English
// sentence.
func problem(status int, vi, en string) *Problem { return problems.New(status, vi, en) }

// invalid builds a 422 listing every field error.
func invalid(errs []FieldError) *Problem { return problems.Invalid(errs) }

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
	case problems.From(err) != nil:
		p = problems.From(err)
		if p.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
		}
	case errors.As(err, &he):
		p = s.routingProblem(he, c)
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
	_ = jsonEncode(c.Response(), p) // the client went away: nothing is left to tell it
}

// routingProblem answers echo's own refusals (no route, wrong method, too
// large a body, no credentials) in the problems' two languages.
func (s *Server) routingProblem(he *echo.HTTPError, c echo.Context) *Problem {
	switch he.Code {
	case http.StatusNotFound:
		return problem(he.Code, "Không tìm thấy địa chỉ này.", "No such resource.")
	case http.StatusMethodNotAllowed:
		return problem(he.Code, "Phương thức không được hỗ trợ cho địa chỉ này.", "Method not allowed on this resource.")
	case http.StatusRequestEntityTooLarge:
		return problem(he.Code, "Dữ liệu gửi lên vượt quá dung lượng cho phép.", "The request body is too large.")
	case http.StatusUnauthorized:
		return problem(he.Code, "Cần đăng nhập.", "Authentication required.")
	}
	if he.Code >= 500 {
		s.Log.Error("request failed", "request_id", requestID(c), "error", he)
		return problem(http.StatusInternalServerError, "Lỗi hệ thống; vui lòng thử lại sau.", "Internal server error.")
	}
	return problem(he.Code, fmt.Sprint(he.Message), fmt.Sprint(he.Message))
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}
