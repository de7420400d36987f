package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// Nominee kinds (DESIGN.md §2).
var nomineeKinds = map[string]bool{
	"individual": true, "household": true, "clan": true,
	"collective": true, "enterprise": true, "community": true,
}

const maxDossierBytes = 256 << 10

type nominationView struct {
	ID             string          `json:"id"`
	RoundID        string          `json:"round_id"`
	UnitID         string          `json:"unit_id"`
	NomineeKind    string          `json:"nominee_kind"`
	NomineeName    string          `json:"nominee_name"`
	Award          string          `json:"award"`
	Dossier        json.RawMessage `json:"dossier"`
	DossierVersion int             `json:"dossier_version"`
	Status         string          `json:"status"`
	CurrentLevel   string          `json:"current_level,omitempty"`
	CurrentUnitID  string          `json:"current_unit_id,omitempty"`
	CurrentStep    int             `json:"current_step"`
	Route          *routing.Route  `json:"route,omitempty"`
	DueAt          *time.Time      `json:"due_at,omitempty"`
	Overdue        bool            `json:"overdue"`
	EscalatedAt    *time.Time      `json:"escalated_at,omitempty"`
	SubmittedAt    *time.Time      `json:"submitted_at,omitempty"`
	FinishedAt     *time.Time      `json:"finished_at,omitempty"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
	History        []historyView   `json:"history,omitempty"`
	// Eligibility is the award's rules evaluated at submission: pass,
	// fail or warning with the reason, for the reviewers.
	Eligibility json.RawMessage `json:"eligibility,omitempty"`
	// Certificate is the certificate issued for the nomination, on its own
	// page only: the nominating body finds its PDF and verification page.
	Certificate *issuedView `json:"certificate,omitempty"`
}

type historyView struct {
	Seq            int       `json:"seq"`
	Action         string    `json:"action"`
	Level          string    `json:"level,omitempty"`
	UnitID         string    `json:"unit_id,omitempty"`
	ActorID        string    `json:"actor_id,omitempty"`
	ActorName      string    `json:"actor_name,omitempty"`
	Comment        string    `json:"comment,omitempty"`
	FromStatus     string    `json:"from_status,omitempty"`
	ToStatus       string    `json:"to_status"`
	DossierVersion int       `json:"dossier_version"`
	At             time.Time `json:"at"`
}

func (s *Server) viewNomination(n models.Nomination) nominationView {
	v := nominationView{ID: n.ID, RoundID: n.RoundID, UnitID: n.UnitID, NomineeKind: n.NomineeKind,
		NomineeName: n.NomineeName, Award: n.Award, Dossier: json.RawMessage(n.Dossier),
		DossierVersion: n.DossierVersion, Status: n.Status, CurrentLevel: n.CurrentLevel,
		CurrentUnitID: n.CurrentUnitID, CurrentStep: n.CurrentStep, DueAt: n.DueAt, EscalatedAt: n.EscalatedAt,
		Overdue:     n.Status == workflows.StatusInReview && n.DueAt != nil && s.now().After(*n.DueAt),
		SubmittedAt: n.SubmittedAt, FinishedAt: n.FinishedAt, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt}
	if n.Eligibility != "" {
		v.Eligibility = json.RawMessage(n.Eligibility)
	}
	if n.Route != "" {
		var r routing.Route
		if json.Unmarshal([]byte(n.Route), &r) == nil {
			v.Route = &r
		}
	}
	return v
}

// nominationRequest is the body of create and patch. Pointers tell "absent"
// from "empty" for a patch.
type nominationRequest struct {
	RoundID     *string         `json:"round_id"`
	NomineeKind *string         `json:"nominee_kind"`
	NomineeName *string         `json:"nominee_name"`
	Award       *string         `json:"award"`
	Dossier     json.RawMessage `json:"dossier"`
}

// cleanDossier checks the dossier is a JSON object within bounds and
// returns it re-encoded with every string NFC-normalized.
func cleanDossier(raw json.RawMessage) (string, []FieldError) {
	if len(raw) > maxDossierBytes {
		return "", []FieldError{{Pointer: "/dossier", Message: "Hồ sơ vượt quá 256 KB.", MessageEN: "The dossier exceeds 256 KB."}}
	}
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return "", []FieldError{{Pointer: "/dossier", Message: "Hồ sơ phải là một đối tượng JSON.", MessageEN: "The dossier must be a JSON object."}}
	}
	var errs []FieldError
	normalizeAny(obj, "/dossier", &errs)
	if len(errs) > 0 {
		return "", errs
	}
	out, _ := json.Marshal(obj)
	return string(out), nil
}

func (s *Server) createNomination(c echo.Context) error {
	who := currentCaller(c)
	var req nominationRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var errs []FieldError
	var round models.Round
	if req.RoundID == nil || *req.RoundID == "" {
		errs = append(errs, required("/round_id"))
	} else if err := s.DB.WithContext(c.Request().Context()).First(&round, "id = ? OR code = ?", *req.RoundID, *req.RoundID).Error; err != nil {
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		errs = append(errs, FieldError{Pointer: "/round_id", Message: "Không có đợt xét khen thưởng này.", MessageEN: "No such round."})
	}
	if req.NomineeKind == nil {
		errs = append(errs, required("/nominee_kind"))
	}
	if req.NomineeName == nil {
		errs = append(errs, required("/nominee_name"))
	}
	if req.Award == nil {
		errs = append(errs, required("/award"))
	}
	errs = append(errs, validateFields(req, round)...)
	if round.ID != "" {
		dir, err := s.reference().Directory(c.Request().Context(), round.ReferenceDate)
		if err != nil {
			return err
		}
		if _, ok := dir.Unit(who.User.UnitID); !ok {
			errs = append(errs, FieldError{Pointer: "/round_id", Message: "Đơn vị của bạn không tồn tại vào thời điểm của đợt xét này (" + round.ReferenceDate.Format("02/01/2006") + ").", MessageEN: "Your unit is not in force at this round's reference date."})
		}
	}
	dossier := "{}"
	if req.Dossier != nil {
		var derrs []FieldError
		dossier, derrs = cleanDossier(req.Dossier)
		errs = append(errs, derrs...)
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	key := c.Request().Header.Get("Idempotency-Key")
	if key != "" {
		// A retried creation returns the draft the first one made.
		var prior models.CreateKey
		if err := s.DB.WithContext(c.Request().Context()).Where("user_id = ? AND idem_key = ?", who.User.ID, key).
			Limit(1).Find(&prior).Error; err != nil {
			return err
		}
		if prior.NominationID != "" {
			return s.respondCreated(c, prior.NominationID)
		}
	}
	n := models.Nomination{ID: uuid.NewString(), RoundID: round.ID, UnitID: who.User.UnitID, CreatedBy: who.User.ID,
		NomineeKind: *req.NomineeKind, NomineeName: *req.NomineeName, SearchName: textnorm.Fold(*req.NomineeName),
		Award: *req.Award, Dossier: dossier, Status: workflows.StatusDraft}
	n.WorkflowID = workflows.WorkflowID(n.ID)
	err := s.DB.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		if key != "" {
			if err := tx.Create(&models.CreateKey{UserID: who.User.ID, Key: key, NominationID: n.ID}).Error; err != nil {
				return err
			}
		}
		return tx.Create(&n).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) && key != "" {
		// The same key raced in: answer with the winner's draft.
		var prior models.CreateKey
		if err := s.DB.WithContext(c.Request().Context()).First(&prior, "user_id = ? AND idem_key = ?", who.User.ID, key).Error; err != nil {
			return err
		}
		return s.respondCreated(c, prior.NominationID)
	}
	if err != nil {
		return fmt.Errorf("create nomination: %w", err)
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/nominations/"+n.ID)
	return c.JSON(http.StatusCreated, s.viewNomination(n))
}

// validateFields checks the fields present in a create or patch request.
func validateFields(req nominationRequest, round models.Round) []FieldError {
	var errs []FieldError
	if req.NomineeKind != nil && !nomineeKinds[*req.NomineeKind] {
		errs = append(errs, FieldError{Pointer: "/nominee_kind", Message: "Loại đối tượng phải là individual, household, clan, collective, enterprise hoặc community.", MessageEN: "Nominee kind must be individual, household, clan, collective, enterprise or community."})
	}
	if req.NomineeName != nil {
		if strings.ContainsAny(*req.NomineeName, "\r\n\t") {
			errs = append(errs, FieldError{Pointer: "/nominee_name", Message: "Tên đối tượng phải nằm trên một dòng.", MessageEN: "The nominee name must be one line."})
		} else if l := len([]rune(*req.NomineeName)); l == 0 || l > 255 {
			errs = append(errs, FieldError{Pointer: "/nominee_name", Message: "Tên đối tượng bắt buộc, tối đa 255 ký tự.", MessageEN: "Nominee name is required, at most 255 characters."})
		}
	}
	if req.Award != nil {
		if _, err := routing.LookupAward(routing.Award(*req.Award)); err != nil {
			errs = append(errs, FieldError{Pointer: "/award", Message: "Hình thức khen thưởng không tồn tại.", MessageEN: "Unknown award."})
		} else if round.ID != "" && !roundAllows(round, *req.Award) {
			errs = append(errs, FieldError{Pointer: "/award", Message: "Đợt xét này không xét hình thức khen thưởng đã chọn.", MessageEN: "This round does not include the award asked for."})
		}
	}
	return errs
}

func roundAllows(r models.Round, award string) bool {
	var awards []string
	_ = json.Unmarshal([]byte(r.Awards), &awards)
	for _, a := range awards {
		if a == award {
			return true
		}
	}
	return false
}

// loadVisible loads a nomination the caller may see, or answers 404 (not
// 403: the existence of another unit's nomination is not disclosed).
func (s *Server) loadVisible(c echo.Context) (models.Nomination, error) {
	var n models.Nomination
	db := s.DB.WithContext(c.Request().Context())
	err := db.Where("id = ?", c.Param("id")).Scopes(s.visibleTo(currentCaller(c))).First(&n).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return n, problem(http.StatusNotFound, "Không tìm thấy hồ sơ đề nghị này.", "No such nomination.")
	}
	return n, err
}

// visibleTo limits a nominations query to what the caller may see:
// nominators (and a unit's administrator) their own unit's; reviewers
// those whose route passes their unit at their level; Interior officers
// and the province's administrator all.
func (s *Server) visibleTo(who caller) func(*gorm.DB) *gorm.DB {
	return func(q *gorm.DB) *gorm.DB {
		switch {
		case who.User.Role == models.RoleInterior || who.ProvinceWide():
			return q
		case who.User.Role == models.RoleReviewer:
			return q.Where("EXISTS (SELECT 1 FROM route_steps rs WHERE rs.nomination_id = nominations.id AND rs.unit_id = ? AND rs.level = ?)",
				who.User.UnitID, who.Unit.ReviewLevel)
		default:
			return q.Where("nominations.unit_id = ?", who.User.UnitID)
		}
	}
}

func (s *Server) getNomination(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	v := s.viewNomination(n)
	var steps []models.ReviewStep
	if err := s.DB.WithContext(c.Request().Context()).Where("nomination_id = ?", n.ID).Order("seq").Find(&steps).Error; err != nil {
		return err
	}
	v.History = []historyView{}
	for _, st := range steps {
		v.History = append(v.History, historyView{Seq: st.Seq, Action: st.Action, Level: st.Level, UnitID: st.UnitID,
			ActorID: st.ActorID, ActorName: st.ActorName, Comment: st.Comment, FromStatus: st.FromStatus,
			ToStatus: st.ToStatus, DossierVersion: st.DossierVersion, At: st.At})
	}
	if v.Certificate, err = s.issuedFor(c, n.ID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (s *Server) patchNomination(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	var req nominationRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if n.Status != workflows.StatusDraft && n.Status != workflows.StatusReturned {
		return problem(http.StatusConflict,
			"Chỉ sửa được hồ sơ đang soạn hoặc bị trả lại để bổ sung (trạng thái hiện tại: "+n.Status+").",
			"Only a draft or a returned nomination can be edited (status "+n.Status+").")
	}
	var errs []FieldError
	if req.RoundID != nil && *req.RoundID != n.RoundID {
		errs = append(errs, FieldError{Pointer: "/round_id", Message: "Không thể chuyển hồ sơ sang đợt khác.", MessageEN: "The round cannot be changed."})
	}
	if n.Status == workflows.StatusReturned || n.Route != "" {
		// Once a route was planned for the award (a submission was made or
		// attempted), the award and the kind are fixed: the workflow
		// carries that route.
		if req.Award != nil && *req.Award != n.Award {
			errs = append(errs, FieldError{Pointer: "/award", Message: "Không đổi hình thức khen thưởng khi bổ sung hồ sơ.", MessageEN: "The award cannot change after submission."})
		}
		if req.NomineeKind != nil && *req.NomineeKind != n.NomineeKind {
			errs = append(errs, FieldError{Pointer: "/nominee_kind", Message: "Không đổi loại đối tượng khi bổ sung hồ sơ.", MessageEN: "The nominee kind cannot change after submission."})
		}
	}
	var round models.Round
	if err := s.DB.WithContext(c.Request().Context()).First(&round, "id = ?", n.RoundID).Error; err != nil {
		return err
	}
	errs = append(errs, validateFields(req, round)...)
	set := map[string]any{}
	if req.Dossier != nil {
		dossier, derrs := cleanDossier(req.Dossier)
		errs = append(errs, derrs...)
		set["dossier"] = dossier
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	if req.NomineeKind != nil {
		set["nominee_kind"] = *req.NomineeKind
	}
	if req.NomineeName != nil {
		set["nominee_name"] = *req.NomineeName
		set["search_name"] = textnorm.Fold(*req.NomineeName)
	}
	if req.Award != nil {
		set["award"] = *req.Award
	}
	if len(set) > 0 {
		// The status guard makes an edit racing a submission lose cleanly.
		res := s.DB.WithContext(c.Request().Context()).Model(&models.Nomination{}).
			Where("id = ? AND status = ? AND pending_version <= dossier_version", n.ID, n.Status).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return problem(http.StatusConflict, "Hồ sơ đang được gửi hoặc vừa thay đổi trạng thái; tải lại rồi thử lại.",
				"The nomination is being submitted or changed state meanwhile; reload and retry.")
		}
	}
	return s.respondNomination(c, n.ID)
}

func (s *Server) respondCreated(c echo.Context, id string) error {
	var n models.Nomination
	if err := s.DB.WithContext(c.Request().Context()).First(&n, "id = ?", id).Error; err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/nominations/"+n.ID)
	return c.JSON(http.StatusCreated, s.viewNomination(n))
}

func (s *Server) respondNomination(c echo.Context, id string) error {
	var n models.Nomination
	if err := s.DB.WithContext(c.Request().Context()).First(&n, "id = ?", id).Error; err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.viewNomination(n))
}

// page reads ?page= and ?per_page= (1-based; 20 per page, at most 100).
func page(c echo.Context) (int, int, error) {
	p, per := 1, 20
	var errs []FieldError
	if v := c.QueryParam("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			errs = append(errs, FieldError{Pointer: "/page", Message: "Số trang phải là số nguyên dương.", MessageEN: "page must be a positive integer."})
		}
		p = n
	}
	if v := c.QueryParam("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			errs = append(errs, FieldError{Pointer: "/per_page", Message: "Số dòng mỗi trang từ 1 đến 100.", MessageEN: "per_page must be between 1 and 100."})
		}
		per = n
	}
	if len(errs) > 0 {
		return 0, 0, invalid(errs)
	}
	return p, per, nil
}

type listResponse struct {
	Items   []nominationView `json:"items"`
	Total   int64            `json:"total"`
	Page    int              `json:"page"`
	PerPage int              `json:"per_page"`
}

func (s *Server) listNominations(c echo.Context) error {
	q, err := s.listQuery(c)
	if err != nil {
		return err
	}
	return s.respondList(c, q)
}

func (s *Server) inbox(c echo.Context) error {
	q, err := s.inboxQuery(c)
	if err != nil {
		return err
	}
	return s.respondList(c, q)
}

// listQuery is the nominations the caller may see, filtered by round,
// status, level, unit, award, overdue and an accent-insensitive name search.
func (s *Server) listQuery(c echo.Context) (*gorm.DB, error) {
	q := s.DB.WithContext(c.Request().Context()).Model(&models.Nomination{}).Scopes(s.visibleTo(currentCaller(c)))
	filters := []struct{ param, column string }{
		{"round", "nominations.round_id"}, {"status", "nominations.status"}, {"level", "nominations.current_level"},
		{"unit", "nominations.unit_id"}, {"award", "nominations.award"},
	}
	for _, f := range filters {
		if v := c.QueryParam(f.param); v != "" {
			q = q.Where(f.column+" = ?", v)
		}
	}
	switch c.QueryParam("overdue") {
	case "":
	case "true":
		q = q.Where("nominations.status = ? AND nominations.due_at < ?", workflows.StatusInReview, s.now().UTC())
	case "false":
		q = q.Where("NOT (nominations.status = ? AND nominations.due_at IS NOT NULL AND nominations.due_at < ?)",
			workflows.StatusInReview, s.now().UTC())
	default:
		return nil, invalid([]FieldError{{Pointer: "/overdue", Message: "overdue phải là true hoặc false.", MessageEN: "overdue must be true or false."}})
	}
	if v := c.QueryParam("q"); v != "" {
		q = q.Where(`nominations.search_name LIKE ? ESCAPE '\'`, "%"+escapeLike(textnorm.Fold(v))+"%")
	}
	return q, nil
}

