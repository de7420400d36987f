package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/web"
	"github.com/tdkt/tdkt/workflows"
)

// chromiumPath is the browser the UI tests drive (Debian's chromium).
const chromiumPath = "/usr/bin/chromium"

// TestBrowser drives the web UI in headless Chromium through issue 8's
// scenario — a nominating body submits, the district returns it, the body
// revises and resubmits, every level approves, Interior records the
// council's vote and issues the decision, the public page shows the
// certificate valid — then checks CSRF protection and escaping. Every page
// visited is saved as a full-page screenshot under $TDKT_ARTIFACTS/ui/.
func TestBrowser(t *testing.T) {
	exe := os.Getenv("TDKT_CHROMIUM")
	if exe == "" {
		exe = chromiumPath
	}
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("headless Chromium not found at %s (%v): install the Debian packages chromium and chromium-driver "+
			"(scripts/install-deps.sh does), or set TDKT_CHROMIUM", exe, err)
	}
	started := time.Now()
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()

	// The API server mounts the UI at /ui/; the harness does not keep the
	// api.Server, so this test mounts it the same way in front of s.api.
	ui := web.New(s.svc, web.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/ui/") {
			ui.ServeHTTP(w, r)
			return
		}
		s.api.ServeHTTP(w, r)
	}))
	defer srv.Close()

	b := startBrowser(t, exe, srv.URL)
	defer b.close()
	t.Logf("screenshots in %s", b.shots)

	var id string
	t.Run("flow", func(t *testing.T) { id = browserFlow(t, s, b) })
	t.Run("csrf", func(t *testing.T) { browserCSRF(t, s, b, srv.URL) })
	t.Run("escaping", func(t *testing.T) { browserEscaping(t, s, b) })
	t.Run("phone", func(t *testing.T) { browserPhone(t, b, id) })
	t.Run("admin", func(t *testing.T) { browserAdmin(t, s, b) })
	t.Run("users", func(t *testing.T) { browserUsers(t, s, b) })
	t.Run("holidays", func(t *testing.T) { browserHolidays(t, s, b) })
	t.Run("units", func(t *testing.T) { browserUnits(t, s, b) })
	t.Run("postings", func(t *testing.T) { browserPostings(t, s, b) })
	b.checkConsole(t)
	t.Logf("browser test took %s", time.Since(started).Round(time.Millisecond))
}

// browser is one headless Chromium with a tab (its own cookie jar) per
// user.
type browser struct {
	t     *testing.T
	base  string
	shots string
	root  context.Context
	stop  []context.CancelFunc
	tabs  map[string]*tab

	mu       sync.Mutex
	n        int
	problems []string // console errors, exceptions, dialogs
}

