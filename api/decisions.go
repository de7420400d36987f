package api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

type issueRequest struct {
	RoundID       string   `json:"round_id"`
	Number        string   `json:"number"`
	SignedOn      string   `json:"signed_on"`
	SignerTitle   string   `json:"signer_title"`
	SignerName    string   `json:"signer_name"`
	NominationIDs []string `json:"nomination_ids"`
}

// decisionNumber is "123/QĐ-UBND" and the like.
var decisionNumber = regexp.MustCompile(`^[0-9]{1,5}/QĐ-[A-ZĐ0-9&-]{2,20}$`)

type certificateView struct {
	ID             string `json:"id"`
	NominationID   string `json:"nomination_id"`
	RegisterNumber int    `json:"register_number"`
	VerifyCode     string `json:"verify_code"`
	VerifyURL      string `json:"verify_url"`
	Status         string `json:"status"`
	RevokedReason  string `json:"revoked_reason,omitempty"`
}

type decisionView struct {
	ID           string            `json:"id"`
	RoundID      string            `json:"round_id"`
	IssuerUnitID string            `json:"issuer_unit_id"`
	Number       string            `json:"number"`
	Year         int               `json:"year"`
	SignedOn     string            `json:"signed_on"`
	SignerTitle  string            `json:"signer_title"`
	SignerName   string            `json:"signer_name"`
	Certificates []certificateView `json:"certificates"`
}

// issueDecision is Interior's decision over accepted nominations: one
// decision number, and for each awardee a certificate with the next
// register number of the issuer's year. Province-level nominees must have
// passed the council.
func (s *Server) issueDecision(c echo.Context) error {
	ctx := c.Request().Context()
	var req issueRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var errs []FieldError
	round, err := s.reference().Round(ctx, req.RoundID)
	if errors.Is(err, models.ErrNotFound) {
		errs = append(errs, FieldError{Pointer: "/round_id", Message: "Không có đợt xét này.", MessageEN: "No such round."})
	} else if err != nil {
		return err
	}
	if !decisionNumber.MatchString(req.Number) {
		errs = append(errs, FieldError{Pointer: "/number", Message: "Số quyết định có dạng 123/QĐ-UBND.", MessageEN: "The number looks like 123/QĐ-UBND."})
	}
	signed, err := time.ParseInLocation(time.DateOnly, req.SignedOn, calendar.Zone)
	if err != nil {
		errs = append(errs, FieldError{Pointer: "/signed_on", Message: "Ngày ký phải có dạng YYYY-MM-DD.", MessageEN: "Date must be YYYY-MM-DD."})
	}
	if req.SignerTitle == "" || len([]rune(req.SignerTitle)) > 255 {
		errs = append(errs, FieldError{Pointer: "/signer_title", Message: "Cần ghi chức vụ người ký.", MessageEN: "The signer's title is required."})
	}
	if req.SignerName == "" || len([]rune(req.SignerName)) > 255 {
		errs = append(errs, FieldError{Pointer: "/signer_name", Message: "Cần ghi họ tên người ký.", MessageEN: "The signer's name is required."})
	}
	if len(req.NominationIDs) == 0 || len(req.NominationIDs) > 5000 {
		errs = append(errs, FieldError{Pointer: "/nomination_ids", Message: "Quyết định cần từ 1 đến 5000 đối tượng.", MessageEN: "Between 1 and 5000 awardees."})
	}
	var noms []models.Nomination
	seen := map[string]bool{}
	for i, id := range req.NominationIDs {
		ptr := fmt.Sprintf("/nomination_ids/%d", i)
		if seen[id] {
			errs = append(errs, FieldError{Pointer: ptr, Message: "Đối tượng bị lặp.", MessageEN: "Duplicate nominee."})
			continue
		}
		seen[id] = true
		var n models.Nomination
		err := s.DB.WithContext(ctx).Omit("dossier").First(&n, "id = ? AND round_id = ?", id, round.ID).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			errs = append(errs, FieldError{Pointer: ptr, Message: "Không có hồ sơ này trong đợt xét.", MessageEN: "No such nomination in this round."})
			continue
		}
		if err != nil {
			return err
		}
		if n.Status != workflows.StatusAccepted {
			errs = append(errs, FieldError{Pointer: ptr, Message: "Hồ sơ chưa được chấp thuận.", MessageEN: "The nomination is not accepted."})
			continue
		}
		if a, _ := routing.LookupAward(routing.Award(n.Award)); a.Issuer != routing.Interior {
			errs = append(errs, FieldError{Pointer: ptr, Message: "Hình thức khen thưởng này không do Sở Nội vụ trình ký quyết định.", MessageEN: "This award is not issued by Interior."})
			continue
		}
		// The council's latest session on the nominee decides.
		votes, err := latestVotes(s.DB.WithContext(ctx), []string{n.ID})
		if err != nil {
			return err
		}
		if !votes[n.ID].Passed {
			errs = append(errs, FieldError{Pointer: ptr, Message: "Hồ sơ chưa được Hội đồng Thi đua – Khen thưởng tỉnh biểu quyết thông qua.", MessageEN: "The provincial council has not passed this nominee."})
			continue
		}
		noms = append(noms, n)
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	issuer := currentCaller(c).User.UnitID
	d := models.Decision{ID: uuid.NewString(), RoundID: round.ID, IssuerUnitID: issuer, Year: signed.Year(),
		Number: req.Number, SignedOn: signed, SignerTitle: req.SignerTitle, SignerName: req.SignerName,
		CreatedBy: currentCaller(c).User.ID}
	var certs []models.Certificate
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
		first, err := reserveRegisterNumbers(tx, issuer, d.Year, len(noms))
		if err != nil {
			return err
		}
		for i, n := range noms {
			code, err := verifyCode()
			if err != nil {
				return err
			}
			// Set on the printed stock: the paper is recorded, because a
			// stored PDF is rendered again on the paper it was issued on.
			certs = append(certs, models.Certificate{ID: uuid.NewString(), DecisionID: d.ID, NominationID: n.ID,
				IssuerUnitID: issuer, Year: d.Year, RegisterNumber: first + i, VerifyCode: code, Status: "valid",
				Paper: string(certificates.Paper400x300)})
		}
		return tx.CreateInBatches(&certs, 500).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return problem(http.StatusConflict,
			fmt.Sprintf("Số quyết định %s năm %d đã được dùng, hoặc một đối tượng đã có quyết định khen thưởng.", req.Number, d.Year),
			"The decision number is taken this year, or a nominee already has a certificate.")
	}
	if err != nil {
		return fmt.Errorf("issue decision %s: %w", req.Number, err)
	}
	return c.JSON(http.StatusCreated, viewDecision(d, certs, s.publicURL(c)))
}

