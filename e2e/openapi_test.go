package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/workflows"
)

var (
	pathParam       = regexp.MustCompile(`:(\w+)`)
	certificatePath = regexp.MustCompile(`^/api/v1/certificates/([^/]+)\.pdf$`)
)

// TestOpenAPIDocumentMatchesTheAPI loads the served OpenAPI document,
// checks that it lists exactly the routes the server has, calls every
// operation in it and validates every response (status, content type,
// body) against it.
func TestOpenAPIDocumentMatchesTheAPI(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	ctx := context.Background()

	res, err := http.Get(s.http.URL + "/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, ct := range []string{"application/problem+json", "application/yaml", "text/csv", "text/plain", "text/html", "application/pdf", "image/png", "image/jpeg",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
		if ct == "application/problem+json" {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.JSONBodyDecoder)
			continue
		}
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}

	// Every route of the server is documented, and every documented
	// operation exists.
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range s.api.Routes() {
		// The web UI (/ and /ui/) is pages, not part of the JSON contract.
		if r.Path == "/" || strings.HasPrefix(r.Path, "/ui/") {
			continue
		}
		if strings.HasPrefix(r.Path, "/") && r.Method != "echo_route_any" && !strings.Contains(r.Name, "RouteNotFound") {
			served[r.Method+" "+pathParam.ReplaceAllString(r.Path, "{$1}")] = true
		}
	}
	for k := range served {
		if !documented[k] {
			t.Errorf("route %s is served but not in openapi.yaml", k)
		}
	}
	for k := range documented {
		if !served[k] {
			t.Errorf("operation %s is in openapi.yaml but not served", k)
		}
	}

	called := map[string]bool{}
	call := func(user, method, path string, body any, want int) map[string]any {
		t.Helper()
		var rd io.Reader
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, s.http.URL+path, rd)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if user != "" {
			req.Header.Set("Authorization", "Bearer "+s.token(user))
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resBody, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("%s %s as %q: %d, want %d: %s", method, path, user, res.StatusCode, want, resBody)
		}
		// Validate against the document, with a request whose URL is
		// relative to the server, as the document describes it.
		vreq, _ := http.NewRequest(method, path, bytes.NewReader(b))
		vreq.Header = req.Header.Clone()
		route, params, err := router.FindRoute(vreq)
		if m := certificatePath.FindStringSubmatch(vreq.URL.Path); err != nil && m != nil {
			// The legacy router does not match "{id}.pdf"; look it up by hand.
			tmpl := "/api/v1/certificates/{id}.pdf"
			item := doc.Paths.Value(tmpl)
			route = &routers.Route{Spec: doc, Path: tmpl, PathItem: item, Method: method, Operation: item.GetOperation(method)}
			params, err = map[string]string{"id": m[1]}, nil
		}
		if err != nil {
			t.Fatalf("%s %s: not in openapi.yaml: %v", method, path, err)
		}
		called[method+" "+route.Path] = true
		in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if body != nil && want < 400 {
			if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
				t.Errorf("%s %s: request does not match openapi.yaml: %v", method, path, err)
			}
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode,
			Header: res.Header, Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		out.SetBodyBytes(resBody)
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("%s %s → %d: response does not match openapi.yaml: %v", method, path, res.StatusCode, err)
		}
		var m map[string]any
		_ = json.Unmarshal(resBody, &m)
		return m
	}

	call("", "GET", "/healthz", nil, 200)
	call("", "GET", "/readyz", nil, 200)
	call("", "GET", "/openapi.yaml", nil, 200)
	call("", "POST", "/api/v1/auth/login", map[string]string{"username": "xet.dian", "password": password}, 200)
	call("", "POST", "/api/v1/auth/login", map[string]string{"username": "xet.dian", "password": "sai"}, 401)
	call("", "GET", "/api/v1/me", nil, 401)
	call("xet.dian", "GET", "/api/v1/me", nil, 200)
	call("xet.dian", "GET", "/api/v1/units?kind=district", nil, 200)
	call("xet.dian", "GET", "/api/v1/awards", nil, 200)
	call("xet.dian", "GET", "/api/v1/forms", nil, 200)
	call("xet.dian", "GET", "/api/v1/forms/household", nil, 200)
	call("xet.dian", "GET", "/api/v1/forms/household?version=1", nil, 200) // replaced, still served
	call("xet.dian", "GET", "/api/v1/forms/household?version=0", nil, 422)
	call("xet.dian", "GET", "/api/v1/forms/household?version=99", nil, 404)
	call("xet.dian", "GET", "/api/v1/forms/khong-co", nil, 404)
	call("xet.dian", "GET", "/api/v1/rounds", nil, 200)
	round := map[string]any{"code": "hang-nam-2027", "name": "Khen thưởng hằng năm 2027", "kind": "annual",
		"period_from": 2027, "period_to": 2027, "opens_at": "2027-01-01T00:00:00+07:00", "closes_at": "2027-11-20T17:00:00+07:00",
		"chain": "two-tier", "reference_date": "2027-01-01", "due_working_days": 10, "awards": []string{"bang-khen-tinh"}}
	created := call("quantri", "POST", "/api/v1/rounds", round, 201)
	call("quantri", "POST", "/api/v1/rounds", round, 409)
	roundID := created["id"].(string)
	call("quantri", "PATCH", "/api/v1/rounds/"+roundID, map[string]any{"opens_at": "2027-01-05T00:00:00+07:00",
		"closes_at": "2027-11-20T17:00:00+07:00"}, 200)
	call("quantri", "PATCH", "/api/v1/rounds/khong-co", map[string]any{"opens_at": "2027-01-05T00:00:00+07:00",
		"closes_at": "2027-11-20T17:00:00+07:00"}, 404)
	call("canbo.sonoivu", "GET", "/api/v1/rounds/"+roundID+"/dashboard", nil, 200)
	call("xet.dian", "GET", "/api/v1/rounds/"+roundID+"/dashboard", nil, 403)
	call("xet.dian", "POST", "/api/v1/rounds", round, 403)
	call("quantri", "POST", "/api/v1/rounds", map[string]any{"code": "x"}, 422)

	draft := map[string]any{"round_id": "thu-nghiem", "nominee_kind": "individual",
		"nominee_name": "Phan Thị Ngọc", "award": "bang-khen-tinh", "dossier": dossierFor(t, "Phan Thị Ngọc", "bang-khen-tinh")}
	n := call("donvi.donghoa", "POST", "/api/v1/nominations", draft, 201)
	id := n["id"].(string)
	call("donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{"round_id": "thu-nghiem"}, 422)
	call("donvi.donghoa", "GET", "/api/v1/nominations?status=draft&sort=-created_at", nil, 200)
	call("donvi.donghoa", "GET", "/api/v1/nominations.xlsx", nil, 200)
	call("donvi.donghoa", "GET", "/api/v1/nominations.csv?q=phan", nil, 200)
	call("donvi.donghoa", "GET", "/api/v1/nominations/"+id, nil, 200)
	call("donvi.chuyenhungvuong", "GET", "/api/v1/nominations/"+id, nil, 404)
	call("donvi.donghoa", "PATCH", "/api/v1/nominations/"+id, map[string]any{"dossier": withAchievements(
		dossierFor(t, "Phan Thị Ngọc", "bang-khen-tinh"), "Vận động 40 hội viên tham gia lớp học tiếng Anh cộng đồng, tổ chức 3 chuyên đề chuyển đổi số cho người dân khu phố trong năm 2024.")}, 200)
	// Evidence: multipart upload, list, download.
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "bien-ban.pdf")
	fw.Write([]byte("%PDF-1.7\nbiên bản họp"))
	mw.Close()
	ureq, _ := http.NewRequest("POST", s.http.URL+"/api/v1/nominations/"+id+"/attachments", bytes.NewReader(mp.Bytes()))
	ureq.Header.Set("Content-Type", mw.FormDataContentType())
	ureq.Header.Set("Authorization", "Bearer "+s.token("donvi.donghoa"))
	ures, err := http.DefaultClient.Do(ureq)
	if err != nil {
		t.Fatal(err)
	}
	ubody, _ := io.ReadAll(ures.Body)
	ures.Body.Close()
	var att map[string]any
	if ures.StatusCode != 201 || json.Unmarshal(ubody, &att) != nil {
		t.Fatalf("upload: %d %s", ures.StatusCode, ubody)
	}
	vreq, _ := http.NewRequest("POST", "/api/v1/nominations/"+id+"/attachments", bytes.NewReader(mp.Bytes()))
	vreq.Header = ureq.Header.Clone()
	route, params, err := router.FindRoute(vreq)
	if err != nil {
		t.Fatal(err)
	}
	called["POST "+route.Path] = true
	uin := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	uout := &openapi3filter.ResponseValidationInput{RequestValidationInput: uin, Status: 201, Header: ures.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	uout.SetBodyBytes(ubody)
	if err := openapi3filter.ValidateResponse(ctx, uout); err != nil {
		t.Errorf("upload response does not match openapi.yaml: %v", err)
	}
	call("donvi.donghoa", "GET", "/api/v1/nominations/import-template.xlsx", nil, 200)
	var ib bytes.Buffer
	iw := multipart.NewWriter(&ib)
	ifw, _ := iw.CreateFormFile("file", "ho-so.xlsx")
	ifw.Write([]byte("not a workbook"))
	iw.Close()
	ireq, _ := http.NewRequest("POST", s.http.URL+"/api/v1/nominations/import?round=thu-nghiem", bytes.NewReader(ib.Bytes()))
	ireq.Header.Set("Content-Type", iw.FormDataContentType())
	ireq.Header.Set("Authorization", "Bearer "+s.token("donvi.donghoa"))
	if ires, err := http.DefaultClient.Do(ireq); err != nil || ires.StatusCode != 422 {
		t.Fatalf("import garbage: %v %v", ires, err)
	} else {
		ires.Body.Close()
	}
	called["POST /api/v1/nominations/import"] = true // the body is checked in api.TestExcelImport
	call("donvi.donghoa", "GET", "/api/v1/nominations/"+id+"/attachments", nil, 200)
	call("donvi.donghoa", "GET", "/api/v1/nominations/"+id+"/attachments/"+att["id"].(string), nil, 200)
	call("donvi.chuyenhungvuong", "GET", "/api/v1/nominations/"+id+"/attachments", nil, 404)
	call("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/submit", map[string]any{"comment": "Kính gửi"}, 200)
	call("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/submit", nil, 409)
	call("xet.donghoa", "GET", "/api/v1/nominations/"+id+"/versions", nil, 200)
	call("xet.donghoa", "GET", "/api/v1/inbox", nil, 200)
	call("xet.donghoa", "GET", "/api/v1/inbox.xlsx", nil, 200)
	call("xet.donghoa", "GET", "/api/v1/inbox.csv", nil, 200)
	call("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve", "comment": "Đồng ý"}, 200)
	call("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"}, 409)
	call("xet.dian", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "reject"}, 422)
	call("quantri", "POST", "/api/v1/nominations/"+id+"/deadline", map[string]any{"working_days": 2, "reason": "Chờ họp"}, 200)
	call("xet.dian", "POST", "/api/v1/nominations/"+id+"/deadline", map[string]any{"working_days": 2, "reason": "x"}, 403)
	call("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/withdraw", map[string]any{"reason": "Rút hồ sơ"}, 200)
	call("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/withdraw", nil, 409)

	// Interior: consolidation, posting, council, decision, verification.
	provincialID := accepted(t, s, "Tô Thị Hoa", "bang-khen-tinh")
	pmID := accepted(t, s, "Lâm Văn Phúc", "bang-khen-thu-tuong")
	list := call("canbo.sonoivu", "GET", "/api/v1/rounds/thu-nghiem/consolidated", nil, 200)
	if list["total"] != float64(2) {
		t.Fatalf("consolidated: %v", list)
	}
	call("donvi.donghoa", "GET", "/api/v1/rounds/thu-nghiem/consolidated", nil, 403)
	consolidated, err := excelize.OpenReader(bytes.NewReader(fetch(t, s, "canbo.sonoivu", "/api/v1/rounds/thu-nghiem/consolidated.xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := consolidated.GetRows("Danh sách tổng hợp"); len(rows) != 3 || rows[0][1] != "Đối tượng" {
		t.Fatalf("consolidated workbook %q", rows)
	}
	call("canbo.sonoivu", "GET", "/api/v1/rounds/thu-nghiem/consolidated.xlsx", nil, 200)
	call("donvi.donghoa", "GET", "/api/v1/rounds/thu-nghiem/report.xlsx", nil, 403)
	call("canbo.sonoivu", "GET", "/api/v1/rounds/khong-co/report.xlsx", nil, 404)
	report := fetch(t, s, "canbo.sonoivu", "/api/v1/rounds/thu-nghiem/report.xlsx")
	wb, err := excelize.OpenReader(bytes.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := wb.GetRows("Theo hình thức")
	if len(rows) < 3 || rows[0][0] != "Hình thức khen thưởng" {
		t.Fatalf("report rows %q", rows)
	}
	call("canbo.sonoivu", "GET", "/api/v1/rounds/thu-nghiem/report.xlsx", nil, 200)
	call("donvi.donghoa", "GET", "/api/v1/rounds/thu-nghiem/report.pdf", nil, 403)
	call("canbo.sonoivu", "GET", "/api/v1/rounds/khong-co/report.pdf", nil, 404)
	call("xet.dian", "GET", "/api/v1/rounds/thu-nghiem/report.pdf", nil, 200)
	call("canbo.sonoivu", "POST", "/api/v1/nominations/"+provincialID+"/posting", nil, 409)
	call("canbo.sonoivu", "POST", "/api/v1/nominations/"+pmID+"/posting", nil, 201)
	postings := call("", "GET", "/api/v1/public/postings", nil, 200)
	if postings["total"] != float64(1) {
		t.Fatalf("public postings: %v", postings)
	}
	obj := call("", "POST", "/api/v1/public/postings/"+pmID+"/objections", map[string]any{"author": "Nguyễn Văn Dân",
		"contact": "0909 000 111", "text": "Đề nghị xác minh lại thành tích năm 2024."}, 201)
	call("", "POST", "/api/v1/public/postings/"+provincialID+"/objections", map[string]any{"author": "X", "text": "y"}, 404)
	call("canbo.sonoivu", "POST", "/api/v1/objections/"+obj["id"].(string)+"/resolve", map[string]any{"resolution": "Đã xác minh, thành tích đúng."}, 204)
	if objs := call("canbo.sonoivu", "GET", "/api/v1/nominations/"+pmID+"/objections", nil, 200); objs["total"] != float64(1) || objs["posting"] == nil {
		t.Fatalf("objections: %v", objs)
	}
	call("donvi.donghoa", "GET", "/api/v1/nominations/"+pmID+"/objections", nil, 403)
	// The Minister's Bằng khen: no public posting, the council votes.
	ministerID := accepted(t, s, "Đặng Minh Khoa", "bang-khen-bo")
	council := map[string]any{"held_on": "2026-11-20", "members_total": 11, "members_present": 9,
		"votes": []map[string]any{{"nomination_id": provincialID, "for": 8, "against": 1}, {"nomination_id": ministerID, "for": 9, "against": 0}}}
	// The response is validated against the CouncilSession schema, which
	// requires the snake_case names (the Go field names it was once sent
	// with fail it).
	if sess := call("canbo.sonoivu", "POST", "/api/v1/rounds/thu-nghiem/council", council, 201); len(sess["votes"].([]any)) != 2 ||
		sess["votes"].([]any)[0].(map[string]any)["passed"] != true {
		t.Fatalf("council session: %v", sess)
	}
	// The Prime Minister's nominee is still posted: the council must wait.
	council["votes"] = []map[string]any{{"nomination_id": pmID, "for": 9, "against": 0}}
	call("canbo.sonoivu", "POST", "/api/v1/rounds/thu-nghiem/council", council, 422)
	issue := map[string]any{"round_id": "thu-nghiem", "number": "123/QĐ-UBND", "signed_on": "2026-11-25",
		"signer_title": "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH", "signer_name": "Nguyễn Lộc Hà", "nomination_ids": []string{provincialID}}
	dec := call("canbo.sonoivu", "POST", "/api/v1/decisions", issue, 201)
	call("canbo.sonoivu", "POST", "/api/v1/decisions", issue, 409)
	issue["nomination_ids"] = []string{pmID}
	call("canbo.sonoivu", "POST", "/api/v1/decisions", issue, 422)
	call("canbo.sonoivu", "GET", "/api/v1/decisions/"+dec["id"].(string), nil, 200)
	call("donvi.donghoa", "GET", "/api/v1/nominations/"+provincialID+"/certificate-draft.pdf", nil, 200)
	// The Prime Minister's Bằng khen is the Government's paper: no draft
	// of it either.
	if p := call("donvi.donghoa", "GET", "/api/v1/nominations/"+pmID+"/certificate-draft.pdf", nil, 409); !strings.Contains(p["detail"].(string), "Bằng khen do Thủ tướng Chính phủ cấp") {
		t.Fatalf("draft of the Prime Minister's Bằng khen: %v", p)
	}
	call("donvi.chuyenhungvuong", "GET", "/api/v1/nominations/"+pmID+"/certificate-draft.pdf", nil, 404)
	// The Minister's decision is recorded from its number and date: its
	// awardee is numbered, but neither it nor its certificate is a PDF of
	// tdkt's.
	central := call("canbo.sonoivu", "POST", "/api/v1/decisions", map[string]any{"round_id": "thu-nghiem", "number": "3412/QĐ-BGDĐT",
		"signed_on": "2026-11-25", "signer_title": "BỘ TRƯỞNG", "signer_name": "Nguyễn Văn An", "nomination_ids": []string{ministerID}}, 201)
	centralCert := central["certificates"].([]any)[0].(map[string]any)
	if central["issued_by"] != "Bộ Giáo dục và Đào tạo" || centralCert["issued_by"] != "Bộ Giáo dục và Đào tạo" {
		t.Fatalf("the Minister's decision: %v", central)
	}
	call("donvi.donghoa", "GET", "/api/v1/certificates/"+centralCert["id"].(string)+".pdf", nil, 409)
	call("canbo.sonoivu", "GET", "/api/v1/decisions/"+central["id"].(string)+"/certificates.pdf", nil, 409)
	call("canbo.sonoivu", "GET", "/api/v1/decisions/"+central["id"].(string)+"/decision.pdf", nil, 409)
	call("", "GET", "/verify/"+centralCert["verify_code"].(string), nil, 200)
	call("canbo.sonoivu", "GET", "/api/v1/decisions/"+dec["id"].(string)+"/certificates.pdf", nil, 200)
	call("canbo.sonoivu", "GET", "/api/v1/decisions/"+dec["id"].(string)+"/decision.pdf", nil, 200)
	call("canbo.sonoivu", "GET", "/api/v1/decisions/khong-co/decision.pdf", nil, 404)
	certID := dec["certificates"].([]any)[0].(map[string]any)["id"].(string)
	first := fetch(t, s, "donvi.donghoa", "/api/v1/certificates/"+certID+".pdf")
	second := fetch(t, s, "donvi.donghoa", "/api/v1/certificates/"+certID+".pdf")
	if !bytes.Equal(first, second) || !bytes.HasPrefix(first, []byte("%PDF-")) {
		t.Fatal("a re-download of an issued certificate is not byte-identical")
	}
	call("donvi.donghoa", "GET", "/api/v1/certificates/"+certID+".pdf", nil, 200)
	call("donvi.chuyenhungvuong", "GET", "/api/v1/certificates/"+certID+".pdf", nil, 404)
	if mine := call("donvi.donghoa", "GET", "/api/v1/nominations/"+provincialID, nil, 200); mine["certificate"].(map[string]any)["id"] != certID {
		t.Fatalf("the nomination does not name its certificate: %v", mine["certificate"])
	}
	cert := dec["certificates"].([]any)[0].(map[string]any)
	if cert["register_number"] != float64(1) {
		t.Fatalf("first register number of the year: %v", cert)
	}
	code := cert["verify_code"].(string)
	req, _ := http.NewRequest("GET", s.http.URL+"/verify/"+code, nil)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), "Tô Thị Hoa") || !strings.Contains(string(page), "Còn hiệu lực") {
		t.Fatalf("verification page: %s", page)
	}
	call("", "GET", "/verify/"+code, nil, 200)
	call("", "GET", "/verify/"+strings.Repeat("0", 32), nil, 404)
	call("canbo.sonoivu", "POST", "/api/v1/certificates/"+cert["id"].(string)+"/revoke", map[string]any{"reason": "Phát hiện khai man thành tích"}, 204)
	req, _ = http.NewRequest("GET", s.http.URL+"/verify/"+code, nil)
	req.Header.Set("Accept", "application/json")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	_ = json.NewDecoder(res.Body).Decode(&v)
	res.Body.Close()
	if v["valid"] != false || v["revoked_reason"] != "Phát hiện khai man thành tích" {
		t.Fatalf("verification after revocation: %v", v)
	}

	// Administration: accounts and the holiday calendar.
	call("quantri", "GET", "/api/v1/users?role=reviewer&q=dian", nil, 200)
	call("quantri", "GET", "/api/v1/users?page=2&per_page=3", nil, 200)
	call("quantri", "GET", "/api/v1/users?per_page=1000", nil, 422)
	call("xet.dian", "GET", "/api/v1/users", nil, 403)
	account := map[string]any{"username": "vanthu.hungvuong", "full_name": "Văn thư Trường THPT chuyên Hùng Vương", "email": "vanthu@hungvuong.local",
		"role": "nominator", "unit_id": "thpt-chuyen-hung-vuong", "password": "mat-khau-ban-dau", "head": false}
	user := call("quantri", "POST", "/api/v1/users", account, 201)
	call("quantri", "POST", "/api/v1/users", account, 409)
	call("quantri", "POST", "/api/v1/users", map[string]any{"username": "x"}, 422)
	call("quantri", "PATCH", "/api/v1/users/"+user["id"].(string), map[string]any{"disabled": true}, 200)
	call("quantri", "PATCH", "/api/v1/users/khong-co", map[string]any{"disabled": true}, 404)
	call("quantri", "POST", "/api/v1/users/"+user["id"].(string)+"/password", map[string]any{"password": "mat-khau-moi-2027"}, 204)
	call("quantri", "GET", "/api/v1/holidays?year=2027", nil, 200)
	call("quantri", "POST", "/api/v1/holidays", map[string]any{"date": "2027-11-20", "name": "Ngày Nhà giáo (thử)", "workday": false}, 201)
	call("quantri", "POST", "/api/v1/holidays", map[string]any{"date": "2027-11-20", "name": "Lần hai"}, 409)
	call("quantri", "DELETE", "/api/v1/holidays/2027-11-20", nil, 204)
	call("quantri", "DELETE", "/api/v1/holidays/2027-11-20", nil, 404)

	// Legal bases: the dated texts decisions cite.
	call("xet.dian", "GET", "/api/v1/legal-bases?date=2026-01-15", nil, 200)
	call("xet.dian", "GET", "/api/v1/legal-bases?date=15/01/2026", nil, 422)
	basis := map[string]any{"code": "200/2027/NĐ-CP", "kind": "nghị định", "title": "Nghị định số 200/2027/NĐ-CP (thử)",
		"valid_from": "2027-04-01", "source": "Công báo (thử)", "position": 30}
	lb := call("quantri", "POST", "/api/v1/legal-bases", basis, 201)
	call("quantri", "POST", "/api/v1/legal-bases", basis, 422) // the same text on the same days
	call("xet.dian", "POST", "/api/v1/legal-bases", basis, 403)
	lbPath := fmt.Sprintf("/api/v1/legal-bases/%v", lb["id"])
	call("quantri", "PATCH", lbPath, map[string]any{"valid_to": "2027-12-31", "issued_on": "2027-03-01"}, 200)
	call("quantri", "PATCH", lbPath, map[string]any{"valid_to": "2027-01-01"}, 422)
	call("quantri", "PATCH", "/api/v1/legal-bases/999999", map[string]any{"source": "x"}, 404)
	call("xet.dian", "PATCH", lbPath, map[string]any{"source": "x"}, 403)

	// Award authorities: who may award what on a day.
	call("xet.dian", "GET", "/api/v1/authorities?date=2026-01-15", nil, 200)
	call("xet.dian", "GET", "/api/v1/authorities?award=giay-khen-huyen", nil, 200)
	call("xet.dian", "GET", "/api/v1/authorities?date=15/01/2026", nil, 422)
	authority := map[string]any{"award": "giay-khen-huyen", "valid_from": "2023-01-01", "valid_to": "2023-12-31",
		"council": "Hội đồng Thi đua – Khen thưởng huyện (thử)", "source": "Luật Thi đua, khen thưởng 2003 (thử)", "position": 15}
	au := call("quantri", "POST", "/api/v1/authorities", authority, 201)
	call("quantri", "POST", "/api/v1/authorities", authority, 422) // the same award on the same days
	call("xet.dian", "POST", "/api/v1/authorities", authority, 403)
	auPath := fmt.Sprintf("/api/v1/authorities/%v", au["id"])
	call("quantri", "PATCH", auPath, map[string]any{"valid_to": "2023-12-30", "source": "Luật 2003 (thử, đã sửa)"}, 200)
	call("quantri", "PATCH", auPath, map[string]any{"valid_to": "2022-01-01"}, 422)
	call("quantri", "PATCH", "/api/v1/authorities/999999", map[string]any{"source": "x"}, 404)
	call("xet.dian", "PATCH", auPath, map[string]any{"source": "x"}, 403)
	// The register of learning titles and the plan's indicators.
	dianPhuong := seed.NewCommuneID("Phường Dĩ An")
	call("vanthu.phuongdian", "GET", "/api/v1/forms/individual/example?name=Nguy%E1%BB%85n+Th%E1%BB%8B+H%E1%BB%93ng&award=bang-khen-tinh", nil, 200)
	call("vanthu.phuongdian", "GET", "/api/v1/forms/individual/example?name=A&award=khong-co", nil, 422)
	call("vanthu.phuongdian", "GET", "/api/v1/forms/khong-co/example?name=A&award=bang-khen-tinh", nil, 404)
	call("vanthu.phuongdian", "GET", "/api/v1/learning/titles", nil, 200)
	holder := call("vanthu.phuongdian", "POST", "/api/v1/learning/holders", map[string]any{"kind": "household", "name": "Hộ bà Trần Thị Út",
		"head_name": "Trần Thị Út", "unit_id": dianPhuong, "area": "Khu phố Bình Minh", "since_year": 2010}, 201)
	call("vanthu.phuongdian", "POST", "/api/v1/learning/holders", map[string]any{"kind": "household", "name": "Hộ thiếu chủ hộ",
		"unit_id": dianPhuong, "since_year": 2010}, 422)
	call("vanthu.phuongdian", "GET", fmt.Sprintf("/api/v1/learning/holders/%v", holder["id"]), nil, 200)
	call("donvi.donghoa", "GET", fmt.Sprintf("/api/v1/learning/holders/%v", holder["id"]), nil, 403)
	rec := call("vanthu.phuongdian", "POST", "/api/v1/learning/recognitions", map[string]any{"holder_id": holder["id"],
		"title": "gia-dinh-hoc-tap", "year": 2026, "status": "recognised", "decision_number": "20/QĐ-UBND", "decision_date": "2026-11-30"}, 201)
	call("vanthu.phuongdian", "POST", "/api/v1/learning/recognitions", map[string]any{"holder_id": holder["id"],
		"title": "gia-dinh-hoc-tap", "year": 2026, "status": "recognised"}, 422) // a second decision on the same year
	call("vanthu.phuongdian", "PUT", "/api/v1/learning/counts", map[string]any{"unit_id": dianPhuong, "year": 2026, "measure": "households",
		"value": 120, "source": "Thống kê dân số 2026"}, 200)
	call("vanthu.phuongdian", "PUT", "/api/v1/learning/counts", map[string]any{"unit_id": dianPhuong, "year": 2026, "measure": "households",
		"value": 0, "source": "Thống kê dân số 2026"}, 422) // below the one recognised
	call("vanthu.phuongdian", "GET", "/api/v1/learning/indicators?unit="+dianPhuong+"&year=2026", nil, 200)
	call("vanthu.phuongdian", "GET", "/api/v1/learning/indicators?unit="+seed.CityID+"&year=2025", nil, 200)
	call("vanthu.phuongdian", "GET", "/api/v1/learning/indicators?unit="+dianPhuong+"&year=1999", nil, 422)
	call("vanthu.phuongdian", "GET", "/api/v1/learning/indicators.xlsx?unit="+dianPhuong+"&year=2025", nil, 200)
	call("vanthu.phuongdian", "GET", "/api/v1/learning/indicators.xlsx?unit="+dianPhuong+"&year=1999", nil, 422)
	call("vanthu.phuongdian", "GET", "/api/v1/learning/indicators.pdf?unit="+dianPhuong+"&year=2025", nil, 200)
	call("vanthu.phuongdian", "GET", "/api/v1/learning/indicators.pdf?unit=khong-co&year=2025", nil, 422)
	call("vanthu.phuongdian", "POST", fmt.Sprintf("/api/v1/learning/recognitions/%v/revoke", rec["id"]), map[string]any{"reason": "Ghi nhầm năm"}, 200)
	call("vanthu.phuongdian", "POST", fmt.Sprintf("/api/v1/learning/recognitions/%v/revoke", rec["id"]), map[string]any{"reason": "Lần hai"}, 409)
	if _, err := (&activities.Activities{DB: s.db, Log: testLogger(t)}).DraftLearningReports(ctx, workflows.ReportsYear{Year: 2026}); err != nil {
		t.Fatal(err)
	}
	lrPath := "/api/v1/learning/reports/lr-annual-2026-" + dianPhuong
	call("vanthu.phuongdian", "GET", "/api/v1/learning/reports?year=2026", nil, 200)
	call("vanthu.phuongdian", "GET", "/api/v1/learning/reports?year=1990", nil, 422)
	call("vanthu.phuongdian", "GET", lrPath, nil, 200)
	call("vanthu.phuongdian", "POST", lrPath+"/submit", nil, 422) // no results written
	call("vanthu.phuongdian", "PATCH", lrPath, map[string]any{"sections": map[string]any{"ket_qua": "Kết quả năm 2026."}}, 200)
	call("vanthu.phuongdian", "POST", lrPath+"/submit", nil, 200)
	call("vanthu.phuongdian", "POST", lrPath+"/receive", nil, 403)
	call("quantri", "GET", lrPath, nil, 200)
	call("vanthu.phuongdian", "POST", "/api/v1/learning/reports/lr-annual-2026-khong-co/receive", nil, 404)
	proposal := call("vanthu.phuongdian", "POST", "/api/v1/learning/proposals", map[string]any{"kind": "cong-nhan-cap-xa", "year": 2025,
		"area": "Khu phố Bình Minh", "items": []map[string]any{{"holder_id": holder["id"], "title": "gia-dinh-hoc-tap"}}}, 201)
	call("vanthu.phuongdian", "POST", "/api/v1/learning/proposals", map[string]any{"kind": "khong-co", "year": 2025, "items": []map[string]any{}}, 422)
	propPath := fmt.Sprintf("/api/v1/learning/proposals/%v", proposal["id"])
	call("vanthu.phuongdian", "GET", propPath, nil, 200)
	// Decided through its steps in TestProposalOfFamiliesDecidedByTheChairman.
	call("vanthu.phuongdian", "POST", propPath+"/decisions", map[string]any{"action": "approve", "step": 0}, 403)
	// The register as a list and a workbook, and its Excel import: the
	// template with a row, previewed, committed, then refused as a
	// duplicate.
	call("vanthu.phuongdian", "GET", "/api/v1/learning/recognitions?unit="+dianPhuong+"&with_predecessors=true&year=2026&title=gia-dinh-hoc-tap&per_page=5", nil, 200)
	call("vanthu.phuongdian", "GET", "/api/v1/learning/recognitions?status=bogus", nil, 422)
	call("donvi.donghoa", "GET", "/api/v1/learning/recognitions?unit="+dianPhuong, nil, 403)
	call("vanthu.phuongdian", "GET", "/api/v1/learning/recognitions.xlsx?unit="+dianPhuong+"&year=2025", nil, 200)
	call("vanthu.phuongdian", "GET", "/api/v1/learning/import-template.xlsx", nil, 200)
	tpl, err := excelize.OpenReader(bytes.NewReader(fetch(t, s, "vanthu.phuongdian", "/api/v1/learning/import-template.xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	tpl.SetSheetRow("Danh hiệu học tập", "A2", &[]any{"Hộ gia đình", "Hộ ông Phạm Văn Chín", "Phạm Văn Chín", nil, "", "Khu phố Bình Minh",
		"Gia đình học tập", 2026, 88, nil, "21/QĐ-UBND", "30/11/2026"})
	var wbBuf bytes.Buffer
	tpl.Write(&wbBuf)
	tpl.Close()
	upload := func(path string, want int) {
		t.Helper()
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fw, _ := w.CreateFormFile("file", "so-danh-hieu.xlsx")
		fw.Write(wbBuf.Bytes())
		w.Close()
		req, _ := http.NewRequest("POST", s.http.URL+path, bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+s.token("vanthu.phuongdian"))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("POST %s: %d, want %d: %s", path, res.StatusCode, want, got)
		}
		vreq, _ := http.NewRequest("POST", path, bytes.NewReader(body.Bytes()))
		vreq.Header = req.Header.Clone()
		route, params, err := router.FindRoute(vreq)
		if err != nil {
			t.Fatalf("POST %s: not in openapi.yaml: %v", path, err)
		}
		called["POST "+route.Path] = true
		in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: want, Header: res.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		out.SetBodyBytes(got)
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("POST %s: the response does not match openapi.yaml: %v", path, err)
		}
	}
	upload("/api/v1/learning/import/preview?unit="+dianPhuong, 200)
	upload("/api/v1/learning/import?unit="+dianPhuong, 201)
	upload("/api/v1/learning/import?unit="+dianPhuong, 422) // every row is in the register now

	// Units: the hierarchy with effective dates.
	school := map[string]any{"id": "th-tan-dong-hiep", "name": "Trường Tiểu học Tân Đông Hiệp", "kind": "school",
		"parent_id": "xa-tan-dong-hiep", "effective_from": "2024-09-05"}
	call("quantri", "POST", "/api/v1/units", school, 201)
	call("quantri", "POST", "/api/v1/units", school, 409)
	call("quantri", "POST", "/api/v1/units", map[string]any{"id": "X"}, 422)
	call("xet.dian", "POST", "/api/v1/units", school, 403)
	call("xet.dian", "GET", "/api/v1/units/th-tan-dong-hiep", nil, 200)
	call("xet.dian", "GET", "/api/v1/units/khong-co", nil, 404)
	call("quantri", "PATCH", "/api/v1/units/th-tan-dong-hiep", map[string]any{"name": "Trường TH Tân Đông Hiệp",
		"parent_id": seed.NewCommuneID("Phường Dĩ An"), "parent_from": "2026-09-01"}, 200)
	call("quantri", "PATCH", "/api/v1/units/th-tan-dong-hiep", map[string]any{"effective_to": "2030-01-01"}, 200)
	call("quantri", "PATCH", "/api/v1/units/th-tan-dong-hiep", map[string]any{"effective_to": "2030-06-01"}, 409)
	call("quantri", "PATCH", "/api/v1/units/th-tan-dong-hiep", map[string]any{}, 422)
	call("quantri", "PATCH", "/api/v1/units/khong-co", map[string]any{"name": "X"}, 404)
	call("xet.dian", "PATCH", "/api/v1/units/th-tan-dong-hiep", map[string]any{"name": "X"}, 403)

	// An ended commune's successors, as the reference file has them, and
	// its accounts (none) moved to its successor.
	call("quantri", "PUT", "/api/v1/units/xa-dong-hoa/successors", map[string]any{
		"successors": []map[string]any{{"id": seed.NewCommuneID("Phường Đông Hòa"), "share": "full"}}}, 200)
	call("quantri", "PUT", "/api/v1/units/xa-dong-hoa/successors", map[string]any{"successors": []map[string]any{}}, 422)
	call("quantri", "POST", "/api/v1/units/xa-an-binh-di-an/succeed", map[string]any{"to": seed.NewCommuneID("Phường Dĩ An")}, 200)
	call("xet.dian", "POST", "/api/v1/units/xa-an-binh-di-an/succeed", map[string]any{"to": seed.NewCommuneID("Phường Dĩ An")}, 403)

	call("donvi.donghoa", "GET", "/api/v1/units/"+seed.NewCommuneID("Phường Đông Hòa")+"/awards?with_predecessors=true", nil, 200)
	call("donvi.donghoa", "GET", "/api/v1/units/khong-co/awards", nil, 404)

	// The roster of a body's signers.
	call("quantri", "POST", "/api/v1/signers", map[string]any{"unit_id": seed.NewCommuneID("Phường Dĩ An"), "name": "Trần Văn Bình",
		"title": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "valid_from": "2025-07-01"}, 201)
	call("quantri", "POST", "/api/v1/signers", map[string]any{"unit_id": seed.NewCommuneID("Phường Dĩ An"), "name": "X",
		"title": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "valid_from": "2026-01-01"}, 422)
	call("xet.dian", "POST", "/api/v1/signers", map[string]any{"unit_id": "x", "name": "X", "title": "X", "valid_from": "2026-01-01"}, 403)
	call("quantri", "GET", "/api/v1/units/"+seed.NewCommuneID("Phường Dĩ An")+"/signers?date=2026-11-25", nil, 200)

	call("xet.dian", "POST", "/api/v1/auth/logout", nil, 204)

	metricsText := func() string {
		res, err := http.Get(s.http.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	call("", "GET", "/metrics", nil, 200)
	text := metricsText()
	for _, want := range []string{`tdkt_http_requests_total{method="POST",route="/api/v1/nominations/:id/decisions",status="2xx"}`,
		"temporal_request_total", "temporal_workflow_task_execution_latency_seconds"} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	var missing []string
	for k := range documented {
		if !called[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("operations never exercised: %v", missing)
	}
}

func fetch(t *testing.T, s *stack, user, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", s.http.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+s.token(user))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
	}
	return b
}