func startBrowser(t *testing.T, exe, base string) *browser {
	shots := t.TempDir()
	if a := os.Getenv("TDKT_ARTIFACTS"); a != "" {
		shots = filepath.Join(a, "ui")
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	b := &browser{t: t, base: base, shots: shots, root: root, stop: []context.CancelFunc{cancelAlloc, cancelRoot},
		tabs: map[string]*tab{}}
	if err := chromedp.Do(root); err != nil {
		b.close()
		t.Fatalf("start %s: %v", exe, err)
	}
	return b
}

func (b *browser) close() {
	for i := len(b.stop) - 1; i >= 0; i-- {
		b.stop[i]()
	}
}

// tab is one user's window: a browser context of its own (cookies apart).
type tab struct {
	b    *browser
	t    *testing.T
	ctx  context.Context
	user string
}

// as returns the tab of a user, logging them in the first time.
func (b *browser) as(t *testing.T, user string) *tab {
	if tb, ok := b.tabs[user]; ok {
		tb.t = t
		return tb
	}
	tb := b.newTab(t, user)
	tb.login()
	return tb
}

// anonymous returns a tab without a session (a citizen).
func (b *browser) anonymous(t *testing.T) *tab {
	if tb, ok := b.tabs["anonymous"]; ok {
		tb.t = t
		return tb
	}
	return b.newTab(t, "anonymous")
}

// newTab opens a window with cookies of its own, watching its console.
func (b *browser) newTab(t *testing.T, user string) *tab {
	ctx, cancel := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
	b.stop = append(b.stop, cancel)
	tb := &tab{b: b, t: t, ctx: ctx, user: user}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		var p string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			p = "exception: " + ev.ExceptionDetails.Text
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				p = "console.error"
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError && !strings.HasSuffix(ev.Entry.URL, "/favicon.ico") {
				p = fmt.Sprintf("%s %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
			}
		case *page.EventJavascriptDialogOpening:
			p = "dialog opened: " + ev.Message
		}
		if p != "" {
			b.mu.Lock()
			b.problems = append(b.problems, user+": "+p)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	b.tabs[user] = tb
	return tb
}

// checkConsole fails on any console error, uncaught exception, CSP
// violation or dialog seen in any tab, except those a test expected.
func (b *browser) checkConsole(t *testing.T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		// The refused forms of the CSRF test answer 403 on purpose; the
		// validation test gets 422 pages.
		if strings.Contains(p, "status of 403") || strings.Contains(p, "status of 422") {
			continue
		}
		t.Errorf("browser: %s", p)
	}
}

func (tb *tab) run(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", tb.user, err)
	}
}

func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("%s: evaluate %s: %v", tb.user, js, err)
	}
	return v
}

// open navigates to a path and checks the page answered want.
func (tb *tab) open(path, shot string, want int) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(tb.b.base+path))
	if err != nil {
		tb.t.Fatalf("%s: open %s: %v", tb.user, path, err)
	}
	tb.landed(res.Status, want, "open "+path, shot)
}

// click clicks an element that loads a page (a submit button, a link) and
// checks the page that comes back.
func (tb *tab) click(sel, shot string, want int) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("%s: click %s: %v", tb.user, sel, err)
	}
	tb.landed(res.Status, want, "click "+sel, shot)
}

// landed checks a loaded page: its status, that every control is labelled
// and the page has its landmarks, that it does not scroll sideways; then
// saves its screenshot.
func (tb *tab) landed(status int64, want int, what, shot string) {
	tb.t.Helper()
	if int(status) != want {
		tb.shot(shot + "-unexpected")
		tb.t.Fatalf("%s: %s: status %d, want %d; page says: %s", tb.user, what, status, want, tb.text("main"))
	}
	if loc := tb.location(); strings.Contains(loc, "/ui/") {
		bad := eval[[]string](tb, `(() => {
			const bad = [];
			for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
				if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
					bad.push('unlabelled ' + (el.name || el.id));
			}
			for (const s of ['main', 'h1', 'a.skip']) if (!document.querySelector(s)) bad.push('no ' + s);
			const ids = {};
			for (const el of document.querySelectorAll('[id]')) { if (ids[el.id]) bad.push('duplicate id ' + el.id); ids[el.id] = 1; }
			if (document.documentElement.scrollWidth > window.innerWidth + 1) bad.push('scrolls sideways: ' + document.documentElement.scrollWidth);
			return bad;
		})()`)
		if len(bad) > 0 {
			tb.t.Errorf("%s: %s (%s): %v", tb.user, what, loc, bad)
		}
	}
	tb.shot(shot)
}

// shot saves a full-page screenshot.
func (tb *tab) shot(name string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	tb.b.mu.Lock()
	tb.b.n++
	file := filepath.Join(tb.b.shots, fmt.Sprintf("%02d-%s-%s.png", tb.b.n, tb.user, name))
	tb.b.mu.Unlock()
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) location() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	return loc
}

// text is the visible text of the first element matching sel ("" if none).
func (tb *tab) text(sel string) string {
	return eval[string](tb, fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, sel))
}

