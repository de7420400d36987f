package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// Proposals of recognitions (learning.ProposalKinds): a unit proposes a
// list of holders for their titles of a year; every line is checked as a
// single recognition is; the proposal's workflow (workflows.Proposal)
// takes it through its steps under their terms; the last step's head
// decides it with the decision's number and date, which records the
// recognitions and their tallies in one transaction.

// ProposalInput is a new proposal.
type ProposalInput struct {
	Kind  string             `json:"kind"`
	Year  int                `json:"year"`
	Area  string             `json:"area"`
	Items []RecognitionInput `json:"items"`
}

// ProposalDecisionInput is a step's decision on a proposal.
type ProposalDecisionInput struct {
	Action         string `json:"action"`
	Comment        string `json:"comment"`
	Step           *int   `json:"step"`
	DecisionNumber string `json:"decision_number"`
	DecisionDate   string `json:"decision_date"`
}

// ProposalView is a proposal with its history.
type ProposalView struct {
	ID             string                   `json:"id"`
	Kind           string                   `json:"kind"`
	KindName       string                   `json:"kind_name"`
	UnitID         string                   `json:"unit_id"`
	UnitName       string                   `json:"unit_name"`
	Area           string                   `json:"area,omitempty"`
	Year           int                      `json:"year"`
	Status         string                   `json:"status"`
	Step           int                      `json:"step"`
	CurrentUnitID  string                   `json:"current_unit_id,omitempty"`
	DueAt          *time.Time               `json:"due_at,omitempty"`
	DecisionNumber string                   `json:"decision_number,omitempty"`
	DecisionDate   string                   `json:"decision_date,omitempty"`
	Steps          []workflows.ProposalStep `json:"steps"`
	Items          []RecognitionView        `json:"items"`
	History        []ProposalEventView      `json:"history"`
}

// ProposalEventView is one line of a proposal's history.
type ProposalEventView struct {
	Seq       int       `json:"seq"`
	Action    string    `json:"action"`
	Step      int       `json:"step"`
	ActorName string    `json:"actor_name,omitempty"`
	Comment   string    `json:"comment,omitempty"`
	ToStatus  string    `json:"to_status"`
	At        time.Time `json:"at"`
}

// proposalSteps places a kind's steps: at the proposing commune (the
// proposer's unit or the commune it lies in), or at the city's Sở GD&ĐT.
func (s *Service) proposalSteps(ctx context.Context, kind learning.ProposalKind, unitID string) ([]workflows.ProposalStep, error) {
	dir, err := s.ref.Directory(ctx, s.today())
	if err != nil {
		return nil, err
	}
	commune, root := "", unitID
	for id, depth := unitID, 0; id != "" && depth < 16; depth++ {
		u, ok := dir.Unit(id)
		if !ok {
			break
		}
		if u.Level == routing.Commune && commune == "" {
			commune = u.ID
		}
		root, id = u.ID, u.ParentID
	}
	var steps []workflows.ProposalStep
	for _, sp := range kind.Steps {
		st := workflows.ProposalStep{Role: sp.Role, Name: sp.Name, WorkingDays: sp.WorkingDays, CalendarDays: sp.CalendarDays}
		switch sp.At {
		case learning.AtCommune:
			if commune == "" {
				return nil, Invalid(FieldError{Pointer: "/kind", Message: kind.Name + " do xã, phường đề nghị: đơn vị của bạn không thuộc xã, phường nào đang hoạt động.",
					MessageEN: "This kind is proposed by a commune; your unit is in none in force."})
			}
			st.UnitID = commune
		case learning.AtEducation:
			so, ok := dir.Reviewer(routing.Education, root)
			if !ok {
				return nil, Invalid(FieldError{Pointer: "/kind", Message: "Không tìm thấy Sở GD&ĐT xét đề nghị của đơn vị bạn.", MessageEN: "No Sở GD&ĐT reviews your unit's proposals."})
			}
			st.UnitID = so.ID
		}
		steps = append(steps, st)
	}
	return steps, nil
}

