package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// updateTimeout bounds how long a request waits for its workflow update
// (validation, state change, projection into the database).
const updateTimeout = 30 * time.Second

// Operations, as they scope an idempotency key: the API's route paths, so
// that the update IDs of requests retried across a release are the same.
const (
	opCreate   = "/api/v1/nominations"
	opSubmit   = "/api/v1/nominations/:id/submit"
	opWithdraw = "/api/v1/nominations/:id/withdraw"
	opDecide   = "/api/v1/nominations/:id/decisions"
	opExtend   = "/api/v1/nominations/:id/deadline"
)

// updateID is the update ID of a request: the idempotency key scoped to
// the caller and the operation (so one client's key never collides with
// another's), or a fresh ID without a key.
func updateID(who Caller, op, key string) (string, error) {
	if key == "" {
		return uuid.NewString(), nil
	}
	if err := checkKey(key); err != nil {
		return "", err
	}
	return who.User.ID + ":" + op + ":" + key, nil
}

// checkKey bounds an idempotency key (the column that keeps it).
func checkKey(key string) error {
	if len(key) > 128 {
		return Invalid(FieldError{Pointer: "/headers/Idempotency-Key", Message: "Idempotency-Key tối đa 128 ký tự.",
			MessageEN: "Idempotency-Key is at most 128 characters."})
	}
	return nil
}

// SubmitInput is a submission's comment.
type SubmitInput struct {
	Comment string `json:"comment"`
}

// Submit sends a draft into review (starting its workflow together with
// the submit update) or resubmits a returned one. The dossier is
// snapshotted as a new version first. key is the request's idempotency
// key (empty: none): a retry with it after a crash completes the same
// submission once.
func (s *Service) Submit(ctx context.Context, who Caller, id string, in SubmitInput, key string) (NominationView, error) {
	if err := who.Require(models.RoleNominator); err != nil {
		return NominationView{}, err
	}
	n, err := s.VisibleNomination(ctx, who, id)
	if err != nil {
		return NominationView{}, err
	}
	if err := s.cleanComment("/comment", &in.Comment, 4000); err != nil {
		return NominationView{}, err
	}
	uid, err := updateID(who, opSubmit, key)
	if err != nil {
		return NominationView{}, err
	}
	if err := s.rememberKey(ctx, who, opSubmit+" "+n.ID, key, in); err != nil {
		return NominationView{}, err
	}
	editable := n.Status == workflows.StatusDraft || n.Status == workflows.StatusReturned
	if !editable && key == "" {
		return NominationView{}, Conflict("Hồ sơ đã được gửi (trạng thái: "+n.Status+").",
			"The nomination was already submitted (status "+n.Status+").")
	}
	var (
		route   routing.Route
		version int
	)
	if editable {
		if n.Status == workflows.StatusDraft {
			if err := s.checkWindow(ctx, n); err != nil {
				return NominationView{}, err
			}
			if route, err = s.planRoute(ctx, n); err != nil {
				return NominationView{}, err
			}
		}
		checked, err := s.checkDossier(ctx, n)
		if err != nil {
			return NominationView{}, err
		}
		// Nothing is claimed that no engine could carry on.
		if err := s.engineReady(); err != nil {
			return NominationView{}, err
		}
		if version, err = s.snapshot(ctx, n, route, who.User.ID, checked); err != nil {
			return NominationView{}, err
		}
	}
	resubmit := n.Status == workflows.StatusReturned
	if !editable {
		// A retry after a crash. The read model may be ahead of the
		// workflow: a projection can land just before the process dies,
		// losing the update that made it. Resend the claimed version, as
		// the update the workflow's live state still waits for; if the
		// update did complete, its ID returns the recorded outcome.
		version = max(n.PendingVersion, n.DossierVersion)
		if err := s.engineReady(); err != nil {
			return NominationView{}, err
		}
		if v, qerr := s.temporal.QueryWorkflow(ctx, n.WorkflowID, "", workflows.QueryState); qerr == nil {
			var live workflows.State
			if v.Get(&live) == nil && live.Status == workflows.StatusReturned {
				resubmit = true
			}
		}
	}
	sub := workflows.Submission{Actor: who.Actor(), DossierVersion: version, Comment: in.Comment}
	uctx, cancel := context.WithTimeout(ctx, updateTimeout)
	defer cancel()
	var handle client.WorkflowUpdateHandle
	if resubmit {
		handle, err = s.temporal.UpdateWorkflow(uctx, client.UpdateWorkflowOptions{
			UpdateID: uid, WorkflowID: n.WorkflowID, UpdateName: workflows.UpdateResubmit,
			Args: []any{sub}, WaitForStage: client.WorkflowUpdateStageCompleted})
	} else {
		if n.Status != workflows.StatusDraft {
			// An idempotent retry after the nomination moved on: the
			// workflow recognises the update ID and returns its outcome.
			if n.Route == "" || n.FinishedAt != nil {
				return NominationView{}, Conflict("Hồ sơ đã kết thúc (trạng thái: "+n.Status+").",
					"The nomination is finished (status "+n.Status+").")
			}
			if err := json.Unmarshal([]byte(n.Route), &route); err != nil {
				return NominationView{}, fmt.Errorf("route of %s: %w", n.ID, err)
			}
		}
		start := s.temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
			ID:                       n.WorkflowID,
			TaskQueue:                s.cfg.TaskQueue,
			WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
			WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		}, workflows.NominationWorkflow, workflows.Input{
			NominationID: n.ID, RoundID: n.RoundID, BodyUnitID: n.UnitID, Route: route})
		handle, err = s.temporal.UpdateWithStartWorkflow(uctx, client.UpdateWithStartWorkflowOptions{
			StartWorkflowOperation: start,
			UpdateOptions: client.UpdateWorkflowOptions{UpdateID: uid, UpdateName: workflows.UpdateSubmit,
				Args: []any{sub}, WaitForStage: client.WorkflowUpdateStageCompleted},
		})
	}
	if err := awaitUpdate(ctx, handle, err); err != nil {
		if refused(err) {
			// Release the claim: the submission will not happen.
			if rerr := s.db.WithContext(ctx).Model(&models.Nomination{}).Where("id = ?", n.ID).
				Update("pending_version", gorm.Expr("dossier_version")).Error; rerr != nil {
				s.log.Warn("release a refused submission's claim", "nomination", n.ID, "error", rerr) // tdkt doctor -repair releases it
			}
		}
		return NominationView{}, err
	}
	return s.projected(ctx, n.ID)
}

