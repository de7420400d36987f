package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// postingWorkingDays is the length of the public posting of a Prime
// Minister's Bằng khen nominee.
const postingWorkingDays = 10

// provincial reports whether an award is decided at (or proposed by) the
// province, so its nominees go before the council.
func provincial(award string) bool {
	a, err := routing.LookupAward(routing.Award(award))
	return err == nil && a.LastLevel == routing.Interior
}

type consolidatedItem struct {
	nominationView
	UnitName      string `json:"unit_name"`
	AwardName     string `json:"award_name"`
	CouncilFor    *int   `json:"council_for,omitempty"`
	CouncilPassed *bool  `json:"council_passed,omitempty"`
	PostingEnds   string `json:"posting_ends,omitempty"`
	OpenObjection int    `json:"open_objections"`
	DecisionID    string `json:"decision_id,omitempty"`
}

// consolidated is the Interior's list of a round's accepted province-level
// nominations with their council, posting and decision state.
func (s *Server) consolidated(c echo.Context) ([]consolidatedItem, error) {
	ctx := c.Request().Context()
	round, err := s.pathRound(c)
	if err != nil {
		return nil, err
	}
	var noms []models.Nomination
	if err := s.DB.WithContext(ctx).Omit("dossier").Where("round_id = ? AND status = ?", round.ID, workflows.StatusAccepted).
		Order("award, search_name").Find(&noms).Error; err != nil {
		return nil, err
	}
	names, err := s.unitNames(c)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, n := range noms {
		if provincial(n.Award) {
			ids = append(ids, n.ID)
		}
	}
	votes, err := latestVotes(s.DB.WithContext(ctx), ids)
	if err != nil {
		return nil, err
	}
	postings, open, certs := map[string]models.Posting{}, map[string]int{}, map[string]models.Certificate{}
	for part := range slices.Chunk(ids, 500) {
		var ps []models.Posting
		var objs []models.Objection
		var cs []models.Certificate
		db := s.DB.WithContext(ctx)
		if err := errors.Join(db.Where("nomination_id IN ?", part).Find(&ps).Error,
			db.Select("id", "nomination_id").Where("nomination_id IN ? AND resolved_at IS NULL", part).Find(&objs).Error,
			db.Select("id", "nomination_id", "decision_id").Where("nomination_id IN ?", part).Find(&cs).Error); err != nil {
			return nil, fmt.Errorf("consolidated list of %s: %w", round.ID, err)
		}
		for _, p := range ps {
			postings[p.NominationID] = p
		}
		for _, o := range objs {
			open[o.NominationID]++
		}
		for _, c := range cs {
			certs[c.NominationID] = c
		}
	}
	out := []consolidatedItem{}
	for _, n := range noms {
		if !provincial(n.Award) {
			continue
		}
		it := consolidatedItem{nominationView: s.viewNomination(n), UnitName: names[n.UnitID]}
		it.Dossier = nil
		if a, err := routing.LookupAward(routing.Award(n.Award)); err == nil {
			it.AwardName = a.Name
		}
		if vote, ok := votes[n.ID]; ok {
			it.CouncilFor, it.CouncilPassed = &vote.For, &vote.Passed
		}
		if p, ok := postings[n.ID]; ok {
			it.PostingEnds = p.EndsAt.Format(time.RFC3339)
		}
		it.OpenObjection = open[n.ID]
		it.DecisionID = certs[n.ID].DecisionID
		out = append(out, it)
	}
	return out, nil
}

// latestVotes returns each nominee's vote in the latest council session
// that voted on it (by meeting date, then by recording time): the latest
// session decides.
func latestVotes(db *gorm.DB, ids []string) (map[string]models.CouncilVote, error) {
	out := make(map[string]models.CouncilVote, len(ids))
	for part := range slices.Chunk(ids, 500) {
		var rows []models.CouncilVote
		// Oldest first, so that a later session overwrites an earlier one.
		if err := db.Joins("JOIN council_sessions cs ON cs.id = council_votes.session_id").
			Where("council_votes.nomination_id IN ?", part).Order("cs.held_on, cs.created_at").Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("council votes: %w", err)
		}
		for _, v := range rows {
			out[v.NominationID] = v
		}
	}
	return out, nil
}

