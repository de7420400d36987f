package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/forms"
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

// NominationView is a nomination as the API sends it and the pages show
// it.
type NominationView struct {
	ID          string `json:"id"`
	RoundID     string `json:"round_id"`
	UnitID      string `json:"unit_id"`
	NomineeKind string `json:"nominee_kind"`
	NomineeName string `json:"nominee_name"`
	Award       string `json:"award"`
	// Form is the version of the dossier form the nomination was filed
	// under, with its legal source.
	Form           *FormSource     `json:"form,omitempty"`
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
	History        []HistoryView   `json:"history,omitempty"`
	// Eligibility is the award's rules evaluated at submission: pass,
	// fail or warning with the reason, for the reviewers.
	Eligibility json.RawMessage `json:"eligibility,omitempty"`
	// LearningIndicators are the nominating unit's figures in the
	// movement, for a collective or a community in a sơ kết or tổng kết
	// round, on its own page only (nominationindicators.go).
	LearningIndicators *NominationIndicators `json:"learning_indicators,omitempty"`
	// Certificate is the certificate issued for the nomination, on its own
	// page only: the nominating body finds its PDF and verification page.
	Certificate *IssuedView `json:"certificate,omitempty"`
	// Allowed lists what the caller may do to it now (its own page only;
	// the web UI shows a button for each).
	Allowed []access.Action `json:"-"`
}

// HistoryView is one transition of the audit trail.
type HistoryView struct {
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

// NominationPage is a page of a list.
type NominationPage struct {
	Items   []NominationView `json:"items"`
	Total   int64            `json:"total"`
	Page    int              `json:"page"`
	PerPage int              `json:"per_page"`
}

func (s *Service) viewNomination(n models.Nomination) NominationView {
	v := NominationView{ID: n.ID, RoundID: n.RoundID, UnitID: n.UnitID, NomineeKind: n.NomineeKind,
		NomineeName: n.NomineeName, Award: n.Award, Form: formSource(n), Dossier: json.RawMessage(n.Dossier),
		DossierVersion: n.DossierVersion, Status: n.Status, CurrentLevel: n.CurrentLevel,
		CurrentUnitID: n.CurrentUnitID, CurrentStep: n.CurrentStep, DueAt: n.DueAt, EscalatedAt: n.EscalatedAt,
		Overdue:     n.Status == workflows.StatusInReview && n.DueAt != nil && s.now().After(*n.DueAt),
		SubmittedAt: n.SubmittedAt, FinishedAt: n.FinishedAt, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt}
	if n.Eligibility != "" {
		v.Eligibility = json.RawMessage(n.Eligibility)
	}
	if r, ok := n.PlannedRoute(); ok {
		v.Route = &r
	}
	return v
}

// NominationInput is the body of a create or a patch. Pointers tell
// "absent" from "empty" for a patch.
type NominationInput struct {
	RoundID     *string         `json:"round_id"`
	NomineeKind *string         `json:"nominee_kind"`
	NomineeName *string         `json:"nominee_name"`
	Award       *string         `json:"award"`
	Dossier     json.RawMessage `json:"dossier"`
}

// clean puts the input's text in NFC, trimmed, refusing control
// characters (the API's decoding did it already; a web form did not).
func (in *NominationInput) clean() []FieldError {
	return cleanText(map[string]*string{"/round_id": in.RoundID, "/nominee_kind": in.NomineeKind,
		"/nominee_name": in.NomineeName, "/award": in.Award})
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
	out, err := json.Marshal(obj)
	if err != nil { // decoded from JSON a moment ago: cannot fail
		return "", []FieldError{{Pointer: "/dossier", Message: "Hồ sơ phải là một đối tượng JSON.", MessageEN: err.Error()}}
	}
	return string(out), nil
}

// CleanJSON cleans every string of a decoded JSON value in place (NFC,
// trimmed) and lists, by pointer under ptr, those with control
// characters: the API's decoding of free-form JSON uses it.
func CleanJSON(v any, ptr string) []FieldError {
	var errs []FieldError
	normalizeAny(v, ptr, &errs)
	return errs
}

// normalizeAny cleans every string of a decoded JSON value in place.
func normalizeAny(v any, ptr string, errs *[]FieldError) {
	clean := func(p, s string) string {
		if !textnorm.Valid(s) {
			*errs = append(*errs, FieldError{Pointer: p, Message: "Chứa ký tự điều khiển không hợp lệ.",
				MessageEN: "Contains control characters."})
		}
		return textnorm.Clean(s)
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				x[k] = clean(ptr+"/"+k, s)
				continue
			}
			normalizeAny(e, ptr+"/"+k, errs)
		}
	case []any:
		for i, e := range x {
			p := fmt.Sprintf("%s/%d", ptr, i)
			if s, ok := e.(string); ok {
				x[i] = clean(p, s)
				continue
			}
			normalizeAny(e, p, errs)
		}
	}
}

