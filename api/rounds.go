package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/worker"
	"github.com/tdkt/tdkt/workflows"
)

type quotaView struct {
	UnitID string `json:"unit_id"`
	Award  string `json:"award"`
	Max    int    `json:"max"`
}

type roundView struct {
	ID                string          `json:"id"`
	Code              string          `json:"code"`
	Name              string          `json:"name"`
	Kind              string          `json:"kind"`
	State             string          `json:"state"`
	PeriodFrom        int             `json:"period_from"`
	PeriodTo          int             `json:"period_to"`
	OpensAt           time.Time       `json:"opens_at"`
	ClosesAt          time.Time       `json:"closes_at"`
	Chain             string          `json:"chain"`
	ReferenceDate     string          `json:"reference_date"`
	DueWorkingDays    int             `json:"due_working_days"`
	LevelDueDays      map[string]int  `json:"level_due_days,omitempty"`
	RemindWorkingDays int             `json:"remind_working_days"`
	Awards            []routing.Award `json:"awards"`
	Quotas            []quotaView     `json:"quotas,omitempty"`
}

func viewRound(r models.Round, quotas []models.RoundQuota) roundView {
	v := roundView{ID: r.ID, Code: r.Code, Name: r.Name, Kind: r.Kind, State: r.State, PeriodFrom: r.PeriodFrom,
		PeriodTo: r.PeriodTo, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt, Chain: r.Chain,
		ReferenceDate: r.ReferenceDate.Format(time.DateOnly), DueWorkingDays: r.DueWorkingDays,
		RemindWorkingDays: r.RemindWorkingDays}
	_ = json.Unmarshal([]byte(r.Awards), &v.Awards)
	if r.LevelDueDays != "" {
		_ = json.Unmarshal([]byte(r.LevelDueDays), &v.LevelDueDays)
	}
	for _, q := range quotas {
		v.Quotas = append(v.Quotas, quotaView{UnitID: q.UnitID, Award: q.Award, Max: q.Max})
	}
	return v
}

