package web

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/service"
)

type client struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]*http.Cookie
	tls     bool
}

func newClient(t *testing.T, h http.Handler) *client {
	return &client{t: t, h: h, cookies: map[string]*http.Cookie{}}
}

// do serves one request, keeping the cookies like a browser.
func (c *client) do(method, path string, form url.Values, headers ...string) *httptest.ResponseRecorder {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.tls {
		r.TLS = &tls.ConnectionState{}
	}
	for _, ck := range c.cookies {
		r.AddCookie(ck)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	for _, ck := range w.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return w
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no CSRF token in %s", w.Body.String())
	}
	return m[1]
}

func cookie(w *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, ck := range w.Result().Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// login signs in through the form and returns the session cookie.
func (c *client) login() *http.Cookie {
	c.t.Helper()
	tok := csrfOf(c.t, c.do("GET", "/ui/login", nil))
	w := c.do("POST", "/ui/login", url.Values{"csrf": {tok}, "username": {"donvi.donghoa"}, "password": {testPassword}, "next": {"/ui/inbox"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/inbox" {
		c.t.Fatalf("login: %d %s", w.Code, w.Header().Get("Location"))
	}
	return cookie(w, sessionCookie)
}

func TestCSRFToken(t *testing.T) {
	u := newUI(t, Options{CSRFKey: []byte("key-one")})
	other := newUI(t, Options{CSRFKey: []byte("key-two")})
	a := u.csrfToken("session-a")
	if a == "" || a == u.csrfToken("session-b") || a == other.csrfToken("session-a") {
		t.Fatal("tokens must depend on the session and the key")
	}
	if !u.validCSRF("session-a", a) || u.validCSRF("session-b", a) || u.validCSRF("session-a", "") ||
		u.validCSRF("", u.csrfToken("")) || u.validCSRF("session-a", a[:len(a)-1]) {
		t.Fatal("validCSRF accepts a wrong token")
	}
	if newUI(t, Options{}).csrfToken("s") == newUI(t, Options{}).csrfToken("s") {
		t.Fatal("without a key, each UI must draw its own")
	}
}

func TestLoginSession(t *testing.T) {
	ui := newUI(t, Options{})
	c := newClient(t, ui)
	w := c.do("GET", "/ui/login", nil)
	pre := cookie(w, preCookie)
	if w.Code != 200 || pre == nil || !pre.HttpOnly || pre.Path != "/ui/" {
		t.Fatalf("login page: %d, pre-session cookie %+v", w.Code, pre)
	}
	tok := csrfOf(t, w)

	// No token, or another's: refused before the password is checked (a
	// right password would otherwise open a session).
	for _, bad := range []string{"", "x" + tok[1:]} {
		w = c.do("POST", "/ui/login", url.Values{"csrf": {bad}, "username": {"donvi.donghoa"}, "password": {testPassword}})
		if w.Code != http.StatusForbidden || cookie(w, sessionCookie) != nil {
			t.Fatalf("login with token %q: %d, session %v", bad, w.Code, cookie(w, sessionCookie))
		}
	}
	// A wrong password shows the service's message; the username stays, escaped.
	w = c.do("POST", "/ui/login", url.Values{"csrf": {tok}, "username": {`donvi"><b>`}, "password": {"sai"}})
	if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "Tên đăng nhập hoặc mật khẩu không đúng.") ||
		!strings.Contains(w.Body.String(), `value="donvi&#34;&gt;&lt;b&gt;"`) || cookie(w, sessionCookie) != nil {
		t.Fatalf("wrong password: %d %s", w.Code, w.Body.String())
	}
	// The right one: an HttpOnly, SameSite=Lax session cookie on /ui/,
	// not Secure over plain HTTP; an outside "next" is ignored.
	w = c.do("POST", "/ui/login", url.Values{"csrf": {tok}, "username": {"donvi.donghoa"}, "password": {testPassword}, "next": {"//evil.example/"}})
	s := cookie(w, sessionCookie)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/" || s == nil || s.Value == "" ||
		!s.HttpOnly || s.SameSite != http.SameSiteLaxMode || s.Path != "/ui/" || s.Secure || s.MaxAge <= 0 {
		t.Fatalf("login: %d %q, cookie %+v", w.Code, w.Header().Get("Location"), s)
	}
	who, err := ui.svc.Authenticate(context.Background(), s.Value)
	if err != nil || who.User.Username != "donvi.donghoa" {
		t.Fatalf("the session's token: %v %v", who.User.Username, err)
	}
	// Home sends a nominating body to its nominations.
	if w = c.do("GET", "/ui/", nil); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/nominations" {
		t.Fatalf("home: %d %s", w.Code, w.Header().Get("Location"))
	}
	// Logout revokes the token and clears the cookie.
	page := c.do("GET", "/ui/nominations", nil)
	w = c.do("POST", "/ui/logout", url.Values{"csrf": {csrfOf(t, page)}})
	if w.Code != http.StatusSeeOther || cookie(w, sessionCookie) == nil || cookie(w, sessionCookie).MaxAge >= 0 {
		t.Fatalf("logout: %d %+v", w.Code, cookie(w, sessionCookie))
	}
	if _, err := ui.svc.Authenticate(context.Background(), s.Value); !errors.Is(err, service.ErrUnauthorized) {
		t.Errorf("the token after logout: %v", err)
	}
}

// TestLoginLimitsOnTheWebPath: the web form enforces what the API does —
// the account lock-out after five wrong passwords, and the per-address
// limit, counted together with the address's API logins.
func TestLoginLimitsOnTheWebPath(t *testing.T) {
	ui := newUI(t, Options{})
	c := newClient(t, ui)
	tok := csrfOf(t, c.do("GET", "/ui/login", nil))
	try := func(user, pw string) *httptest.ResponseRecorder {
		return c.do("POST", "/ui/login", url.Values{"csrf": {tok}, "username": {user}, "password": {pw}})
	}
	for i := 0; i < 4; i++ {
		if w := try("xet.dian", "sai"); w.Code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i, w.Code)
		}
	}
	w := try("xet.dian", "sai")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "900" || !strings.Contains(w.Body.String(), "15 phút") {
		t.Fatalf("fifth wrong password: %d %v", w.Code, w.Header())
	}
	if w := try("xet.dian", testPassword); w.Code != http.StatusTooManyRequests || cookie(w, sessionCookie) != nil {
		t.Fatalf("right password during the lock-out: %d", w.Code)
	}
	// The address has made 6 attempts; the API's logins from it count too.
	for i := 0; i < 4; i++ {
		if _, err := ui.svc.Login(context.Background(), "192.0.2.1", service.LoginInput{Username: "khong-co", Password: "x"}); !errors.Is(err, service.ErrUnauthorized) {
			t.Fatalf("API login %d: %v", i, err)
		}
	}
	if w := try("xet.sogddt", testPassword); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("the 11th login from one address within a second: %d", w.Code)
	}
	// Another address is not limited.
	if _, err := ui.svc.Login(context.Background(), "192.0.2.2", service.LoginInput{Username: "xet.sogddt", Password: testPassword}); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