func (s *Server) getConsolidated(c echo.Context) error {
	items, err := s.consolidated(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

type councilRequest struct {
	HeldOn           string `json:"held_on"`
	MembersTotal     int    `json:"members_total"`
	MembersPresent   int    `json:"members_present"`
	ThresholdPercent *int   `json:"threshold_percent"`
	Votes            []struct {
		NominationID string `json:"nomination_id"`
		For          int    `json:"for"`
		Against      int    `json:"against"`
	} `json:"votes"`
}

// recordCouncil records a council session and its votes: a nominee passes
// with more than the threshold share of all members (default: more than
// half). A Prime Minister's Bằng khen nominee must have finished its
// public posting with every objection resolved.
func (s *Server) recordCouncil(c echo.Context) error {
	ctx := c.Request().Context()
	round, err := s.pathRound(c)
	if err != nil {
		return err
	}
	var req councilRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var errs []FieldError
	held, err := time.ParseInLocation(time.DateOnly, req.HeldOn, calendar.Zone)
	if err != nil {
		errs = append(errs, FieldError{Pointer: "/held_on", Message: "Ngày họp phải có dạng YYYY-MM-DD.", MessageEN: "Date must be YYYY-MM-DD."})
	}
	if req.MembersTotal < 3 || req.MembersTotal > 200 {
		errs = append(errs, FieldError{Pointer: "/members_total", Message: "Số thành viên hội đồng từ 3 đến 200.", MessageEN: "Between 3 and 200 members."})
	}
	if req.MembersPresent < 1 || req.MembersPresent > req.MembersTotal {
		errs = append(errs, FieldError{Pointer: "/members_present", Message: "Số thành viên có mặt không vượt quá tổng số.", MessageEN: "Present members must not exceed the total."})
	}
	threshold := 50
	if req.ThresholdPercent != nil {
		threshold = *req.ThresholdPercent
	}
	if threshold < 50 || threshold > 99 {
		errs = append(errs, FieldError{Pointer: "/threshold_percent", Message: "Ngưỡng biểu quyết từ 50 đến 99 (%).", MessageEN: "Threshold between 50 and 99 percent."})
	}
	if len(req.Votes) == 0 || len(req.Votes) > 2000 {
		errs = append(errs, FieldError{Pointer: "/votes", Message: "Cần kết quả biểu quyết của ít nhất một đối tượng.", MessageEN: "At least one vote is required."})
	}
	now := s.now()
	session := models.CouncilSession{ID: uuid.NewString(), RoundID: round.ID, HeldOn: held, MembersTotal: req.MembersTotal,
		MembersPresent: req.MembersPresent, ThresholdPercent: threshold, CreatedBy: currentCaller(c).User.ID}
	var votes []models.CouncilVote
	seen := map[string]bool{}
	for i, v := range req.Votes {
		ptr := fmt.Sprintf("/votes/%d", i)
		if v.For < 0 || v.Against < 0 || v.For+v.Against > req.MembersPresent {
			errs = append(errs, FieldError{Pointer: ptr, Message: "Số phiếu tán thành và không tán thành không vượt quá số thành viên có mặt.", MessageEN: "Votes for and against must not exceed the members present."})
		}
		if seen[v.NominationID] {
			errs = append(errs, FieldError{Pointer: ptr + "/nomination_id", Message: "Đối tượng bị lặp.", MessageEN: "Duplicate nominee."})
		}
		seen[v.NominationID] = true
		var n models.Nomination
		err := s.DB.WithContext(ctx).Omit("dossier").First(&n, "id = ? AND round_id = ?", v.NominationID, round.ID).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			errs = append(errs, FieldError{Pointer: ptr + "/nomination_id", Message: "Không có hồ sơ này trong đợt xét.", MessageEN: "No such nomination in this round."})
			continue
		}
		if err != nil {
			return err
		}
		if n.Status != workflows.StatusAccepted || !provincial(n.Award) {
			errs = append(errs, FieldError{Pointer: ptr + "/nomination_id", Message: "Chỉ đưa ra Hội đồng hồ sơ cấp tỉnh đã được Sở Nội vụ chấp thuận.", MessageEN: "Only province-level nominations accepted by Interior go before the council."})
			continue
		}
		if n.Award == string(routing.BangKhenThuTuong) {
			if msg := s.postingBlocks(c, n.ID, now); msg != "" {
				errs = append(errs, FieldError{Pointer: ptr + "/nomination_id", Message: msg, MessageEN: "The public posting is not finished or has open objections."})
				continue
			}
		}
		// More than threshold% of all members (not only those present).
		passed := v.For*100 > threshold*req.MembersTotal
		votes = append(votes, models.CouncilVote{SessionID: session.ID, NominationID: n.ID, For: v.For, Against: v.Against, Passed: passed})
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&session).Error; err != nil {
			return err
		}
		return tx.Create(&votes).Error
	})
	if err != nil {
		return fmt.Errorf("record council session: %w", err)
	}
	return c.JSON(http.StatusCreated, map[string]any{"id": session.ID, "votes": votes})
}