// reserveRegisterNumbers takes n consecutive register numbers of an
// issuer's year and returns the first. The counter row is locked on
// PostgreSQL (SQLite's write transactions are serial).
func reserveRegisterNumbers(tx *gorm.DB, issuer string, year, n int) (int, error) {
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).
		Create(&models.RegisterCounter{IssuerUnitID: issuer, Year: year}).Error; err != nil {
		return 0, fmt.Errorf("register counter: %w", err)
	}
	q := tx.Where("issuer_unit_id = ? AND year = ?", issuer, year)
	if models.Dialect(tx) == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var counter models.RegisterCounter
	if err := q.First(&counter).Error; err != nil {
		return 0, fmt.Errorf("register counter: %w", err)
	}
	first := counter.Last + 1
	if err := tx.Model(&models.RegisterCounter{}).Where("issuer_unit_id = ? AND year = ?", issuer, year).
		Update("last", counter.Last+n).Error; err != nil {
		return 0, fmt.Errorf("register counter: %w", err)
	}
	return first, nil
}

// verifyCode is 128 random bits: certificates are verified by a code that
// cannot be guessed.
func verifyCode() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func viewDecision(d models.Decision, certs []models.Certificate, base string) decisionView {
	v := decisionView{ID: d.ID, RoundID: d.RoundID, IssuerUnitID: d.IssuerUnitID, Number: d.Number, Year: d.Year,
		SignedOn: d.SignedOn.In(calendar.Zone).Format(time.DateOnly), SignerTitle: d.SignerTitle, SignerName: d.SignerName,
		Certificates: []certificateView{}}
	for _, c := range certs {
		v.Certificates = append(v.Certificates, viewCertificate(c, base))
	}
	return v
}

// viewCertificate shows a certificate with the verification URL its QR
// code carries (base: publicURL).
func viewCertificate(c models.Certificate, base string) certificateView {
	return certificateView{ID: c.ID, NominationID: c.NominationID, RegisterNumber: c.RegisterNumber,
		VerifyCode: c.VerifyCode, VerifyURL: base + "/verify/" + c.VerifyCode, Status: c.Status,
		RevokedReason: c.RevokedReason}
}

func (s *Server) getDecision(c echo.Context) error {
	var d models.Decision
	err := s.DB.WithContext(c.Request().Context()).First(&d, "id = ?", c.Param("id")).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return problem(http.StatusNotFound, "Không có quyết định này.", "No such decision.")
	}
	if err != nil {
		return err
	}
	var certs []models.Certificate
	if err := s.DB.WithContext(c.Request().Context()).Where("decision_id = ?", d.ID).Order("register_number").Find(&certs).Error; err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewDecision(d, certs, s.publicURL(c)))
}

type revokeRequest struct {
	Reason string `json:"reason"`
}

// revokeCertificate marks an issued certificate revoked, with the reason
// the verification page shows.
func (s *Server) revokeCertificate(c echo.Context) error {
	var req revokeRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if l := len([]rune(req.Reason)); l < 5 || l > 2000 {
		return invalid([]FieldError{{Pointer: "/reason", Message: "Cần ghi lý do thu hồi (5–2000 ký tự).", MessageEN: "A reason is required (5–2000 characters)."}})
	}
	res := s.DB.WithContext(c.Request().Context()).Model(&models.Certificate{}).
		Where("id = ? AND status = ?", c.Param("id"), "valid").
		Updates(map[string]any{"status": "revoked", "revoked_reason": req.Reason})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return problem(http.StatusNotFound, "Không có bằng/giấy khen còn hiệu lực này.", "No such valid certificate.")
	}
	return c.NoContent(http.StatusNoContent)
}
