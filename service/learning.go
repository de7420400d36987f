package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
)

// The register of learning titles: holders, and each year's decision on
// their title. A commune's staff (or a body's, for its own organisation
// and people) keep their units' rows; the province's administrator,
// Interior and Education see every row. A recognition is written with
// its tally in one transaction, so the indicators always agree with the
// rows; bad input is refused by field with nothing written.

// HolderInput is a new holder of learning titles. CCCD is used only to
// find the same person twice: it is kept as a keyed hash, never stored,
// shown or exported.
type HolderInput struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	UnitID    string `json:"unit_id"`
	Area      string `json:"area"`
	HeadName  string `json:"head_name"`
	BirthYear int    `json:"birth_year"`
	Address   string `json:"address"`
	Category  string `json:"category"`
	CCCD      string `json:"cccd"`
	SinceYear int    `json:"since_year"`
}

// HolderView is a holder as the API shows it, with its recognitions,
// newest first, and for each title the years it has been recognised
// running up to its latest.
type HolderView struct {
	ID           string            `json:"id"`
	Kind         string            `json:"kind"`
	Name         string            `json:"name"`
	UnitID       string            `json:"unit_id"`
	UnitName     string            `json:"unit_name,omitempty"`
	Area         string            `json:"area,omitempty"`
	HeadName     string            `json:"head_name,omitempty"`
	BirthYear    int               `json:"birth_year,omitempty"`
	Address      string            `json:"address,omitempty"`
	Category     string            `json:"category,omitempty"`
	SinceYear    int               `json:"since_year"`
	Recognitions []RecognitionView `json:"recognitions"`
	YearsRunning map[string]int    `json:"years_running"`
}

// RecognitionInput is one year's decision on a holder's title.
type RecognitionInput struct {
	HolderID string `json:"holder_id"`
	// UnitID is the unit that recognised it that year: the holder's, or
	// before a reorganisation one the holder's unit comes from (a
	// household of today's Phường Dĩ An recognised in 2024 by old Phường
	// An Bình). Empty: the holder's unit.
	UnitID         string   `json:"unit_id"`
	Title          string   `json:"title"`
	Year           int      `json:"year"`
	Score          *float64 `json:"score"`
	Rating         string   `json:"rating"`
	Status         string   `json:"status"`
	Reason         string   `json:"reason"`
	DecisionNumber string   `json:"decision_number"`
	DecisionDate   string   `json:"decision_date"`
	DecisionBodyID string   `json:"decision_body_id"`
	Evidence       []string `json:"evidence"`
	// Criteria are the points given per criterion of the title's scoring
	// sheet in force for the year (learning.SheetInForce); with them the
	// score is their total and the rating the sheet's.
	Criteria map[string]float64 `json:"criteria,omitempty"`
}

// RecognitionView is a recognition as the API shows it.
type RecognitionView struct {
	ID             string   `json:"id"`
	HolderID       string   `json:"holder_id"`
	HolderName     string   `json:"holder_name,omitempty"`
	Title          string   `json:"title"`
	TitleName      string   `json:"title_name"`
	Year           int      `json:"year"`
	UnitID         string   `json:"unit_id"`
	Area           string   `json:"area,omitempty"`
	Score          *float64 `json:"score,omitempty"`
	Rating         string   `json:"rating,omitempty"`
	Status         string   `json:"status"`
	Reason         string   `json:"reason,omitempty"`
	DecisionNumber string   `json:"decision_number,omitempty"`
	DecisionDate   string   `json:"decision_date,omitempty"`
	DecisionBodyID string   `json:"decision_body_id,omitempty"`
	Evidence       []string `json:"evidence"`
	// Sheet names the scoring sheet and version the criteria were scored
	// under ("PCD-GDHT v1"), with the points.
	Sheet    string             `json:"sheet,omitempty"`
	Criteria map[string]float64 `json:"criteria,omitempty"`
}

// maxScore is the top of the criteria's scoring (TT 25/2023/TT-BGDĐT and
// the communes' sheets score out of 100).
const maxScore = 100

var cccdPattern = regexp.MustCompile(`^[0-9]{12}$`)

