package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// checkedDossier is a dossier that passed its form and the award's rules.
type checkedDossier struct {
	dossier string // normalized JSON
	results string // JSON list of forms.Result
	key     string // forms.NomineeKey
}

// checkDossier validates a nomination's dossier against the version of
// its form it recorded (never a newer one) and the award's eligibility
// rules before it is submitted. It returns the clean
// (normalized) dossier, the rule results and the nominee's key, or a
// refusal listing every error, or a conflict naming an open nomination of
// the same nominee for the same award in the round.
func (s *Service) checkDossier(ctx context.Context, n models.Nomination) (checkedDossier, error) {
	var none checkedDossier
	var d map[string]any
	if err := json.Unmarshal([]byte(n.Dossier), &d); err != nil {
		return none, fmt.Errorf("dossier of %s: %w", n.ID, err)
	}
	form, err := nominationForm(n)
	if err != nil {
		return none, err
	}
	now := s.now()
	cleaned, ferrs := forms.ValidateForm(form, d, now)
	if len(ferrs) > 0 {
		errs := make([]FieldError, 0, len(ferrs))
		for _, e := range ferrs {
			errs = append(errs, FieldError{Pointer: "/dossier" + e.Pointer, Message: e.Message, MessageEN: e.MessageEN})
		}
		p := Invalid(errs...)
		p.Message = "Hồ sơ chưa đầy đủ hoặc chưa hợp lệ; sửa các mục được chỉ ra rồi gửi lại."
		p.MessageEN = "The dossier is incomplete or invalid; fix the fields listed and submit again."
		return none, p
	}
	res := forms.EligibilityFor(n.Award, form, cleaned, now)
	if forms.Blocking(res) {
		var errs []FieldError
		for _, r := range res {
			if r.Status == forms.StatusFail {
				errs = append(errs, FieldError{Pointer: "/dossier" + r.Pointer, Message: r.Message, MessageEN: r.MessageEN})
			}
		}
		p := Invalid(errs...)
		p.Message = "Đối tượng chưa đủ điều kiện đề nghị hình thức khen thưởng này."
		p.MessageEN = "The nominee does not meet the conditions of this award."
		return none, p
	}
	// The learning titles claimed, against the register: warnings for
	// the reviewers, never a refusal (registercheck.go).
	reg, err := s.registerResults(ctx, n, form, cleaned)
	if err != nil {
		return none, err
	}
	res = append(res, reg...)
	key := forms.NomineeKey(n.NomineeKind, cleaned)
	if key != "" {
		if err := s.checkDuplicate(ctx, n, key); err != nil {
			return none, err
		}
	}
	b, err := json.Marshal(cleaned)
	if err != nil {
		return none, fmt.Errorf("dossier of %s: %w", n.ID, err)
	}
	r, err := json.Marshal(res)
	if err != nil {
		return none, fmt.Errorf("eligibility of %s: %w", n.ID, err)
	}
	return checkedDossier{dossier: string(b), results: string(r), key: key}, nil
}

// checkDuplicate refuses a second open nomination of the same nominee for
// the same award in the same round. A key without a CCCD (name and date of
// birth) only matches within the same nominating body.
func (s *Service) checkDuplicate(ctx context.Context, n models.Nomination, key string) error {
	q := s.db.WithContext(ctx).Omit("dossier").
		Where("round_id = ? AND award = ? AND nominee_key = ? AND id <> ? AND status NOT IN ?",
			n.RoundID, n.Award, key, n.ID, []string{workflows.StatusDraft, workflows.StatusWithdrawn, workflows.StatusRejected})
	if !strings.Contains(key, "|cccd|") {
		q = q.Where("unit_id = ?", n.UnitID)
	}
	var other models.Nomination
	if err := q.Limit(1).Find(&other).Error; err != nil {
		return fmt.Errorf("look for a duplicate of %s: %w", n.ID, err)
	}
	if other.ID != "" {
		return Conflict(
			fmt.Sprintf("Đối tượng này đã có hồ sơ đề nghị cùng hình thức trong đợt xét (mã hồ sơ %s, trạng thái %s).", other.ID, access.StatusNames[other.Status]),
			fmt.Sprintf("This nominee already has an open nomination for the same award in this round: %s (%s).", other.ID, other.Status))
	}
	return nil
}