// nominationDraft checks a complete create request — round, kind, name,
// award, dossier — for the caller's unit and builds the draft row. The
// import builds each of its rows through it too.
func (s *Service) nominationDraft(ctx context.Context, who Caller, in NominationInput) (models.Nomination, []FieldError, error) {
	var errs []FieldError
	round, err := s.roundForDraft(ctx, in.RoundID, &errs)
	if err != nil {
		return models.Nomination{}, nil, err
	}
	for _, f := range []struct {
		ptr string
		v   *string
	}{{"/nominee_kind", in.NomineeKind}, {"/nominee_name", in.NomineeName}, {"/award", in.Award}} {
		if f.v == nil {
			errs = append(errs, Required(f.ptr))
		}
	}
	errs = append(errs, validateFields(in, round)...)
	if round.ID != "" {
		dir, err := s.ref.Directory(ctx, round.ReferenceDate)
		if err != nil {
			return models.Nomination{}, nil, fmt.Errorf("units on %s: %w", round.ReferenceDate.Format(time.DateOnly), err)
		}
		if _, ok := dir.Unit(who.User.UnitID); !ok {
			errs = append(errs, FieldError{Pointer: "/round_id",
				Message:   "Đơn vị của bạn không tồn tại vào thời điểm của đợt xét này (" + round.ReferenceDate.Format("02/01/2006") + ").",
				MessageEN: "Your unit is not in force at this round's reference date."})
		}
	}
	dossier := "{}"
	if in.Dossier != nil {
		var derrs []FieldError
		dossier, derrs = cleanDossier(in.Dossier)
		errs = append(errs, derrs...)
	}
	var form forms.Form
	if round.ID != "" && in.NomineeKind != nil && nomineeKinds[*in.NomineeKind] {
		var ok bool
		if form, ok = s.formInForce(*in.NomineeKind, round); !ok {
			errs = append(errs, FieldError{Pointer: "/round_id",
				Message:   "Không có mẫu hồ sơ nào có hiệu lực vào ngày của đợt xét này (" + round.ReferenceDate.Format("02/01/2006") + ").",
				MessageEN: "No dossier form is in force at this round's reference date."})
		}
	}
	if len(errs) > 0 {
		return models.Nomination{}, errs, nil
	}
	n := models.Nomination{ID: uuid.NewString(), RoundID: round.ID, UnitID: who.User.UnitID, CreatedBy: who.User.ID,
		NomineeKind: *in.NomineeKind, NomineeName: *in.NomineeName, SearchName: textnorm.Fold(*in.NomineeName),
		Award: *in.Award, FormCode: form.Code, FormVersion: form.Version, Dossier: dossier, Status: workflows.StatusDraft}
	n.WorkflowID = workflows.WorkflowID(n.ID)
	return n, nil, nil
}

// roundForDraft finds the round a new draft names, by ID or code.
func (s *Service) roundForDraft(ctx context.Context, id *string, errs *[]FieldError) (models.Round, error) {
	var round models.Round
	if id == nil || *id == "" {
		*errs = append(*errs, Required("/round_id"))
		return round, nil
	}
	err := s.db.WithContext(ctx).First(&round, "id = ? OR code = ?", *id, *id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		*errs = append(*errs, FieldError{Pointer: "/round_id", Message: "Không có đợt xét khen thưởng này.", MessageEN: "No such round."})
		return round, nil
	}
	if err != nil {
		return round, fmt.Errorf("round %q: %w", *id, err)
	}
	return round, nil
}