// cleanComment puts a free-text field in NFC and bounds it.
func (s *Service) cleanComment(ptr string, text *string, n int) error {
	if errs := cleanText(map[string]*string{ptr: text}); len(errs) > 0 {
		return Invalid(errs...)
	}
	return MaxRunes(ptr, *text, n)
}

// planRoute computes the route of a draft from the round's chain and the
// units in force at the round's reference date.
func (s *Service) planRoute(ctx context.Context, n models.Nomination) (routing.Route, error) {
	round, err := s.ref.Round(ctx, n.RoundID)
	if err != nil {
		return routing.Route{}, fmt.Errorf("round of %s: %w", n.ID, err)
	}
	chain, err := routing.ChainByCode(round.Chain)
	if err != nil {
		return routing.Route{}, fmt.Errorf("chain of round %s: %w", round.ID, err)
	}
	dir, err := s.ref.Directory(ctx, round.ReferenceDate)
	if err != nil {
		return routing.Route{}, fmt.Errorf("units of round %s: %w", round.ID, err)
	}
	if _, ok := dir.Unit(n.UnitID); !ok {
		return routing.Route{}, s.bodyNotInForce(ctx, n.UnitID, round)
	}
	route, err := routing.Plan(dir, chain, n.UnitID, routing.Award(n.Award))
	if errors.Is(err, routing.ErrNotRoutable) {
		return route, Invalid(FieldError{Pointer: "/award",
			Message:   "Không xác định được tuyến xét cho hình thức khen thưởng này từ đơn vị của bạn trong đợt này.",
			MessageEN: err.Error()})
	}
	return route, err
}

// snapshot stores the dossier as a new version (reusing the latest version
// when nothing changed, so a retried submission adds nothing) and, on first
// submission, the route.
func (s *Service) snapshot(ctx context.Context, n models.Nomination, route routing.Route, by string, checked checkedDossier) (int, error) {
	version := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var last models.DossierVersion
		err := tx.Where("nomination_id = ?", n.ID).Order("version DESC").Limit(1).Find(&last).Error
		if err != nil {
			return err
		}
		version = last.Version
		if last.Version == 0 || last.Dossier != checked.dossier || last.NomineeName != n.NomineeName || last.Version <= n.DossierVersion {
			version = max(last.Version, n.DossierVersion) + 1
			if err := tx.Create(&models.DossierVersion{NominationID: n.ID, Version: version, Dossier: checked.dossier,
				NomineeName: n.NomineeName, CreatedBy: by}).Error; err != nil {
				return fmt.Errorf("store dossier version %d: %w", version, err)
			}
		}
		// Claim the nomination for this submission, unless it changed
		// since it was read: an edit or a withdrawal won the race.
		res := tx.Model(&models.Nomination{}).
			Where("id = ? AND status = ? AND dossier = ? AND nominee_name = ?", n.ID, n.Status, n.Dossier, n.NomineeName).
			Updates(map[string]any{"pending_version": version, "dossier": checked.dossier,
				"eligibility": checked.results, "nominee_key": checked.key})
		if res.Error != nil {
			return fmt.Errorf("claim for submission: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return Conflict("Hồ sơ vừa được sửa hoặc rút; tải lại rồi gửi lại.",
				"The nomination changed while being submitted; reload and submit again.")
		}
		if len(route.Steps) == 0 {
			return nil
		}
		if err := checkQuota(tx, n); err != nil {
			return err
		}
		return models.SaveRoute(tx, n.ID, route)
	})
	return version, err
}