func (s *Server) listRounds(c echo.Context) error {
	var rounds []models.Round
	if err := s.DB.WithContext(c.Request().Context()).Order("opens_at DESC").Find(&rounds).Error; err != nil {
		return err
	}
	var quotas []models.RoundQuota
	if err := s.DB.WithContext(c.Request().Context()).Order("round_id, unit_id, award").Find(&quotas).Error; err != nil {
		return err
	}
	byRound := map[string][]models.RoundQuota{}
	for _, q := range quotas {
		byRound[q.RoundID] = append(byRound[q.RoundID], q)
	}
	out := make([]roundView, 0, len(rounds))
	for _, r := range rounds {
		out = append(out, viewRound(r, byRound[r.ID]))
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

type roundRequest struct {
	Code              string          `json:"code"`
	Name              string          `json:"name"`
	Kind              string          `json:"kind"`
	PeriodFrom        int             `json:"period_from"`
	PeriodTo          int             `json:"period_to"`
	OpensAt           string          `json:"opens_at"`
	ClosesAt          string          `json:"closes_at"`
	Chain             string          `json:"chain"`
	ReferenceDate     string          `json:"reference_date"`
	DueWorkingDays    int             `json:"due_working_days"`
	LevelDueDays      map[string]int  `json:"level_due_days"`
	RemindWorkingDays *int            `json:"remind_working_days"`
	Awards            []routing.Award `json:"awards"`
	Quotas            []quotaView     `json:"quotas"`
}

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// window holds the parsed dates of a round request.
type window struct{ opens, closes, reference time.Time }

func (r roundRequest) validate() (window, []FieldError) {
	var errs []FieldError
	add := func(ptr, vi, en string) { errs = append(errs, FieldError{Pointer: ptr, Message: vi, MessageEN: en}) }
	if !codePattern.MatchString(r.Code) {
		add("/code", "Mã đợt chỉ gồm chữ thường không dấu, số và dấu gạch ngang (2–63 ký tự).",
			"Code: lowercase ASCII letters, digits and dashes, 2–63 characters.")
	}
	if r.Name == "" || len([]rune(r.Name)) > 255 {
		add("/name", "Tên đợt bắt buộc, tối đa 255 ký tự.", "Name is required, at most 255 characters.")
	}
	switch r.Kind {
	case models.RoundAnnual, models.RoundPreliminary, models.RoundFinal:
	default:
		add("/kind", "Loại đợt phải là annual, preliminary hoặc final.", "Kind must be annual, preliminary or final.")
	}
	if r.PeriodFrom < 2023 || r.PeriodTo > 2030 || r.PeriodFrom > r.PeriodTo {
		add("/period_to", "Giai đoạn phải nằm trong 2023–2030 và năm đầu không sau năm cuối.",
			"The period must lie within 2023–2030, first year not after last.")
	}
	opens, closes, werrs := parseWindow(r.OpensAt, r.ClosesAt)
	errs = append(errs, werrs...)
	if _, err := routing.ChainByCode(r.Chain); err != nil {
		add("/chain", "Mô hình cấp xét phải là three-tier hoặc two-tier.", "Chain must be three-tier or two-tier.")
	}
	ref, err := time.Parse(time.DateOnly, r.ReferenceDate)
	if err != nil {
		add("/reference_date", "Ngày tham chiếu phải có dạng YYYY-MM-DD.", "Date must be YYYY-MM-DD.")
	}
	if r.DueWorkingDays < 1 || r.DueWorkingDays > 60 {
		add("/due_working_days", "Thời hạn xét mỗi cấp từ 1 đến 60 ngày làm việc.", "Between 1 and 60 working days.")
	}
	for _, level := range slices.Sorted(maps.Keys(r.LevelDueDays)) {
		days := r.LevelDueDays[level]
		if !routing.Level(level).Valid() {
			add("/level_due_days/"+level, "Cấp xét không tồn tại.", "Unknown level.")
		} else if days < 1 || days > 60 {
			add("/level_due_days/"+level, "Từ 1 đến 60 ngày làm việc.", "Between 1 and 60 working days.")
		}
	}
	if r.RemindWorkingDays != nil && (*r.RemindWorkingDays < 0 || *r.RemindWorkingDays > 20) {
		add("/remind_working_days", "Nhắc hạn trước từ 0 đến 20 ngày làm việc.", "Between 0 and 20 working days.")
	}
	if len(r.Awards) == 0 {
		add("/awards", "Cần ít nhất một hình thức khen thưởng.", "At least one award is required.")
	}
	allowed := map[string]bool{}
	for i, a := range r.Awards {
		if _, err := routing.LookupAward(a); err != nil {
			add(fmt.Sprintf("/awards/%d", i), "Hình thức khen thưởng không tồn tại.", "Unknown award.")
		}
		allowed[string(a)] = true
	}
	seen := map[string]bool{}
	for i, q := range r.Quotas {
		ptr := fmt.Sprintf("/quotas/%d", i)
		if !allowed[q.Award] {
			add(ptr+"/award", "Chỉ tiêu phải thuộc một hình thức khen thưởng của đợt.", "The quota's award is not one of the round's.")
		}
		if q.Max < 1 || q.Max > 100000 {
			add(ptr+"/max", "Chỉ tiêu từ 1 đến 100000.", "Between 1 and 100000.")
		}
		if seen[q.UnitID+"|"+q.Award] {
			add(ptr, "Chỉ tiêu bị lặp cho cùng đơn vị và hình thức.", "Duplicate quota for this unit and award.")
		}
		seen[q.UnitID+"|"+q.Award] = true
	}
	return window{opens, closes, ref}, errs
}

// parseWindow reads the RFC 3339 opening and closing times of a round.
func parseWindow(opensAt, closesAt string) (opens, closes time.Time, errs []FieldError) {
	parse := func(ptr, v string) time.Time {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			errs = append(errs, FieldError{Pointer: ptr, Message: "Thời điểm phải có dạng 2025-06-30T17:00:00+07:00.", MessageEN: "Must be an RFC 3339 date-time such as 2025-06-30T17:00:00+07:00."})
		}
		return t
	}
	opens, closes = parse("/opens_at", opensAt), parse("/closes_at", closesAt)
	if len(errs) == 0 && !closes.After(opens) {
		errs = append(errs, FieldError{Pointer: "/closes_at", Message: "Thời điểm đóng phải sau thời điểm mở.", MessageEN: "Must be after opens_at."})
	}
	return opens, closes, errs
}

// createRound stores a round with its quotas and starts its workflow.
func (s *Server) createRound(c echo.Context) error {
	var req roundRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	w, errs := req.validate()
	ctx := c.Request().Context()
	// A quota's unit must exist at the round's reference date, the date
	// its routes are planned at: a commune merged away has no nominations.
	if len(req.Quotas) > 0 && !w.reference.IsZero() {
		dir, err := s.reference().Directory(ctx, w.reference)
		if err != nil {
			return err
		}
		for i, q := range req.Quotas {
			if _, ok := dir.Unit(q.UnitID); !ok {
				errs = append(errs, FieldError{Pointer: fmt.Sprintf("/quotas/%d/unit_id", i), Message: "Đơn vị không tồn tại vào ngày tham chiếu của đợt.", MessageEN: "No such unit at the round's reference date."})
			}
		}
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	awards, _ := json.Marshal(req.Awards)
	r := models.Round{ID: uuid.NewString(), Code: req.Code, Name: req.Name, Kind: req.Kind,
		PeriodFrom: req.PeriodFrom, PeriodTo: req.PeriodTo, OpensAt: w.opens.UTC(), ClosesAt: w.closes.UTC(),
		Chain: req.Chain, ReferenceDate: w.reference, DueWorkingDays: req.DueWorkingDays, Awards: string(awards),
		RemindWorkingDays: 2, State: models.RoundScheduled}
	if req.RemindWorkingDays != nil {
		r.RemindWorkingDays = *req.RemindWorkingDays
	}
	if len(req.LevelDueDays) > 0 {
		b, _ := json.Marshal(req.LevelDueDays)
		r.LevelDueDays = string(b)
	}
	var quotas []models.RoundQuota
	for _, q := range req.Quotas {
		quotas = append(quotas, models.RoundQuota{RoundID: r.ID, UnitID: q.UnitID, Award: q.Award, Max: q.Max})
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		if len(quotas) > 0 {
			return tx.Create(&quotas).Error
		}
		return nil
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return problem(http.StatusConflict, "Mã đợt "+req.Code+" đã tồn tại.", "A round with code "+req.Code+" exists.")
	}
	if err != nil {
		return err
	}
	s.reference().Invalidate()
	if s.Temporal != nil {
		// The round exists even if its calendar workflow cannot start now:
		// the worker starts every missing one when it (re)starts.
		if err := worker.StartRound(ctx, s.Temporal, s.TaskQueue, r); err != nil {
			s.Log.Warn("round workflow not started", "round", r.ID, "error", err, "request_id", requestID(c))
		}
	}
	return c.JSON(http.StatusCreated, viewRound(r, quotas))
}

type rescheduleRequest struct {
	OpensAt  string `json:"opens_at"`
	ClosesAt string `json:"closes_at"`
}

// rescheduleRound changes a round's window; its workflow re-arms the
// opening, reminder and closing timers.
func (s *Server) rescheduleRound(c echo.Context) error {
	ctx := c.Request().Context()
	var r models.Round
	err := s.DB.WithContext(ctx).First(&r, "id = ? OR code = ?", c.Param("id"), c.Param("id")).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return problem(http.StatusNotFound, "Không có đợt xét này.", "No such round.")
	}
	if err != nil {
		return err
	}
	var req rescheduleRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	opens, closes, errs := parseWindow(req.OpensAt, req.ClosesAt)
	if len(errs) > 0 {
		return invalid(errs)
	}
	r.OpensAt, r.ClosesAt = opens.UTC(), closes.UTC()
	if err := s.DB.WithContext(ctx).Model(&r).Updates(map[string]any{"opens_at": r.OpensAt, "closes_at": r.ClosesAt}).Error; err != nil {
		return err
	}
	s.reference().Invalidate()
	if err := worker.RescheduleRound(ctx, s.Temporal, s.TaskQueue, r); err != nil {
		return err
	}
	var quotas []models.RoundQuota
	if err := s.DB.WithContext(ctx).Where("round_id = ?", r.ID).Find(&quotas).Error; err != nil {
		return err
	}
	// The state column catches up when the workflow projects it.
	return c.JSON(http.StatusOK, viewRound(r, quotas))
}

type dashboardCount struct {
	Key   string `json:"key"`
	Count int64  `json:"count"`
}

type quotaUse struct {
	quotaView
	Used int64 `json:"used"`
}

type dashboard struct {
	RoundID  string           `json:"round_id"`
	Total    int64            `json:"total"`
	ByStatus []dashboardCount `json:"by_status"`
	ByLevel  []dashboardCount `json:"by_level"`
	ByUnit   []dashboardCount `json:"by_unit"`
	ByAward  []dashboardCount `json:"by_award"`
	Overdue  []nominationView `json:"overdue"`
	Quotas   []quotaUse       `json:"quotas"`
}

// pathRound is the round named by the path's :id, or a 404 problem.
func (s *Server) pathRound(c echo.Context) (models.Round, error) {
	round, err := s.reference().Round(c.Request().Context(), c.Param("id"))
	if errors.Is(err, models.ErrNotFound) {
		return round, problem(http.StatusNotFound, "Không có đợt xét này.", "No such round.")
	}
	return round, err
}

// roundDashboard summarises a round for Interior and administrators:
// counts per status, level, unit and award, the overdue nominations and
// the use of each quota.
func (s *Server) roundDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	round, err := s.pathRound(c)
	if err != nil {
		return err
	}
	d := dashboard{RoundID: round.ID, Overdue: []nominationView{}, Quotas: []quotaUse{}}
	base := func() *gorm.DB {
		return s.DB.WithContext(ctx).Model(&models.Nomination{}).Where("round_id = ?", round.ID)
	}
	if err := base().Count(&d.Total).Error; err != nil {
		return err
	}
	group := func(col string, into *[]dashboardCount) error {
		*into = []dashboardCount{}
		return base().Select(col + " AS key, COUNT(*) AS count").Where(col + " <> ''").Group(col).Order(col).Scan(into).Error
	}
	for col, into := range map[string]*[]dashboardCount{"status": &d.ByStatus, "current_level": &d.ByLevel,
		"unit_id": &d.ByUnit, "award": &d.ByAward} {
		if err := group(col, into); err != nil {
			return err
		}
	}
	var overdue []models.Nomination
	if err := base().Omit("dossier").Where("status = ? AND due_at < ?", workflows.StatusInReview, s.now().UTC()).
		Order("due_at").Limit(200).Find(&overdue).Error; err != nil {
		return err
	}
	for _, n := range overdue {
		v := s.viewNomination(n)
		v.Dossier = nil
		d.Overdue = append(d.Overdue, v)
	}
	var quotas []models.RoundQuota
	if err := s.DB.WithContext(ctx).Where("round_id = ?", round.ID).Order("unit_id, award").Find(&quotas).Error; err != nil {
		return err
	}
	for _, q := range quotas {
		u := quotaUse{quotaView: quotaView{UnitID: q.UnitID, Award: q.Award, Max: q.Max}}
		if err := base().Where("unit_id = ? AND award = ? AND route <> '' AND status NOT IN ?", q.UnitID, q.Award,
			[]string{workflows.StatusWithdrawn, workflows.StatusRejected}).Count(&u.Used).Error; err != nil {
			return err
		}
		d.Quotas = append(d.Quotas, u)
	}
	return c.JSON(http.StatusOK, d)
}
