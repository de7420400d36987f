package workflows

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// TestDecisionCertificates: a decision's certificates are rendered in
// batches of CertificateBatchSize, every one of them, with the base URL
// the decision was issued under and the signatures dated when the
// workflow began; a batch that failed for a passing reason is retried.
func TestDecisionCertificates(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(DecisionCertificates, workflow.RegisterOptions{Name: CertificatesWorkflow})
	start := env.Now()
	var mu sync.Mutex
	var offsets []int
	failed := false
	env.RegisterActivityWithOptions(func(_ context.Context, b CertificateBatch) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		if b.DecisionID != "d-1" || b.BaseURL != "https://tdkt.example" || b.Limit != CertificateBatchSize || !b.At.Equal(start) {
			t.Errorf("batch %+v", b)
		}
		if b.Offset == 200 && !failed {
			failed = true
			return 0, errors.New("database busy")
		}
		offsets = append(offsets, b.Offset)
		return min(CertificateBatchSize, 250-b.Offset), nil
	}, activity.RegisterOptions{Name: ActivityRenderCertificates})
	env.ExecuteWorkflow(CertificatesWorkflow, CertificatesInput{DecisionID: "d-1", Count: 250, BaseURL: "https://tdkt.example"})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("workflow: completed %v, error %v", env.IsWorkflowCompleted(), env.GetWorkflowError())
	}
	slices.Sort(offsets)
	if !slices.Equal(offsets, []int{0, 100, 200}) || !failed {
		t.Fatalf("batches at %v (failed once: %v), want 0, 100, 200", offsets, failed)
	}
}

// TestDecisionCertificatesIrreparable: a batch that cannot be rendered
// (a signed file lost) fails the workflow at once rather than retrying.
func TestDecisionCertificatesIrreparable(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(DecisionCertificates, workflow.RegisterOptions{Name: CertificatesWorkflow})
	calls := 0
	env.RegisterActivityWithOptions(func(_ context.Context, b CertificateBatch) (int, error) {
		calls++
		return 0, temporal.NewNonRetryableApplicationError("signed PDF lost", "Irreparable", nil)
	}, activity.RegisterOptions{Name: ActivityRenderCertificates})
	env.ExecuteWorkflow(CertificatesWorkflow, CertificatesInput{DecisionID: "d-1", Count: 1, BaseURL: "https://tdkt.example"})
	var ae *temporal.ApplicationError
	if err := env.GetWorkflowError(); !errors.As(err, &ae) || ae.Type() != "Irreparable" || calls != 1 {
		t.Fatalf("workflow error %v after %d calls, want Irreparable after 1", err, calls)
	}
}
