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
	"github.com/tdkt/tdkt/certstore"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// A decision: one decision number over accepted nominations and, for each
// awardee, a certificate with the next register number of the issuer's
// year. The issuer is the body that holds the award's authority on the
// decision's date — the commune's chairman for its Giấy khen, a Sở's
// director for its own, Interior for the city's and the central awards —
// and each body numbers its own decisions and register. The certificates'
// PDFs are rendered by the decision's workflow (certificates.go).

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
	// IssuedBy is set when a central body issues the certificate
	// ("Thủ tướng Chính phủ"): tdkt recorded its decision and has no PDF
	// of it (certstore.RecordedOnly).
	IssuedBy string `json:"issued_by,omitempty"`
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
	// IssuedBy is set when the decision is a central body's, recorded
	// from its number and date: tdkt has neither its document nor its
	// certificates' PDFs.
	IssuedBy string `json:"issued_by,omitempty"`
	// Warnings are what was accepted but should be looked at (a date
	// that is not a working day); they are kept in the audit trail.
	Warnings []string `json:"warnings,omitempty"`
}

// viewDecision is decision d with its certificates; awards maps each
// certificate's nomination to its award.
func viewDecision(d models.Decision, certs []models.Certificate, awards map[string]string, base string) DecisionView {
	v := DecisionView{ID: d.ID, RoundID: d.RoundID, IssuerUnitID: d.IssuerUnitID, Number: d.Number, Year: d.Year,
		SignedOn: d.SignedOn.In(calendar.Zone).Format(time.DateOnly), SignerTitle: d.SignerTitle, SignerName: d.SignerName,
		Certificates: make([]CertificateView, 0, len(certs))}
	mixed := false
	for i, c := range certs {
		cv := viewCertificate(c, awards[c.NominationID], base)
		if i == 0 {
			v.IssuedBy = cv.IssuedBy
		} else if cv.IssuedBy != v.IssuedBy {
			mixed = true
		}
		v.Certificates = append(v.Certificates, cv)
	}
	if mixed {
		// The decision is the central body's only if all of it is.
		v.IssuedBy = ""
	}
	return v
}

func viewCertificate(c models.Certificate, award, base string) CertificateView {
	central, _ := centralAward(award)
	return CertificateView{ID: c.ID, NominationID: c.NominationID, RegisterNumber: c.RegisterNumber,
		VerifyCode: c.VerifyCode, VerifyURL: base + "/verify/" + c.VerifyCode, Status: c.Status,
		RevokedReason: c.RevokedReason, IssuedBy: central.IssuedBy}
}

// centralAward is award's row of the routing table when it is a central
// award, whose decision tdkt records and whose documents it does not write
// (certstore.RecordedOnly).
func centralAward(award string) (routing.AwardInfo, bool) {
	var central *certstore.RecordedOnlyError
	if errors.As(certstore.RecordedOnly(routing.Award(award)), &central) {
		return central.Award, true
	}
	return routing.AwardInfo{}, false
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

// decisionNumber is "123/QĐ-UBND" and the like: the issuing body's symbol
// in capitals (Nghị định 30/2020/NĐ-CP), but for the Prime Minister's,
// which is written "TTg" ("1520/QĐ-TTg"), as Interior records it.
var decisionNumber = regexp.MustCompile(`^[0-9]{1,5}/QĐ-(TTg|[A-ZĐ0-9&-]{2,20})$`)

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
	// Left blank, the signer is the issuer's on the roster that day.
	if utf8.RuneCountInString(in.SignerTitle) > 255 {
		errs = append(errs, FieldError{Pointer: "/signer_title", Message: "Chức vụ người ký tối đa 255 ký tự.", MessageEN: "At most 255 characters."})
	}
	if utf8.RuneCountInString(in.SignerName) > 255 {
		errs = append(errs, FieldError{Pointer: "/signer_name", Message: "Họ tên người ký tối đa 255 ký tự.", MessageEN: "At most 255 characters."})
	}
	if len(in.NominationIDs) == 0 || len(in.NominationIDs) > maxAwardees {
		errs = append(errs, FieldError{Pointer: "/nomination_ids", Message: "Quyết định cần từ 1 đến 5000 đối tượng.", MessageEN: "Between 1 and 5000 awardees."})
	}
	return signed, errs
}

