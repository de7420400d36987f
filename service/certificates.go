package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/certstore"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// Certificates: an issued certificate's PDF is rendered, signed, stored
// and hashed once by its decision's workflow (workflows.DecisionCertificates,
// started when the decision is issued); a download serves the stored bytes.
// Drafts, a decision's print batch and the decision document are rendered
// on each request: they are not what the awardee keeps. None of these is
// written for a central award (the Minister's, the Prime Minister's
// Bằng khen): its decision is recorded from its number and date, and each
// of them answers recordedOnly's refusal (certstore.RecordedOnly).

// Document is a file handed to the caller.
type Document struct {
	Name string // the file name offered (ASCII)
	// UTF8Name, when set, is the name in full, percent-encoded (RFC 5987
	// filename*).
	UTF8Name    string
	ContentType string
	// Inline: shown in the browser rather than saved.
	Inline bool
	// ETag, when set, identifies the bytes (a stored PDF's SHA-256).
	ETag string
	Body []byte
}

// contentPDF is the type of the PDFs served here.
const contentPDF = "application/pdf"

// certificateWait bounds how long a download waits for the decision's
// workflow to store a certificate it has not stored yet.
const certificateWait = 10 * time.Second

// certificateRetry is the Retry-After of a certificate still rendering.
const certificateRetry = 30

// store is the stored PDFs of issued certificates.
func (s *Service) store() *certstore.Store {
	return &certstore.Store{DB: s.db, Ref: s.ref, Dir: s.cfg.DataDir, Fonts: s.cfg.Fonts, Signer: s.cfg.Signer}
}

// typeset are the fonts of the documents rendered on request.
func (s *Service) typeset() certificates.Fonts {
	if s.cfg.Fonts.Regular != nil {
		return s.cfg.Fonts
	}
	return certificates.DefaultFonts()
}

// CertificateDraft renders a nomination's certificate as a draft, at any
// stage, for whoever may see the nomination.
func (s *Service) CertificateDraft(ctx context.Context, who Caller, nominationID string) (Document, error) {
	n, err := s.VisibleNomination(ctx, who, nominationID)
	if err != nil {
		return Document{}, err
	}
	data, err := certstore.Data(ctx, s.ref, n, nil)
	if err != nil {
		return Document{}, recordedOnly(fmt.Errorf("draft of %s: %w", n.ID, err))
	}
	var b bytes.Buffer
	if err := certificates.Render(&b, s.typeset(), data); err != nil {
		return Document{}, fmt.Errorf("draft of %s: %w", n.ID, err)
	}
	return Document{Name: "du-thao-" + n.ID + ".pdf", ContentType: contentPDF, Inline: true, Body: b.Bytes()}, nil
}

// errNoCertificate refuses a certificate that does not exist or that the
// caller may not see.
func errNoCertificate() error {
	return NotFound("Không có Bằng khen/Giấy khen này.", "No such certificate.")
}

// recordedOnly answers a request for a document tdkt does not write — a
// central award's certificate, draft, print batch or decision
// (certstore.RecordedOnly) — with a conflict naming the body that issues
// it; any other error is passed on as it is.
func recordedOnly(err error) error {
	var central *certstore.RecordedOnlyError
	if !errors.As(err, &central) {
		return err
	}
	return Conflict(fmt.Sprintf("%s do %s cấp; hệ thống chỉ ghi nhận quyết định (số, ngày ký), không tạo Bằng khen hay văn bản quyết định thay cơ quan đó.",
		central.Award.Form, central.Award.IssuedBy),
		"The Minister's and the Prime Minister's certificates of merit are issued by the Ministry of Education and Training and the Government Office: "+
			"tdkt only records the decision's number and date, and writes neither the certificate nor the decision in their name.")
}

// CertificatePDF is an issued certificate's stored PDF, for whoever may
// see its nomination: the bytes stored when it was issued, checked against
// their SHA-256. A certificate its workflow has not stored yet (just
// issued, or issued before certificates were rendered at issue), or whose
// file is lost, has the workflow started again and is waited for briefly;
// past that the caller is told to retry (503). A central award's has no
// PDF here: the caller is told who issues it (409), at once.
func (s *Service) CertificatePDF(ctx context.Context, who Caller, id string) (Document, error) {
	db := s.db.WithContext(ctx)
	var cert models.Certificate
	err := db.Joins("JOIN nominations ON nominations.id = certificates.nomination_id").
		Scopes(seenBy(who)).Where("certificates.id = ?", id).First(&cert).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Document{}, errNoCertificate()
	}
	if err != nil {
		return Document{}, fmt.Errorf("load certificate %s: %w", id, err)
	}
	var n models.Nomination
	if err := db.Select("id", "award").First(&n, "id = ?", cert.NominationID).Error; err != nil {
		return Document{}, fmt.Errorf("nomination of certificate %s: %w", cert.ID, err)
	}
	if err := certstore.RecordedOnly(routing.Award(n.Award)); err != nil {
		return Document{}, recordedOnly(fmt.Errorf("certificate %s: %w", cert.ID, err))
	}
	b, err := s.storedPDF(ctx, who, cert)
	if err != nil {
		return Document{}, err
	}
	// The bytes were checked against the recorded SHA-256: it is theirs.
	return Document{Name: cert.ID + ".pdf", ContentType: contentPDF, Inline: true, Body: b,
		ETag: `"` + certstore.Hash(b) + `"`}, nil
}