// WithdrawInput is a withdrawal's reason.
type WithdrawInput struct {
	Reason string `json:"reason"`
}

// Withdraw takes a nomination back: a draft is closed at once; one in
// review or returned, through its workflow.
func (s *Service) Withdraw(ctx context.Context, who Caller, id string, in WithdrawInput, key string) (NominationView, error) {
	if err := who.Require(models.RoleNominator); err != nil {
		return NominationView{}, err
	}
	n, err := s.VisibleNomination(ctx, who, id)
	if err != nil {
		return NominationView{}, err
	}
	if err := s.cleanComment("/reason", &in.Reason, 4000); err != nil {
		return NominationView{}, err
	}
	if n.Status == workflows.StatusDraft {
		// A draft has no workflow: withdrawing it simply closes it.
		res := s.db.WithContext(ctx).Model(&models.Nomination{}).
			Where("id = ? AND status = ? AND pending_version <= dossier_version", n.ID, workflows.StatusDraft).
			Updates(map[string]any{"status": workflows.StatusWithdrawn, "finished_at": s.now().UTC()})
		if res.Error != nil {
			return NominationView{}, fmt.Errorf("withdraw draft %s: %w", n.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			return NominationView{}, Conflict("Hồ sơ đang được gửi hoặc vừa thay đổi trạng thái; tải lại rồi thử lại.",
				"The nomination is being submitted or changed state meanwhile.")
		}
		return s.projected(ctx, n.ID)
	}
	return s.update(ctx, who, n, opWithdraw, key, in, workflows.UpdateWithdraw,
		workflows.Withdrawal{Actor: who.Actor(), Reason: in.Reason})
}

// DecisionInput is a reviewer's decision. Step is the step decided;
// nil: the caller's own step on the route.
type DecisionInput struct {
	Action  string `json:"action"`
	Comment string `json:"comment"`
	Step    *int   `json:"step"`
}

// Decide records a reviewer's approve, return or reject as a workflow
// update: the workflow's validator refuses the wrong reviewer or a step
// already decided (two reviewers at once: one wins, the other gets a
// conflict).
func (s *Service) Decide(ctx context.Context, who Caller, id string, in DecisionInput, key string) (NominationView, error) {
	if err := who.Require(models.RoleReviewer, models.RoleInterior); err != nil {
		return NominationView{}, err
	}
	n, err := s.VisibleNomination(ctx, who, id)
	if err != nil {
		return NominationView{}, err
	}
	var errs []FieldError
	errs = append(errs, cleanText(map[string]*string{"/action": &in.Action, "/comment": &in.Comment})...)
	switch in.Action {
	case workflows.ActionApprove:
	case workflows.ActionReturn, workflows.ActionReject:
		if in.Comment == "" {
			errs = append(errs, FieldError{Pointer: "/comment", Message: "Cần ghi rõ lý do khi trả lại hoặc không chấp thuận.",
				MessageEN: "A comment giving the reasons is required to return or reject."})
		}
	default:
		errs = append(errs, FieldError{Pointer: "/action", Message: "Thao tác phải là approve, return hoặc reject.",
			MessageEN: "action must be approve, return or reject."})
	}
	if len([]rune(in.Comment)) > 4000 {
		errs = append(errs, FieldError{Pointer: "/comment", Message: "Ý kiến tối đa 4000 ký tự.", MessageEN: "At most 4000 characters."})
	}
	if in.Action == workflows.ActionApprove && in.Comment == "" && len(errs) == 0 {
		// A learning title the register lacks is accepted only on the
		// reviewer's stated responsibility (registercheck.go).
		fe, err := s.registerComment(ctx, n)
		if err != nil {
			return NominationView{}, err
		}
		if fe != nil {
			errs = append(errs, *fe)
		}
	}
	if len(errs) > 0 {
		return NominationView{}, Invalid(errs...)
	}
	// A reviewer decides their own step: if it has been decided meanwhile
	// (another reviewer of the unit was quicker), the workflow refuses.
	step := n.CurrentStep
	if route, ok := n.PlannedRoute(); ok {
		for i, st := range route.Steps {
			if st.Level == who.Level() && st.UnitID == who.User.UnitID {
				step = i
			}
		}
	}
	if in.Step != nil {
		step = *in.Step
	}
	if n.Status == workflows.StatusDraft {
		return NominationView{}, Conflict("Hồ sơ chưa được gửi.", "The nomination has not been submitted.")
	}
	return s.update(ctx, who, n, opDecide, key, in, workflows.UpdateDecide,
		workflows.Decision{Actor: who.Actor(), Action: in.Action, Comment: in.Comment, Step: step})
}

// ExtendInput gives the current step more working days.
type ExtendInput struct {
	WorkingDays int    `json:"working_days"`
	Reason      string `json:"reason"`
}

// Extend lets the province's administrator give the current step more
// working days; the workflow re-arms its reminder and escalation timers.
func (s *Service) Extend(ctx context.Context, who Caller, id string, in ExtendInput, key string) (NominationView, error) {
	if err := who.Require(models.RoleAdmin); err != nil {
		return NominationView{}, err
	}
	n, err := s.VisibleNomination(ctx, who, id)
	if err != nil {
		return NominationView{}, err
	}
	var errs []FieldError
	errs = append(errs, cleanText(map[string]*string{"/reason": &in.Reason})...)
	if in.WorkingDays < 1 || in.WorkingDays > 60 {
		errs = append(errs, FieldError{Pointer: "/working_days", Message: "Số ngày làm việc gia hạn từ 1 đến 60.", MessageEN: "Between 1 and 60 working days."})
	}
	if in.Reason == "" || len([]rune(in.Reason)) > 1000 {
		errs = append(errs, FieldError{Pointer: "/reason", Message: "Cần ghi lý do gia hạn (tối đa 1000 ký tự).", MessageEN: "A reason is required (at most 1000 characters)."})
	}
	if len(errs) > 0 {
		return NominationView{}, Invalid(errs...)
	}
	if n.Status != workflows.StatusInReview || n.DueAt == nil {
		return NominationView{}, Conflict("Chỉ gia hạn được hồ sơ đang chờ xét.", "Only a nomination waiting for a reviewer has a deadline to extend.")
	}
	cal, err := s.ref.Calendar(ctx)
	if err != nil {
		return NominationView{}, fmt.Errorf("calendar: %w", err)
	}
	// The new term ends in.WorkingDays working days after the current
	// one's last day.
	due := cal.Due(n.DueAt.Add(-time.Nanosecond), in.WorkingDays)
	return s.update(ctx, who, n, opExtend, key, in, workflows.UpdateExtend,
		workflows.Extension{Actor: who.Actor(), DueAt: due.UTC(), Reason: in.Reason})
}

// update sends one update to the nomination's workflow, waits for its
// outcome and answers with the nomination as now projected. request is
// the caller's input, which the idempotency key is tied to (rememberKey).
func (s *Service) update(ctx context.Context, who Caller, n models.Nomination, op, key string, request any, name string, arg any) (NominationView, error) {
	if err := s.engineReady(); err != nil {
		return NominationView{}, err
	}
	uid, err := updateID(who, op, key)
	if err != nil {
		return NominationView{}, err
	}
	if err := s.rememberKey(ctx, who, op+" "+n.ID, key, request); err != nil {
		return NominationView{}, err
	}
	uctx, cancel := context.WithTimeout(ctx, updateTimeout)
	defer cancel()
	handle, err := s.temporal.UpdateWorkflow(uctx, client.UpdateWorkflowOptions{
		UpdateID: uid, WorkflowID: n.WorkflowID, UpdateName: name,
		Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted})
	if err := awaitUpdate(ctx, handle, err); err != nil {
		return NominationView{}, err
	}
	return s.projected(ctx, n.ID)
}

// awaitUpdate waits for an update's outcome and maps a refusal to a
// service error.
func awaitUpdate(ctx context.Context, handle client.WorkflowUpdateHandle, err error) error {
	uctx, cancel := context.WithTimeout(ctx, updateTimeout)
	defer cancel()
	if err == nil {
		var st workflows.State
		err = handle.Get(uctx, &st)
	}
	if err != nil {
		var timeout *client.WorkflowUpdateServiceTimeoutOrCanceledError
		if uctx.Err() != nil || errors.As(err, &timeout) {
			err = context.DeadlineExceeded
		}
		return updateError(err)
	}
	return nil
}

// refused reports whether an update failed for good (the workflow said no,
// or there is no workflow), as opposed to a timeout after which it may
// still complete.
func refused(err error) bool {
	for _, kind := range []error{ErrForbidden, ErrConflict, ErrInvalid, ErrNotFound, ErrBadRequest} {
		if errors.Is(err, kind) {
			return true
		}
	}
	return false
}

// updateError maps the workflow's refusal of an update to a service error.
func updateError(err error) error {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		msg := app.Message()
		switch app.Type() {
		case workflows.ErrForbidden:
			return Forbidden("Bạn không có thẩm quyền thực hiện thao tác này ở bước hiện tại.", msg)
		case workflows.ErrConflict:
			return Conflict("Thao tác không còn phù hợp với trạng thái hồ sơ (có thể đã được xử lý).", msg)
		case workflows.ErrInvalid:
			return Invalid(FieldError{Pointer: "", Message: "Yêu cầu không hợp lệ.", MessageEN: msg})
		}
	}
	var notFound *serviceerror.NotFound
	var precondition *serviceerror.FailedPrecondition
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &notFound) || errors.As(err, &precondition) || errors.As(err, &started) {
		return Conflict("Hồ sơ chưa vào quy trình xét hoặc đã kết thúc.", "The nomination has no running workflow.")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Unavailable("Hệ thống đang bận; thao tác sẽ được hoàn tất, vui lòng tải lại sau ít phút.",
			"Timed out waiting for the workflow; the request may still complete. Retry with the same Idempotency-Key.")
	}
	return err
}

