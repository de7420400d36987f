package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestDecodeOptionalBodies: an optional body may be absent, or empty with
// no length known (chunked, as some proxies forward it); a body with
// content is still decoded strictly.
func TestDecodeOptionalBodies(t *testing.T) {
	e := echo.New()
	for _, c := range []struct {
		name, body, contentType string
		length                  int64
		status                  int // 0: accepted
		comment                 string
	}{
		{"absent", "", "", 0, 0, ""},
		{"empty chunked", "", "", -1, 0, ""},
		{"chunked JSON", `{"comment":"Đã bổ sung"}`, "application/json", -1, 0, "Đã bổ sung"},
		{"chunked text", "comment", "", -1, http.StatusUnsupportedMediaType, ""},
		{"unknown field", `{"note":"x"}`, "application/json", 12, http.StatusUnprocessableEntity, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(c.body))
			req.ContentLength = c.length
			if c.contentType != "" {
				req.Header.Set(echo.HeaderContentType, c.contentType)
			}
			var v struct {
				Comment string `json:"comment"`
			}
			err := decodeOptional(e.NewContext(req, httptest.NewRecorder()), &v)
			status := 0
			if p, ok := err.(*Problem); ok {
				status = p.Status
			} else if err != nil {
				t.Fatalf("not a problem: %v", err)
			}
			if status != c.status || v.Comment != c.comment {
				t.Fatalf("status %d comment %q, want %d %q (%v)", status, v.Comment, c.status, c.comment, err)
			}
		})
	}
}