// storedPDF reads a certificate's stored PDF, having its workflow store it
// first if it has not.
func (s *Service) storedPDF(ctx context.Context, who Caller, cert models.Certificate) ([]byte, error) {
	store := s.store()
	b, err := store.Read(cert)
	if !errors.Is(err, certstore.ErrNotStored) && !errors.Is(err, certstore.ErrLost) {
		return b, err
	}
	var count int64
	if err := s.db.WithContext(ctx).Model(&models.Certificate{}).Where("decision_id = ?", cert.DecisionID).Count(&count).Error; err != nil {
		return nil, fmt.Errorf("certificates of decision %s: %w", cert.DecisionID, err)
	}
	if err := s.renderCertificates(ctx, cert.DecisionID, int(count), s.publicURL(who)); err != nil {
		s.log.Error("start rendering certificates", "decision", cert.DecisionID, "request_id", who.RequestID, "error", err)
		return nil, errRendering()
	}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	timeout := time.After(certificateWait)
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timeout:
			return nil, errRendering()
		case <-tick.C:
		}
		var now models.Certificate
		if err := s.db.WithContext(ctx).First(&now, "id = ?", cert.ID).Error; err != nil {
			return nil, fmt.Errorf("load certificate %s: %w", cert.ID, err)
		}
		b, err := store.Read(now)
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, certstore.ErrNotStored) && !errors.Is(err, certstore.ErrLost) {
			return nil, err
		}
	}
}

// errRendering tells the caller that a certificate is not stored yet.
func errRendering() error {
	e := Unavailable("Bằng khen/Giấy khen đang được tạo và ký; vui lòng thử lại sau ít phút.",
		"The certificate is still being rendered and signed; retry in a few minutes.")
	e.RetryAfter = certificateRetry
	return e
}

// renderCertificates starts the workflow that renders, signs, stores and
// hashes a decision's count certificates. One runs at a time per
// decision: if one runs already, it will store them. A finished one may
// run again: it renders only what is missing.
func (s *Service) renderCertificates(ctx context.Context, decisionID string, count int, base string) error {
	if s.temporal == nil {
		return errors.New("no Temporal client")
	}
	// The decision is stored: starting its rendering does not depend on
	// the request that issued it staying connected.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                                       workflows.CertificatesWorkflowID(decisionID),
		TaskQueue:                                s.cfg.TaskQueue,
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, workflows.CertificatesWorkflow, workflows.CertificatesInput{DecisionID: decisionID, Count: count, BaseURL: base})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("start %s: %w", workflows.CertificatesWorkflowID(decisionID), err)
	}
	return nil
}

// DecisionCertificatesPDF is every valid certificate of a decision in one
// PDF, a page each on its certificate's paper, for printing.
func (s *Service) DecisionCertificatesPDF(ctx context.Context, who Caller, decisionID string) (Document, error) {
	ctx = s.ref.Pin(ctx)
	if _, err := s.keptDecision(ctx, who, decisionID); err != nil {
		return Document{}, err
	}
	db := s.db.WithContext(ctx)
	certs, err := models.DecisionCertificates(db, decisionID, true, 0, 0)
	if err != nil {
		return Document{}, err
	}
	if len(certs) == 0 {
		return Document{}, errNoDecision()
	}
	d, err := s.loadDecision(ctx, decisionID)
	if err != nil {
		return Document{}, err
	}
	noms, err := models.NominationsWithoutDossier(db, "", nominationsOf(certs))
	if err != nil {
		return Document{}, err
	}
	base := s.publicURL(who)
	pages := make([]certificates.Data, 0, len(certs))
	for _, c := range certs {
		data, err := certstore.Data(ctx, s.ref, noms[c.NominationID], &certstore.Issued{Certificate: c, Decision: d, BaseURL: base})
		if err != nil {
			return Document{}, recordedOnly(fmt.Errorf("certificate %s: %w", c.ID, err))
		}
		pages = append(pages, data)
	}
	var b bytes.Buffer
	if err := certificates.Render(&b, s.typeset(), pages...); err != nil {
		return Document{}, fmt.Errorf("certificates of decision %s: %w", d.ID, err)
	}
	return Document{Name: "bang-khen-" + decisionID + ".pdf", ContentType: contentPDF, Body: b.Bytes()}, nil
}

func nominationsOf(certs []models.Certificate) []string {
	ids := make([]string, len(certs))
	for i, c := range certs {
		ids[i] = c.NominationID
	}
	return ids
}