// CreateProposal checks every line of a proposal as a recognition,
// stores it and starts its workflow.
func (s *Service) CreateProposal(ctx context.Context, who Caller, in ProposalInput) (ProposalView, error) {
	if err := s.engineReady(); err != nil {
		return ProposalView{}, err
	}
	errs := cleanText(map[string]*string{"/kind": &in.Kind, "/area": &in.Area})
	kind, kerr := learning.LookupProposalKind(in.Kind)
	if kerr != nil {
		errs = append(errs, FieldError{Pointer: "/kind", Message: "Loại đề nghị là cong-nhan-cap-xa, don-vi-hoc-tap-truong hoặc tu-danh-gia-xa.", MessageEN: kerr.Error()})
	}
	if len(in.Items) == 0 {
		errs = append(errs, Required("/items"))
	}
	if err := InvalidIf(errs); err != nil {
		return ProposalView{}, err
	}
	steps, err := s.proposalSteps(ctx, kind, who.User.UnitID)
	if err != nil {
		return ProposalView{}, err
	}
	var rows []models.LearningRecognition
	seen := map[string]bool{}
	for i := range in.Items {
		ptr := "/items/" + strconv.Itoa(i)
		it := &in.Items[i]
		it.Year, it.Status = in.Year, learning.Recognised
		if !slices.Contains(kind.Titles, learning.Title(it.Title)) {
			errs = append(errs, FieldError{Pointer: ptr + "/title", Message: "Danh hiệu này không thuộc loại đề nghị " + kind.Name + ".", MessageEN: "This title is not proposed by this kind."})
			continue
		}
		var h models.LearningHolder
		err := s.db.WithContext(ctx).First(&h, "id = ?", it.HolderID).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			errs = append(errs, FieldError{Pointer: ptr + "/holder_id", Message: "Không có đối tượng này trong sổ.", MessageEN: "No such holder."})
			continue
		case err != nil:
			return ProposalView{}, err
		}
		if err := s.mayKeepRegister(ctx, who, h.UnitID); err != nil {
			return ProposalView{}, err
		}
		r, ferrs, err := s.checkRecognition(ctx, who, it, h)
		if err != nil {
			return ProposalView{}, err
		}
		for _, f := range ferrs {
			f.Pointer = ptr + f.Pointer
			errs = append(errs, f)
		}
		key := h.ID + "\x00" + it.Title
		if seen[key] {
			errs = append(errs, FieldError{Pointer: ptr + "/holder_id", Message: h.Name + " đã có trong đề nghị này.", MessageEN: "The holder is listed twice."})
		}
		seen[key] = true
		rows = append(rows, r)
	}
	if len(errs) == 0 {
		dup, err := decidedBefore(s.db.WithContext(ctx), rows)
		if err != nil {
			return ProposalView{}, err
		}
		for i := range rows {
			if dup[i] {
				errs = append(errs, FieldError{Pointer: "/items/" + strconv.Itoa(i) + "/holder_id", Message: "Đối tượng đã có quyết định về danh hiệu này năm " + strconv.Itoa(in.Year) + ".",
					MessageEN: "The holder already has a decision on this title for the year."})
			}
		}
	}
	if err := InvalidIf(errs); err != nil {
		return ProposalView{}, err
	}
	items, _ := json.Marshal(rows)
	rawSteps, _ := json.Marshal(steps)
	p := models.LearningProposal{ID: uuid.NewString(), Kind: kind.Code, UnitID: who.User.UnitID, Area: in.Area, Year: in.Year,
		Steps: string(rawSteps), Items: string(items), Status: workflows.StatusDraft, CreatedBy: who.User.ID}
	p.WorkflowID = workflows.ProposalWorkflowID(p.ID)
	if err := s.db.WithContext(ctx).Create(&p).Error; err != nil {
		return ProposalView{}, fmt.Errorf("store proposal: %w", err)
	}
	_, err = s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: p.WorkflowID, TaskQueue: s.cfg.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING},
		workflows.ProposalWorkflow, workflows.ProposalInput{ProposalID: p.ID, Proposer: who.Actor(), Steps: steps})
	if err != nil {
		return ProposalView{}, fmt.Errorf("start proposal %s: %w", p.ID, err)
	}
	return s.waitProposal(ctx, who, p.ID, 1)
}

