package api

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

var verifyPage = template.Must(template.New("verify").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Xác thực khen thưởng</title>
<style>body{font-family:"Times New Roman",serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
.ok{color:#0a5c2b}.bad{color:#a30000}dt{font-weight:bold}dd{margin:0 0 .6rem 0}</style></head>
<body><main>
<h1>Xác thực Bằng khen, Giấy khen</h1>
{{if .Valid}}<p class="ok"><strong>Còn hiệu lực.</strong></p>{{else}}<p class="bad"><strong>Đã bị thu hồi.</strong> Lý do: {{.RevokedReason}}</p>{{end}}
<dl>
<dt>Người/tập thể được khen thưởng</dt><dd>{{.Recipient}}</dd>
<dt>Hình thức</dt><dd>{{.Award}}</dd>
<dt>Quyết định</dt><dd>Số {{.DecisionNumber}} ngày {{.DecisionDate}}{{with .DecidedBy}} của {{.}}{{end}}</dd>
<dt>Người ký</dt><dd>{{.Signer}}</dd>
<dt>Số vào sổ</dt><dd>{{.RegisterNumber}}</dd>
{{if .DecidedBy}}<dt>Cơ quan cấp</dt><dd id="issuer">{{.Issuer}}</dd>
<dt>Cơ quan ghi nhận quyết định</dt><dd>{{.RecordedBy}}</dd>
</dl>
<p id="recorded-only">Bằng khen do {{.Issuer}} cấp; hệ thống chỉ ghi nhận quyết định.</p>
{{else}}<dt>Cơ quan trình</dt><dd id="issuer">{{.Issuer}}</dd>
</dl>{{end}}</main></body></html>`))

// verify is the public page behind a certificate's QR code: HTML in
// Vietnamese, JSON on Accept: application/json. A central award's names
// the body that issued it and the one that recorded its decision. It is
// rate limited per client address like the login (429 with Retry-After).
func (s *Server) verify(c echo.Context) error {
	v, err := s.svc.Verify(c.Request().Context(), c.RealIP(), c.Param("code"))
	if err != nil {
		return err
	}
	if strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "application/json") {
		return c.JSON(http.StatusOK, v)
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	return verifyPage.Execute(c.Response(), v)
}
