package web

import (
	"context"
	"crypto/tls"
	"encoding/json"
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
	"sync"
	"testing"
	"time"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/service"
)

// fakeAPI answers the few API routes the tests need, for one user
// (token "tok-1") or, with "tok-2", another.
type fakeAPI struct {
	mu     sync.Mutex
	calls  []*http.Request
	posts  int    // POST /api/v1/nominations
	upload string // the last evidence file: name and content
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls = append(f.calls, r)
	f.mu.Unlock()
	problem := func(status int, detail string, errs ...FieldError) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(Problem{Status: status, Detail: detail, DetailEN: detail + " (en)", Errors: errs})
	}
	ok := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	route := r.Method + " " + r.URL.Path
	// The service authenticated the page's caller; the fake only needs a
	// token to be passed on.
	if tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "); tok == "" {
		problem(401, "Phiên đăng nhập không hợp lệ.")
		return
	}
	switch route {
	case "GET /api/v1/nominations":
		ok(NominationPage{Total: 1, Page: 1, PerPage: 20, Items: []Nomination{{ID: "n-1", NomineeKind: "individual",
			NomineeName: `<script>alert(1)</script><b>Đậm</b>`, Status: "draft", Award: "giay-khen-xa"}}})
	case "GET /api/v1/inbox":
		ok(NominationPage{Page: 1, PerPage: 20, Items: []Nomination{}})
	case "GET /api/v1/rounds":
		ok(map[string]any{"items": []Round{{ID: "thu-nghiem", Code: "thu-nghiem", Name: "Đợt thử", State: "open",
			ClosesAt: time.Now().Add(time.Hour), Awards: []string{"giay-khen-xa"}}}, "total": 1})
	case "GET /api/v1/awards":
		ok(map[string]any{"items": []Award{{Code: "giay-khen-xa", Name: "Giấy khen của Chủ tịch UBND xã"}}})
	case "GET /api/v1/units":
		ok(map[string]any{"items": []Unit{{ID: "x", Name: "Phường Đông Hòa"}}, "total": 1})
	case "GET /api/v1/forms":
		ok(map[string]any{"items": []FormInfo{{Kind: "individual", Title: "Cá nhân"}}, "total": 1})
	case "GET /api/v1/forms/individual":
		ok(forms.Dossier("individual").JSONSchema())
	case "POST /api/v1/nominations/n-1/attachments":
		file, fh, err := r.FormFile("file")
		if err != nil {
			problem(422, "Chọn một tệp.", FieldError{Pointer: "/file", Message: "Chọn một tệp.", MessageEN: "Choose a file."})
			return
		}
		b, _ := io.ReadAll(file)
		f.mu.Lock()
		f.upload = fh.Filename + ":" + string(b)
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		ok(Attachment{ID: "a-1", FileName: fh.Filename})
	case "POST /api/v1/nominations":
		f.mu.Lock()
		f.posts++
		f.mu.Unlock()
		problem(422, "Dữ liệu chưa hợp lệ.",
			FieldError{Pointer: "/round_id", Message: "Không có đợt xét này.", MessageEN: "No such round."},
			FieldError{Pointer: "/dossier/nominee/cccd", Message: "Số căn cước công dân gồm đúng 12 chữ số.", MessageEN: "12 digits."})
	default:
		problem(404, "Không tìm thấy.")
	}
}

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
	u := newUI(t, &fakeAPI{}, Options{CSRFKey: []byte("key-one")})
	other := newUI(t, &fakeAPI{}, Options{CSRFKey: []byte("key-two")})
	a := u.csrfToken("session-a")
	if a == "" || a == u.csrfToken("session-b") || a == other.csrfToken("session-a") {
		t.Fatal("tokens must depend on the session and the key")
	}
	if !u.validCSRF("session-a", a) || u.validCSRF("session-b", a) || u.validCSRF("session-a", "") ||
		u.validCSRF("", u.csrfToken("")) || u.validCSRF("session-a", a[:len(a)-1]) {
		t.Fatal("validCSRF accepts a wrong token")
	}
	if newUI(t, &fakeAPI{}, Options{}).csrfToken("s") == newUI(t, &fakeAPI{}, Options{}).csrfToken("s") {
		t.Fatal("without a key, each UI must draw its own")
	}
}