// personKey is the keyed hash of a CCCD number: the same number gives the
// same key, and the key gives nothing back without the secret.
func (s *Service) personKey(cccd string) string {
	secret := s.cfg.PersonKey
	if len(secret) == 0 {
		m := hmac.New(sha256.New, s.cfg.Tokens.Secret)
		m.Write([]byte("tdkt learning person key"))
		secret = m.Sum(nil)
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(cccd))
	return hex.EncodeToString(m.Sum(nil))
}

// mayReadRegister refuses a caller who may not read the register of
// unitID: the unit's own staff and those above it may; the province's
// administrator, Interior and Education read every unit's.
func (s *Service) mayReadRegister(ctx context.Context, who Caller, unitID string) error {
	if who.ProvinceWide() || who.User.Role == models.RoleInterior || who.Level() == "education" {
		return nil
	}
	return s.mayKeepRegister(ctx, who, unitID)
}

// mayKeepRegister refuses a caller who may not write the register of
// unitID: only the staff of the unit or of a unit above it (the city's
// administrator above all); reading every unit's rows, as Interior and
// Education do, gives no right to change them.
func (s *Service) mayKeepRegister(ctx context.Context, who Caller, unitID string) error {
	managed, err := s.managedUnits(ctx, who)
	if err != nil {
		return err
	}
	if !managed[unitID] {
		return Forbidden("Đơn vị này không thuộc phạm vi quản lý của bạn.", "This unit is outside your unit's register.")
	}
	return nil
}

// CreateHolder adds a holder of learning titles.
func (s *Service) CreateHolder(ctx context.Context, who Caller, in HolderInput) (HolderView, error) {
	h, errs, err := s.checkHolder(ctx, who, &in)
	if err != nil {
		return HolderView{}, err
	}
	if err := InvalidIf(errs); err != nil {
		return HolderView{}, err
	}
	if err := s.mayKeepRegister(ctx, who, h.UnitID); err != nil {
		return HolderView{}, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return insertHolders(tx, []models.LearningHolder{h}) })
	if err := failed(err, "create holder"); err != nil {
		return HolderView{}, err
	}
	return s.Holder(ctx, who, h.ID)
}

// checkHolder validates a new holder (cleaning in's text in place) and
// builds its row without writing it. Whether who keeps the holder's unit
// is the caller's to ask (the import asks once for all its rows). The API
// and the workbook import both create holders through it.
func (s *Service) checkHolder(ctx context.Context, who Caller, in *HolderInput) (models.LearningHolder, []FieldError, error) {
	errs := cleanText(map[string]*string{"/kind": &in.Kind, "/name": &in.Name, "/unit_id": &in.UnitID, "/area": &in.Area,
		"/head_name": &in.HeadName, "/address": &in.Address, "/category": &in.Category, "/cccd": &in.CCCD})
	kind := learning.HolderKind(in.Kind)
	if !slices.Contains(learning.HolderKinds, kind) {
		errs = append(errs, FieldError{Pointer: "/kind", Message: "Loại đối tượng phải là household, clan, community, organisation, person, commune hoặc district.",
			MessageEN: "kind must be household, clan, community, organisation, person, commune or district."})
	}
	if in.Name == "" {
		errs = append(errs, Required("/name"))
	}
	this := s.now().Year()
	if in.SinceYear < 1945 || in.SinceYear > this {
		errs = append(errs, FieldError{Pointer: "/since_year", Message: fmt.Sprintf("Năm bắt đầu (since_year) từ 1945 đến %d.", this),
			MessageEN: fmt.Sprintf("since_year must be between 1945 and %d.", this)})
	}
	if kind == learning.Person {
		if in.BirthYear < 1900 || in.BirthYear > this {
			errs = append(errs, FieldError{Pointer: "/birth_year", Message: "Năm sinh bắt buộc với một người, từ 1900 đến nay.", MessageEN: "A person needs a year of birth, 1900 to now."})
		}
		if in.Category != "" && in.Category != learning.Worker && in.Category != learning.CivilServant {
			errs = append(errs, FieldError{Pointer: "/category", Message: "Nhóm là worker (người lao động) hoặc civil_servant (cán bộ, công chức, viên chức).",
				MessageEN: "category is worker or civil_servant."})
		}
		if in.CCCD != "" && !cccdPattern.MatchString(in.CCCD) {
			errs = append(errs, FieldError{Pointer: "/cccd", Message: "Số CCCD gồm 12 chữ số.", MessageEN: "A CCCD number has 12 digits."})
		}
	} else if in.CCCD != "" || in.Category != "" {
		errs = append(errs, FieldError{Pointer: "/cccd", Message: "Số CCCD và nhóm chỉ ghi cho một người.", MessageEN: "cccd and category are for a person only."})
	}
	if kind == learning.Household && in.HeadName == "" {
		errs = append(errs, FieldError{Pointer: "/head_name", Message: "Ghi tên chủ hộ.", MessageEN: "A household needs its head's name."})
	}
	unit, err := loadUnit(ctx, s.db, in.UnitID)
	switch {
	case errors.As(err, new(*Error)):
		errs = append(errs, FieldError{Pointer: "/unit_id", Message: "Không có đơn vị này.", MessageEN: "No such unit."})
	case err != nil:
		return models.LearningHolder{}, nil, err
	}
	if len(errs) > 0 {
		return models.LearningHolder{}, errs, nil
	}
	h := models.LearningHolder{ID: uuid.NewString(), Kind: in.Kind, Name: in.Name, UnitID: unit.ID, Area: in.Area, HeadName: in.HeadName,
		BirthYear: in.BirthYear, Address: in.Address, Category: in.Category, SinceYear: in.SinceYear, CreatedBy: who.User.ID}
	if in.CCCD != "" {
		h.PersonKey = s.personKey(in.CCCD)
	}
	return h, nil, nil
}