// has fails unless the element's text contains want.
func (tb *tab) has(sel, want string) {
	tb.t.Helper()
	if got := tb.text(sel); !strings.Contains(got, want) {
		tb.t.Fatalf("%s: %s at %s says %q, want it to contain %q", tb.user, sel, tb.location(), got, want)
	}
}

// set sets the value of the element with this id.
func (tb *tab) set(id, value string) {
	tb.t.Helper()
	tb.run(chromedp.SetValue(chromedp.ID(id), value))
}

// login signs the tab's user in through the login form.
func (tb *tab) login() {
	tb.t.Helper()
	tb.open("/ui/login", "login", http.StatusOK)
	tb.run(chromedp.SendKeys(chromedp.ID("f-username"), tb.user), chromedp.SendKeys(chromedp.ID("f-password"), password))
	tb.click("form.card button[type=submit]", "home", http.StatusOK)
	if loc := tb.location(); strings.Contains(loc, "/ui/login") {
		tb.t.Fatalf("%s: still on the login page: %s", tb.user, tb.text("main"))
	}
}

// fill types a dossier into the generated form, value by value, finding
// each input by its JSON pointer.
func (tb *tab) fill(ptr string, v any) {
	tb.t.Helper()
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			tb.fill(ptr+"/"+k, x[k])
		}
	case []any:
		for i, e := range x {
			tb.fill(fmt.Sprintf("%s/%d", ptr, i), e)
		}
	default:
		tb.set(web.FieldID(ptr), fmt.Sprint(x))
	}
}

// nominationID is the ID in the tab's /ui/nominations/{id} URL.
func (tb *tab) nominationID() string {
	tb.t.Helper()
	m := regexp.MustCompile(`/ui/nominations/([0-9a-f-]{36})`).FindStringSubmatch(tb.location())
	if m == nil {
		tb.t.Fatalf("not on a nomination's page: %s", tb.location())
	}
	return m[1]
}

