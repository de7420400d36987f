package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/tdkt/tdkt/service"
)

// zone is Vietnam's time (UTC+7, no daylight saving): dates are shown in it.
var zone = time.FixedZone("ICT", 7*3600)

// page is what every template gets: the layout's data and the page's own
// (Data). Its methods are the templates' helpers.
type page struct {
	Lang  string
	Title string
	Me    *service.MeView
	CSRF  string
	Flash string
	Nav   []navItem
	Data  any
	url   *url.URL
}

// navItem is one link of the main navigation.
type navItem struct {
	Href, Label string
	Current     bool
}

// newPage starts a page; titleKey names its title in the catalogue.
func (u *UI) newPage(w http.ResponseWriter, r *http.Request, rq *request, lang, titleKey string) *page {
	p := &page{Lang: lang, Title: catalogue[titleKey].in(lang), url: r.URL, Flash: u.takeFlash(w, r, lang)}
	if rq != nil && rq.Me.ID != "" {
		p.Me = &rq.Me
		p.CSRF = u.csrfToken(rq.Token)
		p.Nav = navFor(rq.Me.Role, lang, r.URL.Path)
	}
	return p
}

// page starts the page of an authenticated request.
func (rq *request) page(titleKey string, data any) *page {
	p := rq.ui.newPage(rq.w, rq.r, rq, rq.Lang, titleKey)
	p.Data = data
	return p
}

// show renders a page of an authenticated request.
func (rq *request) show(status int, name string, p *page) error {
	rq.ui.render(rq.w, status, name, p)
	return nil
}

// navFor is the main navigation of a role.
func navFor(role, lang, current string) []navItem {
	type entry struct{ href, key string }
	var items []entry
	switch role {
	case roleNominator:
		items = []entry{{"/ui/nominations", "nav_my_nominations"}, {"/ui/nominations/new", "nav_new"}, {"/ui/rounds", "nav_rounds"}}
	case roleReviewer:
		items = []entry{{"/ui/inbox", "nav_inbox"}, {"/ui/nominations", "nav_nominations"}, {"/ui/rounds", "nav_rounds"}}
	case roleInterior:
		items = []entry{{"/ui/inbox", "nav_inbox"}, {"/ui/nominations", "nav_nominations"}, {"/ui/rounds", "nav_consolidation"}}
	case roleAdmin:
		items = []entry{{"/ui/rounds", "nav_rounds"}, {"/ui/nominations", "nav_nominations"}, {"/ui/admin/users", "nav_users"},
			{"/ui/admin/holidays", "nav_holidays"}, {"/ui/admin/units", "nav_units"}}
	}
	items = append(items, entry{"/ui/learning", "nav_learning"}, entry{"/ui/learning/reports", "nav_reports"}, entry{"/ui/postings", "nav_postings"}, entry{"/ui/verify", "nav_verify"})
	out := make([]navItem, 0, len(items))
	for _, it := range items {
		out = append(out, navItem{Href: it.href, Label: catalogue[it.key].in(lang), Current: current == it.href})
	}
	return out
}

// T is the catalogue's text of key in the page's language.
func (p *page) T(key string) string { return tr(p.Lang, key) }

// Tf formats the catalogue's text of key with args.
func (p *page) Tf(key string, args ...any) string { return fmt.Sprintf(tr(p.Lang, key), args...) }

// L is the label of a code in a family: L "status" "draft" → "Đang soạn".
func (p *page) L(family, code string) string {
	if m, ok := catalogue[family+"_"+code]; ok {
		return m.in(p.Lang)
	}
	return code
}

// OtherLang is the language the switch offers.
func (p *page) OtherLang() string {
	if p.Lang == "en" {
		return "vi"
	}
	return "en"
}

// LangURL is this page in the other language.
func (p *page) LangURL() string {
	q := p.url.Query()
	q.Set("lang", p.OtherLang())
	return p.url.Path + "?" + q.Encode()
}

