package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestScrape(t *testing.T) {
	r := New()
	r.ObserveHTTP("POST", "/api/v1/nominations/:id/decisions", 409, 30*time.Millisecond)
	sdk := r.SDK().WithTags(map[string]string{"namespace": "default"})
	sdk.WithTags(map[string]string{"task_queue": "tdkt"}).Counter("temporal_workflow_completed").Inc(2)
	// The same metric with a different set of tags must not break the scrape.
	sdk.WithTags(map[string]string{"workflow_type": "Nomination"}).Counter("temporal_workflow_completed").Inc(1)
	sdk.Gauge("temporal_worker_task_slots_available").Update(7)
	sdk.Timer("temporal_activity_execution_latency").Record(250 * time.Millisecond)

	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	text := string(body)
	if rec.Code != 200 {
		t.Fatalf("scrape: %d %s", rec.Code, text)
	}
	for _, want := range []string{
		`tdkt_http_requests_total{method="POST",route="/api/v1/nominations/:id/decisions",status="4xx"} 1`,
		`temporal_workflow_completed_total{namespace="default",task_queue="tdkt",workflow_type=""} 2`,
		`temporal_workflow_completed_total{namespace="default",task_queue="",workflow_type="Nomination"} 1`,
		`temporal_worker_task_slots_available{namespace="default"} 7`,
		`temporal_activity_execution_latency_seconds_count{namespace="default"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
}