// waitProposal answers the proposal once its projection reaches seq (the
// workflow projects its first step as it starts).
func (s *Service) waitProposal(ctx context.Context, who Caller, id string, seq int) (ProposalView, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		var p models.LearningProposal
		if err := s.db.WithContext(ctx).First(&p, "id = ?", id).Error; err != nil {
			return ProposalView{}, fmt.Errorf("proposal %s: %w", id, err)
		}
		if p.Seq >= seq || time.Now().After(deadline) {
			return s.Proposal(ctx, who, id)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Proposal returns a proposal to its proposer, to the units of its steps
// and to the city-wide readers.
func (s *Service) Proposal(ctx context.Context, who Caller, id string) (ProposalView, error) {
	var p models.LearningProposal
	err := s.db.WithContext(ctx).First(&p, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ProposalView{}, NotFound("Không có đề nghị này.", "No such proposal.")
	}
	if err != nil {
		return ProposalView{}, fmt.Errorf("proposal %s: %w", id, err)
	}
	var steps []workflows.ProposalStep
	_ = json.Unmarshal([]byte(p.Steps), &steps)
	mine := slices.Contains(who.units(), p.UnitID) || who.ProvinceWide() || who.User.Role == models.RoleInterior
	for _, st := range steps {
		mine = mine || slices.Contains(who.units(), st.UnitID)
	}
	if !mine {
		return ProposalView{}, NotFound("Không có đề nghị này.", "No such proposal.")
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return ProposalView{}, err
	}
	kind, _ := learning.LookupProposalKind(p.Kind)
	v := ProposalView{ID: p.ID, Kind: p.Kind, KindName: kind.Name, UnitID: p.UnitID, UnitName: names[p.UnitID], Area: p.Area, Year: p.Year,
		Status: p.Status, Step: p.Step, CurrentUnitID: p.CurrentUnitID, DueAt: p.DueAt, DecisionNumber: p.DecisionNumber,
		Steps: steps, Items: []RecognitionView{}, History: []ProposalEventView{}}
	if p.DecisionDate != nil {
		v.DecisionDate = p.DecisionDate.Format(time.DateOnly)
	}
	var items []models.LearningRecognition
	_ = json.Unmarshal([]byte(p.Items), &items)
	for _, r := range items {
		v.Items = append(v.Items, recognitionView(r, ""))
	}
	var events []models.LearningProposalEvent
	if err := s.db.WithContext(ctx).Where("proposal_id = ?", id).Order("seq").Find(&events).Error; err != nil {
		return ProposalView{}, err
	}
	for _, e := range events {
		v.History = append(v.History, ProposalEventView{Seq: e.Seq, Action: e.Action, Step: e.Step, ActorName: e.ActorName, Comment: e.Comment, ToStatus: e.ToStatus, At: e.At})
	}
	return v, nil
}

// DecideProposal sends a step's decision to the proposal's workflow.
func (s *Service) DecideProposal(ctx context.Context, who Caller, id string, in ProposalDecisionInput) (ProposalView, error) {
	if err := s.engineReady(); err != nil {
		return ProposalView{}, err
	}
	errs := cleanText(map[string]*string{"/action": &in.Action, "/comment": &in.Comment, "/decision_number": &in.DecisionNumber, "/decision_date": &in.DecisionDate})
	if in.DecisionDate != "" {
		parseDay("/decision_date", in.DecisionDate, &errs)
	}
	if err := InvalidIf(errs); err != nil {
		return ProposalView{}, err
	}
	v, err := s.Proposal(ctx, who, id)
	if err != nil {
		return ProposalView{}, err
	}
	step := v.Step
	if in.Step != nil {
		step = *in.Step
	}
	d := workflows.ProposalDecision{Actor: who.Actor(), Head: who.User.Head, Action: in.Action, Comment: in.Comment, Step: step,
		DecisionNumber: in.DecisionNumber, DecisionDate: in.DecisionDate}
	var seq int
	s.db.WithContext(ctx).Model(&models.LearningProposal{}).Where("id = ?", id).Pluck("seq", &seq)
	uctx, cancel := context.WithTimeout(ctx, updateTimeout)
	defer cancel()
	handle, err := s.temporal.UpdateWorkflow(uctx, client.UpdateWorkflowOptions{WorkflowID: workflows.ProposalWorkflowID(id),
		UpdateName: workflows.UpdateDecideProposal, Args: []any{d}, WaitForStage: client.WorkflowUpdateStageCompleted})
	if err := awaitUpdate(ctx, handle, err); err != nil {
		return ProposalView{}, err
	}
	return s.waitProposal(ctx, who, id, seq+1)
}