func TestSecureCookies(t *testing.T) {
	for name, c := range map[string]*client{
		"TLS":           {h: newUI(t, Options{}), tls: true},
		"SecureCookies": {h: newUI(t, Options{SecureCookies: true})},
	} {
		c.t, c.cookies = t, map[string]*http.Cookie{}
		if s := c.login(); !s.Secure {
			t.Errorf("%s: session cookie not Secure", name)
		}
	}
}

func TestAuthRequired(t *testing.T) {
	c := newClient(t, newUI(t, Options{}))
	w := c.do("GET", "/ui/inbox?sort=due_at", nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/login?next=%2Fui%2Finbox%3Fsort%3Ddue_at" {
		t.Fatalf("anonymous inbox: %d %s", w.Code, w.Header().Get("Location"))
	}
	// An expired or revoked token: back to the login page, cookie cleared.
	c.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: "expired"}
	w = c.do("GET", "/ui/nominations", nil)
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/ui/login") {
		t.Fatalf("expired session: %d %s", w.Code, w.Header().Get("Location"))
	}
	if _, still := c.cookies[sessionCookie]; still {
		t.Fatal("the expired session cookie was not cleared")
	}
	// A POST without a session never reaches the API.
	if w = c.do("POST", "/ui/nominations", url.Values{}); w.Code != http.StatusSeeOther {
		t.Fatalf("anonymous POST: %d", w.Code)
	}
}