// browserFlow is issue 8's scenario; it returns the nomination's ID.
func browserFlow(t *testing.T, s *stack, b *browser) string {
	const name = "Nguyễn Thị Hồng Nhung"
	body := b.as(t, "donvi.donghoa")
	body.has("h1", "Hồ sơ đề nghị của đơn vị")

	// The dossier form is generated from the individual kind's schema.
	body.open("/ui/nominations/new?kind=individual", "new-form", http.StatusOK)
	body.has("#f-dossier-nominee legend", "Báo cáo thành tích cá nhân")
	body.set("f-round_id", seed.DemoRoundID)
	body.set("f-award", "bang-khen-tinh")
	dossier, err := forms.ExampleFor(forms.KindIndividual, name, "bang-khen-tinh", 424242)
	if err != nil {
		t.Fatal(err)
	}
	body.fill("/dossier", dossier)
	// A wrong CCCD: the API's 422 shows beside the field.
	body.set(web.FieldID("/dossier/nominee/cccd"), "0741")
	body.click("#save-submit", "submit-refused", http.StatusUnprocessableEntity)
	body.has("#problem", "Hồ sơ chưa đầy đủ")
	body.has("#f-dossier-nominee-cccd-error", "12 chữ số")
	if got := eval[string](body, `document.getElementById('f-dossier-nominee-cccd').getAttribute('aria-invalid')`); got != "true" {
		t.Fatalf("the CCCD input is not marked invalid: %q", got)
	}
	body.set(web.FieldID("/dossier/nominee/cccd"), dossier["nominee"].(map[string]any)["cccd"].(string))
	body.click("#save-submit", "submitted", http.StatusOK)
	body.has(".flash", "Đã gửi hồ sơ")
	body.has("#status", "Đang xét duyệt")
	body.has("#current-level", "Cấp xã")
	id := body.nominationID()

	// The commune council approves.
	commune := b.as(t, "xet.donghoa")
	commune.has("h1", "Hồ sơ chờ xét")
	commune.has("main table", name)
	commune.click(fmt.Sprintf("a[href='/ui/nominations/%s']", id), "commune-detail", http.StatusOK)
	commune.has("#h-elig", "Kết quả kiểm tra điều kiện")
	commune.has("#h-route", "Lộ trình xét duyệt")
	commune.set("f-comment", "Đồng ý đề nghị")
	commune.click("#approve", "commune-approved", http.StatusOK)
	commune.has("#current-level", "Cấp huyện")

	// The district returns it: first without reasons (refused beside the
	// comment), then with them.
	district := b.as(t, "xet.dian")
	district.has("main table", name)
	district.open("/ui/nominations/"+id, "district-detail", http.StatusOK)
	district.click("#return", "return-refused", http.StatusUnprocessableEntity)
	district.has("#f-comment-error", "lý do")
	district.set("f-comment", "Bổ sung số liệu năm 2024 về số lớp và số người được hỗ trợ")
	district.click("#return", "district-returned", http.StatusOK)
	district.has("#status", "Trả lại để bổ sung")

	// The body sees the return, revises and resubmits.
	body.open("/ui/nominations", "body-list-returned", http.StatusOK)
	body.has("#h-returned", "Hồ sơ bị trả lại")
	// Evidence first: a file that is not a PDF or an image is refused
	// beside the file input; a PDF is kept.
	body.open("/ui/nominations/"+id, "returned-detail", http.StatusOK)
	body.has("#return-comment", "Bổ sung số liệu năm 2024")
	files := t.TempDir()
	notPDF, evidence := filepath.Join(files, "ghi-chu.txt"), filepath.Join(files, "Báo cáo số liệu 2024.pdf")
	os.WriteFile(notPDF, []byte("không phải PDF"), 0o644)
	os.WriteFile(evidence, []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"), 0o644)
	body.run(chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{notPDF}))
	body.click("#upload", "upload-refused", http.StatusUnprocessableEntity)
	body.has("#f-file-error", "PDF, JPEG hoặc PNG")
	body.run(chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{evidence}))
	body.click("#upload", "uploaded", http.StatusOK)
	body.has("#attachments", "Báo cáo số liệu 2024.pdf")
	body.click(fmt.Sprintf("a[href='/ui/nominations/%s/edit']", id), "answer-return", http.StatusOK)
	body.has("#return-comment", "Bổ sung số liệu năm 2024")
	revised := "Năm 2024 mở 6 lớp tin học cho 120 người cao tuổi và 4 lớp tiếng Anh cộng đồng; vận động 15.000.000 đồng " +
		"cho Quỹ khuyến học, hỗ trợ 8 học sinh có hoàn cảnh khó khăn tiếp tục đến trường (số liệu bổ sung năm 2024)."
	body.set(web.FieldID("/dossier/nominee/achievements"), revised)
	body.click("#save-submit", "resubmitted", http.StatusOK)
	body.has("#status", "Đang xét duyệt")
	body.has("#current-level", "Cấp huyện")
	body.has("#dossier-version", "2")

	// The district sees what changed, and approves.
	district.open("/ui/nominations/"+id, "district-versions", http.StatusOK)
	district.has("#version-2", "Thành tích đạt được")
	district.has("#version-2", "số liệu bổ sung năm 2024")
	district.has("#attachments", "Báo cáo số liệu 2024.pdf")
	if got := fetchPDF(district, "#attachments a"); got != "%PDF" {
		t.Fatalf("evidence download: %q", got)
	}
	district.click("#approve", "district-approved", http.StatusOK)
	district.has("#current-level", "Sở Giáo dục và Đào tạo")

	// The Department of Education approves from its inbox, in bulk.
	education := b.as(t, "xet.sogddt")
	education.has("main table", name)
	education.run(chromedp.Click(chromedp.ID("sel-" + id)))
	education.click("#bulk-approve", "bulk-approved", http.StatusOK)
	education.has("#bulk-results", name)
	education.has("#bulk-results", "Đã duyệt")

	// Interior accepts.
	interior := b.as(t, "canbo.sonoivu")
	interior.has("main table", name)
	interior.open("/ui/nominations/"+id, "interior-detail", http.StatusOK)
	interior.has("#approve", "Chấp thuận")
	interior.click("#approve", "accepted", http.StatusOK)
	interior.has("#status", "Được chấp thuận")

	// The council votes and the decision is issued.
	interior.open("/ui/rounds", "rounds", http.StatusOK)
	interior.open("/ui/rounds/thu-nghiem/consolidated", "consolidated", http.StatusOK)
	interior.has("#consolidated", name)
	if got := eval[string](interior, `document.querySelector('input[name="/votes/0/nomination_id"]').value`); got != id {
		t.Fatalf("first council row is %s, want %s", got, id)
	}
	interior.set("f-members_total", "15")
	interior.set("f-members_present", "13")
	interior.set("vote-for-0", "12")
	interior.set("vote-against-0", "1")
	interior.click("#council-submit", "council-recorded", http.StatusOK)
	interior.has("#row-"+id, "Thông qua")
	interior.set("f-number", "123/QĐ-UBND")
	interior.set("f-signer_title", "Chủ tịch")
	interior.set("f-signer_name", "Võ Văn Minh")
	interior.click("#decision-submit", "decision", http.StatusOK)
	interior.has("h1", "123/QĐ-UBND")
	interior.has("#certificates", name)
	interior.has("#certificates", "Còn hiệu lực")
	for _, link := range []string{"#certificates a[type='application/pdf']", "a[href$='/certificates.pdf']", "#decision-pdf"} {
		if got := fetchPDF(interior, link); got != "%PDF" {
			t.Fatalf("%s is not a PDF: %q", link, got)
		}
	}
	decisionURL := interior.location()
	if got := fetchPDF(body, "#draft-link"); got != "%PDF" {
		t.Fatalf("certificate draft is not a PDF: %q", got)
	}

	// The public verification page.
	interior.click("a.verify-link", "verify-valid", http.StatusOK)
	interior.has("main", "Còn hiệu lực")
	interior.has("main", name)
	interior.has("main", "123/QĐ-UBND")

	var n models.Nomination
	if err := s.db.First(&n, "id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	if n.Status != workflows.StatusAccepted || n.DossierVersion != 2 {
		t.Fatalf("read model: status %s, dossier version %d; want accepted, 2", n.Status, n.DossierVersion)
	}
	var steps []models.ReviewStep
	s.db.Where("nomination_id = ?", id).Order("seq").Find(&steps)
	var actions []string
	for _, st := range steps {
		a := st.Action
		if st.Level != "" {
			a += "@" + st.Level
		}
		actions = append(actions, a)
	}
	if got := strings.Join(actions, " "); got != "submit approve@commune return@district resubmit approve@district approve@education approve@interior" {
		t.Fatalf("audit trail: %s", got)
	}
	var cert models.Certificate
	if err := s.db.First(&cert, "nomination_id = ?", id).Error; err != nil || cert.Status != "valid" {
		t.Fatalf("certificate: %+v %v", cert, err)
	}

	// The nominating body finds its certificate on the nomination's page:
	// the PDF and the public verification page.
	body.open("/ui/nominations/"+id, "body-issued", http.StatusOK)
	body.has("#issued", "123/QĐ-UBND")
	body.has("#issued-status", "Còn hiệu lực")
	if got := fetchPDF(body, "#issued-pdf"); got != "%PDF" {
		t.Fatalf("the body's certificate is not a PDF: %q", got)
	}
	body.click("#issued-verify", "body-verify", http.StatusOK)
	body.has("main", name)

	// Revocation shows on the public page.
	interior.open(strings.TrimPrefix(decisionURL, b.base), "decision-again", http.StatusOK)
	interior.set("reason-"+cert.ID, "Quyết định bị hủy do sai sót về đối tượng")
	interior.click("#cert-"+cert.ID+" button.danger", "revoked", http.StatusOK)
	interior.has("#cert-"+cert.ID, "Đã thu hồi")
	interior.open("/verify/"+cert.VerifyCode, "verify-revoked", http.StatusOK)
	interior.has("main", "Đã bị thu hồi")

	// English, then back; logout ends the session.
	body.open("/ui/nominations?lang=en", "english", http.StatusOK)
	body.has("h1", "Our nominations")
	body.open("/ui/nominations/"+id, "english-detail", http.StatusOK)
	body.has("#status", "Accepted")
	body.open("/ui/nominations?lang=vi", "vietnamese", http.StatusOK)
	interior.open("/ui/inbox", "inbox-again", http.StatusOK)
	interior.click("header form button[type=submit]", "logged-out", http.StatusOK)
	interior.has(".flash", "Bạn đã đăng xuất")
	interior.open("/ui/inbox", "after-logout", http.StatusOK)
	if loc := interior.location(); !strings.Contains(loc, "/ui/login") {
		t.Fatalf("after logout /ui/inbox shows %s", loc)
	}
	delete(b.tabs, "canbo.sonoivu")
	return id
}