// insertHolders writes new holders within tx, refusing a person whose
// CCCD the register already holds (the key is unique in practice, not by
// an index: older rows may lack it).
func insertHolders(tx *gorm.DB, hs []models.LearningHolder) error {
	var keys []string
	for _, h := range hs {
		if h.PersonKey != "" {
			keys = append(keys, h.PersonKey)
		}
	}
	for _, part := range chunkStrings(keys) {
		var same models.LearningHolder
		if err := tx.Where("person_key IN ?", part).Limit(1).Find(&same).Error; err != nil {
			return fmt.Errorf("holders by person key: %w", err)
		}
		if same.ID != "" {
			// Named neither by name nor by ID: the person may be kept by
			// a unit the caller does not see.
			return Invalid(FieldError{Pointer: "/cccd", Message: "Người có số CCCD này đã có trong sổ ghi nhận danh hiệu học tập.",
				MessageEN: "The register already holds the person with this CCCD."})
		}
	}
	if len(hs) == 0 {
		return nil
	}
	if err := tx.CreateInBatches(hs, 200).Error; err != nil {
		return fmt.Errorf("insert %d holders: %w", len(hs), err)
	}
	return nil
}

// chunkStrings splits ids into lists short enough for an IN clause on
// both engines; none for none.
func chunkStrings(ids []string) [][]string {
	const size = 900
	var out [][]string
	for len(ids) > 0 {
		n := min(size, len(ids))
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	return out
}

// Holder returns a holder with its recognitions.
func (s *Service) Holder(ctx context.Context, who Caller, id string) (HolderView, error) {
	var h models.LearningHolder
	err := s.db.WithContext(ctx).First(&h, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return HolderView{}, NotFound("Không có đối tượng này trong sổ.", "No such holder.")
	}
	if err != nil {
		return HolderView{}, fmt.Errorf("holder %s: %w", id, err)
	}
	if err := s.mayReadRegister(ctx, who, h.UnitID); err != nil {
		return HolderView{}, err
	}
	var rows []models.LearningRecognition
	if err := s.db.WithContext(ctx).Where("holder_id = ?", id).Order("year DESC, title").Find(&rows).Error; err != nil {
		return HolderView{}, fmt.Errorf("recognitions of %s: %w", id, err)
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return HolderView{}, err
	}
	v := HolderView{ID: h.ID, Kind: h.Kind, Name: h.Name, UnitID: h.UnitID, UnitName: names[h.UnitID], Area: h.Area, HeadName: h.HeadName,
		BirthYear: h.BirthYear, Address: h.Address, Category: h.Category, SinceYear: h.SinceYear,
		Recognitions: make([]RecognitionView, 0, len(rows)), YearsRunning: map[string]int{}}
	for _, r := range rows {
		v.Recognitions = append(v.Recognitions, recognitionView(r, h.Name))
	}
	v.YearsRunning = yearsRunning(rows)
	return v, nil
}

// yearsRunning gives, for each title, how many years up to the latest
// recognised one the holder was recognised without a gap: "Gia đình học
// tập 3 năm liền" is read from the rows, not claimed.
func yearsRunning(rows []models.LearningRecognition) map[string]int {
	years := map[string][]int{}
	for _, r := range rows {
		if r.Status == learning.Recognised {
			years[r.Title] = append(years[r.Title], r.Year)
		}
	}
	out := map[string]int{}
	for title, ys := range years {
		slices.Sort(ys)
		n := 1
		for i := len(ys) - 1; i > 0 && ys[i-1] == ys[i]-1; i-- {
			n++
		}
		out[title] = n
	}
	return out
}

func recognitionView(r models.LearningRecognition, holder string) RecognitionView {
	info, _ := learning.LookupTitle(learning.Title(r.Title))
	v := RecognitionView{ID: r.ID, HolderID: r.HolderID, HolderName: holder, Title: r.Title, TitleName: info.Name, Year: r.Year,
		UnitID: r.UnitID, Area: r.Area, Score: r.Score, Rating: r.Rating, Status: r.Status, Reason: r.Reason,
		DecisionNumber: r.DecisionNumber, DecisionBodyID: r.DecisionBodyID, Evidence: []string{}}
	if r.DecisionDate != nil {
		v.DecisionDate = r.DecisionDate.Format(time.DateOnly)
	}
	// Written by RecordRecognition from a list of strings.
	_ = json.Unmarshal([]byte(r.Evidence), &v.Evidence)
	if r.SheetCode != "" {
		v.Sheet = fmt.Sprintf("%s v%d", r.SheetCode, r.SheetVersion)
		_ = json.Unmarshal([]byte(r.Criteria), &v.Criteria)
	}
	return v
}

// scoreBySheet scores in.Criteria on the title's sheet in force for the
// year and puts the total in in.Score and, for a rated title left
// unrated, the sheet's rating in in.Rating. A total below the sheet's
// threshold cannot be recognised; a score or a rating typed that the
// points contradict is refused.
func (s *Service) scoreBySheet(in *RecognitionInput) (*learning.Sheet, []FieldError) {
	sheet, ok := learning.SheetInForce(learning.Title(in.Title), s.figuresDay(in.Year))
	if !ok {
		return nil, []FieldError{{Pointer: "/criteria", Message: fmt.Sprintf("Chưa có phiếu chấm điểm danh hiệu này cho năm %d.", in.Year),
			MessageEN: fmt.Sprintf("No scoring sheet of this title for %d.", in.Year)}}
	}
	total, serrs := sheet.Score(in.Criteria)
	var errs []FieldError
	for _, e := range serrs {
		errs = append(errs, FieldError{Pointer: "/criteria/" + e.Criterion, Message: e.Message, MessageEN: e.MessageEN})
	}
	if len(errs) > 0 {
		return &sheet, errs
	}
	if in.Score != nil && *in.Score != total {
		errs = append(errs, FieldError{Pointer: "/score", Message: fmt.Sprintf("Điểm %g khác tổng điểm các tiêu chí (%g).", *in.Score, total),
			MessageEN: fmt.Sprintf("The score %g is not the criteria's total %g.", *in.Score, total)})
	}
	in.Score = &total
	recognised, rating := sheet.Verdict(total)
	if in.Status == learning.Recognised && !recognised {
		errs = append(errs, FieldError{Pointer: "/criteria", Message: fmt.Sprintf("Tổng điểm %g dưới ngưỡng công nhận %g của phiếu %s (phiên bản %d).", total, sheet.Threshold, sheet.Code, sheet.Version),
			MessageEN: fmt.Sprintf("A total of %g is below the sheet's threshold of %g.", total, sheet.Threshold)})
	}
	if len(sheet.Ratings) > 0 && recognised {
		switch {
		case in.Rating == "":
			in.Rating = rating
		case in.Rating != rating:
			errs = append(errs, FieldError{Pointer: "/rating", Message: fmt.Sprintf("Tổng điểm %g cho xếp loại %s, không phải %s.", total, rating, in.Rating),
				MessageEN: fmt.Sprintf("A total of %g rates %s, not %s.", total, rating, in.Rating)})
		}
	}
	return &sheet, errs
}

// tallyKey is what a recognition counts toward: its title with the
// person's category or the commune's rating.
func tallyKey(r models.LearningRecognition) string {
	return learning.Key(learning.Title(r.Title), r.Qualifier)
}

// RecordRecognition records one year's decision on a holder's title and,
// when it recognises, counts it in the unit's tally.
func (s *Service) RecordRecognition(ctx context.Context, who Caller, in RecognitionInput) (RecognitionView, error) {
	errs := cleanText(map[string]*string{"/holder_id": &in.HolderID})
	var h models.LearningHolder
	err := s.db.WithContext(ctx).First(&h, "id = ?", in.HolderID).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return RecognitionView{}, Invalid(append(errs, FieldError{Pointer: "/holder_id", Message: "Không có đối tượng này trong sổ.", MessageEN: "No such holder."})...)
	case err != nil:
		return RecognitionView{}, fmt.Errorf("holder %s: %w", in.HolderID, err)
	}
	if err := s.mayKeepRegister(ctx, who, h.UnitID); err != nil {
		return RecognitionView{}, err
	}
	r, ferrs, err := s.checkRecognition(ctx, who, &in, h)
	if err != nil {
		return RecognitionView{}, err
	}
	if err := InvalidIf(append(errs, ferrs...)); err != nil {
		return RecognitionView{}, err
	}
	var ev models.AuditEvent
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		dup, err := decidedBefore(tx, []models.LearningRecognition{r})
		if err != nil {
			return err
		}
		if len(dup) > 0 {
			info, _ := learning.LookupTitle(learning.Title(r.Title)) // checked above
			return Invalid(FieldError{Pointer: "/year", Message: fmt.Sprintf("%s đã có quyết định về %s năm %d: sửa bản ghi đó thay vì ghi thêm.", h.Name, info.Name, r.Year),
				MessageEN: fmt.Sprintf("The holder already has a decision on this title for %d.", r.Year)})
		}
		if err := models.InsertRecognitions(tx, []models.LearningRecognition{r}); err != nil {
			return err
		}
		ev = s.auditEvent(who, "learning.recognition", r.ID, map[string]any{"holder": h.ID, "title": r.Title, "year": r.Year, "status": r.Status})
		return tx.Create(&ev).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// Another request recorded the same holder, title and year
		// between the check and the insert.
		err = Invalid(FieldError{Pointer: "/year", Message: fmt.Sprintf("Đối tượng đã có quyết định về danh hiệu này năm %d.", in.Year),
			MessageEN: fmt.Sprintf("The holder already has a decision on this title for %d.", in.Year)})
	}
	if err := failed(err, "record recognition"); err != nil {
		return RecognitionView{}, err
	}
	s.logAudit(ev)
	return recognitionView(r, h.Name), nil
}

