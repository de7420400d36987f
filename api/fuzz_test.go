package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/service"
)

// FuzzDecode: any body gets either a precise problem (400, 413, 415, 422)
// or values that are valid NFC text without control characters — never a
// panic, never a half-normalized value.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"round_id":"thu-nghiem","nominee_kind":"individual","nominee_name":"Nguyễn Thị Hồng","award":"bang-khen-tinh"}`,
		"{\"nominee_name\":\"Nguye\u0302\u0303n\"}", // NFD
		`{"nominee_name":"a\u0000b"}`, `{"nominee_name":"<script>alert(1)</script>"}`, `{"x":1}`, `[1,2]`,
		`{"round_id":1}`, `{"nominee_name":"' OR 1=1 --"}`, "{\"nominee_name\":\"\xff\xfe\"}", `{} {}`, ``, `nul`,
		`{"dossier":{"nominee":{"full_name":"Lê Văn A"}}}`,
	} {
		f.Add(seed)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set(echo.HeaderContentType, "application/json")
		var v service.NominationInput
		err := decode(e.NewContext(req, httptest.NewRecorder()), &v)
		if err != nil {
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("not a problem: %v", err)
			}
			switch p.Status {
			case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity:
			default:
				t.Fatalf("status %d for %q", p.Status, body)
			}
			return
		}
		for _, s := range []*string{v.RoundID, v.NomineeKind, v.NomineeName, v.Award} {
			if s == nil {
				continue
			}
			if !utf8.ValidString(*s) || !norm.NFC.IsNormalString(*s) || !textnorm.Valid(*s) {
				t.Fatalf("accepted %q from %q", *s, body)
			}
		}
	})
}
