package service

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
)

// The roster of signers: who signs for each body in each term. The
// province's administrator keeps it; a decision whose signer is left
// blank takes the one of its date, and a signer typed for a body with a
// roster must be on it that day.

// SignerView is one term of a signer.
type SignerView struct {
	ID        string `json:"id"`
	UnitID    string `json:"unit_id"`
	Name      string `json:"name"`
	Title     string `json:"title"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to,omitempty"`
}

func viewSigner(s models.Signer) SignerView {
	v := SignerView{ID: s.ID, UnitID: s.UnitID, Name: s.Name, Title: s.Title, ValidFrom: s.ValidFrom.Format(time.DateOnly)}
	if s.ValidTo != nil {
		v.ValidTo = s.ValidTo.Format(time.DateOnly)
	}
	return v
}

// SignerInput is a term as the administrator types it. ValidTo is the
// term's last day, empty while it lasts.
type SignerInput struct {
	UnitID    string `json:"unit_id"`
	Name      string `json:"name"`
	Title     string `json:"title"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to"`
}

// Signers lists a unit's signers; with a date, only those serving then.
func (s *Service) Signers(ctx context.Context, who Caller, unitID, date string) ([]SignerView, error) {
	if err := who.Require(RoleAccountAdmin, models.RoleInterior, models.RoleReviewer); err != nil {
		return nil, err
	}
	var on time.Time
	if date != "" {
		var errs []FieldError
		if on = parseDay("/date", date, &errs); len(errs) > 0 {
			return nil, Invalid(errs...)
		}
	}
	rows, err := models.SignersOf(ctx, s.db, unitID)
	if err != nil {
		return nil, err
	}
	out := make([]SignerView, 0, len(rows))
	for _, r := range rows {
		if on.IsZero() || r.Serves(on) {
			out = append(out, viewSigner(r))
		}
	}
	return out, nil
}

// AddSigner records a term. Its unit must exist, its name and title be
// given, its dates in order and not overlap another term of the same
// title at that unit; each refusal names the field, and nothing is
// written.
func (s *Service) AddSigner(ctx context.Context, who Caller, in SignerInput) (SignerView, error) {
	if err := RequireCalendarEditor(who); err != nil {
		return SignerView{}, err
	}
	errs := cleanText(map[string]*string{"/unit_id": &in.UnitID, "/name": &in.Name, "/title": &in.Title,
		"/valid_from": &in.ValidFrom, "/valid_to": &in.ValidTo})
	row := models.Signer{ID: uuid.NewString(), UnitID: in.UnitID, Name: in.Name, Title: in.Title,
		ValidFrom: parseDay("/valid_from", in.ValidFrom, &errs)}
	if in.ValidTo != "" {
		to := parseDay("/valid_to", in.ValidTo, &errs)
		row.ValidTo = &to
		if !to.IsZero() && !row.ValidFrom.IsZero() && to.Before(row.ValidFrom) {
			errs = append(errs, FieldError{Pointer: "/valid_to", Message: "Ngày hết nhiệm kỳ không được trước ngày bắt đầu.", MessageEN: "The term cannot end before it starts."})
		}
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 255 {
		errs = append(errs, FieldError{Pointer: "/name", Message: "Cần ghi họ tên người ký (tối đa 255 ký tự).", MessageEN: "The signer's name is required (at most 255 characters)."})
	}
	if in.Title == "" || utf8.RuneCountInString(in.Title) > 255 {
		errs = append(errs, FieldError{Pointer: "/title", Message: "Cần ghi chức vụ ký, ví dụ \"TM. ỦY BAN NHÂN DÂN\\nCHỦ TỊCH\".", MessageEN: "The signing title is required."})
	}
	if _, err := s.ref.Unit(ctx, in.UnitID); errors.Is(err, models.ErrNotFound) {
		errs = append(errs, FieldError{Pointer: "/unit_id", Message: "Không có đơn vị này.", MessageEN: "No such unit."})
	} else if err != nil {
		return SignerView{}, err
	}
	if err := InvalidIf(errs); err != nil {
		return SignerView{}, err
	}
	ev := s.auditEvent(who, "signer.add", row.ID, map[string]any{"unit_id": row.UnitID, "name": row.Name, "title": row.Title,
		"valid_from": in.ValidFrom, "valid_to": in.ValidTo})
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		others, err := models.SignersOf(ctx, tx, row.UnitID)
		if err != nil {
			return err
		}
		for _, o := range others {
			if o.Title == row.Title && o.Overlaps(row) {
				return Invalid(FieldError{Pointer: "/valid_from", Message: fmt.Sprintf("Nhiệm kỳ trùng với %s (%s) từ %s.", o.Name, o.Title, viDate(o.ValidFrom)),
					MessageEN: "The term overlaps another of the same title at this unit."})
			}
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return tx.Create(&ev).Error
	})
	if err := failed(err, "add signer"); err != nil {
		return SignerView{}, err
	}
	s.logAudit(ev)
	return viewSigner(row), nil
}

// signerOn is who signs for unit on day on: the roster's one serving
// then if the typed name is empty, or the typed one checked against the
// roster. A body without a roster takes the name as typed. ok is false
// when the roster has nobody by that name (or nobody at all) that day.
func (s *Service) signerOn(ctx context.Context, unitID string, on time.Time, name, title string) (string, string, bool, error) {
	rows, err := models.SignersOf(ctx, s.db, unitID)
	if err != nil {
		return "", "", false, err
	}
	if len(rows) == 0 {
		return name, title, name != "" && title != "", nil
	}
	for _, r := range rows {
		if r.Serves(on) && (name == "" || r.Name == name) {
			if name == "" || title == "" {
				return r.Name, r.Title, true, nil
			}
			return name, title, true, nil
		}
	}
	return name, title, false, nil
}
