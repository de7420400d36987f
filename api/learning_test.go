package api

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/testkit/pdftest"
	"github.com/tdkt/tdkt/models/seed"
)

// TestLearningIndicatorsExports serves the demo's 2025 indicators of
// Phường Dĩ An as a workbook and a PDF to any signed-in user, with the
// figures the JSON gives (households 30 of 40, 75,0 % against 70 %,
// met), and refuses a bad year or unit by field.
func TestLearningIndicatorsExports(t *testing.T) {
	e := newEnv(t)
	dian := seed.NewCommuneID("Phường Dĩ An")
	get := func(user, path string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		if user != "" {
			req.Header.Set("Authorization", "Bearer "+e.token(user))
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	query := "?unit=" + dian + "&year=2025"
	// A user of another commune reads them too: they are published figures.
	res, b := get("donvi.donghoa", "/api/v1/learning/indicators.xlsx"+query)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "chi-tieu-hoc-tap-"+dian+"-2025.xlsx") {
		t.Fatalf("workbook: %d %q %s", res.StatusCode, res.Header.Get("Content-Disposition"), b)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := wb.GetRows("Tổng hợp")
	want := []string{"Gia đình được công nhận Gia đình học tập", "30", "40", "75,0", "70,0 (năm 2025)", "Đạt"}
	if len(rows) < 2 || !slices.Equal(rows[1], want) {
		t.Errorf("totals %q, want first %q", rows, want)
	}
	communes, _ := wb.GetRows("Xã - Gia đình học tập")
	if len(communes) != 2 || !slices.Equal(communes[1], []string{"Phường Dĩ An", "30", "40", "75,0", "Đạt"}) {
		t.Errorf("the phường's own row %q", communes)
	}

	res, b = get("vanthu.phuongdian", "/api/v1/learning/indicators.pdf"+query)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("PDF: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	text := pdftest.Flat(pdftest.Text(t, pdftest.Write(t, "chi-tieu.pdf", b), 0))
	if !strings.Contains(text, "Gia đình được công nhận Gia đình học tập 30 40 75,0 70,0 (năm 2025) Đạt") {
		t.Errorf("the PDF lacks the households' row:\n%s", text)
	}

	for _, ext := range []string{"xlsx", "pdf"} {
		if res, _ := get("", "/api/v1/learning/indicators."+ext+query); res.StatusCode != 401 {
			t.Errorf("indicators.%s without a token: %d", ext, res.StatusCode)
		}
		res, b := get("vanthu.phuongdian", "/api/v1/learning/indicators."+ext+"?unit="+dian+"&year=1999")
		if res.StatusCode != 422 || !strings.Contains(string(b), "/year") {
			t.Errorf("indicators.%s of 1999: %d %s", ext, res.StatusCode, b)
		}
	}
}