// IssueDecision records the decision of the body that holds the awards'
// authority on the decision's date over accepted nominations of a round:
// its caller is that body's (Interior's officer, or the head reviewer of
// a commune or a Sở, who records what the chairman or director signs).
// The province's awards must have passed the council (its latest session
// on them). The nominees are read in a bounded number of queries (two per
// 500). Once the decision is stored, its workflow renders the
// certificates' PDFs — but for a central award's decision, which Interior
// records with its signer as typed and whose certificates tdkt does not
// render.
func (s *Service) IssueDecision(ctx context.Context, who Caller, in IssueInput) (DecisionView, error) {
	if err := who.Require(models.RoleInterior, models.RoleReviewer); err != nil {
		return DecisionView{}, err
	}
	if who.User.Role == models.RoleReviewer && !who.User.Head {
		return DecisionView{}, Forbidden("Chỉ lãnh đạo đơn vị (người được giao ghi quyết định của Chủ tịch, Giám đốc) được ghi quyết định khen thưởng.",
			"Only the unit's head records its chairman's or director's decisions.")
	}
	ctx = s.ref.Pin(ctx)
	signed, errs := in.validate()
	round, err := s.ref.Round(ctx, in.RoundID)
	if errors.Is(err, models.ErrNotFound) {
		errs = append(errs, FieldError{Pointer: "/round_id", Message: "Không có đợt xét này.", MessageEN: "No such round."})
	} else if err != nil {
		return DecisionView{}, err
	}
	var noms []models.Nomination
	issuer := ""
	if len(in.NominationIDs) <= maxAwardees && !signed.IsZero() {
		var nomErrs []FieldError
		if noms, issuer, nomErrs, err = s.awardees(ctx, who, round, in.NominationIDs, signed); err != nil {
			return DecisionView{}, err
		}
		errs = append(errs, nomErrs...)
	}
	// A central body's decision is recorded as it is signed, and its
	// certificates are that body's to print. One decision has one award's
	// authority (awardees), so its first awardee tells.
	central := false
	if len(noms) > 0 {
		_, central = centralAward(noms[0].Award)
	}
	switch {
	case issuer != "" && central:
		// The Minister or the Prime Minister signed it: the recording
		// body's roster neither names nor replaces them.
		if in.SignerName == "" {
			errs = append(errs, FieldError{Pointer: "/signer_name", Message: "Cần ghi họ tên người ký như trên quyết định của cơ quan trung ương.",
				MessageEN: "The signer is required, as the central body's decision names them."})
		}
		if in.SignerTitle == "" {
			errs = append(errs, FieldError{Pointer: "/signer_title", Message: "Cần ghi chức vụ người ký như trên quyết định của cơ quan trung ương.",
				MessageEN: "The signer's title is required, as the central body's decision gives it."})
		}
	case issuer != "":
		name, title, ok, err := s.signerOn(ctx, issuer, signed, in.SignerName, in.SignerTitle)
		if err != nil {
			return DecisionView{}, err
		}
		in.SignerName, in.SignerTitle = name, title
		switch {
		case ok:
		case name != "" && title == "":
			errs = append(errs, FieldError{Pointer: "/signer_title", Message: "Cần ghi chức vụ người ký.", MessageEN: "The signer's title is required."})
		case name == "":
			errs = append(errs, FieldError{Pointer: "/signer_name", Message: "Cần ghi họ tên và chức vụ người ký: danh sách người ký của đơn vị không có ai vào ngày ký.",
				MessageEN: "The signer is required: the body's roster has nobody on that day."})
		default:
			errs = append(errs, FieldError{Pointer: "/signer_name", Message: fmt.Sprintf("%s không có tên trong danh sách người ký của đơn vị vào ngày %s (ngoài nhiệm kỳ).", name, signed.Format("02/01/2006")),
				MessageEN: "This signer is not on the body's roster on that day (outside their term)."})
		}
	}
	if err := InvalidIf(errs); err != nil {
		return DecisionView{}, err
	}
	cal, err := s.ref.Calendar(ctx)
	if err != nil {
		return DecisionView{}, err
	}
	var warnings []string
	if !cal.IsWorkingDay(signed) {
		warnings = append(warnings, fmt.Sprintf("Ngày ký %s không phải ngày làm việc; đã ghi nhận, đề nghị kiểm tra lại.", signed.Format("02/01/2006")))
	}
	d := models.Decision{ID: uuid.NewString(), RoundID: round.ID, IssuerUnitID: issuer, Year: signed.Year(),
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
	detail := map[string]any{"number": d.Number, "issuer_unit_id": issuer, "signed_on": in.SignedOn, "awardees": len(certs)}
	if len(warnings) > 0 {
		detail["warnings"] = strings.Join(warnings, " ")
	}
	ev := s.auditEvent(who, "decision.issue", d.ID, detail)
	err = models.CreateDecision(s.db.WithContext(ctx), &d, certs, ev)
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return DecisionView{}, Conflict(
			fmt.Sprintf("Số quyết định %s năm %d đã được dùng, hoặc một đối tượng đã có quyết định khen thưởng.", in.Number, d.Year),
			"The decision number is taken this year, or a nominee already has a certificate.")
	}
	if err != nil {
		return DecisionView{}, fmt.Errorf("issue decision %s: %w", in.Number, err)
	}
	s.logAudit(ev)
	base := s.publicURL(who)
	awards := make(map[string]string, len(noms))
	for _, n := range noms {
		awards[n.ID] = n.Award
	}
	// A central body's decision has no certificates for a workflow to
	// render.
	if !central {
		if err := s.renderCertificates(ctx, d.ID, len(certs), base); err != nil {
			// The decision stands: the first download of a certificate
			// starts the rendering again.
			s.log.Error("start rendering certificates", "decision", d.ID, "request_id", who.RequestID, "error", err)
		}
	}
	v := viewDecision(d, certs, awards, base)
	v.Warnings = warnings
	return v, nil
}

