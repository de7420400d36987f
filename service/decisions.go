package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// Interior's decision: one decision number over accepted nominations and,
// for each awardee, a certificate with the next register number of the
// issuer's year. The certificates' PDFs are rendered by the decision's
// workflow (certificates.go).

// CertificateView is one issued certificate with the verification URL its
// QR code carries.
type CertificateView struct {
	ID             string `json:"id"`
	NominationID   string `json:"nomination_id"`
	RegisterNumber int    `json:"register_number"`
	VerifyCode     string `json:"verify_code"`
	VerifyURL      string `json:"verify_url"`
	Status         string `json:"status"`
	RevokedReason  string `json:"revoked_reason,omitempty"`
}

// DecisionView is a decision and its certificates by register number.
type DecisionView struct {
	ID           string            `json:"id"`
	RoundID      string            `json:"round_id"`
	IssuerUnitID string            `json:"issuer_unit_id"`
	Number       string            `json:"number"`
	Year         int               `json:"year"`
	SignedOn     string            `json:"signed_on"`
	SignerTitle  string            `json:"signer_title"`
	SignerName   string            `json:"signer_name"`
	Certificates []CertificateView `json:"certificates"`
}

func viewDecision(d models.Decision, certs []models.Certificate, base string) DecisionView {
	v := DecisionView{ID: d.ID, RoundID: d.RoundID, IssuerUnitID: d.IssuerUnitID, Number: d.Number, Year: d.Year,
		SignedOn: d.SignedOn.In(calendar.Zone).Format(time.DateOnly), SignerTitle: d.SignerTitle, SignerName: d.SignerName,
		Certificates: make([]CertificateView, 0, len(certs))}
	for _, c := range certs {
		v.Certificates = append(v.Certificates, viewCertificate(c, base))
	}
	return v
}

func viewCertificate(c models.Certificate, base string) CertificateView {
	return CertificateView{ID: c.ID, NominationID: c.NominationID, RegisterNumber: c.RegisterNumber,
		VerifyCode: c.VerifyCode, VerifyURL: base + "/verify/" + c.VerifyCode, Status: c.Status,
		RevokedReason: c.RevokedReason}
}

// publicURL is the configured public base URL, or the origin the caller's
// request came in on.
func (s *Service) publicURL(who Caller) string {
	if s.cfg.PublicBaseURL != "" {
		return strings.TrimRight(s.cfg.PublicBaseURL, "/")
	}
	return strings.TrimRight(who.Origin, "/")
}

// IssueInput is a decision as Interior types it.
type IssueInput struct {
	RoundID       string   `json:"round_id"`
	Number        string   `json:"number"`
	SignedOn      string   `json:"signed_on"`
	SignerTitle   string   `json:"signer_title"`
	SignerName    string   `json:"signer_name"`
	NominationIDs []string `json:"nomination_ids"`
}

// decisionNumber is "123/QĐ-UBND" and the like.
var decisionNumber = regexp.MustCompile(`^[0-9]{1,5}/QĐ-[A-ZĐ0-9&-]{2,20}$`)

// maxAwardees bounds one decision.
const maxAwardees = 5000

// validate checks the fields that need no database.
func (in *IssueInput) validate() (time.Time, []FieldError) {
	errs := cleanText(map[string]*string{"/round_id": &in.RoundID, "/number": &in.Number, "/signed_on": &in.SignedOn,
		"/signer_title": &in.SignerTitle, "/signer_name": &in.SignerName})
	if !decisionNumber.MatchString(in.Number) {
		errs = append(errs, FieldError{Pointer: "/number", Message: "Số quyết định có dạng 123/QĐ-UBND.", MessageEN: "The number looks like 123/QĐ-UBND."})
	}
	signed, err := time.ParseInLocation(time.DateOnly, in.SignedOn, calendar.Zone)
	if err != nil {
		errs = append(errs, FieldError{Pointer: "/signed_on", Message: "Ngày ký phải có dạng YYYY-MM-DD.", MessageEN: "Date must be YYYY-MM-DD."})
	}
	if in.SignerTitle == "" || utf8.RuneCountInString(in.SignerTitle) > 255 {
		errs = append(errs, FieldError{Pointer: "/signer_title", Message: "Cần ghi chức vụ người ký.", MessageEN: "The signer's title is required."})
	}
	if in.SignerName == "" || utf8.RuneCountInString(in.SignerName) > 255 {
		errs = append(errs, FieldError{Pointer: "/signer_name", Message: "Cần ghi họ tên người ký.", MessageEN: "The signer's name is required."})
	}
	if len(in.NominationIDs) == 0 || len(in.NominationIDs) > maxAwardees {
		errs = append(errs, FieldError{Pointer: "/nomination_ids", Message: "Quyết định cần từ 1 đến 5000 đối tượng.", MessageEN: "Between 1 and 5000 awardees."})
	}
	return signed, errs
}