// DecisionPDF renders a decision as a document, with its annex of
// awardees and their register numbers.
func (s *Service) DecisionPDF(ctx context.Context, who Caller, id string) (Document, error) {
	d, err := s.keptDecision(ctx, who, id)
	if err != nil {
		return Document{}, err
	}
	db := s.db.WithContext(ctx)
	certs, err := models.DecisionCertificates(db, d.ID, false, 0, 0)
	if err != nil {
		return Document{}, err
	}
	round, err := s.ref.Round(ctx, d.RoundID)
	if err != nil {
		return Document{}, fmt.Errorf("round of decision %s: %w", d.ID, err)
	}
	noms, err := models.NominationsWithoutDossier(db, "", nominationsOf(certs))
	if err != nil {
		return Document{}, err
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return Document{}, err
	}
	var award routing.AwardInfo
	if len(certs) > 0 {
		award, _ = routing.LookupAward(routing.Award(noms[certs[0].NominationID].Award))
	}
	if err := certstore.RecordedOnly(award.Code); err != nil {
		return Document{}, recordedOnly(fmt.Errorf("decision %s: %w", d.ID, err))
	}
	issuer, err := certstore.IssuerOn(ctx, s.ref, d.IssuerUnitID, award, d.SignedOn)
	if err != nil {
		return Document{}, fmt.Errorf("issuer of decision %s: %w", d.ID, err)
	}
	doc := certificates.Decision{
		Governing: issuer.Governing, Authority: issuer.Body, Deciding: issuer.Title, Executors: issuer.Executors,
		Number: d.Number, Place: issuer.Place, Date: d.SignedOn,
		Proposal: issuer.Proposal,
		Achievement: fmt.Sprintf("đã có thành tích xuất sắc trong Phong trào thi đua “Cả nước thi đua xây dựng xã hội học tập, "+
			"đẩy mạnh học tập suốt đời” giai đoạn %d – %d", round.PeriodFrom, round.PeriodTo),
		SignerTitle: d.SignerTitle, SignerName: d.SignerName,
	}
	doc.Award, doc.Subject = issuer.AwardName, "Về việc tặng "+issuer.AwardName
	history, err := s.ref.UnitNameHistory(ctx)
	if err != nil {
		return Document{}, err
	}
	for _, c := range certs {
		n := noms[c.NominationID]
		unit := models.NameOn(history[n.UnitID], models.Unit{ID: n.UnitID, Name: names[n.UnitID]}, d.SignedOn)
		doc.Awardees = append(doc.Awardees, certificates.Awardee{Name: n.NomineeName, Unit: unit,
			Register: strconv.Itoa(c.RegisterNumber)})
	}
	// The texts in force on the day it was signed, for its award's sector.
	if len(certs) > 0 {
		if doc.Basis, err = s.legalBasis(ctx, d.SignedOn, routing.Award(noms[certs[0].NominationID].Award)); err != nil {
			return Document{}, err
		}
	}
	var b bytes.Buffer
	if err := certificates.RenderDecision(&b, s.typeset(), doc); err != nil {
		return Document{}, fmt.Errorf("decision %s: %w", d.ID, err)
	}
	return Document{Name: "quyet-dinh-" + d.ID + ".pdf", ContentType: contentPDF, Inline: true, Body: b.Bytes()}, nil
}

// IssuedView is the certificate issued for a nomination and its decision,
// on the nomination's page.
type IssuedView struct {
	CertificateView
	DecisionID     string `json:"decision_id"`
	DecisionNumber string `json:"decision_number"`
	SignedOn       string `json:"signed_on"`
}

// IssuedFor is the certificate issued for a nomination who may see, nil
// if none.
func (s *Service) IssuedFor(ctx context.Context, who Caller, nominationID string) (*IssuedView, error) {
	db := s.db.WithContext(ctx)
	var cert models.Certificate
	if err := db.Joins("JOIN nominations ON nominations.id = certificates.nomination_id").Scopes(seenBy(who)).
		Where("certificates.nomination_id = ?", nominationID).Limit(1).Find(&cert).Error; err != nil {
		return nil, fmt.Errorf("load certificate of %s: %w", nominationID, err)
	}
	if cert.ID == "" {
		return nil, nil
	}
	d, err := s.loadDecision(ctx, cert.DecisionID)
	if err != nil {
		return nil, fmt.Errorf("decision of certificate %s: %w", cert.ID, err)
	}
	var n models.Nomination
	if err := db.Select("id", "award").First(&n, "id = ?", nominationID).Error; err != nil {
		return nil, fmt.Errorf("nomination of certificate %s: %w", cert.ID, err)
	}
	return &IssuedView{CertificateView: viewCertificate(cert, n.Award, s.publicURL(who)),
		DecisionID: d.ID, DecisionNumber: d.Number, SignedOn: d.SignedOn.In(calendar.Zone).Format(time.DateOnly)}, nil
}
