package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/models"
)

// rememberKey ties the caller's idempotency key, within scope (an
// operation and its target), to the request it is used for, the first
// time it is used; afterwards the same key is accepted only with the same
// request. A retry carries the same body, so it passes and gets the first
// outcome (the draft already made, the workflow update's result); a
// different body under a used key is a client bug that answering with
// the first outcome would hide, so it is refused with a 422 (as the IETF
// draft on the Idempotency-Key header asks). request is the decoded
// body, compared by its JSON. An empty key remembers nothing.
//
// It is called once the request has passed its own checks, so a request
// refused as invalid can be corrected and retried under its key.
func (s *Service) rememberKey(ctx context.Context, who Caller, scope, key string, request any) error {
	if key == "" {
		return nil
	}
	if err := checkKey(key); err != nil {
		return err
	}
	body, err := json.Marshal(request)
	if err != nil {
		return fmt.Errorf("fingerprint of request %s: %w", scope, err)
	}
	sum := sha256.Sum256(append([]byte(scope+"\x00"), body...))
	fp := hex.EncodeToString(sum[:])
	row := models.RequestKey{UserID: who.User.ID, Scope: scope, Key: key, Fingerprint: fp}
	db := s.db.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return fmt.Errorf("remember idempotency key of %s: %w", scope, err)
	}
	var first models.RequestKey
	err = db.First(&first, "user_id = ? AND scope = ? AND idem_key = ?", who.User.ID, scope, key).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("idempotency key of %s vanished after it was remembered", scope)
	}
	if err != nil {
		return fmt.Errorf("look up idempotency key of %s: %w", scope, err)
	}
	if first.Fingerprint != fp {
		e := Invalid(FieldError{Pointer: "/headers/Idempotency-Key",
			Message:   "Idempotency-Key này đã được dùng cho một yêu cầu khác; mỗi yêu cầu mới cần một khóa mới.",
			MessageEN: "This Idempotency-Key was already used for a different request; a new request needs a new key."})
		e.Message = "Idempotency-Key đã được dùng cho một yêu cầu khác (nội dung khác); yêu cầu không được thực hiện."
		e.MessageEN = "The Idempotency-Key was already used for a different request (another body); this one was not carried out."
		return e
	}
	return nil
}
