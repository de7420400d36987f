package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

const pdfType = "application/pdf"

// certificateFor builds what a nomination's certificate shows. Without a
// certificate record it is a draft; with one, it is set on the paper
// recorded with it, so that a stored PDF renders again to its bytes.
func (s *Server) certificateFor(c echo.Context, n models.Nomination, cert *models.Certificate) (certificates.Data, error) {
	ctx := c.Request().Context()
	round, err := s.reference().Round(ctx, n.RoundID)
	if err != nil {
		return certificates.Data{}, err
	}
	body, err := s.reference().Unit(ctx, n.UnitID)
	if err != nil {
		return certificates.Data{}, err
	}
	province, err := s.reference().Unit(ctx, "binh-duong")
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return certificates.Data{}, err
	}
	out := certificates.Data{
		Award:         routing.Award(n.Award),
		Recipient:     n.NomineeName,
		RecipientUnit: body.Name,
		Achievement: fmt.Sprintf("Đã có thành tích xuất sắc trong Phong trào thi đua “Cả nước thi đua xây dựng xã hội học tập, "+
			"đẩy mạnh học tập suốt đời” giai đoạn %d – %d", round.PeriodFrom, round.PeriodTo),
		Place: "Bình Dương",
		Draft: cert == nil,
	}
	if n.Award == string(routing.BangKhenTinh) && province.Name != "" {
		out.Issuer = "CHỦ TỊCH ỦY BAN NHÂN DÂN " + strings.ToUpper(province.Name)
	}
	if cert == nil {
		return out, nil
	}
	var d models.Decision
	if err := s.DB.WithContext(ctx).First(&d, "id = ?", cert.DecisionID).Error; err != nil {
		return out, fmt.Errorf("decision of certificate %s: %w", cert.ID, err)
	}
	out.DecisionNumber, out.DecisionDate = d.Number, d.SignedOn
	out.RegisterNumber = strconv.Itoa(cert.RegisterNumber)
	out.SignerTitle, out.SignerName = d.SignerTitle, d.SignerName
	out.VerifyURL, out.VerifyCode = s.publicURL(c)+"/verify/"+cert.VerifyCode, cert.VerifyCode
	out.Paper = certificates.Paper(cert.Paper)
	return out, nil
}

// publicURL is the configured public base URL, or the one the request came
// in on.
func (s *Server) publicURL(c echo.Context) string {
	if s.PublicBaseURL != "" {
		return strings.TrimRight(s.PublicBaseURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// draftCertificate renders a nomination's certificate as a draft, at any
// stage, for whoever may see the nomination.
func (s *Server) draftCertificate(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	cert, err := s.certificateFor(c, n, nil)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := certificates.Render(&b, s.fonts(), cert); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `inline; filename="du-thao-`+n.ID+`.pdf"`)
	return c.Blob(http.StatusOK, pdfType, b.Bytes())
}

// certificatePDF serves an issued certificate. The PDF is rendered once,
// stored under the data directory with its SHA-256 in the database, and
// every later download returns the identical bytes.
func (s *Server) certificatePDF(c echo.Context) error {
	ctx := c.Request().Context()
	// The route is /certificates/:id.pdf: Echo names the parameter "id.pdf".
	id, ok := strings.CutSuffix(c.Param("id.pdf"), ".pdf")
	var cert models.Certificate
	err := s.DB.WithContext(ctx).First(&cert, "id = ?", id).Error
	if !ok || errors.Is(err, gorm.ErrRecordNotFound) {
		return problem(http.StatusNotFound, "Không có Bằng khen/Giấy khen này.", "No such certificate.")
	}
	if err != nil {
		return err
	}
	var n models.Nomination
	err = s.DB.WithContext(ctx).Where("id = ?", cert.NominationID).Scopes(s.visibleTo(currentCaller(c))).First(&n).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return problem(http.StatusNotFound, "Không có Bằng khen/Giấy khen này.", "No such certificate.")
	}
	if err != nil {
		return err
	}
	b, err := s.storedPDF(c, cert, n)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `inline; filename="`+cert.ID+`.pdf"`)
	c.Response().Header().Set("ETag", `"`+cert.PDFSHA256+`"`)
	return c.Blob(http.StatusOK, pdfType, b)
}

func (s *Server) storedPDF(c echo.Context, cert models.Certificate, n models.Nomination) ([]byte, error) {
	path := filepath.Join(s.dataDir(), "certificates", cert.ID+".pdf")
	if cert.PDFSHA256 != "" {
		b, err := os.ReadFile(path)
		if err == nil {
			if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) == cert.PDFSHA256 {
				return b, nil
			}
			return nil, fmt.Errorf("certificate %s: stored PDF does not match its SHA-256", cert.ID)
		}
		if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	spec, err := s.certificateFor(c, n, &cert)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := certificates.Render(&buf, s.fonts(), spec); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	if s.Signer != nil {
		// Signed once, at first download: the stored bytes are served from
		// then on (a signature is not reproducible byte for byte).
		if cert.PDFSHA256 != "" {
			return nil, fmt.Errorf("certificate %s: the signed PDF is missing from %s", cert.ID, path)
		}
		reason := fmt.Sprintf("Cấp theo Quyết định số %s ngày %s, số vào sổ %d", spec.DecisionNumber,
			spec.DecisionDate.Format("02/01/2006"), cert.RegisterNumber)
		if b, err = s.Signer.Sign(b, reason, time.Now()); err != nil {
			return nil, err
		}
	}
	sum := sha256.Sum256(b)
	hash := hex.EncodeToString(sum[:])
	if cert.PDFSHA256 != "" && cert.PDFSHA256 != hash {
		return nil, fmt.Errorf("certificate %s: re-rendered PDF differs from the issued one", cert.ID)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), cert.ID+".*.tmp")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if cert.PDFSHA256 == "" {
		// Two first downloads at once: only the one that records its hash
		// publishes its file; the other serves the winner's.
		res := s.DB.WithContext(c.Request().Context()).Model(&models.Certificate{}).
			Where("id = ? AND pdf_sha256 = ''", cert.ID).Update("pdf_sha256", hash)
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected == 0 {
			return s.awaitStoredPDF(c, cert.ID, path)
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, err
	}
	return b, nil
}

