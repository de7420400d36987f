package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Signer is who signs for a body during a term: its chairman or director
// ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "GIÁM ĐỐC"), or a deputy who signs for
// them ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"). Decisions take their signer from
// the roster of their date, so a document signed in 2024 keeps the
// chairman of then, and a name typed outside its term is refused.
type Signer struct {
	ID     string `gorm:"primaryKey;size:64"`
	UnitID string `gorm:"size:64;not null;index"`
	Name   string `gorm:"size:255;not null"`
	// Title is the signature block above the name; a newline separates
	// its lines.
	Title     string    `gorm:"size:255;not null"`
	ValidFrom time.Time `gorm:"not null"`
	// ValidTo is the term's last day; nil while it lasts.
	ValidTo   *time.Time
	CreatedAt time.Time
}

// Serves tells whether the signer's term includes day on.
func (s Signer) Serves(on time.Time) bool {
	day := on.Format(time.DateOnly)
	return s.ValidFrom.Format(time.DateOnly) <= day && (s.ValidTo == nil || day <= s.ValidTo.Format(time.DateOnly))
}

// Overlaps tells whether two terms share a day.
func (s Signer) Overlaps(o Signer) bool {
	ends := func(x Signer) string {
		if x.ValidTo == nil {
			return "9999-12-31"
		}
		return x.ValidTo.Format(time.DateOnly)
	}
	return s.ValidFrom.Format(time.DateOnly) <= ends(o) && o.ValidFrom.Format(time.DateOnly) <= ends(s)
}

// SignersOf lists unit's signers, earliest term first.
func SignersOf(ctx context.Context, db *gorm.DB, unitID string) ([]Signer, error) {
	var out []Signer
	if err := db.WithContext(ctx).Where("unit_id = ?", unitID).Order("valid_from, title, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("signers of %s: %w", unitID, err)
	}
	return out, nil
}
