// Package worker registers tdkt's workflows and activities with a Temporal
// worker. The `dev` process and the production `worker` process both build
// their worker here, so they run the same registrations.
package worker

import (
	"context"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/workflows"
)

// SetCacheSize bounds the workflows every worker of the process keeps in
// memory between their tasks (the SDK's sticky cache, one per process);
// call it before the first worker is created — an embedded Temporal
// server's system workers are workers too.
func SetCacheSize(n int) { sdkworker.SetStickyWorkflowCacheSize(n) }

// New returns a worker polling taskQueue with every workflow and activity
// registered. The caller starts and stops it.
func New(c client.Client, taskQueue string, acts *activities.Activities) sdkworker.Worker {
	w := sdkworker.New(c, taskQueue, sdkworker.Options{
		// A workflow panic is a bug: fail the task (and retry after a fix)
		// rather than the nomination.
		WorkflowPanicPolicy: sdkworker.BlockWorkflow,
		// On SIGTERM, let running activities (a projection, a mail
		// delivery) finish before their context is cancelled; a slower one
		// is retried by the next worker.
		WorkerStopTimeout: 10 * time.Second,
	})
	Register(w, acts)
	return w
}

// Register adds the workflows and activities to any registry (a worker, or
// a test environment).
func Register(r sdkworker.Registry, acts *activities.Activities) {
	r.RegisterWorkflowWithOptions(workflows.Nomination, workflow.RegisterOptions{Name: workflows.NominationWorkflow})
	r.RegisterActivityWithOptions(acts.ProjectTransition, activity.RegisterOptions{Name: workflows.ActivityProjectTransition})
	r.RegisterActivityWithOptions(acts.NotifyDeadline, activity.RegisterOptions{Name: workflows.ActivityNotifyDeadline})
	r.RegisterActivityWithOptions(acts.ReplanStep, activity.RegisterOptions{Name: workflows.ActivityReplanStep})
	r.RegisterWorkflowWithOptions(workflows.Handover, workflow.RegisterOptions{Name: workflows.HandoverWorkflow})
	r.RegisterWorkflowWithOptions(workflows.LearningReports, workflow.RegisterOptions{Name: workflows.LearningReportsWorkflow})
	r.RegisterWorkflowWithOptions(workflows.Proposal, workflow.RegisterOptions{Name: workflows.ProposalWorkflow})
	r.RegisterActivityWithOptions(acts.ProjectProposal, activity.RegisterOptions{Name: workflows.ActivityProjectProposal})
	r.RegisterActivityWithOptions(acts.NotifyProposal, activity.RegisterOptions{Name: workflows.ActivityNotifyProposal})
	r.RegisterActivityWithOptions(acts.DraftLearningReports, activity.RegisterOptions{Name: workflows.ActivityDraftReports})
	r.RegisterActivityWithOptions(acts.RemindLearningReports, activity.RegisterOptions{Name: workflows.ActivityRemindReports})
	r.RegisterActivityWithOptions(acts.StrandedNominations, activity.RegisterOptions{Name: workflows.ActivityStrandedNominations})
	r.RegisterWorkflowWithOptions(workflows.Round, workflow.RegisterOptions{Name: workflows.RoundWorkflow})
	r.RegisterActivityWithOptions(acts.ProjectRoundState, activity.RegisterOptions{Name: workflows.ActivityProjectRound})
	r.RegisterActivityWithOptions(acts.RemindSilentUnits, activity.RegisterOptions{Name: workflows.ActivityRemindUnits})
	r.RegisterWorkflowWithOptions(workflows.AnnualReminder, workflow.RegisterOptions{Name: workflows.AnnualReminderWorkflow})
	r.RegisterActivityWithOptions(acts.RemindAnnualReport, activity.RegisterOptions{Name: workflows.ActivityRemindAnnual})
	r.RegisterWorkflowWithOptions(workflows.DecisionCertificates, workflow.RegisterOptions{Name: workflows.CertificatesWorkflow})
	r.RegisterActivityWithOptions(acts.RenderCertificates, activity.RegisterOptions{Name: workflows.ActivityRenderCertificates})
	r.RegisterWorkflowWithOptions(workflows.RoundRollover, workflow.RegisterOptions{Name: workflows.RoundRolloverWorkflow})
	r.RegisterActivityWithOptions(acts.OpenAnnualRound, activity.RegisterOptions{Name: workflows.ActivityOpenAnnualRound})
}

// EnsureSearchAttributes registers on the namespace the search attributes
// the workflows upsert, if missing. It runs at every worker start, so a
// fresh cluster needs no manual `temporal operator search-attribute create`.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	have, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("list search attributes: %w", err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for name, typ := range workflows.SearchAttributes() {
		if got, ok := have.GetCustomAttributes()[name]; !ok {
			missing[name] = typ
		} else if got != typ {
			return fmt.Errorf("search attribute %s is %s on namespace %s, want %s", name, got, namespace, typ)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: namespace, SearchAttributes: missing})
	if err != nil {
		return fmt.Errorf("add search attributes: %w", err)
	}
	return nil
}