// awaitStoredPDF serves the file another request is publishing.
func (s *Server) awaitStoredPDF(c echo.Context, id, path string) ([]byte, error) {
	for i := 0; i < 50; i++ {
		var cert models.Certificate
		if err := s.DB.WithContext(c.Request().Context()).First(&cert, "id = ?", id).Error; err != nil {
			return nil, err
		}
		if b, err := os.ReadFile(path); err == nil {
			if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) == cert.PDFSHA256 {
				return b, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, fmt.Errorf("certificate %s: the stored PDF did not appear", id)
}

// decisionCertificates is one PDF with every certificate of a decision,
// one page each, for printing.
func (s *Server) decisionCertificates(c echo.Context) error {
	ctx := c.Request().Context()
	var certs []models.Certificate
	if err := s.DB.WithContext(ctx).Where("decision_id = ? AND status = ?", c.Param("id"), "valid").
		Order("register_number").Find(&certs).Error; err != nil {
		return err
	}
	if len(certs) == 0 {
		return problem(http.StatusNotFound, "Không có quyết định này.", "No such decision.")
	}
	specs := make([]certificates.Data, 0, len(certs))
	for i := range certs {
		var n models.Nomination
		if err := s.DB.WithContext(ctx).Omit("dossier").First(&n, "id = ?", certs[i].NominationID).Error; err != nil {
			return err
		}
		spec, err := s.certificateFor(c, n, &certs[i])
		if err != nil {
			return err
		}
		specs = append(specs, spec)
	}
	var b bytes.Buffer
	if err := certificates.Render(&b, s.fonts(), specs...); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="bang-khen-`+c.Param("id")+`.pdf"`)
	return c.Blob(http.StatusOK, pdfType, b.Bytes())
}

func (s *Server) fonts() certificates.Fonts {
	if s.Fonts.Regular != nil {
		return s.Fonts
	}
	return certificates.DefaultFonts()
}

func (s *Server) dataDir() string {
	if s.DataDir != "" {
		return s.DataDir
	}
	return "data"
}

// decisionPDF renders a decision with its annex of awardees.
func (s *Server) decisionPDF(c echo.Context) error {
	ctx := c.Request().Context()
	var d models.Decision
	err := s.DB.WithContext(ctx).First(&d, "id = ?", c.Param("id")).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return problem(http.StatusNotFound, "Không có quyết định này.", "No such decision.")
	}
	if err != nil {
		return err
	}
	var certs []models.Certificate
	if err := s.DB.WithContext(ctx).Where("decision_id = ?", d.ID).Order("register_number").Find(&certs).Error; err != nil {
		return err
	}
	round, err := s.reference().Round(ctx, d.RoundID)
	if err != nil {
		return err
	}
	doc := certificates.Decision{
		Authority: "ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG", Number: d.Number, Place: "Bình Dương", Date: d.SignedOn,
		Basis: []string{
			"Căn cứ Luật Tổ chức chính quyền địa phương;",
			"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
			"Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
		},
		Proposal: "Xét đề nghị của Giám đốc Sở Nội vụ.",
		Achievement: fmt.Sprintf("đã có thành tích xuất sắc trong Phong trào thi đua “Cả nước thi đua xây dựng xã hội học tập, "+
			"đẩy mạnh học tập suốt đời” giai đoạn %d – %d", round.PeriodFrom, round.PeriodTo),
		SignerTitle: d.SignerTitle, SignerName: d.SignerName,
	}
	names, err := s.unitNames(c)
	if err != nil {
		return err
	}
	for _, cert := range certs {
		var n models.Nomination
		if err := s.DB.WithContext(ctx).Omit("dossier").First(&n, "id = ?", cert.NominationID).Error; err != nil {
			return err
		}
		if doc.Award == "" {
			if a, err := routing.LookupAward(routing.Award(n.Award)); err == nil {
				doc.Award = a.Name
				doc.Subject = "Về việc tặng " + a.Name
			}
		}
		doc.Awardees = append(doc.Awardees, certificates.Awardee{Name: n.NomineeName, Unit: names[n.UnitID],
			Register: strconv.Itoa(cert.RegisterNumber)})
	}
	var b bytes.Buffer
	if err := certificates.RenderDecision(&b, s.fonts(), doc); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `inline; filename="quyet-dinh-`+d.ID+`.pdf"`)
	return c.Blob(http.StatusOK, pdfType, b.Bytes())
}
