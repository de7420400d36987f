package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/worker"
)

// A round is a call for nominations: the period it covers, its
// submission window, the chain it routes through, its terms and quotas.
// Everyone reads the rounds; the province's administrator creates them
// and moves their windows; each round's workflow opens, reminds and
// closes it on time.

// QuotaView caps a unit's nominations for an award in a round.
type QuotaView struct {
	UnitID string `json:"unit_id"`
	Award  string `json:"award"`
	Max    int    `json:"max"`
}

// RoundView is a round with its quotas.
type RoundView struct {
	ID            string    `json:"id"`
	Code          string    `json:"code"`
	Name          string    `json:"name"`
	Kind          string    `json:"kind"`
	State         string    `json:"state"`
	PeriodFrom    int       `json:"period_from"`
	PeriodTo      int       `json:"period_to"`
	OpensAt       time.Time `json:"opens_at"`
	ClosesAt      time.Time `json:"closes_at"`
	Chain         string    `json:"chain"`
	ReferenceDate string    `json:"reference_date"`
	// FixedRouting marks a rehearsal (the demo's three tiers of 2025):
	// every step keeps the units of the reference date instead of those
	// in force on the day it is reached.
	FixedRouting      bool           `json:"fixed_routing,omitempty"`
	DueWorkingDays    int            `json:"due_working_days"`
	LevelDueDays      map[string]int `json:"level_due_days,omitempty"`
	RemindWorkingDays int            `json:"remind_working_days"`
	Awards            []string       `json:"awards"`
	Quotas            []QuotaView    `json:"quotas,omitempty"`
}

// ViewRound is the view of r with its quotas.
func ViewRound(r models.Round, quotas []models.RoundQuota) RoundView {
	v := RoundView{ID: r.ID, Code: r.Code, Name: r.Name, Kind: r.Kind, State: r.State, PeriodFrom: r.PeriodFrom,
		PeriodTo: r.PeriodTo, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt, Chain: r.Chain,
		ReferenceDate: r.ReferenceDate.Format(time.DateOnly), FixedRouting: r.FixedRouting, DueWorkingDays: r.DueWorkingDays,
		RemindWorkingDays: r.RemindWorkingDays}
	// Both columns are written by CreateRound from validated values; a
	// row that does not read shows no awards or per-level terms rather
	// than failing the list.
	_ = json.Unmarshal([]byte(r.Awards), &v.Awards)
	if r.LevelDueDays != "" {
		_ = json.Unmarshal([]byte(r.LevelDueDays), &v.LevelDueDays)
	}
	for _, q := range quotas {
		v.Quotas = append(v.Quotas, QuotaView{UnitID: q.UnitID, Award: q.Award, Max: q.Max})
	}
	return v
}

// Rounds lists every round, the latest opening first.
func (s *Service) Rounds(ctx context.Context) ([]RoundView, error) {
	var rounds []models.Round
	if err := s.db.WithContext(ctx).Order("opens_at DESC").Find(&rounds).Error; err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	var quotas []models.RoundQuota
	if err := s.db.WithContext(ctx).Order("round_id, unit_id, award").Find(&quotas).Error; err != nil {
		return nil, fmt.Errorf("list quotas: %w", err)
	}
	byRound := map[string][]models.RoundQuota{}
	for _, q := range quotas {
		byRound[q.RoundID] = append(byRound[q.RoundID], q)
	}
	out := make([]RoundView, 0, len(rounds))
	for _, r := range rounds {
		out = append(out, ViewRound(r, byRound[r.ID]))
	}
	return out, nil
}

// errNoRound is the refusal of a round that does not exist.
func errNoRound() error { return NotFound("Không có đợt xét này.", "No such round.") }

// Round is the round with ID or code id.
func (s *Service) Round(ctx context.Context, id string) (RoundView, error) {
	r, err := s.loadRound(ctx, id)
	if err != nil {
		return RoundView{}, err
	}
	quotas, err := s.roundQuotas(ctx, r.ID)
	if err != nil {
		return RoundView{}, err
	}
	return ViewRound(r, quotas), nil
}

