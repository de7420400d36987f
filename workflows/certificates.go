package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Names of the workflow that renders a decision's certificates.
const (
	CertificatesWorkflow       = "DecisionCertificates"
	ActivityRenderCertificates = "RenderCertificates"
)

// CertificatesWorkflowID is the ID of the workflow rendering a decision's
// certificates: one run at a time per decision.
func CertificatesWorkflowID(decisionID string) string { return "certificates-" + decisionID }

// CertificatesInput starts the rendering of a decision's certificates.
type CertificatesInput struct {
	DecisionID string
	// Count is the number of certificates the decision issued.
	Count int
	// BaseURL starts the verification link each certificate's QR code
	// carries.
	BaseURL string
}

// CertificateBatch is one activity's share of a decision's certificates:
// those at Offset..Offset+Limit-1 by register number.
type CertificateBatch struct {
	DecisionID string
	Offset     int
	Limit      int
	BaseURL    string
	// At dates the signatures: when the workflow began.
	At time.Time
}

// CertificateBatchSize is how many certificates one activity renders; a
// decision of 5,000 takes 50 activities, a short history.
const CertificateBatchSize = 100

// certificateBatchesAtOnce bounds the batches rendered at the same time,
// so that a large decision leaves the workers room for the nominations'
// projections.
const certificateBatchesAtOnce = 2

// DecisionCertificates renders, stores, hashes and signs every
// certificate of a decision through activities, a batch at a time; the
// download of a certificate serves what it stored. Each batch is
// idempotent (what is stored is skipped), so the workflow may run again to
// restore a lost file.
func DecisionCertificates(ctx workflow.Context, in CertificatesInput) error {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute,
			MaximumAttempts: 20},
	})
	at := workflow.Now(ctx)
	for from := 0; from < in.Count; from += certificateBatchesAtOnce * CertificateBatchSize {
		var running []workflow.Future
		for k := 0; k < certificateBatchesAtOnce; k++ {
			offset := from + k*CertificateBatchSize
			if offset >= in.Count {
				break
			}
			running = append(running, workflow.ExecuteActivity(actx, ActivityRenderCertificates, CertificateBatch{
				DecisionID: in.DecisionID, Offset: offset, Limit: CertificateBatchSize, BaseURL: in.BaseURL, At: at}))
		}
		for _, f := range running {
			if err := f.Get(ctx, nil); err != nil {
				return err
			}
		}
	}
	return nil
}
