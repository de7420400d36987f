package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
)

// The units' reports on the movement (the 20 November report, and the
// 2025 and 2030 reviews' over their periods): drafted by the yearly
// schedule (activities.DraftLearningReports), completed and submitted by
// the unit's staff with the figures of the register frozen at that moment,
// received by the level above. Every submitted version is kept.

// ReportSection is one text section a unit completes.
type ReportSection struct {
	Key   string `json:"key"`
	Title string `json:"title"`
}

// ReportSections are the sections of a report, in their order.
var ReportSections = []ReportSection{
	{"ket_qua", "Kết quả thực hiện phong trào"},
	{"han_che", "Hạn chế, nguyên nhân"},
	{"phuong_huong", "Phương hướng, nhiệm vụ thời gian tới"},
	{"kien_nghi", "Kiến nghị, đề xuất"},
}

// LearningReportView is a report as the API shows it. Figures are the
// register's as of now for a draft, as submitted otherwise.
type LearningReportView struct {
	ID          string                      `json:"id"`
	Kind        string                      `json:"kind"`
	PeriodFrom  int                         `json:"period_from"`
	PeriodTo    int                         `json:"period_to"`
	UnitID      string                      `json:"unit_id"`
	UnitName    string                      `json:"unit_name"`
	ToUnitID    string                      `json:"to_unit_id"`
	ToUnitName  string                      `json:"to_unit_name"`
	Status      string                      `json:"status"`
	Version     int                         `json:"version"`
	DueOn       time.Time                   `json:"due_on"`
	Sections    map[string]string           `json:"sections"`
	Figures     []learning.Value            `json:"figures"`
	SubmittedAt *time.Time                  `json:"submitted_at,omitempty"`
	SubmittedBy string                      `json:"submitted_by,omitempty"`
	ReceivedAt  *time.Time                  `json:"received_at,omitempty"`
	ReceivedBy  string                      `json:"received_by,omitempty"`
	Versions    []LearningReportVersionView `json:"versions,omitempty"`
}

// LearningReportVersionView is one submitted version.
type LearningReportVersionView struct {
	Version     int               `json:"version"`
	SubmittedAt time.Time         `json:"submitted_at"`
	SubmittedBy string            `json:"submitted_by"`
	Sections    map[string]string `json:"sections"`
	Figures     []learning.Value  `json:"figures"`
}

// LearningReportsView lists the reports of a year a caller sends and
// those sent to their unit.
type LearningReportsView struct {
	Year     int                  `json:"year"`
	Sent     []LearningReportView `json:"sent"`
	Received []LearningReportView `json:"received"`
}

// ReportSectionsInput replaces a report's text sections.
type ReportSectionsInput struct {
	Sections map[string]string `json:"sections"`
}

// mayReport tells whether who writes r (its unit's staff) or receives it
// (the staff of the unit it is sent to); the province's administrator and
// Interior read every report.
func mayReport(who Caller, r models.LearningReport) (writes, receives, reads bool) {
	writes = slices.Contains(who.units(), r.UnitID)
	receives = slices.Contains(who.units(), r.ToUnitID)
	reads = writes || receives || who.ProvinceWide() || who.User.Role == models.RoleInterior
	return writes, receives, reads
}

// LearningReports lists a year's reports for the caller.
func (s *Service) LearningReports(ctx context.Context, who Caller, yearText string) (LearningReportsView, error) {
	year, err := strconv.Atoi(yearText)
	if err != nil || year < 2023 || year > 2030 {
		return LearningReportsView{}, Invalid(FieldError{Pointer: "/year", Message: "Năm từ 2023 đến 2030.", MessageEN: "year is 2023 to 2030."})
	}
	var rows []models.LearningReport
	units := who.units()
	if err := s.db.WithContext(ctx).Where("period_to = ? AND (unit_id IN ? OR to_unit_id IN ?)", year, units, units).
		Order("kind, unit_id").Find(&rows).Error; err != nil {
		return LearningReportsView{}, fmt.Errorf("reports of %d: %w", year, err)
	}
	out := LearningReportsView{Year: year, Sent: []LearningReportView{}, Received: []LearningReportView{}}
	for _, r := range rows {
		v, err := s.reportView(ctx, who, r, false)
		if err != nil {
			return LearningReportsView{}, err
		}
		if slices.Contains(units, r.UnitID) {
			out.Sent = append(out.Sent, v)
		} else {
			out.Received = append(out.Received, v)
		}
	}
	return out, nil
}

