package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
)

// issueTokens signs API tokens for users as the stack's server would,
// without logging in: the browser's logins share the login rate limit
// (10 a minute from one address).
func issueTokens(t *testing.T, s *stack, users ...string) {
	t.Helper()
	tokens := auth.Tokens{Secret: []byte(strings.Repeat("e2e-secret", 4)), TTL: time.Hour, Issuer: "tdkt"}
	for _, name := range users {
		if _, ok := s.tokens[name]; ok {
			continue
		}
		var u models.User
		if err := s.db.First(&u, "username = ?", name).Error; err != nil {
			t.Fatal(err)
		}
		tok, _, err := tokens.Issue(u.ID, u.Role, u.UnitID, u.Generation)
		if err != nil {
			t.Fatal(err)
		}
		s.tokens[name] = tok
	}
}

// browserUsers: the administrator creates an account (a refused username
// first), the new user logs in, and the administrator disables it.
func browserUsers(t *testing.T, s *stack, b *browser) {
	admin := b.as(t, "quantri")
	admin.open("/ui/admin/users", "users", http.StatusOK)
	admin.has("#users", "xet.donghoa")
	admin.set("f-username", "Văn Thư")
	admin.set("f-full_name", "Văn thư Trường THPT Dĩ An")
	admin.set("f-email", "vanthu@thpt-di-an.local")
	admin.set("f-role", "nominator")
	admin.set("f-unit_id", "thpt-di-an")
	admin.set("f-password", password)
	admin.click("#user-create", "user-refused", http.StatusUnprocessableEntity)
	admin.has("#f-username-error", "chữ thường")
	if got := eval[string](admin, `document.getElementById('f-password').value`); got != "" {
		t.Fatal("the refused form shows the password back")
	}
	admin.set("f-username", "vanthu.thptdian")
	admin.set("f-password", password)
	admin.click("#user-create", "user-created", http.StatusOK)
	admin.has(".flash", "Đã tạo tài khoản")
	admin.has("#users", "Văn thư Trường THPT Dĩ An")

	// The new account works.
	clerk := b.as(t, "vanthu.thptdian")
	clerk.has("h1", "Hồ sơ đề nghị của đơn vị")
	clerk.has("header", "Trường THPT Dĩ An")

	var u models.User
	if err := s.db.First(&u, "username = ?", "vanthu.thptdian").Error; err != nil || u.Role != models.RoleNominator {
		t.Fatalf("account: %+v %v", u, err)
	}
	admin.click("#user-"+u.ID+" button.danger", "user-disabled", http.StatusOK)
	admin.has(".flash", "Đã vô hiệu hóa")
	admin.has("#user-"+u.ID, "Đã vô hiệu hóa")
	// Its session has ended.
	clerk.open("/ui/nominations", "disabled-session", http.StatusOK)
	clerk.has("h1", "Đăng nhập")
	delete(b.tabs, "vanthu.thptdian")
}

// browserHolidays: the administrator adds a holiday (a make-up day on a
// weekday refused first) and removes it.
func browserHolidays(t *testing.T, s *stack, b *browser) {
	admin := b.as(t, "quantri")
	admin.open("/ui/admin/holidays?year=2026", "holidays", http.StatusOK)
	admin.has("#holidays", "Quốc khánh")
	admin.set("f-date", "2026-11-20")
	admin.set("f-name", "Ngày Nhà giáo Việt Nam (nghỉ thử)")
	admin.run(chromedp.Click(chromedp.ID("f-workday")))
	admin.click("#holiday-add", "holiday-refused", http.StatusUnprocessableEntity)
	admin.has("#f-workday-error", "thứ Bảy hoặc Chủ nhật")
	admin.run(chromedp.Click(chromedp.ID("f-workday")))
	admin.click("#holiday-add", "holiday-added", http.StatusOK)
	admin.has(".flash", "Đã thêm")
	admin.has("#day-2026-11-20", "Thứ Sáu")
	var h models.Holiday
	if err := s.db.First(&h, "date = ?", "2026-11-20").Error; err != nil || h.Workday {
		t.Fatalf("holiday: %+v %v", h, err)
	}
	admin.click("#day-2026-11-20 button.danger", "holiday-deleted", http.StatusOK)
	admin.has(".flash", "Đã xóa")
	var n int64
	s.db.Model(&models.Holiday{}).Where("date = ?", "2026-11-20").Count(&n)
	if n != 0 {
		t.Fatal("the holiday is still in the calendar")
	}
	var events int64
	s.db.Model(&models.AuditEvent{}).Where("actor_name = ? AND target = ?", "quantri", "2026-11-20").Count(&events)
	if events != 2 {
		t.Fatalf("%d audit events for the holiday, want 2", events)
	}
}

