package web

import (
	"regexp"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// TestLearningDashboard renders the dashboard for the demo's 2025:
// Phường Dĩ An's households 30 of 40, 75,0 % against the 70 % target,
// met in words; one bar for the phường and the target line; the city's
// bars, one per commune, and its ranked table; the exports linked and
// served; a unit's name with HTML in it escaped, in the SVG too.
func TestLearningDashboard(t *testing.T) {
	ui := newUI(t, Options{})
	c := newClient(t, ui)
	c.loginAs("vanthu.phuongdian")
	dian := seed.NewCommuneID("Phường Dĩ An")

	// The caller's own unit by default.
	w := c.do("GET", "/ui/learning?year=2025", nil)
	page := w.Body.String()
	if w.Code != 200 {
		t.Fatalf("dashboard: %d %s", w.Code, page)
	}
	row := between(t, page, `<tr data-indicator="gia-dinh-hoc-tap">`, "</tr>")
	for _, want := range []string{"Gia đình được công nhận Gia đình học tập", "<td>30</td>", "<td>40</td>", "75,0 %", "70,0 % (năm 2025)", ">Đạt<"} {
		if !strings.Contains(row, want) {
			t.Errorf("households' row lacks %q: %s", want, row)
		}
	}
	if !strings.Contains(page, `<option value="`+dian+`" selected>Phường Dĩ An</option>`) || !strings.Contains(page, `<option value="2025" selected>2025</option>`) {
		t.Error("the pickers do not show the phường and 2025")
	}
	if !strings.Contains(page, `href="/ui/learning" aria-current="page"`) {
		t.Error("the navigation does not lead to the dashboard")
	}
	bars := between(t, page, `<svg id="learning-bars"`, "</svg>")
	if n := strings.Count(bars, `<g class="bar">`); n != 1 {
		t.Errorf("%d bars for one phường", n)
	}
	// 70 % of the 380-unit scale after the 210-unit label column.
	if !strings.Contains(bars, `<line id="bars-target" x1="476.0"`) || !strings.Contains(bars, `width="285.0"`) {
		t.Errorf("the target line or the 75 %% bar is misplaced: %s", bars)
	}
	trend := between(t, page, `<svg id="learning-trend"`, "</svg>")
	if n := strings.Count(trend, `<g class="year">`); n != 3 || !strings.Contains(trend, "<title>2025: 75,0 %</title>") || !strings.Contains(trend, "<title>2023: Chưa có số liệu</title>") {
		t.Errorf("the trend 2023–2025 (%d years): %s", n, trend)
	}
	if !strings.Contains(page, `href="/ui/learning/indicators.xlsx?unit=`+dian+`&amp;year=2025"`) || !strings.Contains(page, `href="/ui/learning/indicators.pdf?unit=`+dian+`&amp;year=2025"`) {
		t.Errorf("the exports are not linked: %s", between(t, page, `<p class="links">`, "</p>"))
	}
	for file, typ := range map[string]string{"indicators.xlsx": "spreadsheetml", "indicators.pdf": "application/pdf"} {
		w := c.do("GET", "/ui/learning/"+file+"?unit="+dian+"&year=2025", nil)
		if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Type"), typ) {
			t.Errorf("%s: %d %s", file, w.Code, w.Header().Get("Content-Type"))
		}
	}

	// A name with HTML in it is text, in the tables and in the SVG.
	bauBang := seed.NewCommuneID("Xã Bàu Bàng")
	if err := ui.svc.DB().Model(&models.Unit{}).Where("id = ?", bauBang).Update("name", `Xã <b>Bàu</b> & "Bàng"`).Error; err != nil {
		t.Fatal(err)
	}
	w = c.do("GET", "/ui/learning?year=2025&unit="+seed.CityID+"&indicator=gia-dinh-hoc-tap", nil)
	page = w.Body.String()
	if w.Code != 200 {
		t.Fatalf("the city's dashboard: %d %s", w.Code, page)
	}
	if strings.Contains(page, "<b>Bàu</b>") {
		t.Error("a unit's name is not escaped")
	}
	escaped := `Xã &lt;b&gt;Bàu&lt;/b&gt; &amp; &#34;Bàng&#34;`
	bars = between(t, page, `<svg id="learning-bars"`, "</svg>")
	if n := strings.Count(bars, `<g class="bar">`); n != 168 {
		t.Errorf("%d bars for the city, want one per commune (168)", n)
	}
	if !strings.Contains(bars, ">"+escaped+"</text>") || !strings.Contains(bars, `<line id="bars-target"`) {
		t.Error("the renamed commune's bar is not escaped text, or the target line is missing")
	}
	// Ranked by rate: Dĩ An's 75 %, Bàu Bàng's 60 %, then the unreported.
	ranked := between(t, page, `<table id="learning-ranked">`, "</table>")
	names := regexp.MustCompile(`<th scope="row"><a [^>]*>([^<]*)</a>`).FindAllStringSubmatch(ranked, -1)
	if len(names) != 168 || names[0][1] != "Phường Dĩ An" || names[1][1] != escaped {
		t.Fatalf("ranked table: %d rows, first %v", len(names), names[:min(3, len(names))])
	}
	if !strings.Contains(ranked, "<caption>Xếp hạng đơn vị cấp xã: Gia đình được công nhận Gia đình học tập</caption>") ||
		!strings.Contains(ranked, ">Chưa đạt<") {
		t.Error("the ranked table's caption or Bàu Bàng's verdict")
	}
}

// between is the part of s from start to the first end after it.
func between(t *testing.T, s, start, end string) string {
	t.Helper()
	i := strings.Index(s, start)
	if i < 0 {
		t.Fatalf("no %q in the page", start)
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		t.Fatalf("no %q after %q", end, start)
	}
	return s[i : i+j+len(end)]
}