func TestLoginSession(t *testing.T) {
	ui := newUI(t, &fakeAPI{}, Options{})
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
	ui := newUI(t, &fakeAPI{}, Options{})
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
		"TLS":           {h: newUI(t, &fakeAPI{}, Options{}), tls: true},
		"SecureCookies": {h: newUI(t, &fakeAPI{}, Options{SecureCookies: true})},
	} {
		c.t, c.cookies = t, map[string]*http.Cookie{}
		if s := c.login(); !s.Secure {
			t.Errorf("%s: session cookie not Secure", name)
		}
	}
}

func TestAuthRequired(t *testing.T) {
	c := newClient(t, newUI(t, &fakeAPI{}, Options{}))
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
// 403 and changes nothing; with it, the API's errors come back beside the
// fields.
func TestPostNeedsCSRF(t *testing.T) {
	api := &fakeAPI{}
	ui := newUI(t, api, Options{})
	c := newClient(t, ui)
	c.login()
	form := url.Values{"/round_id": {"x"}, "/nominee_kind": {"individual"}, "/award": {"giay-khen-xa"},
		"/dossier/nominee/cccd": {"0741"}}
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
	if api.posts != 0 {
		t.Fatalf("refused POSTs reached the API %d times", api.posts)
	}
	// A cross-site POST is refused even with the token.
	tok := csrfOf(t, c.do("GET", "/ui/nominations/new", nil))
	form.Set("csrf", tok)
	if w := c.do("POST", "/ui/nominations", form, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"); w.Code != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", w.Code)
	}
	w := c.do("POST", "/ui/nominations", form)
	body := w.Body.String()
	if w.Code != http.StatusUnprocessableEntity || api.posts != 1 {
		t.Fatalf("valid POST: %d, %d API calls", w.Code, api.posts)
	}
	for _, want := range []string{
		`<p class="error" id="f-round_id-error">Không có đợt xét này.</p>`,
		`<p class="error" id="f-dossier-nominee-cccd-error">Số căn cước công dân gồm đúng 12 chữ số.</p>`,
		`<a href="#f-dossier-nominee-cccd">Số căn cước công dân gồm đúng 12 chữ số.</a>`,
		`name="/dossier/nominee/cccd" value="0741"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused form lacks %s", want)
		}
	}
}

// TestUpload: an evidence file goes to the API as multipart; without the
// CSRF token it is refused.
func TestUpload(t *testing.T) {
	api := &fakeAPI{}
	c := newClient(t, newUI(t, api, Options{MaxUploadBytes: 1 << 10}))
	c.login()
	tok := csrfOf(t, c.do("GET", "/ui/nominations", nil))
	post := func(csrf, content string) *httptest.ResponseRecorder {
		var b strings.Builder
		mw := multipart.NewWriter(&b)
		if csrf != "" {
			mw.WriteField("csrf", csrf)
		}
		fw, _ := mw.CreateFormFile("file", "minh chứng.pdf")
		fw.Write([]byte(content))
		mw.Close()
		r := httptest.NewRequest("POST", "/ui/nominations/n-1/attachments", strings.NewReader(b.String()))
		r.Header.Set("Content-Type", mw.FormDataContentType())
		for _, ck := range c.cookies {
			r.AddCookie(ck)
		}
		w := httptest.NewRecorder()
		c.h.ServeHTTP(w, r)
		return w
	}
	if w := post("", "%PDF-1.4"); w.Code != http.StatusForbidden || api.upload != "" {
		t.Fatalf("upload without a token: %d, API got %q", w.Code, api.upload)
	}
	if w := post(tok, strings.Repeat("x", 1<<20+4<<10)); w.Code != http.StatusRequestEntityTooLarge || api.upload != "" {
		t.Fatalf("oversize upload: %d", w.Code)
	}
	w := post(tok, "%PDF-1.4")
	if w.Code != http.StatusSeeOther || api.upload != "minh chứng.pdf:%PDF-1.4" {
		t.Fatalf("upload: %d, API got %q", w.Code, api.upload)
	}
}

func TestEscapingAndHeaders(t *testing.T) {
	c := newClient(t, newUI(t, &fakeAPI{}, Options{}))
	c.login()
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
	c := newClient(t, newUI(t, &fakeAPI{}, Options{}))
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
	c := newClient(t, newUI(t, &fakeAPI{}, Options{}))
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
	keyInTemplate := regexp.MustCompile(`\.Tf? "([a-z_]+)"|"((?:round|user|holiday|unit)_[a-z_]+)"\)\}\}`)
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
