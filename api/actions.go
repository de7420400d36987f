package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
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

// updateID is the Idempotency-Key header when given (so a retried request
// has one effect), otherwise a fresh ID.
func updateID(c echo.Context) (string, error) {
	key := c.Request().Header.Get("Idempotency-Key")
	if key == "" {
		return uuid.NewString(), nil
	}
	if len(key) > 128 {
		return "", invalid([]FieldError{{Pointer: "/headers/Idempotency-Key", Message: "Idempotency-Key tối đa 128 ký tự.", MessageEN: "Idempotency-Key is at most 128 characters."}})
	}
	// Scope the key to the caller and the route, so one client's key never
	// collides with another's.
	return userID(c) + ":" + c.Path() + ":" + key, nil
}

type submitRequest struct {
	Comment string `json:"comment"`
}

// submitNomination sends a draft into review (starting its workflow
// together with the submit update) or resubmits a returned one. The dossier
// is snapshotted as a new version first.
func (s *Server) submitNomination(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	var req submitRequest
	if err := decodeOptional(c, &req); err != nil {
		return err
	}
	if err := maxRunes("/comment", req.Comment, 4000); err != nil {
		return err
	}
	id, err := updateID(c)
	if err != nil {
		return err
	}
	retry := c.Request().Header.Get("Idempotency-Key") != ""
	if n.Status != workflows.StatusDraft && n.Status != workflows.StatusReturned && !retry {
		return problem(http.StatusConflict, "Hồ sơ đã được gửi (trạng thái: "+n.Status+").",
			"The nomination was already submitted (status "+n.Status+").")
	}
	who := currentCaller(c)
	ctx := c.Request().Context()
	var (
		route   routing.Route
		version int
	)
	if n.Status == workflows.StatusDraft || n.Status == workflows.StatusReturned {
		if n.Status == workflows.StatusDraft {
			if err := s.checkWindow(ctx, n); err != nil {
				return err
			}
			if route, err = s.planRoute(ctx, n); err != nil {
				return err
			}
		}
		checked, err := s.checkDossier(c, n)
		if err != nil {
			return err
		}
		if version, err = s.snapshot(ctx, n, route, who.User.ID, checked); err != nil {
			return err
		}
	}
	resubmit := n.Status == workflows.StatusReturned
	if n.Status != workflows.StatusDraft && n.Status != workflows.StatusReturned {
		// A retry after a crash. The read model may be ahead of the
		// workflow: a projection can land just before the process dies,
		// losing the update that made it. Resend the claimed version, as
		// the update the workflow's live state still waits for; if the
		// update did complete, its ID returns the recorded outcome.
		version = max(n.PendingVersion, n.DossierVersion)
		if v, qerr := s.Temporal.QueryWorkflow(ctx, n.WorkflowID, "", workflows.QueryState); qerr == nil {
			var live workflows.State
			if v.Get(&live) == nil && live.Status == workflows.StatusReturned {
				resubmit = true
			}
		}
	}
	sub := workflows.Submission{Actor: who.Actor(), DossierVersion: version, Comment: req.Comment}
	uctx, cancel := context.WithTimeout(ctx, updateTimeout)
	defer cancel()
	var handle client.WorkflowUpdateHandle
	if resubmit {
		handle, err = s.Temporal.UpdateWorkflow(uctx, client.UpdateWorkflowOptions{
			UpdateID: id, WorkflowID: n.WorkflowID, UpdateName: workflows.UpdateResubmit,
			Args: []any{sub}, WaitForStage: client.WorkflowUpdateStageCompleted})
	} else {
		if n.Status != workflows.StatusDraft {
			// An idempotent retry after the nomination moved on: the
			// workflow recognises the update ID and returns its outcome.
			if n.Route == "" || n.FinishedAt != nil {
				return problem(http.StatusConflict, "Hồ sơ đã kết thúc (trạng thái: "+n.Status+").",
					"The nomination is finished (status "+n.Status+").")
			}
			if err := json.Unmarshal([]byte(n.Route), &route); err != nil {
				return fmt.Errorf("route of %s: %w", n.ID, err)
			}
		}
		start := s.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
			ID:                       n.WorkflowID,
			TaskQueue:                s.TaskQueue,
			WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
			WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		}, workflows.NominationWorkflow, workflows.Input{
			NominationID: n.ID, RoundID: n.RoundID, BodyUnitID: n.UnitID, Route: route})
		handle, err = s.Temporal.UpdateWithStartWorkflow(uctx, client.UpdateWithStartWorkflowOptions{
			StartWorkflowOperation: start,
			UpdateOptions: client.UpdateWorkflowOptions{UpdateID: id, UpdateName: workflows.UpdateSubmit,
				Args: []any{sub}, WaitForStage: client.WorkflowUpdateStageCompleted},
		})
	}
	if err := awaitUpdate(c, handle, err); err != nil {
		if refused(err) {
			// Release the claim: the submission will not happen.
			s.DB.WithContext(ctx).Model(&models.Nomination{}).Where("id = ?", n.ID).
				Update("pending_version", gorm.Expr("dossier_version"))
		}
		return err
	}
	return s.respondNomination(c, n.ID)
}