// awardees loads the nominations of a decision signed on day signed and
// the body that issues them all, and says why any cannot be awarded, by
// pointer into nomination_ids.
func (s *Service) awardees(ctx context.Context, who Caller, round models.Round, ids []string, signed time.Time) ([]models.Nomination, string, []FieldError, error) {
	db := s.db.WithContext(ctx)
	found := map[string]models.Nomination{} // none, in a round that does not exist
	if round.ID != "" {
		var err error
		if found, err = models.NominationsWithoutDossier(db, round.ID, ids); err != nil {
			return nil, "", nil, err
		}
	}
	votes, err := models.LatestVotes(db, ids)
	if err != nil {
		return nil, "", nil, err
	}
	days, err := s.issuingDays(ctx, round.ReferenceDate, signed)
	if err != nil {
		return nil, "", nil, err
	}
	// Who holds each award on the signing day is the authorities' rows,
	// as an administrator last corrected them.
	authorities, err := s.ref.Authorities(ctx)
	if err != nil {
		return nil, "", nil, err
	}
	names := days.names
	var noms []models.Nomination
	var errs []FieldError
	issuer := ""
	var first routing.AwardInfo // the award of the first awardee taken
	// A central award shares its decision with no other award: Interior
	// records the ministry's and the Government's decisions as well as the
	// chairman's, each under its own number.
	mixesCentral := func(a, b routing.AwardInfo) bool {
		_, ca := centralAward(string(a.Code))
		_, cb := centralAward(string(b.Code))
		return a.Code != b.Code && (ca || cb)
	}
	seen := map[string]bool{}
	for i, id := range ids {
		ptr := fmt.Sprintf("/nomination_ids/%d", i)
		n, ok := found[id]
		a, _ := routing.LookupAward(routing.Award(n.Award))
		var unheld, unheldEN string
		if ok {
			unheld, unheldEN = notHeld(authorities, routing.Award(n.Award), signed, "ngày ký quyết định", "the signing day")
		}
		refuse := func(vi, en string) { errs = append(errs, FieldError{Pointer: ptr, Message: vi, MessageEN: en}) }
		switch {
		case seen[id]:
			refuse("Đối tượng bị lặp.", "Duplicate nominee.")
		case !ok:
			refuse("Không có hồ sơ này trong đợt xét.", "No such nomination in this round.")
		case n.Status != access.StatusAccepted:
			refuse("Hồ sơ chưa được chấp thuận.", "The nomination is not accepted.")
		case unheld != "":
			refuse(unheld, unheldEN)
		case a.Issuer == routing.Interior && !votes[id].Passed:
			refuse("Hồ sơ chưa được Hội đồng Thi đua – Khen thưởng tỉnh biểu quyết thông qua.", "The provincial council has not passed this nominee.")
		default:
			body, msg := days.issuingBody(who, n, signed)
			switch {
			case msg != "":
				refuse(msg, "This nomination is not issued by the caller's body on this date.")
			case issuer != "" && body != issuer:
				refuse(fmt.Sprintf("Một quyết định chỉ của một cơ quan: hồ sơ này do %s khen thưởng, các hồ sơ trước do %s.", names[body], names[issuer]),
					"One decision has one issuer.")
			case len(noms) > 0 && mixesCentral(a, first):
				refuse(fmt.Sprintf("Một quyết định chỉ của một cấp có thẩm quyền: hồ sơ này đề nghị %s, các hồ sơ trước đề nghị %s.", a.Name, first.Name),
					"One decision is one authority's: a central body's decision lists only its own award.")
			default:
				if len(noms) == 0 {
					first = a
				}
				issuer = body
				noms = append(noms, n)
			}
		}
		seen[id] = true
	}
	return noms, issuer, errs, nil
}

// issuingDays is the reference data a decision's issuer is found with,
// read once per decision: the units of the round's reference date (the
// routes') and of the signing date, their lineage and names.
type issuingDays struct {
	routed, signed routing.Directory
	lineage        []models.UnitLineage
	names          map[string]string
}

