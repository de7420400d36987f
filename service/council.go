package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/certstore"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// After review, Interior consolidates a round's accepted province-level
// nominations, posts the Prime Minister's Bằng khen nominees publicly for
// objections, and records the provincial council's votes; the decision
// (decisions.go) follows. The public postings and objections are in
// postings.go.

// provincial reports whether an award is decided at (or proposed by) the
// province, so its nominees go before the council.
func provincial(award string) bool {
	a, err := routing.LookupAward(routing.Award(award))
	return err == nil && a.LastLevel == routing.Interior
}

// awardNameOf is an award's name, or "" for an unknown code.
func awardNameOf(code string) string {
	a, err := routing.LookupAward(routing.Award(code))
	if err != nil {
		return ""
	}
	return a.Name
}

// ConsolidatedItem is one row of Interior's consolidated list: an
// accepted province-level nomination with its council, posting and
// decision state.
type ConsolidatedItem struct {
	NominationView
	UnitName       string `json:"unit_name"`
	AwardName      string `json:"award_name"`
	CouncilFor     *int   `json:"council_for,omitempty"`
	CouncilPassed  *bool  `json:"council_passed,omitempty"`
	PostingEnds    string `json:"posting_ends,omitempty"`
	OpenObjections int    `json:"open_objections"`
	DecisionID     string `json:"decision_id,omitempty"`
}

// errNoRoundHere refuses a round that does not exist.
func errNoRoundHere() error { return NotFound("Không có đợt xét này.", "No such round.") }

// roundByID reads a round through the reference cache, or refuses it as
// not found.
func (s *Service) roundByID(ctx context.Context, id string) (models.Round, error) {
	r, err := s.ref.Round(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		return r, errNoRoundHere()
	}
	if err != nil {
		return r, fmt.Errorf("round %s: %w", id, err)
	}
	return r, nil
}

// Consolidated is a round's accepted nominations awaiting or holding a
// decision, by award and name, with their council, posting and decision
// state: the province-level ones for Interior and the province's
// administrator; for the head of a commune or a Sở, those its chairman or
// director awards (their Giấy khen).
func (s *Service) Consolidated(ctx context.Context, who Caller, roundID string) ([]ConsolidatedItem, error) {
	if err := who.Require(models.RoleInterior, models.RoleAdmin, models.RoleReviewer); err != nil {
		return nil, err
	}
	if who.User.Role == models.RoleReviewer && !who.User.Head {
		return nil, Forbidden("Chỉ lãnh đạo đơn vị xem danh sách chờ quyết định khen thưởng.", "Only the unit's head sees the list awaiting its decisions.")
	}
	ctx = s.ref.Pin(ctx)
	round, err := s.roundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	all, err := models.AcceptedInRound(db, round.ID)
	if err != nil {
		return nil, err
	}
	ours, err := s.issuedBy(ctx, who, round)
	if err != nil {
		return nil, err
	}
	var noms []models.Nomination
	var ids []string
	for _, n := range all {
		if ours(n) {
			noms, ids = append(noms, n), append(ids, n.ID)
		}
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return nil, err
	}
	votes, err := models.LatestVotes(db, ids)
	if err != nil {
		return nil, err
	}
	progress, err := models.ProgressOf(db, ids)
	if err != nil {
		return nil, fmt.Errorf("consolidated list of %s: %w", round.ID, err)
	}
	out := make([]ConsolidatedItem, 0, len(noms))
	for _, n := range noms {
		it := ConsolidatedItem{NominationView: s.viewNomination(n), UnitName: names[n.UnitID], AwardName: awardNameOf(n.Award),
			OpenObjections: progress.Open[n.ID], DecisionID: progress.Certificates[n.ID].DecisionID}
		it.Dossier = nil // not loaded: the list is long
		if vote, ok := votes[n.ID]; ok {
			it.CouncilFor, it.CouncilPassed = &vote.For, &vote.Passed
		}
		if p, ok := progress.Postings[n.ID]; ok {
			it.PostingEnds = p.EndsAt.Format(time.RFC3339)
		}
		out = append(out, it)
	}
	return out, nil
}