// planRoute computes the route of a draft from the round's chain and the
// units in force at the round's reference date.
func (s *Server) planRoute(ctx context.Context, n models.Nomination) (routing.Route, error) {
	round, err := s.reference().Round(ctx, n.RoundID)
	if err != nil {
		return routing.Route{}, err
	}
	chain, err := routing.ChainByCode(round.Chain)
	if err != nil {
		return routing.Route{}, err
	}
	dir, err := s.reference().Directory(ctx, round.ReferenceDate)
	if err != nil {
		return routing.Route{}, err
	}
	route, err := routing.Plan(dir, chain, n.UnitID, routing.Award(n.Award))
	if errors.Is(err, routing.ErrNotRoutable) {
		return route, invalid([]FieldError{{Pointer: "/award", Message: "Không xác định được tuyến xét cho hình thức khen thưởng này từ đơn vị của bạn trong đợt này.", MessageEN: err.Error()}})
	}
	return route, err
}

// snapshot stores the dossier as a new version (reusing the latest version
// when nothing changed, so a retried submission adds nothing) and, on first
// submission, the route.
func (s *Server) snapshot(ctx context.Context, n models.Nomination, route routing.Route, by string, checked checkedDossier) (int, error) {
	version := 0
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
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
			return problem(http.StatusConflict, "Hồ sơ vừa được sửa hoặc rút; tải lại rồi gửi lại.",
				"The nomination changed while being submitted; reload and submit again.")
		}
		if len(route.Steps) == 0 {
			return nil
		}
		if err := checkQuota(tx, n); err != nil {
			return err
		}
		raw, _ := json.Marshal(route)
		if err := tx.Model(&models.Nomination{}).Where("id = ?", n.ID).Update("route", string(raw)).Error; err != nil {
			return err
		}
		if err := tx.Where("nomination_id = ?", n.ID).Delete(&models.RouteStep{}).Error; err != nil {
			return err
		}
		for i, st := range route.Steps {
			rs := models.RouteStep{NominationID: n.ID, Step: i, Level: string(st.Level), UnitID: st.UnitID, UnitName: st.UnitName}
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&rs).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return version, err
}

type withdrawRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) withdrawNomination(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	var req withdrawRequest
	if err := decodeOptional(c, &req); err != nil {
		return err
	}
	if err := maxRunes("/reason", req.Reason, 4000); err != nil {
		return err
	}
	if n.Status == workflows.StatusDraft {
		// A draft has no workflow: withdrawing it simply closes it.
		res := s.DB.WithContext(c.Request().Context()).Model(&models.Nomination{}).
			Where("id = ? AND status = ? AND pending_version <= dossier_version", n.ID, workflows.StatusDraft).
			Updates(map[string]any{"status": workflows.StatusWithdrawn, "finished_at": s.now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return problem(http.StatusConflict, "Hồ sơ đang được gửi hoặc vừa thay đổi trạng thái; tải lại rồi thử lại.",
				"The nomination is being submitted or changed state meanwhile.")
		}
		return s.respondNomination(c, n.ID)
	}
	id, err := updateID(c)
	if err != nil {
		return err
	}
	uctx, cancel := context.WithTimeout(c.Request().Context(), updateTimeout)
	defer cancel()
	handle, err := s.Temporal.UpdateWorkflow(uctx, client.UpdateWorkflowOptions{
		UpdateID: id, WorkflowID: n.WorkflowID, UpdateName: workflows.UpdateWithdraw,
		Args:         []any{workflows.Withdrawal{Actor: currentCaller(c).Actor(), Reason: req.Reason}},
		WaitForStage: client.WorkflowUpdateStageCompleted})
	return s.finishUpdate(c, n.ID, handle, err)
}

type decisionRequest struct {
	Action  string `json:"action"`
	Comment string `json:"comment"`
	// Step is the step the reviewer decides; defaults to the current one.
	Step *int `json:"step"`
}

// decide records a reviewer's approve, return or reject as a workflow
// update: the workflow's validator refuses the wrong reviewer or a step
// already decided (two reviewers at once: one wins, the other gets 409).
func (s *Server) decide(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	var req decisionRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var errs []FieldError
	switch req.Action {
	case workflows.ActionApprove:
	case workflows.ActionReturn, workflows.ActionReject:
		if req.Comment == "" {
			errs = append(errs, FieldError{Pointer: "/comment", Message: "Cần ghi rõ lý do khi trả lại hoặc không chấp thuận.", MessageEN: "A comment giving the reasons is required to return or reject."})
		}
	default:
		errs = append(errs, FieldError{Pointer: "/action", Message: "Thao tác phải là approve, return hoặc reject.", MessageEN: "action must be approve, return or reject."})
	}
	if len([]rune(req.Comment)) > 4000 {
		errs = append(errs, FieldError{Pointer: "/comment", Message: "Ý kiến tối đa 4000 ký tự.", MessageEN: "At most 4000 characters."})
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	// A reviewer decides their own step: if it has been decided meanwhile
	// (another reviewer of the unit was quicker), the workflow answers 409.
	step := n.CurrentStep
	who := currentCaller(c)
	var route routing.Route
	if json.Unmarshal([]byte(n.Route), &route) == nil {
		for i, st := range route.Steps {
			if st.Level == who.Level() && st.UnitID == who.User.UnitID {
				step = i
			}
		}
	}
	if req.Step != nil {
		step = *req.Step
	}
	if n.Status == workflows.StatusDraft {
		return problem(http.StatusConflict, "Hồ sơ chưa được gửi.", "The nomination has not been submitted.")
	}
	id, err := updateID(c)
	if err != nil {
		return err
	}
	uctx, cancel := context.WithTimeout(c.Request().Context(), updateTimeout)
	defer cancel()
	handle, err := s.Temporal.UpdateWorkflow(uctx, client.UpdateWorkflowOptions{
		UpdateID: id, WorkflowID: n.WorkflowID, UpdateName: workflows.UpdateDecide,
		Args: []any{workflows.Decision{Actor: currentCaller(c).Actor(), Action: req.Action,
			Comment: req.Comment, Step: step}},
		WaitForStage: client.WorkflowUpdateStageCompleted})
	return s.finishUpdate(c, n.ID, handle, err)
}

// finishUpdate waits for an update's outcome, maps the workflow's refusal
// to a problem, and answers with the nomination as now projected.
func (s *Server) finishUpdate(c echo.Context, id string, handle client.WorkflowUpdateHandle, err error) error {
	if err := awaitUpdate(c, handle, err); err != nil {
		return err
	}
	return s.respondNomination(c, id)
}

// awaitUpdate waits for an update's outcome and maps a refusal to a
// problem.
func awaitUpdate(c echo.Context, handle client.WorkflowUpdateHandle, err error) error {
	uctx, cancel := context.WithTimeout(c.Request().Context(), updateTimeout)
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
		return updateProblem(err)
	}
	return nil
}

// refused reports whether an update failed for good (the workflow said no,
// or there is no workflow), as opposed to a timeout after which it may
// still complete.
func refused(err error) bool {
	var p *Problem
	return errors.As(err, &p) && p.Status >= 400 && p.Status < 500
}

func updateProblem(err error) error {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		msg := app.Message()
		switch app.Type() {
		case workflows.ErrForbidden:
			return problem(http.StatusForbidden, "Bạn không có thẩm quyền thực hiện thao tác này ở bước hiện tại.", msg)
		case workflows.ErrConflict:
			return problem(http.StatusConflict, "Thao tác không còn phù hợp với trạng thái hồ sơ (có thể đã được xử lý).", msg)
		case workflows.ErrInvalid:
			return invalid([]FieldError{{Pointer: "", Message: "Yêu cầu không hợp lệ.", MessageEN: msg}})
		}
	}
	var notFound *serviceerror.NotFound
	var precondition *serviceerror.FailedPrecondition
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &notFound) || errors.As(err, &precondition) || errors.As(err, &started) {
		return problem(http.StatusConflict, "Hồ sơ chưa vào quy trình xét hoặc đã kết thúc.", "The nomination has no running workflow.")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return problem(http.StatusServiceUnavailable, "Hệ thống đang bận; thao tác sẽ được hoàn tất, vui lòng tải lại sau ít phút.",
			"Timed out waiting for the workflow; the request may still complete. Retry with the same Idempotency-Key.")
	}
	return err
}