// browserUnits: the administrator reads the 2024 hierarchy and adds a
// school under a commune there (a refused ID first), landing on the new
// unit's page. The tab is the one already logged in.
func browserUnits(t *testing.T, s *stack, b *browser) {
	admin := b.as(t, "quantri")
	admin.open("/ui/admin/units?at=2024-06-01", "units-2024", http.StatusOK)
	admin.has("#unit-xa-dong-hoa", "Thành phố Dĩ An")
	admin.set("f-id", "Trường Mới")
	admin.set("f-name", "Trường Tiểu học Bình Thắng")
	admin.set("f-kind", "school")
	admin.set("f-parent_id", "xa-binh-thang")
	admin.set("f-effective_from", "2024-09-05")
	admin.click("#unit-create", "unit-refused", http.StatusUnprocessableEntity)
	admin.has("#f-id-error", "chữ thường")
	admin.set("f-id", "th-binh-thang")
	admin.click("#unit-create", "unit-created", http.StatusOK)
	admin.has(".flash", "Đã thêm đơn vị")
	admin.has("#parents", "Phường Bình Thắng")
	var links []models.UnitParent
	if err := s.db.Find(&links, "unit_id = ?", "th-binh-thang").Error; err != nil || len(links) != 1 ||
		links[0].ParentID != "xa-binh-thang" || links[0].EffectiveFrom.Format(time.DateOnly) != "2024-09-05" {
		t.Fatalf("the new unit's links: %+v %v", links, err)
	}
}

// browserPostings: Interior posts a Prime Minister's Bằng khen nominee;
// a citizen, without an account, objects (a too short text refused
// first); Interior reads the objection on the nomination and resolves it.
func browserPostings(t *testing.T, s *stack, b *browser) {
	const name = "Lâm Văn Phúc"
	issueTokens(t, s, "donvi.donghoa", "xet.donghoa", "xet.dian", "xet.sogddt", "canbo.sonoivu")
	id := accepted(t, s, name, "bang-khen-thu-tuong")
	interior := b.as(t, "canbo.sonoivu")
	interior.open("/ui/nominations/"+id, "posting-none", http.StatusOK)
	interior.has("#posting-period", "Chưa niêm yết")
	interior.click("#posting-start", "posted", http.StatusOK)
	interior.has(".flash", "Đã niêm yết")
	interior.has("#posting-period", "Niêm yết từ")

	citizen := b.anonymous(t)
	citizen.open("/ui/postings", "postings", http.StatusOK)
	citizen.has("#posting-"+id, name)
	citizen.run(chromedp.Click(chromedp.CSS("#posting-" + id + " summary")))
	citizen.set("obj-"+id+"-author", "Nguyễn Văn Dân")
	citizen.set("obj-"+id+"-text", "Sai")
	citizen.click("#posting-"+id+" button[type=submit]", "objection-refused", http.StatusUnprocessableEntity)
	citizen.has("#f-text-error", "từ 10 đến 4000")
	citizen.set("f-text", `Đề nghị xác minh lại số lớp học <b>năm 2024</b>.`)
	citizen.set("f-contact", "0909 000 111")
	citizen.click("#posting-"+id+" button[type=submit]", "objection-sent", http.StatusOK)
	citizen.has(".flash", "Đã gửi ý kiến phản ánh")

	var o models.Objection
	if err := s.db.First(&o, "nomination_id = ?", id).Error; err != nil || o.Author != "Nguyễn Văn Dân" || o.Contact != "0909 000 111" {
		t.Fatalf("objection: %+v %v", o, err)
	}
	interior.open("/ui/nominations/"+id, "objection-open", http.StatusOK)
	interior.has("#objection-"+o.ID, "<b>năm 2024</b>")
	interior.has("#objection-"+o.ID, "Chưa giải quyết")
	interior.click("#objection-"+o.ID+" button.resolve", "resolve-refused", http.StatusUnprocessableEntity)
	interior.has("#f-resolution-error", "kết quả giải quyết")
	interior.set("f-resolution", "Đã xác minh với UBND phường: số liệu đúng.")
	interior.click("#objection-"+o.ID+" button.resolve", "resolved", http.StatusOK)
	interior.has(".flash", "Đã ghi kết quả giải quyết")
	interior.has("#objection-"+o.ID, "Đã xác minh với UBND phường")
	if err := s.db.First(&o, "id = ?", o.ID).Error; err != nil || o.ResolvedAt == nil || o.ResolvedBy != "u-canbo.sonoivu" {
		t.Fatalf("resolution: %+v %v", o, err)
	}
}