// issuedBy tells which of a round's nominations the caller's body
// decides: the province's awards for Interior and the administrator, the
// Giấy khen whose issuing body is (or went whole into) a head's unit.
func (s *Service) issuedBy(ctx context.Context, who Caller, round models.Round) (func(models.Nomination) bool, error) {
	if who.User.Role != models.RoleReviewer {
		return func(n models.Nomination) bool { return provincial(n.Award) }, nil
	}
	dir, err := s.ref.Directory(ctx, round.ReferenceDate)
	if err != nil {
		return nil, err
	}
	lineage, err := s.ref.Lineage(ctx)
	if err != nil {
		return nil, err
	}
	return func(n models.Nomination) bool {
		body, err := certstore.IssuerUnit(dir, n)
		return err == nil && !provincial(n.Award) &&
			(wentWholeInto(lineage, body, who.User.UnitID) || wentWholeInto(lineage, who.User.UnitID, body))
	}, nil
}

// ConsolidatedXLSX is the consolidated list as a workbook, for the
// council's papers.
func (s *Service) ConsolidatedXLSX(ctx context.Context, who Caller, roundID string) (Document, error) {
	items, err := s.Consolidated(ctx, who, roundID)
	if err != nil {
		return Document{}, err
	}
	b, err := consolidatedWorkbook(items)
	if err != nil {
		return Document{}, fmt.Errorf("consolidated workbook of %s: %w", roundID, err)
	}
	return Document{Name: "danh-sach-tong-hop.xlsx",
		ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Body: b}, nil
}