// CreateNomination creates a draft for the caller's unit. A retried
// creation with the same idempotency key (empty: none) returns the draft
// the first one made.
func (s *Service) CreateNomination(ctx context.Context, who Caller, in NominationInput, key string) (NominationView, error) {
	if err := who.Require(models.RoleNominator); err != nil {
		return NominationView{}, err
	}
	if errs := in.clean(); len(errs) > 0 {
		return NominationView{}, Invalid(errs...)
	}
	n, errs, err := s.nominationDraft(ctx, who, in)
	if err != nil {
		return NominationView{}, err
	}
	if len(errs) > 0 {
		return NominationView{}, Invalid(errs...)
	}
	if err := s.rememberKey(ctx, who, opCreate, key, in); err != nil {
		return NominationView{}, err
	}
	if key != "" {
		var prior models.CreateKey
		if err := s.db.WithContext(ctx).Where("user_id = ? AND idem_key = ?", who.User.ID, key).
			Limit(1).Find(&prior).Error; err != nil {
			return NominationView{}, fmt.Errorf("look up creation key: %w", err)
		}
		if prior.NominationID != "" {
			return s.projected(ctx, prior.NominationID)
		}
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
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
		if err := s.db.WithContext(ctx).First(&prior, "user_id = ? AND idem_key = ?", who.User.ID, key).Error; err != nil {
			return NominationView{}, fmt.Errorf("look up creation key: %w", err)
		}
		return s.projected(ctx, prior.NominationID)
	}
	if err != nil {
		return NominationView{}, fmt.Errorf("create nomination: %w", err)
	}
	return s.viewNomination(n), nil
}

// validateFields checks the fields present in a create or patch request.
func validateFields(in NominationInput, round models.Round) []FieldError {
	var errs []FieldError
	if in.NomineeKind != nil && !nomineeKinds[*in.NomineeKind] {
		errs = append(errs, FieldError{Pointer: "/nominee_kind",
			Message:   "Loại đối tượng phải là individual, household, clan, collective, enterprise hoặc community.",
			MessageEN: "Nominee kind must be individual, household, clan, collective, enterprise or community."})
	}
	if in.NomineeName != nil {
		if strings.ContainsAny(*in.NomineeName, "\r\n\t") {
			errs = append(errs, FieldError{Pointer: "/nominee_name", Message: "Tên đối tượng phải nằm trên một dòng.",
				MessageEN: "The nominee name must be one line."})
		} else if l := len([]rune(*in.NomineeName)); l == 0 || l > 255 {
			errs = append(errs, FieldError{Pointer: "/nominee_name", Message: "Tên đối tượng bắt buộc, tối đa 255 ký tự.",
				MessageEN: "Nominee name is required, at most 255 characters."})
		}
	}
	if in.Award != nil {
		if _, err := routing.LookupAward(routing.Award(*in.Award)); err != nil {
			errs = append(errs, FieldError{Pointer: "/award", Message: "Hình thức khen thưởng không tồn tại.", MessageEN: "Unknown award."})
		} else if round.ID != "" && !roundAllows(round, *in.Award) {
			errs = append(errs, FieldError{Pointer: "/award", Message: "Đợt xét này không xét hình thức khen thưởng đã chọn.",
				MessageEN: "This round does not include the award asked for."})
		}
	}
	return errs
}

// roundAllows reports whether the round takes nominations for award.
func roundAllows(r models.Round, award string) bool {
	var awards []string
	if err := json.Unmarshal([]byte(r.Awards), &awards); err != nil {
		return false // a round whose awards cannot be read allows none
	}
	for _, a := range awards {
		if a == award {
			return true
		}
	}
	return false
}

