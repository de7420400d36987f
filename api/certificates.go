package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// Certificates and the decision's documents (service/certificates.go).

// document sends a document the service rendered or stored.
func document(c echo.Context, d service.Document) error {
	disposition := "attachment"
	if d.Inline {
		disposition = "inline"
	}
	cd := disposition + `; filename="` + d.Name + `"`
	if d.UTF8Name != "" {
		cd += `; filename*=UTF-8''` + d.UTF8Name
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, cd)
	if d.ETag != "" {
		c.Response().Header().Set("ETag", d.ETag)
	}
	return c.Blob(http.StatusOK, d.ContentType, d.Body)
}

// draftCertificate renders a nomination's certificate as a draft, at any
// stage, for whoever may see the nomination.
func (s *Server) draftCertificate(c echo.Context) error {
	d, err := s.svc.CertificateDraft(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return document(c, d)
}

// certificatePDF serves an issued certificate: the bytes its decision's
// workflow stored, identical at every download.
func (s *Server) certificatePDF(c echo.Context) error {
	// The route is /certificates/:id.pdf: Echo names the parameter "id.pdf".
	id, ok := strings.CutSuffix(c.Param("id.pdf"), ".pdf")
	if !ok {
		return problem(http.StatusNotFound, "Không có Bằng khen/Giấy khen này.", "No such certificate.")
	}
	d, err := s.svc.CertificatePDF(c.Request().Context(), currentCaller(c), id)
	if err != nil {
		return err
	}
	return document(c, d)
}

// decisionCertificates is one PDF with every certificate of a decision,
// one page each, for printing.
func (s *Server) decisionCertificates(c echo.Context) error {
	d, err := s.svc.DecisionCertificatesPDF(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return document(c, d)
}

// decisionPDF renders a decision with its annex of awardees.
func (s *Server) decisionPDF(c echo.Context) error {
	d, err := s.svc.DecisionPDF(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return document(c, d)
}
