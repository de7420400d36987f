package api

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

type verification struct {
	Valid          bool   `json:"valid"`
	Status         string `json:"status"`
	RevokedReason  string `json:"revoked_reason,omitempty"`
	Recipient      string `json:"recipient"`
	Award          string `json:"award"`
	DecisionNumber string `json:"decision_number"`
	DecisionDate   string `json:"decision_date"`
	Signer         string `json:"signer"`
	RegisterNumber int    `json:"register_number"`
	Issuer         string `json:"issuer"`
}

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
<dt>Quyết định</dt><dd>Số {{.DecisionNumber}} ngày {{.DecisionDate}}</dd>
<dt>Người ký</dt><dd>{{.Signer}}</dd>
<dt>Số vào sổ</dt><dd>{{.RegisterNumber}}</dd>
<dt>Cơ quan trình</dt><dd>{{.Issuer}}</dd>
</dl></main></body></html>`))

// verify is the public page behind a certificate's QR code: HTML in
// Vietnamese, JSON on Accept: application/json.
func (s *Server) verify(c echo.Context) error {
	code := c.Param("code")
	var cert models.Certificate
	err := s.DB.WithContext(c.Request().Context()).First(&cert, "verify_code = ?", code).Error
	if len(code) != 32 || errors.Is(err, gorm.ErrRecordNotFound) {
		return problem(http.StatusNotFound, "Không tìm thấy Bằng khen/Giấy khen với mã này.", "No certificate with this code.")
	}
	if err != nil {
		return err
	}
	var d models.Decision
	var n models.Nomination
	if err := s.DB.WithContext(c.Request().Context()).First(&d, "id = ?", cert.DecisionID).Error; err != nil {
		return err
	}
	if err := s.DB.WithContext(c.Request().Context()).Omit("dossier").First(&n, "id = ?", cert.NominationID).Error; err != nil {
		return err
	}
	award, _ := routing.LookupAward(routing.Award(n.Award))
	issuer, _ := s.reference().Unit(c.Request().Context(), cert.IssuerUnitID)
	v := verification{Valid: cert.Status == "valid", Status: cert.Status, RevokedReason: cert.RevokedReason,
		Recipient: n.NomineeName, Award: award.Name, DecisionNumber: d.Number,
		DecisionDate: d.SignedOn.In(calendar.Zone).Format("02/01/2006"), Signer: d.SignerTitle + " " + d.SignerName,
		RegisterNumber: cert.RegisterNumber, Issuer: issuer.Name}
	if strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "application/json") {
		return c.JSON(http.StatusOK, v)
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	return verifyPage.Execute(c.Response(), v)
}