// errNoNomination answers for a nomination the caller may not see: 404,
// not 403, so that another unit's nominations are not disclosed.
var errNoNomination = NotFound("Không tìm thấy hồ sơ đề nghị này.", "No such nomination.")

// scope is what the caller may see: nominators (and a unit's
// administrator) their own unit's and its predecessors'; reviewers those
// whose route passes their unit, or one it comes from, at their level; Interior officers and the province's
// administrator all.
func scope(who Caller) models.NominationScope {
	switch {
	case who.User.Role == models.RoleInterior || who.ProvinceWide():
		return models.NominationScope{All: true}
	case who.User.Role == models.RoleReviewer:
		return models.NominationScope{ReviewUnitIDs: who.units(), ReviewLevel: who.Unit.ReviewLevel}
	default:
		return models.NominationScope{BodyUnitIDs: who.units()}
	}
}

// seenBy limits a query over nominations to the caller's scope.
func seenBy(who Caller) func(*gorm.DB) *gorm.DB { return scope(who).Apply }

// VisibleNomination loads a nomination the caller may see, or refuses
// with ErrNotFound.
func (s *Service) VisibleNomination(ctx context.Context, who Caller, id string) (models.Nomination, error) {
	n, err := models.VisibleNomination(ctx, s.db, scope(who), id)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return n, errNoNomination
	}
	if err != nil {
		return n, fmt.Errorf("load nomination %s: %w", id, err)
	}
	return n, nil
}

// projected is a nomination as the read model now has it.
func (s *Service) projected(ctx context.Context, id string) (NominationView, error) {
	var n models.Nomination
	if err := s.db.WithContext(ctx).First(&n, "id = ?", id).Error; err != nil {
		return NominationView{}, fmt.Errorf("load nomination %s: %w", id, err)
	}
	return s.viewNomination(n), nil
}

// Nomination is one nomination the caller may see, with its history, its
// certificate once issued, and what the caller may do to it.
func (s *Service) Nomination(ctx context.Context, who Caller, id string) (NominationView, error) {
	n, err := s.VisibleNomination(ctx, who, id)
	if err != nil {
		return NominationView{}, err
	}
	v := s.viewNomination(n)
	var steps []models.ReviewStep
	if err := s.db.WithContext(ctx).Where("nomination_id = ?", n.ID).Order("seq").Find(&steps).Error; err != nil {
		return NominationView{}, fmt.Errorf("history of %s: %w", n.ID, err)
	}
	v.History = []HistoryView{}
	for _, st := range steps {
		v.History = append(v.History, HistoryView{Seq: st.Seq, Action: st.Action, Level: st.Level, UnitID: st.UnitID,
			ActorID: st.ActorID, ActorName: st.ActorName, Comment: st.Comment, FromStatus: st.FromStatus,
			ToStatus: st.ToStatus, DossierVersion: st.DossierVersion, At: st.At})
	}
	v.Allowed = s.Allowed(who, n)
	if v.LearningIndicators, err = s.nominationIndicators(ctx, who, n); err != nil {
		return NominationView{}, err
	}
	if v.Certificate, err = s.IssuedFor(ctx, who, n.ID); err != nil {
		return NominationView{}, err
	}
	return v, nil
}

// Allowed lists what the caller may do to the nomination now: the rule
// the workflow's validators apply, which the web UI's buttons follow.
func (s *Service) Allowed(who Caller, n models.Nomination) []access.Action {
	return access.Allowed(who.Actor(), access.Nomination{BodyUnitID: n.UnitID, Status: n.Status, Step: n.CurrentStep,
		CurrentLevel: n.CurrentLevel, CurrentUnitID: n.CurrentUnitID, HasDeadline: n.DueAt != nil})
}

