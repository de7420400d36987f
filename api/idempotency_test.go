package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestIdempotencyKeyReusedForAnotherRequest: a draft's creation retried
// with the same Idempotency-Key and body returns the same draft; the same
// key with a different body is refused with a 422 problem naming the key
// (in Vietnamese and English), and creates nothing. It used to return the
// first draft as if the second request had been carried out.
func TestIdempotencyKeyReusedForAnotherRequest(t *testing.T) {
	e := newEnv(t)
	tok := e.token("donvi.donghoa")
	create := func(key, name string) (int, map[string]any) {
		body, _ := json.Marshal(map[string]any{"round_id": "thu-nghiem", "nominee_kind": "individual",
			"nominee_name": name, "award": "bang-khen-tinh"})
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/nominations", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Idempotency-Key", key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		if res.StatusCode == http.StatusUnprocessableEntity && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("422 is not a problem: %s", res.Header.Get("Content-Type"))
		}
		return res.StatusCode, m
	}
	code, first := create("tao-ho-so-1", "Trần Văn Bình")
	if code != http.StatusCreated {
		t.Fatalf("create: %d %v", code, first)
	}
	before := e.countNominations()
	code, again := create("tao-ho-so-1", "Trần Văn Bình")
	if code != http.StatusCreated || again["id"] != first["id"] {
		t.Fatalf("the same key and body: %d %v, want the first draft %v", code, again, first["id"])
	}
	code, other := create("tao-ho-so-1", "Lê Thị Cúc")
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("the same key with another body: %d %v, want 422", code, other)
	}
	errs, _ := other["errors"].([]any)
	if len(errs) != 1 || errs[0].(map[string]any)["pointer"] != "/headers/Idempotency-Key" ||
		!strings.Contains(other["detail"].(string), "Idempotency-Key") || !strings.Contains(other["detail_en"].(string), "different request") {
		t.Fatalf("the 422 does not say the key was used for another request: %v", other)
	}
	if n := e.countNominations(); n != before {
		t.Fatalf("the refused request changed the nominations: %d, was %d", n, before)
	}
	// Another key is another request.
	if code, m := create("tao-ho-so-2", "Lê Thị Cúc"); code != http.StatusCreated || m["id"] == first["id"] {
		t.Fatalf("a new key: %d %v", code, m)
	}
}