// fetchPDF fetches a link of the page with the page's cookies and returns
// the body's first four bytes.
func fetchPDF(tb *tab, sel string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	js := fmt.Sprintf(`fetch(document.querySelector(%q).href).then(r => r.ok && r.headers.get('Content-Type') === 'application/pdf' ? r.text() : 'status ' + r.status).then(t => t.slice(0, 4))`, sel)
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("fetch %s: %v", sel, err)
	}
	return v
}

// fetchType fetches a link of the page with the page's cookies and
// returns the status and content type.
func fetchType(tb *tab, sel string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	js := fmt.Sprintf(`fetch(document.querySelector(%q).href).then(r => r.status + ' ' + r.headers.get('Content-Type'))`, sel)
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("fetch %s: %v", sel, err)
	}
	return v
}

// browserCSRF: a form without its token, or with another session's, is
// refused and changes nothing; so is a cross-site POST; the session
// cookie is HttpOnly and SameSite.
func browserCSRF(t *testing.T, s *stack, b *browser, base string) {
	body := b.as(t, "donvi.donghoa")
	body.open("/ui/nominations/new", "csrf-form", http.StatusOK)
	body.set("f-round_id", "thu-nghiem")
	body.set("f-award", "giay-khen-xa")
	body.set("f-nominee_name", "Không có mã chống giả mạo")
	body.run(chromedp.Evaluate[chromedp.Void](`document.querySelector('form.dossier input[name=csrf]').remove()`))
	body.click("#save", "csrf-refused", http.StatusForbidden)
	body.has("main", "Biểu mẫu đã hết hạn")
	var count int64
	s.db.Model(&models.Nomination{}).Where("nominee_name = ?", "Không có mã chống giả mạo").Count(&count)
	if count != 0 {
		t.Fatalf("a POST without the CSRF token created %d nominations", count)
	}

	// Outside the browser: the login form and a logged-in form.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	token := func(path string) string {
		res, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		html, _ := io.ReadAll(res.Body)
		m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(html)
		if m == nil {
			t.Fatalf("%s has no CSRF token", path)
		}
		return string(m[1])
	}
	post := func(path string, form url.Values, headers ...string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	loginToken := token("/ui/login")
	creds := url.Values{"username": {"donvi.chuyenhungvuong"}, "password": {password}}
	if res := post("/ui/login", creds); res.StatusCode != http.StatusForbidden {
		t.Fatalf("login without a CSRF token: %d", res.StatusCode)
	}
	creds.Set("csrf", loginToken)
	res := post("/ui/login", creds)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "tdkt_session" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/ui/" || session.Secure {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/ui/, not Secure over plain HTTP", session)
	}
	formToken := token("/ui/nominations/new")
	draft := url.Values{"/round_id": {"thu-nghiem"}, "/nominee_kind": {"individual"}, "/award": {"giay-khen-so"},
		"/nominee_name": {"Giả mạo biểu mẫu"}, "op": {"save"}}
	for what, tok := range map[string]string{"no token": "", "the login form's token": loginToken, "a forged token": "AAAA" + formToken[4:]} {
		f := maps(draft)
		if tok != "" {
			f.Set("csrf", tok)
		}
		if res := post("/ui/nominations", f); res.StatusCode != http.StatusForbidden {
			t.Fatalf("POST with %s: status %d, want 403", what, res.StatusCode)
		}
	}
	f := maps(draft)
	f.Set("csrf", formToken)
	if res := post("/ui/nominations", f, "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST with a valid token: status %d, want 403", res.StatusCode)
	}
	s.db.Model(&models.Nomination{}).Where("nominee_name = ?", "Giả mạo biểu mẫu").Count(&count)
	if count != 0 {
		t.Fatalf("refused POSTs created %d nominations", count)
	}
	if res := post("/ui/nominations", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST with the right token: status %d, want 303", res.StatusCode)
	}
	s.db.Model(&models.Nomination{}).Where("nominee_name = ?", "Giả mạo biểu mẫu").Count(&count)
	if count != 1 {
		t.Fatalf("the accepted POST created %d nominations", count)
	}
}