// PatchNomination edits a draft or a returned nomination.
func (s *Service) PatchNomination(ctx context.Context, who Caller, id string, in NominationInput) (NominationView, error) {
	if err := who.Require(models.RoleNominator); err != nil {
		return NominationView{}, err
	}
	n, err := s.VisibleNomination(ctx, who, id)
	if err != nil {
		return NominationView{}, err
	}
	if errs := in.clean(); len(errs) > 0 {
		return NominationView{}, Invalid(errs...)
	}
	if n.Status != workflows.StatusDraft && n.Status != workflows.StatusReturned {
		return NominationView{}, Conflict(
			"Chỉ sửa được hồ sơ đang soạn hoặc bị trả lại để bổ sung (trạng thái hiện tại: "+n.Status+").",
			"Only a draft or a returned nomination can be edited (status "+n.Status+").")
	}
	var errs []FieldError
	if in.RoundID != nil && *in.RoundID != n.RoundID {
		errs = append(errs, FieldError{Pointer: "/round_id", Message: "Không thể chuyển hồ sơ sang đợt khác.", MessageEN: "The round cannot be changed."})
	}
	if n.Status == workflows.StatusReturned || n.Route != "" {
		// Once a route was planned for the award (a submission was made or
		// attempted), the award and the kind are fixed: the workflow
		// carries that route.
		if in.Award != nil && *in.Award != n.Award {
			errs = append(errs, FieldError{Pointer: "/award", Message: "Không đổi hình thức khen thưởng khi bổ sung hồ sơ.", MessageEN: "The award cannot change after submission."})
		}
		if in.NomineeKind != nil && *in.NomineeKind != n.NomineeKind {
			errs = append(errs, FieldError{Pointer: "/nominee_kind", Message: "Không đổi loại đối tượng khi bổ sung hồ sơ.", MessageEN: "The nominee kind cannot change after submission."})
		}
	}
	var round models.Round
	if err := s.db.WithContext(ctx).First(&round, "id = ?", n.RoundID).Error; err != nil {
		return NominationView{}, fmt.Errorf("round of %s: %w", n.ID, err)
	}
	errs = append(errs, validateFields(in, round)...)
	set := map[string]any{}
	if in.Dossier != nil {
		dossier, derrs := cleanDossier(in.Dossier)
		errs = append(errs, derrs...)
		set["dossier"] = dossier
	}
	if len(errs) > 0 {
		return NominationView{}, Invalid(errs...)
	}
	if in.NomineeKind != nil && *in.NomineeKind != n.NomineeKind {
		// The draft keeps its version: the new kind's form of the same
		// version, under the same instrument.
		set["nominee_kind"] = *in.NomineeKind
		set["form_code"] = forms.Code(*in.NomineeKind)
	}
	if in.NomineeName != nil {
		set["nominee_name"] = *in.NomineeName
		set["search_name"] = textnorm.Fold(*in.NomineeName)
	}
	if in.Award != nil {
		set["award"] = *in.Award
	}
	if len(set) > 0 {
		// The status guard makes an edit racing a submission lose cleanly.
		res := s.db.WithContext(ctx).Model(&models.Nomination{}).
			Where("id = ? AND status = ? AND pending_version <= dossier_version", n.ID, n.Status).Updates(set)
		if res.Error != nil {
			return NominationView{}, fmt.Errorf("patch %s: %w", n.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			return NominationView{}, Conflict("Hồ sơ đang được gửi hoặc vừa thay đổi trạng thái; tải lại rồi thử lại.",
				"The nomination is being submitted or changed state meanwhile; reload and retry.")
		}
	}
	return s.projected(ctx, n.ID)
}

// ListQuery is a list or inbox request: the filter (validated by the
// adapter's parsing) and the page.
type ListQuery = models.NominationFilter

// checkSort refuses a sort key lists do not have.
func checkSort(key string) error {
	if _, ok := models.SortKeys[strings.TrimPrefix(key, "-")]; ok || key == "" {
		return nil
	}
	return Invalid(FieldError{Pointer: "/sort",
		Message:   "Chỉ sắp xếp theo created_at, updated_at, submitted_at, due_at, nominee_name hoặc status (thêm - để giảm dần).",
		MessageEN: "sort must be one of created_at, updated_at, submitted_at, due_at, nominee_name, status, optionally prefixed by -."})
}

// Nominations is a page of the nominations the caller may see.
func (s *Service) Nominations(ctx context.Context, who Caller, q ListQuery) (NominationPage, error) {
	if err := checkSort(q.Sort); err != nil {
		return NominationPage{}, err
	}
	q.Now = s.now()
	if err := s.widenToPredecessors(ctx, &q); err != nil {
		return NominationPage{}, err
	}
	return s.page(ctx, scope(who), q)
}

// inbox is what waits for the caller: for a reviewer, the nominations at
// their unit and level; for a nominating body, those returned to it.
func inbox(who Caller) models.InboxScope {
	switch who.User.Role {
	case models.RoleReviewer, models.RoleInterior:
		return models.InboxScope{ReviewUnitID: who.User.UnitID, ReviewLevel: who.Unit.ReviewLevel}
	case models.RoleNominator:
		return models.InboxScope{BodyUnitID: who.User.UnitID}
	}
	return models.InboxScope{}
}

// Inbox is a page of what waits for the caller (sorted and paged by q;
// its filters do not apply).
func (s *Service) Inbox(ctx context.Context, who Caller, q ListQuery) (NominationPage, error) {
	if err := checkSort(q.Sort); err != nil {
		return NominationPage{}, err
	}
	sc, f := inbox(who).Nominations(ListQuery{Sort: q.Sort, Page: q.Page, PerPage: q.PerPage, Now: s.now()})
	return s.page(ctx, sc, f)
}

func (s *Service) page(ctx context.Context, sc models.NominationScope, f ListQuery) (NominationPage, error) {
	if f.Page < 1 {
		f.Page = 1
	}
	if f.PerPage < 1 {
		f.PerPage = 20
	}
	rows, total, err := models.ListNominations(ctx, s.db, sc, f)
	if err != nil {
		return NominationPage{}, err
	}
	out := NominationPage{Items: make([]NominationView, 0, len(rows)), Total: total, Page: f.Page, PerPage: f.PerPage}
	for _, n := range rows {
		v := s.viewNomination(n)
		v.Dossier = nil
		out.Items = append(out.Items, v)
	}
	return out, nil
}

// EachNomination calls fn for every nomination of the caller's list (or,
// inbox set, of their inbox) in order, for exports.
func (s *Service) EachNomination(ctx context.Context, who Caller, q ListQuery, inboxOnly bool, fn func(models.Nomination) error) error {
	q.Now = s.now()
	if err := s.widenToPredecessors(ctx, &q); err != nil {
		return err
	}
	sc := scope(who)
	if inboxOnly {
		sc, q = inbox(who).Nominations(ListQuery{Sort: q.Sort, Now: q.Now})
	}
	return models.EachNomination(ctx, s.db, sc, q, fn)
}

// CountNominations is how many nominations of the caller's list (or
// inbox) there are, to refuse an export too large to build.
func (s *Service) CountNominations(ctx context.Context, who Caller, q ListQuery, inboxOnly bool) (int64, error) {
	q.Now = s.now()
	if err := s.widenToPredecessors(ctx, &q); err != nil {
		return 0, err
	}
	sc := scope(who)
	if inboxOnly {
		sc, q = inbox(who).Nominations(ListQuery{Sort: q.Sort, Now: q.Now})
	}
	q.PerPage, q.Page = 1, 1
	_, total, err := models.ListNominations(ctx, s.db, sc, q)
	return total, err
}

// widenToPredecessors turns a list of one unit's nominations "with
// predecessors" into one of that unit's and those of every unit it comes
// from (the new Phường Dĩ An: old Dĩ An, An Bình, part of Tân Đông Hiệp).
func (s *Service) widenToPredecessors(ctx context.Context, q *ListQuery) error {
	if !q.WithPredecessors || q.BodyUnitID == "" {
		return nil
	}
	lineage, err := s.ref.Lineage(ctx)
	if err != nil {
		return err
	}
	q.BodyUnitIDs, q.BodyUnitID = models.WithPredecessors(lineage, q.BodyUnitID), ""
	return nil
}

// Nomination is a nomination's row, for the adapters that pass one back
// to the service (attachments, versions).
type Nomination = models.Nomination