// LearningReport returns one report with its submitted versions.
func (s *Service) LearningReport(ctx context.Context, who Caller, id string) (LearningReportView, error) {
	r, err := s.loadReport(ctx, s.db, who, id)
	if err != nil {
		return LearningReportView{}, err
	}
	return s.reportView(ctx, who, r, true)
}

func (s *Service) loadReport(ctx context.Context, db *gorm.DB, who Caller, id string) (models.LearningReport, error) {
	var r models.LearningReport
	err := db.WithContext(ctx).First(&r, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, NotFound("Không có báo cáo này.", "No such report.")
	}
	if err != nil {
		return r, fmt.Errorf("report %s: %w", id, err)
	}
	if _, _, reads := mayReport(who, r); !reads {
		return r, NotFound("Không có báo cáo này.", "No such report.")
	}
	return r, nil
}

// reportFigures are the register's figures for the report's unit in the
// last year of its period (this year at the latest).
func (s *Service) reportFigures(ctx context.Context, who Caller, r models.LearningReport) ([]learning.Value, error) {
	year := min(r.PeriodTo, s.now().Year())
	v, err := s.Indicators(ctx, who, r.UnitID, strconv.Itoa(year))
	if err != nil {
		return nil, err
	}
	return v.Values, nil
}

func (s *Service) reportView(ctx context.Context, who Caller, r models.LearningReport, withVersions bool) (LearningReportView, error) {
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return LearningReportView{}, err
	}
	v := LearningReportView{ID: r.ID, Kind: r.Kind, PeriodFrom: r.PeriodFrom, PeriodTo: r.PeriodTo, UnitID: r.UnitID, UnitName: names[r.UnitID],
		ToUnitID: r.ToUnitID, ToUnitName: names[r.ToUnitID], Status: r.Status, Version: r.Version, DueOn: r.DueOn,
		Sections: map[string]string{}, Figures: []learning.Value{}, SubmittedAt: r.SubmittedAt, SubmittedBy: r.SubmittedBy,
		ReceivedAt: r.ReceivedAt, ReceivedBy: r.ReceivedBy}
	// Both columns are written from maps and lists that marshal.
	_ = json.Unmarshal([]byte(r.Sections), &v.Sections)
	if r.Status == models.ReportDraft {
		if withVersions {
			if v.Figures, err = s.reportFigures(ctx, who, r); err != nil {
				return LearningReportView{}, err
			}
		}
	} else {
		_ = json.Unmarshal([]byte(r.Figures), &v.Figures)
	}
	if !withVersions {
		return v, nil
	}
	var versions []models.LearningReportVersion
	if err := s.db.WithContext(ctx).Where("report_id = ?", r.ID).Order("version").Find(&versions).Error; err != nil {
		return LearningReportView{}, fmt.Errorf("versions of %s: %w", r.ID, err)
	}
	for _, x := range versions {
		xv := LearningReportVersionView{Version: x.Version, SubmittedAt: x.SubmittedAt, SubmittedBy: x.SubmittedBy, Sections: map[string]string{}}
		_ = json.Unmarshal([]byte(x.Sections), &xv.Sections)
		_ = json.Unmarshal([]byte(x.Figures), &xv.Figures)
		v.Versions = append(v.Versions, xv)
	}
	return v, nil
}

// PatchLearningReport replaces the text sections of a report the caller's
// unit writes, until it is received; a report already sent goes back to
// draft until it is sent again.
func (s *Service) PatchLearningReport(ctx context.Context, who Caller, id string, in ReportSectionsInput) (LearningReportView, error) {
	var errs []FieldError
	clean := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(in.Sections)) {
		text := in.Sections[k]
		ptr := "/sections/" + k
		if !slices.ContainsFunc(ReportSections, func(r ReportSection) bool { return r.Key == k }) {
			errs = append(errs, FieldError{Pointer: ptr, Message: "Phần nội dung là ket_qua, han_che, phuong_huong hoặc kien_nghi.",
				MessageEN: "A section is ket_qua, han_che, phuong_huong or kien_nghi."})
			continue
		}
		errs = append(errs, cleanText(map[string]*string{ptr: &text})...)
		if err := MaxRunes(ptr, text, 20000); err != nil {
			return LearningReportView{}, err
		}
		clean[k] = text
	}
	if err := InvalidIf(errs); err != nil {
		return LearningReportView{}, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := s.loadReport(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if writes, _, _ := mayReport(who, r); !writes {
			return Forbidden("Chỉ đơn vị lập báo cáo được sửa báo cáo.", "Only the reporting unit edits its report.")
		}
		if r.Status == models.ReportReceived {
			return Conflict("Báo cáo đã được cấp trên tiếp nhận.", "The report was received already.")
		}
		sections := map[string]string{}
		_ = json.Unmarshal([]byte(r.Sections), &sections)
		for k, v := range clean {
			sections[k] = v
		}
		raw, _ := json.Marshal(sections)
		// A sent report edited goes back to draft: the level above
		// receives only what was sent, so it is sent again.
		return tx.Model(&models.LearningReport{}).Where("id = ?", id).Updates(map[string]any{"sections": string(raw),
			"status": models.ReportDraft, "updated_at": s.now().UTC()}).Error
	})
	if err := failed(err, "edit report "+id); err != nil {
		return LearningReportView{}, err
	}
	return s.LearningReport(ctx, who, id)
}