func (s *Service) issuingDays(ctx context.Context, reference, signed time.Time) (issuingDays, error) {
	var d issuingDays
	var err error
	if d.routed, err = s.ref.Directory(ctx, reference); err != nil {
		return d, err
	}
	if d.signed, err = s.ref.Directory(ctx, signed); err != nil {
		return d, err
	}
	if d.lineage, err = s.ref.Lineage(ctx); err != nil {
		return d, err
	}
	d.names, err = s.ref.UnitNames(ctx)
	return d, err
}

// issuingBody is the body that issues n's award on day signed: the one of
// its route or, if that one has ended by then, the one it went into whole
// (Bình Dương's Interior into the city's). The caller must belong to it,
// or to a body that went whole into it and whose accounts were not moved
// yet; otherwise msg says who issues it.
func (d issuingDays) issuingBody(who Caller, n models.Nomination, signed time.Time) (body, msg string) {
	first, err := certstore.IssuerUnit(d.routed, n)
	if err != nil {
		return "", "Không xác định được cơ quan khen thưởng của hồ sơ này."
	}
	body = models.WholeSuccessor(d.lineage, first, func(id string) bool { _, ok := d.signed.Unit(id); return ok })
	if body == "" {
		return "", fmt.Sprintf("%s không còn hoạt động vào ngày %s và không có đơn vị kế thừa nhận toàn bộ: không thể ký quyết định ngày này.",
			d.names[first], signed.Format("02/01/2006"))
	}
	if !wentWholeInto(d.lineage, who.User.UnitID, body) {
		return "", fmt.Sprintf("Hồ sơ này do %s khen thưởng vào ngày %s, không phải %s.", d.names[body], signed.Format("02/01/2006"), d.names[who.User.UnitID])
	}
	if u, _ := d.signed.Unit(body); (who.User.Role == models.RoleInterior) != (u.Level == routing.Interior) {
		return "", fmt.Sprintf("Hồ sơ này do %s khen thưởng.", d.names[body])
	}
	return body, ""
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

// keptDecision reads decision id for a caller who keeps it: Interior and
// the province's administrator keep every decision, the head of a
// commune or a Sở those of their body; to anyone else it does not exist.
func (s *Service) keptDecision(ctx context.Context, who Caller, id string) (models.Decision, error) {
	if err := who.Require(models.RoleInterior, models.RoleAdmin, models.RoleReviewer); err != nil {
		return models.Decision{}, err
	}
	d, err := s.loadDecision(ctx, id)
	if err != nil {
		return d, err
	}
	if who.User.Role != models.RoleReviewer {
		return d, nil
	}
	lineage, err := s.ref.Lineage(ctx)
	if err != nil {
		return d, err
	}
	if !who.User.Head || !wentWholeInto(lineage, who.User.UnitID, d.IssuerUnitID) {
		return models.Decision{}, errNoDecision()
	}
	return d, nil
}

// wentWholeInto tells whether unit from is unit to or went whole into it,
// however many successions ago: the accounts of Bình Dương's Sở keep the
// decisions of the city's until they are moved.
func wentWholeInto(lineage []models.UnitLineage, from, to string) bool {
	return to != "" && models.WholeSuccessor(lineage, from, func(id string) bool { return id == to }) == to
}

// Decision is a decision with its certificates, for those who keep it.
func (s *Service) Decision(ctx context.Context, who Caller, id string) (DecisionView, error) {
	d, err := s.keptDecision(ctx, who, id)
	if err != nil {
		return DecisionView{}, err
	}
	db := s.db.WithContext(ctx)
	certs, err := models.DecisionCertificates(db, d.ID, false, 0, 0)
	if err != nil {
		return DecisionView{}, err
	}
	awards, err := models.DecisionAwards(db, d.ID)
	if err != nil {
		return DecisionView{}, err
	}
	return viewDecision(d, certs, awards, s.publicURL(who)), nil
}

// RevokeInput is the reason a certificate or a learning title is revoked,
// which the verification page or the register shows.
type RevokeInput struct {
	Reason string `json:"reason"`
}

// RevokeCertificate marks a valid certificate revoked with the reason the
// verification page shows. Its stored PDF stays as it was issued.
func (s *Service) RevokeCertificate(ctx context.Context, who Caller, id string, in RevokeInput) error {
	if err := who.Require(models.RoleInterior, models.RoleReviewer); err != nil {
		return err
	}
	var cert models.Certificate
	if err := s.db.WithContext(ctx).Select("id", "decision_id").First(&cert, "id = ?", id).Error; err == nil {
		if _, err := s.keptDecision(ctx, who, cert.DecisionID); errors.Is(err, ErrNotFound) {
			return NotFound("Không có bằng/giấy khen còn hiệu lực này.", "No such valid certificate.")
		} else if err != nil {
			return err
		}
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("load certificate %s: %w", id, err)
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