// postingBlocks says why a nominee cannot go before the council yet, "" if
// it can.
func (s *Server) postingBlocks(c echo.Context, nominationID string, now time.Time) string {
	var p models.Posting
	if err := s.DB.WithContext(c.Request().Context()).Where("nomination_id = ?", nominationID).Limit(1).Find(&p).Error; err != nil || p.NominationID == "" {
		return "Hồ sơ đề nghị Bằng khen của Thủ tướng phải được niêm yết công khai 10 ngày làm việc trước khi họp Hội đồng."
	}
	if now.Before(p.EndsAt) {
		return "Chưa hết thời gian niêm yết công khai (đến hết ngày " + p.EndsAt.Add(-time.Nanosecond).In(calendar.Zone).Format("02/01/2006") + ")."
	}
	var open int64
	if err := s.DB.WithContext(c.Request().Context()).Model(&models.Objection{}).
		Where("nomination_id = ? AND resolved_at IS NULL", nominationID).Count(&open).Error; err != nil {
		return "Không kiểm tra được các ý kiến phản ánh; thử lại sau."
	}
	if open > 0 {
		return fmt.Sprintf("Còn %d ý kiến phản ánh chưa được giải quyết.", open)
	}
	return ""
}

// startPosting publishes a Prime Minister's Bằng khen nominee for 10
// working days.
func (s *Server) startPosting(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	if n.Status != workflows.StatusAccepted || n.Award != string(routing.BangKhenThuTuong) {
		return problem(http.StatusConflict, "Chỉ niêm yết hồ sơ đề nghị Bằng khen của Thủ tướng đã được Sở Nội vụ chấp thuận.",
			"Only accepted nominations for the Prime Minister's Bằng khen are posted.")
	}
	cal, err := s.reference().Calendar(c.Request().Context())
	if err != nil {
		return err
	}
	now := s.now().UTC()
	p := models.Posting{NominationID: n.ID, RoundID: n.RoundID, StartsAt: now, EndsAt: cal.Due(now, postingWorkingDays).UTC(),
		CreatedBy: currentCaller(c).User.ID}
	err = s.DB.WithContext(c.Request().Context()).Create(&p).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return problem(http.StatusConflict, "Hồ sơ đã được niêm yết.", "The nomination is already posted.")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"nomination_id": p.NominationID, "starts_at": p.StartsAt, "ends_at": p.EndsAt})
}

type publicPosting struct {
	NominationID string    `json:"nomination_id"`
	NomineeName  string    `json:"nominee_name"`
	UnitName     string    `json:"unit_name"`
	AwardName    string    `json:"award_name"`
	EndsAt       time.Time `json:"ends_at"`
}