// checkRecognition validates one year's decision on holder h (cleaning
// in's text in place; h may be a holder not yet written, from the same
// import) and builds its row without writing it: the field errors, or the
// refusal of a caller outside the recognising unit's register. The caller
// has checked that it keeps h's unit. The API and the workbook import both
// record through it; whether the holder already has a decision that year
// is asked at writing (decidedBefore).
func (s *Service) checkRecognition(ctx context.Context, who Caller, in *RecognitionInput, h models.LearningHolder) (models.LearningRecognition, []FieldError, error) {
	errs := cleanText(map[string]*string{"/unit_id": &in.UnitID, "/title": &in.Title, "/rating": &in.Rating, "/status": &in.Status,
		"/reason": &in.Reason, "/decision_number": &in.DecisionNumber, "/decision_date": &in.DecisionDate, "/decision_body_id": &in.DecisionBodyID})
	for i := range in.Evidence {
		errs = append(errs, cleanText(map[string]*string{"/evidence/" + strconv.Itoa(i): &in.Evidence[i]})...)
	}
	info, terr := learning.LookupTitle(learning.Title(in.Title))
	this := s.now().Year()
	switch {
	case terr != nil:
		errs = append(errs, FieldError{Pointer: "/title", Message: "Danh hiệu không có trong danh mục (gia-dinh-hoc-tap, dong-ho-hoc-tap, cong-dong-hoc-tap, cong-dong-hoc-tap-cap-xa, don-vi-hoc-tap, cong-dan-hoc-tap, huyen-hoc-tap).",
			MessageEN: "Unknown learning title."})
	case string(info.Holder) != h.Kind:
		errs = append(errs, FieldError{Pointer: "/title", Message: info.Name + " không công nhận cho đối tượng loại " + h.Kind + ".",
			MessageEN: info.Name + " is not given to a " + h.Kind + "."})
	case info.LastYear != 0 && in.Year > info.LastYear:
		errs = append(errs, FieldError{Pointer: "/year", Message: fmt.Sprintf("%s chỉ công nhận đến năm %d.", info.Name, info.LastYear),
			MessageEN: fmt.Sprintf("%s is given up to %d.", info.Name, info.LastYear)})
	}
	switch {
	case in.Year < h.SinceYear:
		errs = append(errs, FieldError{Pointer: "/year", Message: fmt.Sprintf("Năm %d trước khi %s có trong sổ (từ năm %d).", in.Year, h.Name, h.SinceYear),
			MessageEN: fmt.Sprintf("%d is before the holder existed (from %d).", in.Year, h.SinceYear)})
	case in.Year > this:
		errs = append(errs, FieldError{Pointer: "/year", Message: fmt.Sprintf("Năm công nhận không quá năm %d.", this), MessageEN: fmt.Sprintf("The year cannot be after %d.", this)})
	}
	unitID := h.UnitID
	if in.UnitID != "" {
		unitID = in.UnitID
	}
	ferrs, err := s.recognisingUnit(ctx, h, unitID, in.Year)
	if err != nil {
		return models.LearningRecognition{}, nil, err
	}
	errs = append(errs, ferrs...)
	if len(ferrs) == 0 && unitID != h.UnitID {
		if err := s.mayKeepRegister(ctx, who, unitID); err != nil {
			return models.LearningRecognition{}, nil, err
		}
	}
	if in.Score != nil && (*in.Score < 0 || *in.Score > maxScore) {
		errs = append(errs, FieldError{Pointer: "/score", Message: fmt.Sprintf("Điểm từ 0 đến %d.", maxScore), MessageEN: fmt.Sprintf("The score is between 0 and %d.", maxScore)})
	}
	var sheet *learning.Sheet
	if len(in.Criteria) > 0 && terr == nil {
		var ferrs []FieldError
		sheet, ferrs = s.scoreBySheet(in)
		errs = append(errs, ferrs...)
	}
	rated := terr == nil && info.Rated
	switch {
	case rated && !slices.Contains([]string{learning.RatingGood, learning.RatingFair, learning.RatingPass}, in.Rating) && in.Status == learning.Recognised:
		errs = append(errs, FieldError{Pointer: "/rating", Message: "Xếp loại là tot (tốt), kha (khá) hoặc dat (đạt).", MessageEN: "rating is tot, kha or dat."})
	case !rated && in.Rating != "":
		errs = append(errs, FieldError{Pointer: "/rating", Message: "Danh hiệu này không xếp loại.", MessageEN: "This title has no rating."})
	}
	switch in.Status {
	case learning.Recognised:
	case learning.NotRecognised, learning.Revoked:
		if in.Reason == "" {
			errs = append(errs, FieldError{Pointer: "/reason", Message: "Ghi lý do không công nhận hoặc thu hồi.", MessageEN: "Give the reason."})
		}
	default:
		errs = append(errs, FieldError{Pointer: "/status", Message: "Trạng thái là recognised, not_recognised hoặc revoked.", MessageEN: "status is recognised, not_recognised or revoked."})
	}
	var decided *time.Time
	if in.DecisionDate != "" {
		d := parseDay("/decision_date", in.DecisionDate, &errs)
		if !d.IsZero() {
			if d.Year() < in.Year {
				errs = append(errs, FieldError{Pointer: "/decision_date", Message: fmt.Sprintf("Quyết định công nhận năm %d ký từ năm %d.", in.Year, in.Year),
					MessageEN: fmt.Sprintf("A decision on %d is signed in %d or later.", in.Year, in.Year)})
			}
			decided = &d
		}
	}
	if in.DecisionBodyID != "" {
		if _, err := s.ref.Unit(ctx, in.DecisionBodyID); err != nil {
			errs = append(errs, FieldError{Pointer: "/decision_body_id", Message: "Không có cơ quan ra quyết định này.", MessageEN: "No such deciding body."})
		}
	}
	if len(errs) > 0 {
		return models.LearningRecognition{}, errs, nil
	}
	evidence, _ := json.Marshal(append([]string{}, in.Evidence...))
	r := models.LearningRecognition{ID: uuid.NewString(), HolderID: h.ID, Title: in.Title, Year: in.Year, UnitID: unitID, Area: h.Area,
		Score: in.Score, Rating: in.Rating, Status: in.Status, Reason: in.Reason, DecisionNumber: in.DecisionNumber, DecisionDate: decided,
		DecisionBodyID: in.DecisionBodyID, Evidence: string(evidence), CreatedBy: who.User.ID}
	if sheet != nil {
		points, _ := json.Marshal(in.Criteria)
		r.SheetCode, r.SheetVersion, r.Criteria = sheet.Code, sheet.Version, string(points)
	}
	switch {
	case info.Holder == learning.Person:
		r.Qualifier = h.Category
	case info.Rated:
		r.Qualifier = in.Rating
	}
	return r, nil, nil
}

