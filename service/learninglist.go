package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
)

// A view of the register: the recognitions of a unit (and, asked, of the
// units it comes from) the caller keeps, filtered by year, title and
// status, paged as the nominations' list is (page, per_page, total), and
// the same view as a workbook. A holder is shown by name (and a
// household's head, a person's year of birth and address), never by the
// CCCD's key.

// RecognitionQuery filters the register's recognitions. Empty fields do
// not filter; Year 0 is every year.
type RecognitionQuery struct {
	UnitID           string
	WithPredecessors bool
	Year             int
	Title            string
	Status           string
	Page, PerPage    int
}

// RecognitionPage is one page of the register's recognitions.
type RecognitionPage struct {
	Items   []RecognitionView `json:"items"`
	Total   int64             `json:"total"`
	Page    int               `json:"page"`
	PerPage int               `json:"per_page"`
}

// Recognitions is a page of the recognitions the caller keeps, newest
// year first.
func (s *Service) Recognitions(ctx context.Context, who Caller, q RecognitionQuery) (RecognitionPage, error) {
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage < 1 {
		q.PerPage = 20
	}
	where, err := s.recognitionScope(ctx, who, q)
	if err != nil {
		return RecognitionPage{}, err
	}
	out := RecognitionPage{Items: []RecognitionView{}, Page: q.Page, PerPage: q.PerPage}
	if err := where(s.db.WithContext(ctx).Model(&models.LearningRecognition{})).Count(&out.Total).Error; err != nil {
		return RecognitionPage{}, fmt.Errorf("count recognitions: %w", err)
	}
	err = s.eachRecognition(ctx, where, (q.Page-1)*q.PerPage, q.PerPage, func(r models.LearningRecognition, h models.LearningHolder) error {
		out.Items = append(out.Items, recognitionView(r, h.Name))
		return nil
	})
	return out, err
}

// recognitionScope checks q and the caller's right to read it and gives
// the condition selecting its rows: the unit's (with its predecessors),
// or without a unit every unit the caller keeps.
func (s *Service) recognitionScope(ctx context.Context, who Caller, q RecognitionQuery) (func(*gorm.DB) *gorm.DB, error) {
	var errs []FieldError
	if q.Title != "" {
		if _, err := learning.LookupTitle(learning.Title(q.Title)); err != nil {
			if info, ok := learning.TitleByName(q.Title); ok {
				q.Title = string(info.Code)
			} else {
				errs = append(errs, FieldError{Pointer: "/title", Message: "Danh hiệu không có trong danh mục.", MessageEN: "Unknown learning title."})
			}
		}
	}
	if q.Status != "" && !slices.Contains([]string{learning.Recognised, learning.NotRecognised, learning.Revoked}, q.Status) {
		errs = append(errs, FieldError{Pointer: "/status", Message: "Trạng thái là recognised, not_recognised hoặc revoked.", MessageEN: "status is recognised, not_recognised or revoked."})
	}
	if q.WithPredecessors && q.UnitID == "" {
		errs = append(errs, FieldError{Pointer: "/with_predecessors", Message: "Chọn đơn vị (unit) để xem kèm các đơn vị tiền thân.", MessageEN: "with_predecessors needs a unit."})
	}
	if err := InvalidIf(errs); err != nil {
		return nil, err
	}
	var units []string
	switch {
	case q.UnitID != "":
		units = []string{q.UnitID}
		if q.WithPredecessors {
			lineage, err := s.ref.Lineage(ctx)
			if err != nil {
				return nil, err
			}
			units = models.WithPredecessors(lineage, q.UnitID)
		}
		for _, u := range units {
			if err := s.mayReadRegister(ctx, who, u); err != nil {
				return nil, err
			}
		}
	case who.ProvinceWide() || who.User.Role == models.RoleInterior || who.Level() == "education":
		// Every unit: mayReadRegister's wide readers.
	default:
		managed, err := s.managedUnits(ctx, who)
		if err != nil {
			return nil, err
		}
		for id := range managed {
			units = append(units, id)
		}
		slices.Sort(units)
		if len(units) == 0 {
			units = []string{""} // keeps nothing: selects nothing
		}
	}
	return func(db *gorm.DB) *gorm.DB {
		if units != nil {
			db = db.Where("learning_recognitions.unit_id IN ?", units)
		}
		if q.Year != 0 {
			db = db.Where("learning_recognitions.year = ?", q.Year)
		}
		if q.Title != "" {
			db = db.Where("learning_recognitions.title = ?", q.Title)
		}
		if q.Status != "" {
			db = db.Where("learning_recognitions.status = ?", q.Status)
		}
		return db
	}, nil
}

