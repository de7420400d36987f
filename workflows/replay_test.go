package workflows

import (
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// TestReplayRecordedHistories replays histories of real nominations
// (recorded on the embedded server by e2e.TestHistoriesReplay with
// TDKT_RECORD_HISTORIES=1) against the current code. A change that would
// break nominations already running fails here: make it behind
// workflow.GetVersion, and record new histories beside the old ones.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/histories/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("found %d recorded histories in testdata/histories, want at least 3", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflowWithOptions(Nomination, workflow.RegisterOptions{Name: NominationWorkflow})
			r.RegisterWorkflowWithOptions(Round, workflow.RegisterOptions{Name: RoundWorkflow})
			r.RegisterWorkflowWithOptions(DecisionCertificates, workflow.RegisterOptions{Name: CertificatesWorkflow})
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatal(err)
			}
		})
	}
}