func maps(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// browserEscaping: markup a user types is shown as text, everywhere.
func browserEscaping(t *testing.T, s *stack, b *browser) {
	const markup = `<script>alert("xss")</script><b id="injected">Đậm</b>`
	body := b.as(t, "donvi.donghoa")
	body.open("/ui/nominations/new", "markup-form", http.StatusOK)
	body.set("f-round_id", "thu-nghiem")
	body.set("f-award", "giay-khen-xa")
	body.set("f-nominee_name", markup)
	body.set(web.FieldID("/dossier/nominee/achievements"), `<img src=x onerror="alert(1)" id="injected-img"> 12 lớp`)
	body.click("#save", "markup-saved", http.StatusOK)
	body.has("h1", markup)
	body.has("#h-dossier + .view", `<img src=x onerror="alert(1)" id="injected-img">`)
	body.open("/ui/nominations", "markup-list", http.StatusOK)
	body.has("main table", markup)
	if n := eval[int](body, `document.querySelectorAll('#injected, #injected-img, main script').length`); n != 0 {
		t.Fatalf("typed markup became %d elements", n)
	}
	var n models.Nomination
	if err := s.db.First(&n, "nominee_name = ?", markup).Error; err != nil {
		t.Fatalf("the draft was not stored as typed: %v", err)
	}
}

// browserPhone: the pages stay readable at phone width.
func browserPhone(t *testing.T, b *browser, id string) {
	if id == "" {
		t.Fatal("no nomination: the flow failed")
	}
	body := b.as(t, "donvi.donghoa")
	body.run(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	defer body.run(chromedp.EmulateViewport(1366, 768))
	body.open("/ui/nominations", "phone-list", http.StatusOK)
	body.open("/ui/nominations/"+id, "phone-detail", http.StatusOK)
	body.open("/ui/nominations/new", "phone-form", http.StatusOK)
}

// browserAdmin: an administrator creates a round (a refused field first),
// moves its window, and reads the units and the administration page.
func browserAdmin(t *testing.T, s *stack, b *browser) {
	admin := b.as(t, "quantri")
	admin.has("h1", "Đợt xét khen thưởng")
	body := b.as(t, "donvi.donghoa")
	body.open("/ui/nominations/import", "import", http.StatusOK)
	if got := fetchType(body, "a[href$='import-template.xlsx']"); !strings.HasPrefix(got, "200 application/vnd.openxmlformats") {
		t.Fatalf("import template: %s", got)
	}
	admin.set("f-code", "Đợt mới")
	admin.set("f-name", "Khen thưởng hằng năm 2026 — thử giao diện")
	admin.set("f-opens_at", "2026-12-01T08:00")
	admin.set("f-closes_at", "2026-12-31T17:00")
	admin.set("f-reference_date", "2026-12-01")
	admin.run(chromedp.Click(chromedp.ID("aw-giay-khen-xa")), chromedp.Click(chromedp.ID("aw-bang-khen-tinh")))
	admin.set("f-level_due_days-commune", "7")
	admin.set("f-quotas-0-unit_id", seed.NewCommuneID("Phường Đông Hòa"))
	admin.set("f-quotas-0-award", "bang-khen-tinh")
	admin.set("f-quotas-0-max", "0")
	admin.click("#round-create", "round-refused", http.StatusUnprocessableEntity)
	admin.has("#f-code-error", "chữ thường")
	admin.has("#f-quotas-0-max-error", "từ 1 đến 100000")
	admin.set("f-code", "hang-nam-2026-ui")
	admin.set("f-quotas-0-max", "3")
	admin.click("#round-create", "round-created", http.StatusOK)
	admin.has(".flash", "Đã tạo đợt xét")
	admin.has("main", "Khen thưởng hằng năm 2026 — thử giao diện")
	admin.has("#h-dash", "Tình hình xử lý")
	admin.set("f-closes_at", "2027-01-15T17:00")
	admin.click("form[action$='/schedule'] button[type=submit]", "round-moved", http.StatusOK)
	admin.has(".flash", "Đã thay đổi thời gian")
	var r models.Round
	if err := s.db.First(&r, "code = ?", "hang-nam-2026-ui").Error; err != nil {
		t.Fatal(err)
	}
	var quotas []models.RoundQuota
	s.db.Where("round_id = ?", r.ID).Find(&quotas)
	if r.LevelDueDays != `{"commune":7}` || len(quotas) != 1 || quotas[0].UnitID != seed.NewCommuneID("Phường Đông Hòa") || quotas[0].Max != 3 {
		t.Fatalf("round's terms %s and quotas %+v", r.LevelDueDays, quotas)
	}
	if want := time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC); !r.ClosesAt.Equal(want) {
		t.Fatalf("round closes at %s, want %s (17:00 in Vietnam)", r.ClosesAt, want)
	}
	admin.open("/ui/units?at=2024-06-01&kind=district", "units", http.StatusOK)
	admin.has("main table", "Thành phố Dĩ An")
	admin.open("/ui/admin", "admin", http.StatusOK)
	admin.has("main", "Ngày nghỉ lễ, Tết")
	admin.open("/ui/nominations?overdue=true", "overdue-filter", http.StatusOK)
	admin.has("main", "Tìm thấy 0 hồ sơ")

	// The workbooks the API makes, through the session.
	const xlsx = "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	admin.open("/ui/nominations", "all-nominations", http.StatusOK)
	if got := fetchType(admin, "a[href^='/ui/exports/nominations.xlsx']"); got != xlsx {
		t.Fatalf("nominations export: %s", got)
	}
	admin.open("/ui/rounds/thu-nghiem", "round-dashboard", http.StatusOK)
	if got := fetchType(admin, "a[href$='/report.xlsx']"); got != xlsx {
		t.Fatalf("round report: %s", got)
	}
	admin.open("/ui/rounds/thu-nghiem/consolidated", "admin-consolidated", http.StatusOK)
	if got := fetchType(admin, "a[href$='/consolidated.xlsx']"); got != xlsx {
		t.Fatalf("consolidated workbook: %s", got)
	}
}