// decidedBefore gives the indexes of rows whose holder already has a
// decision on the title for the year, read within tx.
func decidedBefore(tx *gorm.DB, rows []models.LearningRecognition) (map[int]bool, error) {
	at := map[string]int{}
	var holders []string
	for i, r := range rows {
		k := r.HolderID + "\x00" + r.Title + "\x00" + strconv.Itoa(r.Year)
		at[k] = i
		holders = append(holders, r.HolderID)
	}
	slices.Sort(holders)
	out := map[int]bool{}
	for _, part := range chunkStrings(slices.Compact(holders)) {
		var got []models.LearningRecognition
		if err := tx.Select("holder_id", "title", "year").Where("holder_id IN ?", part).Find(&got).Error; err != nil {
			return nil, fmt.Errorf("decisions of %d holders: %w", len(part), err)
		}
		for _, g := range got {
			if i, ok := at[g.HolderID+"\x00"+g.Title+"\x00"+strconv.Itoa(g.Year)]; ok {
				out[i] = true
			}
		}
	}
	return out, nil
}

// RevokeRecognition revokes a recognition with its reason and takes it out
// of the unit's tally; the row stays, with its history in the audit trail.
func (s *Service) RevokeRecognition(ctx context.Context, who Caller, id string, in RevokeInput) (RecognitionView, error) {
	errs := cleanText(map[string]*string{"/reason": &in.Reason})
	if in.Reason == "" {
		errs = append(errs, Required("/reason"))
	}
	if err := InvalidIf(errs); err != nil {
		return RecognitionView{}, err
	}
	var (
		r  models.LearningRecognition
		h  models.LearningHolder
		ev models.AuditEvent
	)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.First(&r, "id = ?", id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return NotFound("Không có quyết định công nhận này.", "No such recognition.")
		}
		if err != nil {
			return err
		}
		if err := s.mayKeepRegister(ctx, who, r.UnitID); err != nil {
			return err
		}
		if r.Status != learning.Recognised {
			return Conflict("Chỉ thu hồi được một danh hiệu đang được công nhận.", "Only a recognised title can be revoked.")
		}
		res := tx.Model(&models.LearningRecognition{}).Where("id = ? AND status = ?", id, learning.Recognised).
			Updates(map[string]any{"status": learning.Revoked, "reason": in.Reason, "updated_at": s.now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return Conflict("Danh hiệu vừa được thu hồi.", "The title was revoked meanwhile.")
		}
		if err := models.AddToTally(tx, r.UnitID, r.Year, tallyKey(r), -1); err != nil {
			return err
		}
		r.Status, r.Reason = learning.Revoked, in.Reason
		if err := tx.First(&h, "id = ?", r.HolderID).Error; err != nil {
			return err
		}
		ev = s.auditEvent(who, "learning.revoke", r.ID, map[string]any{"reason": in.Reason})
		return tx.Create(&ev).Error
	})
	if err := failed(err, "revoke recognition "+id); err != nil {
		return RecognitionView{}, err
	}
	s.logAudit(ev)
	return recognitionView(r, h.Name), nil
}