// TestPostNeedsCSRF: a POST without the session's token is refused with
// 403 and changes nothing; with it, the service's errors come back beside
// the fields.
func TestPostNeedsCSRF(t *testing.T) {
	ui := newUI(t, Options{})
	c := newClient(t, ui)
	c.login()
	drafts := func() int64 {
		var n int64
		if err := ui.svc.DB().Model(&models.Nomination{}).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	form := url.Values{"/round_id": {"x"}, "/nominee_kind": {"individual"}, "/award": {"giay-khen-xa"},
		"/nominee_name": {"Lê Văn An"}, "/dossier/nominee/cccd": {"0741"}}
	otherSession := ui.csrfToken("tok-2")
	for _, tok := range []string{"", otherSession, "garbage"} {
		f := url.Values{"csrf": {tok}}
		for k, v := range form {
			f[k] = v
		}
		if w := c.do("POST", "/ui/nominations", f); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Biểu mẫu đã hết hạn") {
			t.Fatalf("POST with token %q: %d", tok, w.Code)
		}
	}
	if n := drafts(); n != 0 {
		t.Fatalf("refused POSTs created %d drafts", n)
	}
	// A cross-site POST is refused even with the token.
	tok := csrfOf(t, c.do("GET", "/ui/nominations/new", nil))
	form.Set("csrf", tok)
	if w := c.do("POST", "/ui/nominations", form, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"); w.Code != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", w.Code)
	}
	// An unknown round: the error beside the round field, nothing created.
	w := c.do("POST", "/ui/nominations", form)
	body := w.Body.String()
	if w.Code != http.StatusUnprocessableEntity || drafts() != 0 ||
		!strings.Contains(body, `<p class="error" id="f-round_id-error">Không có đợt xét khen thưởng này.</p>`) ||
		!strings.Contains(body, `name="/dossier/nominee/cccd" value="0741"`) {
		t.Fatalf("unknown round: %d, %d drafts\n%s", w.Code, drafts(), body)
	}
	// Created and submitted at once: the draft is kept, the dossier's
	// errors are shown beside their fields and in the summary.
	form.Set("/round_id", "thu-nghiem")
	form.Set("op", "submit")
	w = c.do("POST", "/ui/nominations", form)
	body = w.Body.String()
	if w.Code != http.StatusUnprocessableEntity || drafts() != 1 {
		t.Fatalf("submitted with a bad CCCD: %d, %d drafts\n%s", w.Code, drafts(), body)
	}
	for _, want := range []string{
		`<p class="error" id="f-dossier-nominee-cccd-error">Số căn cước công dân gồm đúng 12 chữ số.</p>`,
		`<a href="#f-dossier-nominee-cccd">Số căn cước công dân gồm đúng 12 chữ số.</a>`,
		`name="/dossier/nominee/cccd" value="0741"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused form lacks %s", want)
		}
	}
}

// TestUpload: an evidence file goes to the service, which stores it under
// a clean name and gives it back as a download; without the CSRF token,
// or beyond the UI's bound on the form, it is refused before it is read;
// beyond the service's bound on a file, the service refuses it beside the
// file input. Refused uploads store nothing.
func TestUpload(t *testing.T) {
	svc := newService(t, func(c *service.Config) { c.MaxUploadBytes = 2 << 10 })
	// The UI's own bound on the form, below the service's.
	ui := New(svc, Options{MaxUploadBytes: 1 << 10}).(*UI)
	id := draftOf(t, ui, "donvi.donghoa")
	stored := func() []models.Attachment {
		t.Helper()
		var as []models.Attachment
		if err := svc.DB().Where("nomination_id = ?", id).Order("created_at").Find(&as).Error; err != nil {
			t.Fatal(err)
		}
		return as
	}
	post := func(c *client, csrf, name, content string) *httptest.ResponseRecorder {
		t.Helper()
		return postFile(t, c, "/ui/nominations/"+id+"/attachments", csrf, name, content)
	}

	c := newClient(t, ui)
	c.login()
	tok := csrfOf(t, c.do("GET", "/ui/nominations", nil))
	if w := post(c, "", "minh chứng.pdf", "%PDF-1.4"); w.Code != http.StatusForbidden || len(stored()) != 0 {
		t.Fatalf("upload without a token: %d, %d stored", w.Code, len(stored()))
	}
	if w := post(c, tok, "minh chứng.pdf", strings.Repeat("x", 1<<20+4<<10)); w.Code != http.StatusRequestEntityTooLarge || len(stored()) != 0 {
		t.Fatalf("oversize upload: %d, %d stored", w.Code, len(stored()))
	}
	w := post(c, tok, "../../etc/minh chứng.pdf", "%PDF-1.4")
	as := stored()
	if w.Code != http.StatusSeeOther || len(as) != 1 || as[0].FileName != "minh chứng.pdf" || as[0].Size != 8 ||
		as[0].ContentType != "application/pdf" || as[0].UploadedBy != "u-donvi.donghoa" {
		t.Fatalf("upload: %d, stored %+v", w.Code, as)
	}
	w = c.do("GET", "/ui/nominations/"+id+"/attachments/"+as[0].ID, nil)
	if w.Code != http.StatusOK || w.Body.String() != "%PDF-1.4" || w.Header().Get("Content-Type") != "application/pdf" ||
		w.Header().Get("Content-Disposition") != `attachment; filename="minh chung.pdf"; filename*=UTF-8''minh%20ch%E1%BB%A9ng.pdf` {
		t.Fatalf("download: %d %q %v", w.Code, w.Body.String(), w.Header())
	}

	// The service's bound on the file, within the UI's default bound:
	// refused on the nomination's page above the file input; a file that
	// is not PDF, JPEG or PNG beside it.
	c = newClient(t, New(svc, Options{}))
	c.login()
	tok = csrfOf(t, c.do("GET", "/ui/nominations", nil))
	for content, want := range map[string]struct {
		status int
		shown  string
	}{
		"%PDF-" + strings.Repeat("x", 2<<10): {http.StatusRequestEntityTooLarge, `<p>Tệp minh chứng vượt quá 0 MB.</p>`},
		"<html>not a pdf</html>": {http.StatusUnprocessableEntity,
			`<p class="error" id="f-file-error">Chỉ nhận tệp PDF, JPEG hoặc PNG (nhận biết theo nội dung tệp).</p>`},
	} {
		w := post(c, tok, "lon.pdf", content)
		if w.Code != want.status || len(stored()) != 1 || !strings.Contains(w.Body.String(), want.shown) {
			t.Errorf("refused upload of %d bytes: %d (want %d), %d stored: %s", len(content), w.Code, want.status, len(stored()), w.Body.String())
		}
	}
}

func TestEscapingAndHeaders(t *testing.T) {
	ui := newUI(t, Options{})
	c := newClient(t, ui)
	c.login()
	draftOf(t, ui, "donvi.donghoa", `<script>alert(1)</script><b>Đậm</b>`)
	w := c.do("GET", "/ui/nominations", nil)
	body := w.Body.String()
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;Đậm&lt;/b&gt;") || strings.Contains(body, "<script>alert") {
		t.Fatalf("the nominee's name is not escaped: %s", body)
	}
	h := w.Header()
	if h.Get("Content-Security-Policy") != ContentSecurityPolicy || h.Get("X-Frame-Options") != "DENY" ||
		h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("headers %v", h)
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, " style=") || strings.Contains(body, " on") && regexp.MustCompile(` on[a-z]+=`).MatchString(body) {
		t.Fatal("a page has inline script or handlers")
	}
	// Unknown paths answer a 404 page; static files are served.
	if w := c.do("GET", "/ui/nope", nil); w.Code != http.StatusNotFound {
		t.Fatalf("unknown path: %d", w.Code)
	}
	for _, f := range []string{"/ui/static/app.css", "/ui/static/app.js", "/ui/static/favicon.svg"} {
		if w := c.do("GET", f, nil); w.Code != 200 {
			t.Fatalf("%s: %d", f, w.Code)
		}
	}
}

func TestLanguageSwitch(t *testing.T) {
	c := newClient(t, newUI(t, Options{}))
	w := c.do("GET", "/ui/login?lang=en", nil)
	if !strings.Contains(w.Body.String(), "<h1>Log in</h1>") || cookie(w, langCookie) == nil || cookie(w, langCookie).Value != "en" {
		t.Fatal("?lang=en does not switch to English")
	}
	if w = c.do("GET", "/ui/login", nil); !strings.Contains(w.Body.String(), `<html lang="en">`) {
		t.Fatal("the language is not remembered")
	}
	if w = c.do("GET", "/ui/login?lang=vi", nil); !strings.Contains(w.Body.String(), "<h1>Đăng nhập</h1>") {
		t.Fatal("?lang=vi does not switch back")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/ui/inbox?x=1": "/ui/inbox?x=1", "": "/ui/", "//evil.example/ui/": "/ui/", "https://evil.example/": "/ui/",
		"/api/v1/me": "/ui/", "/ui/\\evil": "/ui/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVerifyLookup(t *testing.T) {
	c := newClient(t, newUI(t, Options{}))
	code := "0123456789abcdef0123456789abcdef"
	w := c.do("GET", "/ui/verify?code=http%3A%2F%2Fx%2Fverify%2F"+code, nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/verify/"+code {
		t.Fatalf("lookup: %d %s", w.Code, w.Header().Get("Location"))
	}
	if w = c.do("GET", "/ui/verify?code=abc", nil); w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad code: %d", w.Code)
	}
}

// TestCatalogue: every text key the templates and handlers use exists, in
// Vietnamese and English, and so does every label of the families.
func TestCatalogue(t *testing.T) {
	for k, m := range catalogue {
		if m.vi == "" || m.en == "" {
			t.Errorf("%s lacks a language", k)
		}
	}
	used := map[string]bool{}
	keyInTemplate := regexp.MustCompile(`\.Tf? "([a-z_]+)"|"((?:round|user|holiday|unit|legal)_[a-z_]+)"\)\}\}`)
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFS.ReadFile(path)
		for _, m := range keyInTemplate.FindAllStringSubmatch(string(b), -1) {
			used[m[1]+m[2]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	keyInGo := regexp.MustCompile(`(?:\.t|tr|\.page|flash|newPage)\((?:[a-zA-Z.]+, )*"([a-z_]+)"`)
	files, _ := os.ReadDir(".")
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f.Name())
		for _, m := range keyInGo.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	families := map[string][]string{
		"status": statuses, "level": {"commune", "district", "education", "interior"},
		"kind": forms.Kinds(), "role": {roleNominator, roleReviewer, roleInterior, roleAdmin},
		"action": {"submit", "resubmit", "approve", "return", "reject", "withdraw", "extend"},
		"step":   {"done", "current", "returned", "rejected", "pending"}, "rule": {"pass", "fail", "warning"},
		"roundkind": {"annual", "preliminary", "final"}, "roundstate": {"scheduled", "open", "closed"},
		"chain": {"three-tier", "two-tier"}, "flash_decided": {"approve", "return", "reject"},
		"weekday": {"0", "1", "2", "3", "4", "5", "6"},
	}
	for fam, codes := range families {
		for _, c := range codes {
			used[fam+"_"+c] = true
		}
	}
	for _, s := range inboxSorts {
		used["sort_"+strings.TrimPrefix(s, "-")] = true
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys: the scan is broken", len(used))
	}
	for k := range used {
		if strings.HasSuffix(k, "_") {
			continue // a prefix built at run time, checked by the families
		}
		if _, ok := catalogue[k]; !ok {
			t.Errorf("catalogue lacks %q", k)
		}
	}
}

// postFile posts one file as the upload form does.
func postFile(t *testing.T, c *client, path, csrf, name, content string) *httptest.ResponseRecorder {
	t.Helper()
	var b strings.Builder
	mw := multipart.NewWriter(&b)
	if csrf != "" {
		if err := mw.WriteField("csrf", csrf); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", path, strings.NewReader(b.String()))
	r.Header.Set("Content-Type", mw.FormDataContentType())
	for _, ck := range c.cookies {
		r.AddCookie(ck)
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	return w
}

// TestUploadBoundIsTheServices: a UI given no bound of its own takes the
// service's, so a file the API accepts is accepted on the page too (an
// 11 MB scan, above the 10 MB the UI used to assume).
func TestUploadBoundIsTheServices(t *testing.T) {
	svc := newService(t, func(c *service.Config) { c.MaxUploadBytes = 12 << 20 })
	ui := New(svc, Options{}).(*UI)
	id := draftOf(t, ui, "donvi.donghoa")
	c := newClient(t, ui)
	c.login()
	tok := csrfOf(t, c.do("GET", "/ui/nominations", nil))
	w := postFile(t, c, "/ui/nominations/"+id+"/attachments", tok, "bản quét.pdf", "%PDF-1.4\n"+strings.Repeat("0", 11<<20))
	var n int64
	if err := svc.DB().Model(&models.Attachment{}).Where("nomination_id = ?", id).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if w.Code != http.StatusSeeOther || n != 1 {
		t.Fatalf("an 11 MB file under a 12 MB bound: %d, %d stored: %s", w.Code, n, w.Body.String())
	}
}