// loadRound reads the round with ID or code id, or refuses it as not
// found.
func (s *Service) loadRound(ctx context.Context, id string) (models.Round, error) {
	var r models.Round
	err := s.db.WithContext(ctx).First(&r, "id = ? OR code = ?", id, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, errNoRound()
	}
	if err != nil {
		return r, fmt.Errorf("load round %s: %w", id, err)
	}
	return r, nil
}

func (s *Service) roundQuotas(ctx context.Context, roundID string) ([]models.RoundQuota, error) {
	var quotas []models.RoundQuota
	if err := s.db.WithContext(ctx).Where("round_id = ?", roundID).Order("unit_id, award").Find(&quotas).Error; err != nil {
		return nil, fmt.Errorf("quotas of round %s: %w", roundID, err)
	}
	return quotas, nil
}

// RoundInput is a new round. RemindWorkingDays nil: 2.
type RoundInput struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	Kind          string `json:"kind"`
	PeriodFrom    int    `json:"period_from"`
	PeriodTo      int    `json:"period_to"`
	OpensAt       string `json:"opens_at"`
	ClosesAt      string `json:"closes_at"`
	Chain         string `json:"chain"`
	ReferenceDate string `json:"reference_date"`
	// FixedRouting makes a rehearsal (training clerks on a past chain,
	// as the demo's round does): every step keeps the units of the
	// reference date.
	FixedRouting      bool           `json:"fixed_routing,omitempty"`
	DueWorkingDays    int            `json:"due_working_days"`
	LevelDueDays      map[string]int `json:"level_due_days"`
	RemindWorkingDays *int           `json:"remind_working_days"`
	Awards            []string       `json:"awards"`
	Quotas            []QuotaView    `json:"quotas"`
}

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// window holds the parsed dates of a round.
type window struct{ opens, closes, reference time.Time }

// validate cleans the text and checks the fields against the award
// authorities (the table as read from the reference cache): an award is
// offered only if it is held on the round's reference date.
func (r *RoundInput) validate(authorities []models.Authority) (window, []FieldError) {
	text := map[string]*string{"/code": &r.Code, "/name": &r.Name, "/kind": &r.Kind, "/opens_at": &r.OpensAt,
		"/closes_at": &r.ClosesAt, "/chain": &r.Chain, "/reference_date": &r.ReferenceDate}
	for i := range r.Awards {
		text[fmt.Sprintf("/awards/%d", i)] = &r.Awards[i]
	}
	for i := range r.Quotas {
		text[fmt.Sprintf("/quotas/%d/unit_id", i)] = &r.Quotas[i].UnitID
		text[fmt.Sprintf("/quotas/%d/award", i)] = &r.Quotas[i].Award
	}
	errs := cleanText(text)
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
		if _, lerr := routing.LookupAward(routing.Award(a)); lerr != nil {
			add(fmt.Sprintf("/awards/%d", i), "Hình thức khen thưởng không tồn tại.", "Unknown award.")
		} else if err == nil {
			if vi, en := notHeld(authorities, routing.Award(a), ref, "ngày tham chiếu của đợt", "the round's reference date"); vi != "" {
				add(fmt.Sprintf("/awards/%d", i), vi, en)
			}
		}
		allowed[a] = true
	}
	if err == nil && r.Chain == routing.ThreeTier.Code && !ref.Before(routing.DistrictsAbolished) {
		add("/chain", "Từ ngày 01/07/2025 không còn cấp huyện: đợt có ngày tham chiếu từ ngày này xét hai cấp (two-tier).",
			"There is no district level from 1 July 2025: a round referenced from then is two-tier.")
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

// CreateRound stores a round with its quotas and starts its workflow.
func (s *Service) CreateRound(ctx context.Context, who Caller, in RoundInput) (RoundView, error) {
	if err := who.Require(models.RoleAdmin); err != nil {
		return RoundView{}, err
	}
	authorities, err := s.ref.Authorities(ctx)
	if err != nil {
		return RoundView{}, err
	}
	w, errs := in.validate(authorities)
	// A quota's unit must exist at the round's reference date, the date
	// its routes are planned at: a commune merged away has no nominations.
	if len(in.Quotas) > 0 && !w.reference.IsZero() {
		dir, err := s.ref.Directory(ctx, w.reference)
		if err != nil {
			return RoundView{}, err
		}
		for i, q := range in.Quotas {
			if _, ok := dir.Unit(q.UnitID); !ok {
				errs = append(errs, FieldError{Pointer: fmt.Sprintf("/quotas/%d/unit_id", i), Message: "Đơn vị không tồn tại vào ngày tham chiếu của đợt.", MessageEN: "No such unit at the round's reference date."})
			}
		}
	}
	if err := InvalidIf(errs); err != nil {
		return RoundView{}, err
	}
	r, quotas := in.round(w)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		if len(quotas) > 0 {
			if err := tx.Create(&quotas).Error; err != nil {
				return err
			}
		}
		return models.BumpReferenceVersion(tx)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return RoundView{}, Conflict("Mã đợt "+in.Code+" đã tồn tại.", "A round with code "+in.Code+" exists.")
	}
	if err != nil {
		return RoundView{}, fmt.Errorf("create round %s: %w", in.Code, err)
	}
	if s.temporal != nil {
		// The round exists even if its calendar workflow cannot start now:
		// the worker starts every missing one when it (re)starts.
		if err := worker.StartRound(ctx, s.temporal, s.cfg.TaskQueue, r); err != nil {
			s.log.Warn("round workflow not started", "round", r.ID, "error", err, "request_id", who.RequestID)
		}
	}
	return ViewRound(r, quotas), nil
}