// eachRecognition calls fn for the rows of where in the list's order
// (newest year, then unit, holder and title), skipping offset and taking
// at most limit (0: all), read in batches with each row's holder.
func (s *Service) eachRecognition(ctx context.Context, where func(*gorm.DB) *gorm.DB, offset, limit int, fn func(models.LearningRecognition, models.LearningHolder) error) error {
	const batch = 1000
	for done := 0; limit == 0 || done < limit; {
		n := batch
		if limit != 0 {
			n = min(batch, limit-done)
		}
		var rows []models.LearningRecognition
		err := where(s.db.WithContext(ctx).Model(&models.LearningRecognition{})).
			Order("year DESC, unit_id, holder_id, title, id").Offset(offset + done).Limit(n).Find(&rows).Error
		if err != nil {
			return fmt.Errorf("recognitions: %w", err)
		}
		ids := make([]string, 0, len(rows))
		for _, r := range rows {
			ids = append(ids, r.HolderID)
		}
		holders := map[string]models.LearningHolder{}
		for _, part := range chunkStrings(ids) {
			var hs []models.LearningHolder
			if err := s.db.WithContext(ctx).Where("id IN ?", part).Find(&hs).Error; err != nil {
				return fmt.Errorf("holders of recognitions: %w", err)
			}
			for _, h := range hs {
				holders[h.ID] = h
			}
		}
		for _, r := range rows {
			if err := fn(r, holders[r.HolderID]); err != nil {
				return err
			}
		}
		done += len(rows)
		if len(rows) < n {
			return nil
		}
	}
	return nil
}

// recognitionHeader is the export's header row. The holder and
// recognition columns carry the import's headers, so that an exported
// sheet reads as one to fill in.
var recognitionHeader = []string{"STT", "Đơn vị", colKind, colName, colHead, colBirthYear, colAddress, colArea, colTitle, colYear,
	colScore, colRating, colDecisionNumber, colDecisionDate, colStatus, colReason, colCategory}

// ExportRecognitions is the view of q (unpaged) as a workbook.
func (s *Service) ExportRecognitions(ctx context.Context, who Caller, q RecognitionQuery) (Document, error) {
	where, err := s.recognitionScope(ctx, who, q)
	if err != nil {
		return Document{}, err
	}
	var total int64
	if err := where(s.db.WithContext(ctx).Model(&models.LearningRecognition{})).Count(&total).Error; err != nil {
		return Document{}, fmt.Errorf("count recognitions: %w", err)
	}
	if total > maxExportRows {
		return Document{}, &Error{Kind: ErrInvalid,
			Message:   fmt.Sprintf("Danh sách có %d quyết định, vượt quá %d; hãy lọc theo đơn vị, năm hoặc danh hiệu trước khi xuất.", total, maxExportRows),
			MessageEN: fmt.Sprintf("The list has %d rows, more than %d; filter it before exporting.", total, maxExportRows)}
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return Document{}, fmt.Errorf("unit names: %w", err)
	}
	table := [][]string{recognitionHeader}
	err = s.eachRecognition(ctx, where, 0, 0, func(r models.LearningRecognition, h models.LearningHolder) error {
		table = append(table, exportRecognitionRow(len(table), r, h, names))
		return nil
	})
	if err != nil {
		return Document{}, fmt.Errorf("export recognitions: %w", err)
	}
	b, err := exportWorkbook(table)
	if err != nil {
		return Document{}, fmt.Errorf("export recognitions workbook: %w", err)
	}
	stamp := s.now().In(calendar.Zone).Format("20060102-1504")
	return Document{Name: "so-danh-hieu-hoc-tap-" + stamp + ".xlsx", ContentType: contentXLSX, Body: b}, nil
}

// exportRecognitionRow is row i of the export, in the clerk's words.
func exportRecognitionRow(i int, r models.LearningRecognition, h models.LearningHolder, units map[string]string) []string {
	info, _ := learning.LookupTitle(learning.Title(r.Title)) // written checked
	score, birth, decided := "", "", ""
	if r.Score != nil {
		score = strconv.FormatFloat(*r.Score, 'f', -1, 64)
	}
	if h.BirthYear != 0 {
		birth = strconv.Itoa(h.BirthYear)
	}
	if r.DecisionDate != nil {
		decided = r.DecisionDate.Format("02/01/2006")
	}
	unit := units[r.UnitID]
	if unit == "" {
		unit = r.UnitID
	}
	return []string{strconv.Itoa(i), unit, holderKindNames[learning.HolderKind(h.Kind)], h.Name, h.HeadName, birth, h.Address, r.Area, info.Name,
		strconv.Itoa(r.Year), score, ratingNames[r.Rating], r.DecisionNumber, decided, statusNames[r.Status], r.Reason, categoryNames[h.Category]}
}

// viDay reads a day as a clerk writes it (dd/mm/yyyy, d/m/yyyy) or as
// the API does (yyyy-mm-dd).
func viDay(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{"02/01/2006", "2/1/2006", time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