// inboxQuery is what waits for the caller: for a reviewer, the nominations
// at their unit and level; for a nominating body, those returned to it.
func (s *Server) inboxQuery(c echo.Context) (*gorm.DB, error) {
	who := currentCaller(c)
	q := s.DB.WithContext(c.Request().Context()).Model(&models.Nomination{})
	switch who.User.Role {
	case models.RoleReviewer, models.RoleInterior:
		q = q.Where("nominations.status = ? AND nominations.current_level = ? AND nominations.current_unit_id = ?",
			workflows.StatusInReview, who.Unit.ReviewLevel, who.User.UnitID)
	case models.RoleNominator:
		q = q.Where("nominations.status = ? AND nominations.unit_id = ?", workflows.StatusReturned, who.User.UnitID)
	default:
		q = q.Where("1 = 0")
	}
	return q, nil
}

// sortable maps the ?sort= keys to columns; a leading "-" sorts descending.
var sortable = map[string]string{
	"created_at": "nominations.created_at", "updated_at": "nominations.updated_at",
	"submitted_at": "nominations.submitted_at", "due_at": "nominations.due_at",
	"nominee_name": "nominations.search_name", "status": "nominations.status",
}

// order applies ?sort= (default -updated_at), with the ID as tie-breaker
// so that pages are stable.
func order(c echo.Context, q *gorm.DB) (*gorm.DB, error) {
	key := c.QueryParam("sort")
	if key == "" {
		key = "-updated_at"
	}
	dir := "ASC"
	if strings.HasPrefix(key, "-") {
		key, dir = key[1:], "DESC"
	}
	col, ok := sortable[key]
	if !ok {
		return nil, invalid([]FieldError{{Pointer: "/sort", Message: "Chỉ sắp xếp theo created_at, updated_at, submitted_at, due_at, nominee_name hoặc status (thêm - để giảm dần).", MessageEN: "sort must be one of created_at, updated_at, submitted_at, due_at, nominee_name, status, optionally prefixed by -."}})
	}
	return q.Order(col + " " + dir).Order("nominations.id " + dir), nil
}