// round is the row of a validated input and its quotas.
func (r *RoundInput) round(w window) (models.Round, []models.RoundQuota) {
	// Lists of known award codes and a map of level to days always
	// marshal.
	awards, _ := json.Marshal(r.Awards)
	round := models.Round{ID: uuid.NewString(), Code: r.Code, Name: r.Name, Kind: r.Kind,
		PeriodFrom: r.PeriodFrom, PeriodTo: r.PeriodTo, OpensAt: w.opens.UTC(), ClosesAt: w.closes.UTC(),
		Chain: r.Chain, ReferenceDate: w.reference, FixedRouting: r.FixedRouting, DueWorkingDays: r.DueWorkingDays, Awards: string(awards),
		RemindWorkingDays: 2, State: models.RoundScheduled}
	if r.RemindWorkingDays != nil {
		round.RemindWorkingDays = *r.RemindWorkingDays
	}
	if len(r.LevelDueDays) > 0 {
		b, _ := json.Marshal(r.LevelDueDays)
		round.LevelDueDays = string(b)
	}
	var quotas []models.RoundQuota
	for _, q := range r.Quotas {
		quotas = append(quotas, models.RoundQuota{RoundID: round.ID, UnitID: q.UnitID, Award: q.Award, Max: q.Max})
	}
	return round, quotas
}

// RescheduleInput is a round's new submission window (RFC 3339).
type RescheduleInput struct {
	OpensAt  string `json:"opens_at"`
	ClosesAt string `json:"closes_at"`
}

// RescheduleRound changes the window of round id (ID or code); its
// workflow re-arms the opening, reminder and closing timers. The state
// answered is the one before: it catches up when the workflow projects
// it.
func (s *Service) RescheduleRound(ctx context.Context, who Caller, id string, in RescheduleInput) (RoundView, error) {
	if err := who.Require(models.RoleAdmin); err != nil {
		return RoundView{}, err
	}
	r, err := s.loadRound(ctx, id)
	if err != nil {
		return RoundView{}, err
	}
	errs := cleanText(map[string]*string{"/opens_at": &in.OpensAt, "/closes_at": &in.ClosesAt})
	opens, closes, werrs := parseWindow(in.OpensAt, in.ClosesAt)
	if err := InvalidIf(append(errs, werrs...)); err != nil {
		return RoundView{}, err
	}
	if err := s.engineReady(); err != nil {
		return RoundView{}, err
	}
	r.OpensAt, r.ClosesAt = opens.UTC(), closes.UTC()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&r).Updates(map[string]any{"opens_at": r.OpensAt, "closes_at": r.ClosesAt}).Error; err != nil {
			return err
		}
		return models.BumpReferenceVersion(tx)
	})
	if err != nil {
		return RoundView{}, fmt.Errorf("reschedule round %s: %w", r.ID, err)
	}
	if err := worker.RescheduleRound(ctx, s.temporal, s.cfg.TaskQueue, r); err != nil {
		return RoundView{}, err
	}
	quotas, err := s.roundQuotas(ctx, r.ID)
	if err != nil {
		return RoundView{}, err
	}
	return ViewRound(r, quotas), nil
}