// IssueDecision records Interior's decision over accepted nominations of a
// round whose award Interior issues; province-level nominees must have
// passed the council (its latest session on them). The nominees are read
// in a bounded number of queries (two per 500). Once the decision is
// stored, its workflow renders the certificates' PDFs.
func (s *Service) IssueDecision(ctx context.Context, who Caller, in IssueInput) (DecisionView, error) {
	if err := who.Require(models.RoleInterior); err != nil {
		return DecisionView{}, err
	}
	signed, errs := in.validate()
	round, err := s.ref.Round(ctx, in.RoundID)
	if errors.Is(err, models.ErrNotFound) {
		errs = append(errs, FieldError{Pointer: "/round_id", Message: "Không có đợt xét này.", MessageEN: "No such round."})
	} else if err != nil {
		return DecisionView{}, err
	}
	var noms []models.Nomination
	if len(in.NominationIDs) <= maxAwardees {
		var nomErrs []FieldError
		if noms, nomErrs, err = s.awardees(ctx, round.ID, in.NominationIDs); err != nil {
			return DecisionView{}, err
		}
		errs = append(errs, nomErrs...)
	}
	if err := InvalidIf(errs); err != nil {
		return DecisionView{}, err
	}
	d := models.Decision{ID: uuid.NewString(), RoundID: round.ID, IssuerUnitID: who.User.UnitID, Year: signed.Year(),
		Number: in.Number, SignedOn: signed, SignerTitle: in.SignerTitle, SignerName: in.SignerName, CreatedBy: who.User.ID}
	certs := make([]models.Certificate, len(noms))
	for i, n := range noms {
		code, err := verifyCode()
		if err != nil {
			return DecisionView{}, err
		}
		// Set on the printed stock: the paper is recorded, because a
		// stored PDF is rendered again on the paper it was issued on.
		certs[i] = models.Certificate{ID: uuid.NewString(), NominationID: n.ID, VerifyCode: code,
			Status: models.CertificateValid, Paper: string(certificates.Paper400x300)}
	}
	err = models.CreateDecision(s.db.WithContext(ctx), &d, certs)
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return DecisionView{}, Conflict(
			fmt.Sprintf("Số quyết định %s năm %d đã được dùng, hoặc một đối tượng đã có quyết định khen thưởng.", in.Number, d.Year),
			"The decision number is taken this year, or a nominee already has a certificate.")
	}
	if err != nil {
		return DecisionView{}, fmt.Errorf("issue decision %s: %w", in.Number, err)
	}
	base := s.publicURL(who)
	if err := s.renderCertificates(ctx, d.ID, len(certs), base); err != nil {
		// The decision stands: the first download of a certificate starts
		// the rendering again.
		s.log.Error("start rendering certificates", "decision", d.ID, "request_id", who.RequestID, "error", err)
	}
	return viewDecision(d, certs, base), nil
}