func (s *Server) respondList(c echo.Context, q *gorm.DB) error {
	p, per, err := page(c)
	if err != nil {
		return err
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return err
	}
	q, err = order(c, q)
	if err != nil {
		return err
	}
	var rows []models.Nomination
	if err := q.Omit("dossier").Limit(per).Offset((p - 1) * per).Find(&rows).Error; err != nil {
		return err
	}
	out := listResponse{Items: make([]nominationView, 0, len(rows)), Total: total, Page: p, PerPage: per}
	for _, n := range rows {
		v := s.viewNomination(n)
		v.Dossier = nil
		out.Items = append(out.Items, v)
	}
	return c.JSON(http.StatusOK, out)
}

// escapeLike escapes the LIKE wildcards of a search term (the query says
// ESCAPE '\'), so "50%" searches for "50%".
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

func normalizeAny(v any, ptr string, errs *[]FieldError) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := ptr + "/" + k
			if s, ok := e.(string); ok {
				if !textnorm.Valid(s) {
					*errs = append(*errs, controlError(p))
				}
				x[k] = textnorm.Clean(s)
				continue
			}
			normalizeAny(e, p, errs)
		}
	case []any:
		for i, e := range x {
			p := fmt.Sprintf("%s/%d", ptr, i)
			if s, ok := e.(string); ok {
				if !textnorm.Valid(s) {
					*errs = append(*errs, controlError(p))
				}
				x[i] = textnorm.Clean(s)
				continue
			}
			normalizeAny(e, p, errs)
		}
	}
}