// SubmitLearningReport sends the report to the level above with the
// register's figures of now, as a new version. The results section must
// be written. A report may be sent again (a corrected version) until it
// is received.
func (s *Service) SubmitLearningReport(ctx context.Context, who Caller, id string) (LearningReportView, error) {
	r, err := s.loadReport(ctx, s.db, who, id)
	if err != nil {
		return LearningReportView{}, err
	}
	if writes, _, _ := mayReport(who, r); !writes {
		return LearningReportView{}, Forbidden("Chỉ đơn vị lập báo cáo được gửi báo cáo.", "Only the reporting unit submits its report.")
	}
	figures, err := s.reportFigures(ctx, who, r)
	if err != nil {
		return LearningReportView{}, err
	}
	rawFigures, _ := json.Marshal(figures)
	var ev models.AuditEvent
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := s.loadReport(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if cur.Status == models.ReportReceived {
			return Conflict("Báo cáo đã được cấp trên tiếp nhận.", "The report was received already.")
		}
		sections := map[string]string{}
		_ = json.Unmarshal([]byte(cur.Sections), &sections)
		if sections["ket_qua"] == "" {
			return Invalid(FieldError{Pointer: "/sections/ket_qua", Message: "Ghi phần kết quả thực hiện phong trào trước khi gửi.",
				MessageEN: "Write the results section before submitting."})
		}
		now := s.now().UTC()
		version := cur.Version + 1
		res := tx.Model(&models.LearningReport{}).Where("id = ? AND version = ?", id, cur.Version).Updates(map[string]any{
			"status": models.ReportSubmitted, "version": version, "figures": string(rawFigures), "submitted_at": now,
			"submitted_by": who.User.Username, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return Conflict("Báo cáo vừa được gửi; tải lại để xem phiên bản mới.", "The report was just submitted; reload it.")
		}
		if err := tx.Create(&models.LearningReportVersion{ReportID: id, Version: version, Figures: string(rawFigures), Sections: cur.Sections,
			SubmittedAt: now, SubmittedBy: who.User.Username}).Error; err != nil {
			return err
		}
		ev = s.auditEvent(who, "learning_report.submit", id, map[string]any{"version": version, "to": cur.ToUnitID})
		return tx.Create(&ev).Error
	})
	if err := failed(err, "submit report "+id); err != nil {
		return LearningReportView{}, err
	}
	s.logAudit(ev)
	return s.LearningReport(ctx, who, id)
}

// ReceiveLearningReport records that the level above received the
// submitted report; it is final from then.
func (s *Service) ReceiveLearningReport(ctx context.Context, who Caller, id string) (LearningReportView, error) {
	var ev models.AuditEvent
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := s.loadReport(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if _, receives, _ := mayReport(who, r); !receives {
			return Forbidden("Chỉ đơn vị nhận báo cáo được tiếp nhận.", "Only the unit the report is sent to receives it.")
		}
		if r.Status != models.ReportSubmitted {
			return Conflict("Chỉ tiếp nhận được báo cáo đã gửi (trạng thái hiện tại: "+r.Status+").", "Only a submitted report is received.")
		}
		now := s.now().UTC()
		res := tx.Model(&models.LearningReport{}).Where("id = ? AND status = ? AND version = ?", id, models.ReportSubmitted, r.Version).Updates(map[string]any{
			"status": models.ReportReceived, "received_at": now, "received_by": who.User.Username, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return Conflict("Báo cáo vừa được đơn vị sửa hoặc gửi lại; tải lại để xem phiên bản mới.", "The report changed meanwhile; reload it.")
		}
		ev = s.auditEvent(who, "learning_report.receive", id, map[string]any{"version": r.Version})
		return tx.Create(&ev).Error
	})
	if err := failed(err, "receive report "+id); err != nil {
		return LearningReportView{}, err
	}
	s.logAudit(ev)
	return s.LearningReport(ctx, who, id)
}