// recognisingUnit checks that unitID may recognise holder h in year: it is
// the holder's unit or one that unit comes from, and it was in force some
// day of that year (a commune that ended on 30 June 2025 recognises for
// 2025 and before, not 2026; one formed on 1 July 2025 not for 2024).
func (s *Service) recognisingUnit(ctx context.Context, h models.LearningHolder, unitID string, year int) ([]FieldError, error) {
	if unitID != h.UnitID {
		lineage, err := s.ref.Lineage(ctx)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(models.WithPredecessors(lineage, h.UnitID), unitID) {
			return []FieldError{{Pointer: "/unit_id", Message: "Đơn vị công nhận phải là đơn vị của đối tượng hoặc đơn vị tiền thân của đơn vị đó.",
				MessageEN: "The recognising unit is the holder's unit or one it comes from."}}, nil
		}
	}
	unit, err := s.ref.Unit(ctx, unitID)
	if errors.Is(err, models.ErrNotFound) {
		return []FieldError{{Pointer: "/unit_id", Message: "Không có đơn vị này.", MessageEN: "No such unit."}}, nil
	}
	if err != nil {
		return nil, err
	}
	return s.yearUnitErrors(unit, year), nil
}

// figuresDay is the day whose unit tree a year's figures are summed over:
// the year's last, or today for the current year.
func (s *Service) figuresDay(year int) time.Time {
	day := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	if t := s.today(); t.Before(day) {
		return t
	}
	return day
}

