package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

type unitView struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	Kind          string  `json:"kind"`
	ReviewLevel   string  `json:"review_level,omitempty"`
	ParentID      string  `json:"parent_id,omitempty"`
	EffectiveFrom string  `json:"effective_from"`
	EffectiveTo   *string `json:"effective_to,omitempty"`
}

func viewUnit(u models.Unit, parentID string) unitView {
	v := unitView{ID: u.ID, Name: u.Name, Kind: u.Kind, ReviewLevel: u.ReviewLevel, ParentID: parentID,
		EffectiveFrom: u.EffectiveFrom.Format(time.DateOnly)}
	if u.EffectiveTo != nil {
		s := u.EffectiveTo.Format(time.DateOnly)
		v.EffectiveTo = &s
	}
	return v
}

type meView struct {
	ID       string   `json:"id"`
	Username string   `json:"username"`
	FullName string   `json:"full_name"`
	Role     string   `json:"role"`
	Level    string   `json:"level,omitempty"`
	Unit     unitView `json:"unit"`
}

func (s *Server) me(c echo.Context) error {
	who := currentCaller(c)
	return c.JSON(http.StatusOK, meView{ID: who.User.ID, Username: who.User.Username, FullName: who.User.FullName,
		Role: who.User.Role, Level: string(who.Level()), Unit: viewUnit(who.Unit, "")})
}

// listUnits returns the units in force on ?at= (default today), optionally
// filtered by ?kind= and ?parent=.
func (s *Server) listUnits(c echo.Context) error {
	at := s.now()
	if v := c.QueryParam("at"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return invalid([]FieldError{{Pointer: "/at", Message: "Ngày phải có dạng YYYY-MM-DD.", MessageEN: "Date must be YYYY-MM-DD."}})
		}
		at = t
	}
	q := s.DB.WithContext(c.Request().Context()).Order("kind, name")
	if k := c.QueryParam("kind"); k != "" {
		q = q.Where("kind = ?", k)
	}
	var units []models.Unit
	if err := q.Find(&units).Error; err != nil {
		return err
	}
	parents, err := models.ParentsAt(c.Request().Context(), s.DB, at)
	if err != nil {
		return err
	}
	parent := c.QueryParam("parent")
	out := []unitView{}
	for _, u := range units {
		if u.InForce(at) && (parent == "" || parents[u.ID] == parent) {
			out = append(out, viewUnit(u, parents[u.ID]))
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

func (s *Server) listAwards(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"items": routing.Awards, "chains": routing.Chains})
}

type roundView struct {
	ID             string          `json:"id"`
	Code           string          `json:"code"`
	Name           string          `json:"name"`
	Kind           string          `json:"kind"`
	PeriodFrom     int             `json:"period_from"`
	PeriodTo       int             `json:"period_to"`
	OpensAt        time.Time       `json:"opens_at"`
	ClosesAt       time.Time       `json:"closes_at"`
	Chain          string          `json:"chain"`
	ReferenceDate  string          `json:"reference_date"`
	DueWorkingDays int             `json:"due_working_days"`
	Awards         []routing.Award `json:"awards"`
}

func viewRound(r models.Round) roundView {
	v := roundView{ID: r.ID, Code: r.Code, Name: r.Name, Kind: r.Kind, PeriodFrom: r.PeriodFrom, PeriodTo: r.PeriodTo,
		OpensAt: r.OpensAt, ClosesAt: r.ClosesAt, Chain: r.Chain, ReferenceDate: r.ReferenceDate.Format(time.DateOnly),
		DueWorkingDays: r.DueWorkingDays}
	_ = json.Unmarshal([]byte(r.Awards), &v.Awards)
	return v
}

func (s *Server) listRounds(c echo.Context) error {
	var rounds []models.Round
	if err := s.DB.WithContext(c.Request().Context()).Order("opens_at DESC").Find(&rounds).Error; err != nil {
		return err
	}
	out := make([]roundView, 0, len(rounds))
	for _, r := range rounds {
		out = append(out, viewRound(r))
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

type roundRequest struct {
	Code           string          `json:"code"`
	Name           string          `json:"name"`
	Kind           string          `json:"kind"`
	PeriodFrom     int             `json:"period_from"`
	PeriodTo       int             `json:"period_to"`
	OpensAt        time.Time       `json:"opens_at"`
	ClosesAt       time.Time       `json:"closes_at"`
	Chain          string          `json:"chain"`
	ReferenceDate  string          `json:"reference_date"`
	DueWorkingDays int             `json:"due_working_days"`
	Awards         []routing.Award `json:"awards"`
}

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

func (r roundRequest) validate() (time.Time, []FieldError) {
	var errs []FieldError
	add := func(ptr, vi, en string) { errs = append(errs, FieldError{ptr, vi, en}) }
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
	if r.OpensAt.IsZero() {
		add("/opens_at", "Bắt buộc nhập thời điểm mở.", "Required.")
	}
	if !r.ClosesAt.After(r.OpensAt) {
		add("/closes_at", "Thời điểm đóng phải sau thời điểm mở.", "Must be after opens_at.")
	}
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
	if len(r.Awards) == 0 {
		add("/awards", "Cần ít nhất một hình thức khen thưởng.", "At least one award is required.")
	}
	for i, a := range r.Awards {
		if _, err := routing.LookupAward(a); err != nil {
			add(fmt.Sprintf("/awards/%d", i), "Hình thức khen thưởng không tồn tại.", "Unknown award.")
		}
	}
	return ref, errs
}

func (s *Server) createRound(c echo.Context) error {
	var req roundRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	ref, errs := req.validate()
	if len(errs) > 0 {
		return invalid(errs)
	}
	awards, _ := json.Marshal(req.Awards)
	r := models.Round{ID: uuid.NewString(), Code: req.Code, Name: req.Name, Kind: req.Kind,
		PeriodFrom: req.PeriodFrom, PeriodTo: req.PeriodTo, OpensAt: req.OpensAt.UTC(), ClosesAt: req.ClosesAt.UTC(),
		Chain: req.Chain, ReferenceDate: ref, DueWorkingDays: req.DueWorkingDays, Awards: string(awards)}
	err := s.DB.WithContext(c.Request().Context()).Create(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return problem(http.StatusConflict, "Mã đợt "+req.Code+" đã tồn tại.", "A round with code "+req.Code+" exists.")
	}
	if err != nil {
		return err
	}
	s.reference().Invalidate()
	return c.JSON(http.StatusCreated, viewRound(r))
}