// awardees loads the nominations of a decision and says why any cannot
// be awarded, by pointer into nomination_ids.
func (s *Service) awardees(ctx context.Context, roundID string, ids []string) ([]models.Nomination, []FieldError, error) {
	db := s.db.WithContext(ctx)
	found := map[string]models.Nomination{} // none, in a round that does not exist
	if roundID != "" {
		var err error
		if found, err = models.NominationsWithoutDossier(db, roundID, ids); err != nil {
			return nil, nil, err
		}
	}
	votes, err := models.LatestVotes(db, ids)
	if err != nil {
		return nil, nil, err
	}
	var noms []models.Nomination
	var errs []FieldError
	seen := map[string]bool{}
	for i, id := range ids {
		ptr := fmt.Sprintf("/nomination_ids/%d", i)
		n, ok := found[id]
		switch a, _ := routing.LookupAward(routing.Award(n.Award)); {
		case seen[id]:
			errs = append(errs, FieldError{Pointer: ptr, Message: "Đối tượng bị lặp.", MessageEN: "Duplicate nominee."})
		case !ok:
			errs = append(errs, FieldError{Pointer: ptr, Message: "Không có hồ sơ này trong đợt xét.", MessageEN: "No such nomination in this round."})
		case n.Status != access.StatusAccepted:
			errs = append(errs, FieldError{Pointer: ptr, Message: "Hồ sơ chưa được chấp thuận.", MessageEN: "The nomination is not accepted."})
		case a.Issuer != routing.Interior:
			errs = append(errs, FieldError{Pointer: ptr, Message: "Hình thức khen thưởng này không do Sở Nội vụ trình ký quyết định.", MessageEN: "This award is not issued by Interior."})
		case !votes[id].Passed:
			errs = append(errs, FieldError{Pointer: ptr, Message: "Hồ sơ chưa được Hội đồng Thi đua – Khen thưởng tỉnh biểu quyết thông qua.", MessageEN: "The provincial council has not passed this nominee."})
		default:
			noms = append(noms, n)
		}
		seen[id] = true
	}
	return noms, errs, nil
}

// verifyCode is 128 random bits: certificates are verified by a code that
// cannot be guessed.
func verifyCode() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("verification code: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// errNoDecision refuses a decision that does not exist.
func errNoDecision() error { return NotFound("Không có quyết định này.", "No such decision.") }

// loadDecision reads decision id, or refuses it as not found.
func (s *Service) loadDecision(ctx context.Context, id string) (models.Decision, error) {
	var d models.Decision
	err := s.db.WithContext(ctx).First(&d, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return d, errNoDecision()
	}
	if err != nil {
		return d, fmt.Errorf("load decision %s: %w", id, err)
	}
	return d, nil
}

// Decision is a decision with its certificates, for Interior and the
// province's administrator.
func (s *Service) Decision(ctx context.Context, who Caller, id string) (DecisionView, error) {
	if err := who.Require(models.RoleInterior, models.RoleAdmin); err != nil {
		return DecisionView{}, err
	}
	d, err := s.loadDecision(ctx, id)
	if err != nil {
		return DecisionView{}, err
	}
	certs, err := models.DecisionCertificates(s.db.WithContext(ctx), d.ID, false, 0, 0)
	if err != nil {
		return DecisionView{}, err
	}
	return viewDecision(d, certs, s.publicURL(who)), nil
}

// RevokeInput is the reason a certificate is revoked, which its
// verification page shows.
type RevokeInput struct {
	Reason string `json:"reason"`
}

// RevokeCertificate marks a valid certificate revoked with the reason the
// verification page shows. Its stored PDF stays as it was issued.
func (s *Service) RevokeCertificate(ctx context.Context, who Caller, id string, in RevokeInput) error {
	if err := who.Require(models.RoleInterior); err != nil {
		return err
	}
	errs := cleanText(map[string]*string{"/reason": &in.Reason})
	if l := utf8.RuneCountInString(in.Reason); l < 5 || l > 2000 {
		errs = append(errs, FieldError{Pointer: "/reason", Message: "Cần ghi lý do thu hồi (5–2000 ký tự).", MessageEN: "A reason is required (5–2000 characters)."})
	}
	if err := InvalidIf(errs); err != nil {
		return err
	}
	revoked, err := models.RevokeCertificate(s.db.WithContext(ctx), id, in.Reason)
	if err != nil {
		return err
	}
	if !revoked {
		return NotFound("Không có bằng/giấy khen còn hiệu lực này.", "No such valid certificate.")
	}
	return nil
}