// yearUnitErrors refuses a unit not in force on the figures' day of year:
// a year's figures belong to the units that close it, so a commune that
// ended on 30 June 2025 records 2024 and before, its successor 2025 (and
// a unit formed on 1 July 2025 records nothing of 2024).
func (s *Service) yearUnitErrors(unit models.Unit, year int) []FieldError {
	day := s.figuresDay(year)
	switch {
	case unit.EffectiveTo != nil && !unit.EffectiveTo.After(day):
		return []FieldError{{Pointer: "/year", Message: fmt.Sprintf("%s đã thôi hoạt động từ ngày %s: ghi số liệu năm %d ở đơn vị kế thừa.", unit.Name, viDate(*unit.EffectiveTo), year),
			MessageEN: fmt.Sprintf("%s ended on %s: record %d under its successor.", unit.Name, unit.EffectiveTo.Format(time.DateOnly), year)}}
	case unit.EffectiveFrom.After(day):
		return []FieldError{{Pointer: "/year", Message: fmt.Sprintf("%s hoạt động từ ngày %s: ghi số liệu năm %d ở đơn vị tiền thân (unit_id).", unit.Name, viDate(unit.EffectiveFrom), year),
			MessageEN: fmt.Sprintf("%s starts on %s: record %d under the unit it comes from (unit_id).", unit.Name, unit.EffectiveFrom.Format(time.DateOnly), year)}}
	}
	return nil
}