// listPostings is public: the names under posting, so that anyone can
// object.
func (s *Server) listPostings(c echo.Context) error {
	var ps []models.Posting
	now := s.now().UTC()
	if err := s.DB.WithContext(c.Request().Context()).
		Joins("JOIN nominations n ON n.id = postings.nomination_id AND n.status = ?", workflows.StatusAccepted).
		Where("postings.starts_at <= ? AND postings.ends_at > ?", now, now).Order("postings.ends_at").Find(&ps).Error; err != nil {
		return err
	}
	names, err := s.unitNames(c)
	if err != nil {
		return err
	}
	out := []publicPosting{}
	for _, p := range ps {
		var n models.Nomination
		if err := s.DB.WithContext(c.Request().Context()).Omit("dossier").First(&n, "id = ?", p.NominationID).Error; err != nil {
			return err
		}
		award, _ := routing.LookupAward(routing.Award(n.Award))
		out = append(out, publicPosting{NominationID: n.ID, NomineeName: n.NomineeName, UnitName: names[n.UnitID],
			AwardName: award.Name, EndsAt: p.EndsAt})
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

type objectionRequest struct {
	Author  string `json:"author"`
	Contact string `json:"contact"`
	Text    string `json:"text"`
}

// object records a citizen's objection to a posted nominee.
func (s *Server) object(c echo.Context) error {
	if err := s.svc.AllowObjection(c.RealIP()); err != nil {
		return err
	}
	var p models.Posting
	now := s.now().UTC()
	if err := s.DB.WithContext(c.Request().Context()).
		Joins("JOIN nominations n ON n.id = postings.nomination_id AND n.status = ?", workflows.StatusAccepted).
		Where("postings.nomination_id = ? AND postings.starts_at <= ? AND postings.ends_at > ?", c.Param("id"), now, now).
		Limit(1).Find(&p).Error; err != nil {
		return err
	}
	if p.NominationID == "" {
		return problem(http.StatusNotFound, "Không có hồ sơ đang niêm yết này.", "No such posting open now.")
	}
	var req objectionRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var errs []FieldError
	if l := len([]rune(req.Author)); l < 2 || l > 255 {
		errs = append(errs, FieldError{Pointer: "/author", Message: "Cần ghi họ tên người phản ánh (2–255 ký tự).", MessageEN: "Your name is required (2–255 characters)."})
	}
	if len([]rune(req.Contact)) > 255 {
		errs = append(errs, FieldError{Pointer: "/contact", Message: "Tối đa 255 ký tự.", MessageEN: "At most 255 characters."})
	}
	if l := len([]rune(req.Text)); l < 10 || l > 4000 {
		errs = append(errs, FieldError{Pointer: "/text", Message: "Nội dung phản ánh từ 10 đến 4000 ký tự.", MessageEN: "Between 10 and 4000 characters."})
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	o := models.Objection{ID: uuid.NewString(), NominationID: p.NominationID, Author: req.Author, Contact: req.Contact, Text: req.Text}
	if err := s.DB.WithContext(c.Request().Context()).Create(&o).Error; err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"id": o.ID, "received_at": o.CreatedAt})
}

type resolveRequest struct {
	Resolution string `json:"resolution"`
}

// resolveObjection records how Interior resolved an objection.
func (s *Server) resolveObjection(c echo.Context) error {
	var req resolveRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if l := len([]rune(req.Resolution)); l < 5 || l > 4000 {
		return invalid([]FieldError{{Pointer: "/resolution", Message: "Cần ghi kết quả giải quyết (5–4000 ký tự).", MessageEN: "A resolution is required (5–4000 characters)."}})
	}
	now := s.now().UTC()
	res := s.DB.WithContext(c.Request().Context()).Model(&models.Objection{}).Where("id = ? AND resolved_at IS NULL", c.Param("id")).
		Updates(map[string]any{"resolution": req.Resolution, "resolved_by": currentCaller(c).User.ID, "resolved_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return problem(http.StatusNotFound, "Không có ý kiến phản ánh chưa giải quyết này.", "No such open objection.")
	}
	return c.NoContent(http.StatusNoContent)
}

// consolidatedXLSX is the consolidated list as a workbook, for the
// council's papers.
func (s *Server) consolidatedXLSX(c echo.Context) error {
	items, err := s.consolidated(c)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Danh sách tổng hợp"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	header := []any{"STT", "Đối tượng", "Đơn vị đề nghị", "Hình thức khen thưởng", "Phiếu tán thành tại Hội đồng",
		"Hội đồng thông qua", "Hết niêm yết", "Phản ánh chưa giải quyết", "Đã có quyết định"}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
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
		if it.PostingEnds != "" {
			if t, err := time.Parse(time.RFC3339, it.PostingEnds); err == nil {
				posting = t.Add(-time.Nanosecond).In(calendar.Zone).Format("02/01/2006")
			}
		}
		row := []any{i + 1, it.NomineeName, it.UnitName, it.AwardName, votes, passed, posting, it.OpenObjection, yesNo(it.DecisionID != "")}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="danh-sach-tong-hop.xlsx"`)
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b.Bytes())
}