type extendRequest struct {
	WorkingDays int    `json:"working_days"`
	Reason      string `json:"reason"`
}

// extendDeadline lets an administrator give the current step more working
// days; the workflow re-arms its reminder and escalation timers.
func (s *Server) extendDeadline(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	var req extendRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var errs []FieldError
	if req.WorkingDays < 1 || req.WorkingDays > 60 {
		errs = append(errs, FieldError{Pointer: "/working_days", Message: "Số ngày làm việc gia hạn từ 1 đến 60.", MessageEN: "Between 1 and 60 working days."})
	}
	if req.Reason == "" || len([]rune(req.Reason)) > 1000 {
		errs = append(errs, FieldError{Pointer: "/reason", Message: "Cần ghi lý do gia hạn (tối đa 1000 ký tự).", MessageEN: "A reason is required (at most 1000 characters)."})
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	if n.Status != workflows.StatusInReview || n.DueAt == nil {
		return problem(http.StatusConflict, "Chỉ gia hạn được hồ sơ đang chờ xét.", "Only a nomination waiting for a reviewer has a deadline to extend.")
	}
	cal, err := s.reference().Calendar(c.Request().Context())
	if err != nil {
		return err
	}
	// The new term ends req.WorkingDays working days after the current
	// one's last day.
	due := cal.Due(n.DueAt.Add(-time.Nanosecond), req.WorkingDays)
	id, err := updateID(c)
	if err != nil {
		return err
	}
	uctx, cancel := context.WithTimeout(c.Request().Context(), updateTimeout)
	defer cancel()
	handle, err := s.Temporal.UpdateWorkflow(uctx, client.UpdateWorkflowOptions{
		UpdateID: id, WorkflowID: n.WorkflowID, UpdateName: workflows.UpdateExtend,
		Args:         []any{workflows.Extension{Actor: currentCaller(c).Actor(), DueAt: due.UTC(), Reason: req.Reason}},
		WaitForStage: client.WorkflowUpdateStageCompleted})
	return s.finishUpdate(c, n.ID, handle, err)
}

// checkWindow refuses a first submission outside the round's window.
func (s *Server) checkWindow(ctx context.Context, n models.Nomination) error {
	round, err := s.reference().Round(ctx, n.RoundID)
	if err != nil {
		return err
	}
	now := s.now()
	at := func(t time.Time) string { return t.In(calendar.Zone).Format("15:04 ngày 02/01/2006") }
	if now.Before(round.OpensAt) {
		return problem(http.StatusConflict,
			fmt.Sprintf("Đợt xét “%s” chưa mở nhận hồ sơ; mở từ %s.", round.Name, at(round.OpensAt)),
			fmt.Sprintf("Round %s opens at %s.", round.Code, round.OpensAt.Format(time.RFC3339)))
	}
	if !now.Before(round.ClosesAt) {
		return problem(http.StatusConflict,
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
		return problem(http.StatusConflict,
			fmt.Sprintf("Đơn vị đã dùng hết chỉ tiêu của đợt xét: tối đa %d hồ sơ đề nghị %s (đã gửi %d).", max, award, used),
			fmt.Sprintf("Quota reached: at most %d nominations for %s from this unit in this round (%d submitted).", max, n.Award, used))
	}
	return nil
}