// checkWindow refuses a first submission outside the round's window.
func (s *Service) checkWindow(ctx context.Context, n models.Nomination) error {
	round, err := s.ref.Round(ctx, n.RoundID)
	if err != nil {
		return fmt.Errorf("round of %s: %w", n.ID, err)
	}
	now := s.now()
	at := func(t time.Time) string { return t.In(calendar.Zone).Format("15:04 ngày 02/01/2006") }
	if now.Before(round.OpensAt) {
		return Conflict(
			fmt.Sprintf("Đợt xét “%s” chưa mở nhận hồ sơ; mở từ %s.", round.Name, at(round.OpensAt)),
			fmt.Sprintf("Round %s opens at %s.", round.Code, round.OpensAt.Format(time.RFC3339)))
	}
	if !now.Before(round.ClosesAt) {
		return Conflict(
			fmt.Sprintf("Đợt xét “%s” đã hết hạn nhận hồ sơ lúc %s.", round.Name, at(round.ClosesAt)),
			fmt.Sprintf("Round %s closed at %s.", round.Code, round.ClosesAt.Format(time.RFC3339)))
	}
	return nil
}

// checkQuota refuses a first submission beyond the unit's quota for the
// award in the round. It runs in the snapshot's transaction, the quota row
// locked on PostgreSQL (SQLite's write transactions are serial), so two
// submissions at once cannot both take the last place.
func checkQuota(tx *gorm.DB, n models.Nomination) error {
	q := tx.Where("round_id = ? AND unit_id = ? AND award = ?", n.RoundID, n.UnitID, n.Award)
	if models.Dialect(tx) == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var quotas []models.RoundQuota
	if err := q.Find(&quotas).Error; err != nil {
		return err
	}
	if len(quotas) == 0 {
		return nil
	}
	var used int64
	err := tx.Model(&models.Nomination{}).
		Where("round_id = ? AND unit_id = ? AND award = ? AND id <> ? AND route <> '' AND status NOT IN ?",
			n.RoundID, n.UnitID, n.Award, n.ID, []string{workflows.StatusWithdrawn, workflows.StatusRejected}).
		Count(&used).Error
	if err != nil {
		return err
	}
	if max := quotas[0].Max; int(used) >= max {
		award := n.Award
		if a, err := routing.LookupAward(routing.Award(n.Award)); err == nil {
			award = a.Name
		}
		return Conflict(
			fmt.Sprintf("Đơn vị đã dùng hết chỉ tiêu của đợt xét: tối đa %d hồ sơ đề nghị %s (đã gửi %d).", max, award, used),
			fmt.Sprintf("Quota reached: at most %d nominations for %s from this unit in this round (%d submitted).", max, n.Award, used))
	}
	return nil
}