func consolidatedWorkbook(items []ConsolidatedItem) ([]byte, error) {
	f := excelize.NewFile()
	// Close releases the workbook's temporary files; an in-memory one has
	// none whose failure to go would matter.
	defer f.Close()
	sheet := "Danh sách tổng hợp"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	header := []any{"STT", "Đối tượng", "Đơn vị đề nghị", "Hình thức khen thưởng", "Phiếu tán thành tại Hội đồng",
		"Hội đồng thông qua", "Hết niêm yết", "Phản ánh chưa giải quyết", "Đã có quyết định"}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return nil, err
	}
	yesNo := func(b bool) string {
		if b {
			return "Có"
		}
		return "Không"
	}
	for i, it := range items {
		votes, passed := "", ""
		if it.CouncilFor != nil {
			votes, passed = fmt.Sprint(*it.CouncilFor), yesNo(*it.CouncilPassed)
		}
		posting := ""
		if t, err := time.Parse(time.RFC3339, it.PostingEnds); err == nil {
			posting = t.Add(-time.Nanosecond).In(calendar.Zone).Format("02/01/2006")
		}
		row := []any{i + 1, it.NomineeName, it.UnitName, it.AwardName, votes, passed, posting, it.OpenObjections, yesNo(it.DecisionID != "")}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return nil, err
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// CouncilInput is a council session as recorded.
type CouncilInput struct {
	HeldOn           string      `json:"held_on"`
	MembersTotal     int         `json:"members_total"`
	MembersPresent   int         `json:"members_present"`
	ThresholdPercent *int        `json:"threshold_percent"`
	Votes            []VoteInput `json:"votes"`
}

// VoteInput is one nominee's votes in a session.
type VoteInput struct {
	NominationID string `json:"nomination_id"`
	For          int    `json:"for"`
	Against      int    `json:"against"`
}

// CouncilView is a recorded session.
type CouncilView struct {
	ID    string            `json:"id"`
	Votes []CouncilVoteView `json:"votes"`
}

// CouncilVoteView is one recorded vote, under the snake_case names the
// OpenAPI document gives it like every other response (the Go field names
// it used to be sent with matched no documented schema).
type CouncilVoteView struct {
	SessionID    string `json:"session_id"`
	NominationID string `json:"nomination_id"`
	For          int    `json:"for"`
	Against      int    `json:"against"`
	Passed       bool   `json:"passed"`
}

// validate checks the fields that need no database.
func (in *CouncilInput) validate() (held time.Time, threshold int, errs []FieldError) {
	errs = cleanText(map[string]*string{"/held_on": &in.HeldOn})
	held, err := time.ParseInLocation(time.DateOnly, in.HeldOn, calendar.Zone)
	if err != nil {
		errs = append(errs, FieldError{Pointer: "/held_on", Message: "Ngày họp phải có dạng YYYY-MM-DD.", MessageEN: "Date must be YYYY-MM-DD."})
	}
	if in.MembersTotal < 3 || in.MembersTotal > 200 {
		errs = append(errs, FieldError{Pointer: "/members_total", Message: "Số thành viên hội đồng từ 3 đến 200.", MessageEN: "Between 3 and 200 members."})
	}
	if in.MembersPresent < 1 || in.MembersPresent > in.MembersTotal {
		errs = append(errs, FieldError{Pointer: "/members_present", Message: "Số thành viên có mặt không vượt quá tổng số.", MessageEN: "Present members must not exceed the total."})
	}
	threshold = 50
	if in.ThresholdPercent != nil {
		threshold = *in.ThresholdPercent
	}
	if threshold < 50 || threshold > 99 {
		errs = append(errs, FieldError{Pointer: "/threshold_percent", Message: "Ngưỡng biểu quyết từ 50 đến 99 (%).", MessageEN: "Threshold between 50 and 99 percent."})
	}
	if len(in.Votes) == 0 || len(in.Votes) > 2000 {
		errs = append(errs, FieldError{Pointer: "/votes", Message: "Cần kết quả biểu quyết của ít nhất một đối tượng.", MessageEN: "At least one vote is required."})
	}
	return held, threshold, errs
}

// RecordCouncil records a council session and its votes: a nominee passes
// with more than the threshold share of all members (default: more than
// half), and the latest session on a nominee decides. Only accepted
// province-level nominations go before the council, and a Prime
// Minister's Bằng khen nominee only once its public posting has ended
// with every objection resolved. The input's read fills the input once the round is known (the API decodes the body
// then, so an unknown round is refused whatever the body).
func (s *Service) RecordCouncil(ctx context.Context, who Caller, roundID string, read func(*CouncilInput) error) (CouncilView, error) {
	if err := who.Require(models.RoleInterior); err != nil {
		return CouncilView{}, err
	}
	round, err := s.roundByID(ctx, roundID)
	if err != nil {
		return CouncilView{}, err
	}
	var in CouncilInput
	if err := read(&in); err != nil {
		return CouncilView{}, err
	}
	held, threshold, errs := in.validate()
	session := models.CouncilSession{ID: uuid.NewString(), RoundID: round.ID, HeldOn: held, MembersTotal: in.MembersTotal,
		MembersPresent: in.MembersPresent, ThresholdPercent: threshold, CreatedBy: who.User.ID}
	votes, voteErrs, err := s.councilVotes(ctx, round.ID, session, in)
	if err != nil {
		return CouncilView{}, err
	}
	if err := InvalidIf(append(errs, voteErrs...)); err != nil {
		return CouncilView{}, err
	}
	if err := models.CreateCouncilSession(s.db.WithContext(ctx), &session, votes); err != nil {
		return CouncilView{}, fmt.Errorf("record council session: %w", err)
	}
	out := CouncilView{ID: session.ID, Votes: make([]CouncilVoteView, 0, len(votes))}
	for _, v := range votes {
		out.Votes = append(out.Votes, CouncilVoteView{SessionID: v.SessionID, NominationID: v.NominationID,
			For: v.For, Against: v.Against, Passed: v.Passed})
	}
	return out, nil
}

// councilVotes checks each vote of a session and counts it, reading the
// nominees, their postings and open objections in a bounded number of
// queries.
func (s *Service) councilVotes(ctx context.Context, roundID string, session models.CouncilSession, in CouncilInput) ([]models.CouncilVote, []FieldError, error) {
	if len(in.Votes) > 2000 {
		return nil, nil, nil // refused as a whole
	}
	db := s.db.WithContext(ctx)
	ids := make([]string, len(in.Votes))
	for i, v := range in.Votes {
		ids[i] = v.NominationID
	}
	noms, err := models.NominationsWithoutDossier(db, roundID, ids)
	if err != nil {
		return nil, nil, err
	}
	var posted []string
	for _, n := range noms {
		if n.Award == string(routing.BangKhenThuTuong) {
			posted = append(posted, n.ID)
		}
	}
	progress, err := models.ProgressOf(db, posted)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	var votes []models.CouncilVote
	var errs []FieldError
	seen := map[string]bool{}
	for i, v := range in.Votes {
		ptr := fmt.Sprintf("/votes/%d", i)
		if v.For < 0 || v.Against < 0 || v.For+v.Against > in.MembersPresent {
			errs = append(errs, FieldError{Pointer: ptr, Message: "Số phiếu tán thành và không tán thành không vượt quá số thành viên có mặt.", MessageEN: "Votes for and against must not exceed the members present."})
		}
		if seen[v.NominationID] {
			errs = append(errs, FieldError{Pointer: ptr + "/nomination_id", Message: "Đối tượng bị lặp.", MessageEN: "Duplicate nominee."})
		}
		seen[v.NominationID] = true
		n, ok := noms[v.NominationID]
		if !ok {
			errs = append(errs, FieldError{Pointer: ptr + "/nomination_id", Message: "Không có hồ sơ này trong đợt xét.", MessageEN: "No such nomination in this round."})
			continue
		}
		if n.Status != access.StatusAccepted || !provincial(n.Award) {
			errs = append(errs, FieldError{Pointer: ptr + "/nomination_id", Message: "Chỉ đưa ra Hội đồng hồ sơ cấp tỉnh đã được Sở Nội vụ chấp thuận.", MessageEN: "Only province-level nominations accepted by Interior go before the council."})
			continue
		}
		if n.Award == string(routing.BangKhenThuTuong) {
			if msg := postingBlocks(progress, n.ID, now); msg != "" {
				errs = append(errs, FieldError{Pointer: ptr + "/nomination_id", Message: msg, MessageEN: "The public posting is not finished or has open objections."})
				continue
			}
		}
		// More than threshold% of all members (not only those present).
		passed := v.For*100 > session.ThresholdPercent*in.MembersTotal
		votes = append(votes, models.CouncilVote{SessionID: session.ID, NominationID: n.ID, For: v.For, Against: v.Against, Passed: passed})
	}
	return votes, errs, nil
}

// postingBlocks says why a Prime Minister's Bằng khen nominee cannot go
// before the council yet, "" if it can.
func postingBlocks(progress models.RoundProgress, nominationID string, now time.Time) string {
	p, ok := progress.Postings[nominationID]
	if !ok {
		return "Hồ sơ đề nghị Bằng khen của Thủ tướng phải được niêm yết công khai 10 ngày làm việc trước khi họp Hội đồng."
	}
	if now.Before(p.EndsAt) {
		return "Chưa hết thời gian niêm yết công khai (đến hết ngày " + p.EndsAt.Add(-time.Nanosecond).In(calendar.Zone).Format("02/01/2006") + ")."
	}
	if open := progress.Open[nominationID]; open > 0 {
		return fmt.Sprintf("Còn %d ý kiến phản ánh chưa được giải quyết.", open)
	}
	return ""
}

// DateToday is today's date in Vietnam by the service's clock
// (YYYY-MM-DD): what the council and decision forms offer first.
func (s *Service) DateToday() string { return s.now().In(calendar.Zone).Format(time.DateOnly) }