// Is reports whether the caller has one of the roles.
// Issues tells whether the caller records decisions: an Interior officer,
// or the head of a commune or a Sở for its chairman's or director's.
func (p *page) Issues() bool {
	return p.Me != nil && (p.Me.Role == roleInterior || p.Me.Role == roleReviewer && p.Me.Head)
}

func (p *page) Is(roles ...string) bool {
	if p.Me == nil {
		return false
	}
	for _, r := range roles {
		if p.Me.Role == r {
			return true
		}
	}
	return false
}

// Date shows a date (time, *time or "YYYY-MM-DD") as dd/mm/yyyy.
func (p *page) Date(v any) string { return formatTime(v, "02/01/2006") }

// DateTime shows a time as dd/mm/yyyy hh:mm, Vietnam time.
func (p *page) DateTime(v any) string { return formatTime(v, "02/01/2006 15:04") }

// formatTime formats a time, a *time or a date string in Vietnam time.
func formatTime(v any, layout string) string {
	switch t := v.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return t.In(zone).Format(layout)
	case *time.Time:
		if t == nil {
			return ""
		}
		return formatTime(*t, layout)
	case *string:
		if t == nil {
			return ""
		}
		return formatTime(*t, layout)
	case string:
		if d, err := time.Parse(time.DateOnly, t); err == nil {
			return d.Format("02/01/2006")
		}
		if d, err := time.Parse(time.RFC3339, t); err == nil {
			return formatTime(d, layout)
		}
		return t
	}
	return ""
}

// Value shows a JSON value of a version's change.
func (p *page) Value(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		return x
	case float64, bool:
		return scalarString(x)
	}
	b, _ := json.Marshal(v) // a value decoded from JSON encodes again
	return string(b)
}

// inputArgs is one hand-written input of a form ("rfield").
type inputArgs struct {
	Page                    *page
	Ptr, Type, Value, Label string
}

// parsePages parses each page template with the layout and partials.
func parsePages() map[string]*template.Template {
	funcs := template.FuncMap{
		"inc": func(i int) int { return i + 1 },
		// add and sub place a chart's labels (learning.html).
		"add": func(a float64, b ...float64) float64 {
			for _, x := range b {
				a += x
			}
			return a
		},
		"sub":       func(a, b float64) float64 { return a - b },
		"fid":       FieldID,
		"randomKey": func() string { return randomHex(16) },
		"list":      func(s ...string) []string { return s },
		"deref":     func(b *bool) bool { return b != nil && *b },
		"derefInt": func(i *int) int {
			if i == nil {
				return 0
			}
			return *i
		},
		// units bundles a select's units for the "unitoptions" template.
		"units": func(p *page, groups []unitGroup, selected string) unitSelect {
			return unitSelect{Page: p, Groups: groups, Selected: selected}
		},
		// args bundles a hand-written input for the "rfield" template.
		"args": func(p *page, ptr, typ, value, label string) inputArgs {
			return inputArgs{Page: p, Ptr: ptr, Type: typ, Value: value, Label: label}
		},
	}
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/_*.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if strings.HasPrefix(name, "_") {
			continue
		}
		pages[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, n))
	}
	return pages
}

// render executes a page template into the response.
func (u *UI) render(w http.ResponseWriter, status int, name string, p *page) {
	t, ok := u.pages[name]
	if !ok {
		panic("web: no template " + name)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		u.log.Error("web ui: render", "page", name, "error", err)
		http.Error(w, "template error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes()) // the client went away: nothing is left to tell it
}

// errorPage shows a message with a status (rq may be nil: no session).
func (u *UI) errorPage(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string) {
	lang := langOf(r)
	p := u.newPage(w, r, rq, lang, "err_title")
	p.Data = struct {
		Status  int
		Message string
	}{status, msg}
	u.render(w, status, "error", p)
}

// tr is the text of key in lang (the key itself when missing).
func tr(lang, key string) string {
	if m, ok := catalogue[key]; ok {
		return m.in(lang)
	}
	return key
}

// tr is the text of key in the request's language.
func (u *UI) tr(r *http.Request, key string) string { return tr(langOf(r), key) }

// t is the text of key in the request's language.
func (rq *request) t(key string) string { return tr(rq.Lang, key) }
