package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/internal/testkit/pdftest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// TestRoundReportWorkbookAndPDF: the report counts the round's
// nominations by award, level, status and unit, with totals; the workbook
// and the PDF say the same; a nominating body may not read it.
func TestRoundReportWorkbookAndPDF(t *testing.T) {
	e := newEnv(t)
	e.s.Now = func() time.Time { return time.Date(2025, 12, 1, 9, 30, 0, 0, calendar.Zone) }
	create := func(user, name, award string) string {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"round_id": "thu-nghiem", "nominee_kind": "individual",
			"nominee_name": name, "award": award})
		code, _, m := e.do("POST", "/api/v1/nominations", e.token(user), "application/json", body)
		if code != 201 {
			t.Fatalf("create: %d %v", code, m)
		}
		return m["id"].(string)
	}
	// The workflow's projection is stood in for by setting the read model.
	set := func(id, status, level string) {
		t.Helper()
		if err := e.s.DB.Model(&models.Nomination{}).Where("id = ?", id).
			Updates(map[string]any{"status": status, "current_level": level}).Error; err != nil {
			t.Fatal(err)
		}
	}
	create("donvi.donghoa", "Trần Văn Bình", "bang-khen-tinh")
	set(create("donvi.donghoa", "Lê Thị Cúc", "bang-khen-tinh"), "in_review", "commune")
	set(create("donvi.donghoa", "Phạm Văn Dũng", "giay-khen-xa"), "accepted", "")
	set(create("donvi.chuyenhungvuong", "Vũ Thị Én", "bang-khen-tinh"), "in_review", "education")

	get := func(user, path string) (int, string, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+e.token(user))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), b
	}
	for _, ext := range []string{"xlsx", "pdf"} {
		if code, _, _ := get("donvi.donghoa", "/api/v1/rounds/thu-nghiem/report."+ext); code != 403 {
			t.Errorf("a nominating body reads the report.%s: %d", ext, code)
		}
		if code, _, _ := get("xet.dian", "/api/v1/rounds/khong-co/report."+ext); code != 404 {
			t.Errorf("report.%s of an unknown round: %d", ext, code)
		}
	}

	// A reviewer's report counts only what passes their unit: here
	// nothing (the projection that records routes is stood in for).
	code, _, b := get("xet.dian", "/api/v1/rounds/thu-nghiem/report.xlsx")
	if f, err := excelize.OpenReader(bytes.NewReader(b)); code != 200 || err != nil {
		t.Fatalf("a reviewer's report: %d %v", code, err)
	} else if rows, _ := f.GetRows("Theo trạng thái"); len(rows) == 0 || fmt.Sprint(rows[len(rows)-1]) != "[Tổng cộng 0]" {
		t.Fatalf("a reviewer's report counts others' nominations: %v", rows)
	}
	code, _, b = get("canbo.sonoivu", "/api/v1/rounds/thu-nghiem/report.xlsx")
	if code != 200 {
		t.Fatalf("report.xlsx: %d %s", code, b)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"Đang soạn", "Đang xét", "Trả lại để bổ sung", "Được chấp thuận", "Không chấp thuận", "Đã rút", "Tổng"}
	sheets := map[string][][]string{
		"Tổng quan": {
			{"Báo cáo đợt xét khen thưởng"},
			{"Đợt", "Đợt thử nghiệm (dữ liệu mẫu) — xét ba cấp như sơ kết 2025"},
			{"Giai đoạn", "2023 – 2025"},
			{"Thời hạn nhận hồ sơ", "17:00 ngày 31/12/2099"},
			{"Lập lúc", "09:30 ngày 01/12/2025"},
		},
		"Theo hình thức": {
			append([]string{"Hình thức khen thưởng"}, header...),
			{"Giấy khen của Chủ tịch UBND xã", "0", "0", "0", "1", "0", "0", "1"},
			{"Bằng khen của Chủ tịch UBND thành phố", "1", "2", "0", "0", "0", "0", "3"},
			{"Tổng cộng", "1", "2", "0", "1", "0", "0", "4"},
		},
		"Theo cấp xét": {
			append([]string{"Cấp đang xét"}, header...),
			{"Cấp xã", "0", "1", "0", "0", "0", "0", "1"},
			{"Sở Giáo dục và Đào tạo", "0", "1", "0", "0", "0", "0", "1"},
			{"(đã kết thúc hoặc chưa gửi)", "1", "0", "0", "1", "0", "0", "2"},
			{"Tổng cộng", "1", "2", "0", "1", "0", "0", "4"},
		},
		"Theo trạng thái": {
			{"Trạng thái", "Số hồ sơ"},
			{"Đang soạn", "1"}, {"Đang xét", "2"}, {"Trả lại để bổ sung", "0"}, {"Được chấp thuận", "1"},
			{"Không chấp thuận", "0"}, {"Đã rút", "0"}, {"Tổng cộng", "4"},
		},
		"Theo đơn vị": {
			append([]string{"Đơn vị đề nghị"}, header...),
			{"Phường Đông Hòa", "1", "1", "0", "1", "0", "0", "3"},
			{"Trường THPT chuyên Hùng Vương", "0", "1", "0", "0", "0", "0", "1"},
			{"Tổng cộng", "1", "2", "0", "1", "0", "0", "4"},
		},
	}
	for sheet, want := range sheets {
		got, err := wb.GetRows(sheet)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("sheet %s = %q (%v), want %q", sheet, got, err, want)
		}
	}

	code, ctype, b := get("canbo.sonoivu", "/api/v1/rounds/thu-nghiem/report.pdf")
	if code != 200 || ctype != "application/pdf" {
		t.Fatalf("report.pdf: %d %s", code, ctype)
	}
	text := pdftest.Flat(pdftest.Text(t, pdftest.Write(t, "bao-cao.pdf", b), 0))
	for _, want := range []string{
		"BÁO CÁO ĐỢT XÉT KHEN THƯỞNG",
		"Lập lúc 09:30 ngày 01/12/2025",
		"1. Theo hình thức Hình thức khen thưởng " + strings.Join(header, " "),
		"Bằng khen của Chủ tịch UBND thành phố 1 2 0 0 0 0 3",
		"(đã kết thúc hoặc chưa gửi) 1 0 0 1 0 0 2",
		"3. Theo trạng thái Trạng thái Số hồ sơ Đang soạn 1 Đang xét 2",
		"Phường Đông Hòa 1 1 0 1 0 0 3 Trường THPT chuyên Hùng Vương 0 1 0 0 0 0 1 Tổng cộng 1 2 0 1 0 0 4",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report.pdf lacks %q", want)
		}
	}

	// One unit's report: Phường Đông Hòa's three alone; the new Phường
	// Đông Hòa's with its predecessors counts the old one's too.
	for path, want := range map[string]string{
		"/api/v1/rounds/thu-nghiem/report.pdf?unit=" + seed.CommuneID("dong-hoa"):                                  "Đơn vị Phường Đông Hòa",
		"/api/v1/rounds/thu-nghiem/report.pdf?with_predecessors=true&unit=" + seed.NewCommuneID("Phường Đông Hòa"): "Đơn vị Phường Đông Hòa (kể cả các đơn vị tiền thân)",
	} {
		code, _, b := get("canbo.sonoivu", path)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		text := pdftest.Flat(pdftest.Text(t, pdftest.Write(t, "don-vi.pdf", b), 0))
		if !strings.Contains(text, want) || !strings.Contains(text, "Phường Đông Hòa 1 1 0 1 0 0 3 Tổng cộng 1 1 0 1 0 0 3") ||
			strings.Contains(text, "Hùng Vương") {
			t.Errorf("%s:\n%s", path, text)
		}
	}
	if code, _, _ := get("canbo.sonoivu", "/api/v1/rounds/thu-nghiem/report.pdf?unit=khong-co"); code != 404 {
		t.Errorf("a unit that does not exist: %d", code)
	}
	if code, _, _ := get("canbo.sonoivu", "/api/v1/rounds/thu-nghiem/report.xlsx?with_predecessors=x"); code != 422 {
		t.Errorf("a bad flag: %d", code)
	}
}