// CountView is one bucket of a dashboard.
type CountView struct {
	Key   string `json:"key"`
	Count int64  `json:"count"`
}

// QuotaUse is a quota with the nominations counted against it.
type QuotaUse struct {
	QuotaView
	Used int64 `json:"used"`
}

// DashboardView summarises a round.
type DashboardView struct {
	RoundID  string      `json:"round_id"`
	Total    int64       `json:"total"`
	ByStatus []CountView `json:"by_status"`
	ByLevel  []CountView `json:"by_level"`
	ByUnit   []CountView `json:"by_unit"`
	ByAward  []CountView `json:"by_award"`
	// Overdue are the nominations in review past their term, the longest
	// overdue first (at most 200), without their dossiers.
	Overdue []NominationView `json:"overdue"`
	Quotas  []QuotaUse       `json:"quotas"`
}

// RoundDashboard summarises round id for Interior and the province's
// administrator: counts per status, level, unit and award, the overdue
// nominations and the use of each quota.
func (s *Service) RoundDashboard(ctx context.Context, who Caller, id string) (DashboardView, error) {
	if err := who.Require(models.RoleInterior, models.RoleAdmin); err != nil {
		return DashboardView{}, err
	}
	round, err := s.ref.Round(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		return DashboardView{}, errNoRound()
	}
	if err != nil {
		return DashboardView{}, err
	}
	d := DashboardView{RoundID: round.ID, Overdue: []NominationView{}, Quotas: []QuotaUse{}}
	base := func() *gorm.DB {
		return s.db.WithContext(ctx).Model(&models.Nomination{}).Where("round_id = ?", round.ID)
	}
	if err := base().Count(&d.Total).Error; err != nil {
		return d, fmt.Errorf("count the nominations of round %s: %w", round.ID, err)
	}
	for col, into := range map[string]*[]CountView{"status": &d.ByStatus, "current_level": &d.ByLevel,
		"unit_id": &d.ByUnit, "award": &d.ByAward} {
		*into = []CountView{}
		if err := base().Select(col + " AS key, COUNT(*) AS count").Where(col + " <> ''").Group(col).Order(col).Scan(into).Error; err != nil {
			return d, fmt.Errorf("count round %s by %s: %w", round.ID, col, err)
		}
	}
	var overdue []models.Nomination
	if err := base().Omit("dossier").Where("status = ? AND due_at < ?", access.StatusInReview, s.now().UTC()).
		Order("due_at").Limit(200).Find(&overdue).Error; err != nil {
		return d, fmt.Errorf("overdue nominations of round %s: %w", round.ID, err)
	}
	for _, n := range overdue {
		v := s.viewNomination(n)
		v.Dossier = nil
		d.Overdue = append(d.Overdue, v)
	}
	quotas, err := s.roundQuotas(ctx, round.ID)
	if err != nil {
		return d, err
	}
	for _, q := range quotas {
		u := QuotaUse{QuotaView: QuotaView{UnitID: q.UnitID, Award: q.Award, Max: q.Max}}
		if err := base().Where("unit_id = ? AND award = ? AND route <> '' AND status NOT IN ?", q.UnitID, q.Award,
			[]string{access.StatusWithdrawn, access.StatusRejected}).Count(&u.Used).Error; err != nil {
			return d, fmt.Errorf("use of a quota of round %s: %w", round.ID, err)
		}
		d.Quotas = append(d.Quotas, u)
	}
	return d, nil
}
