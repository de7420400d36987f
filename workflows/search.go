package workflows

import (
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Search attributes of nomination workflows, so operators find them with
// `temporal workflow list --query "TdktStatus='in_review' AND TdktLevel='district'"`.
var (
	SearchRound  = temporal.NewSearchAttributeKeyKeyword("TdktRound")
	SearchStatus = temporal.NewSearchAttributeKeyKeyword("TdktStatus")
	SearchLevel  = temporal.NewSearchAttributeKeyKeyword("TdktLevel")
	SearchUnit   = temporal.NewSearchAttributeKeyKeyword("TdktUnit")
)

// SearchAttributes lists them with their types, for registration on a
// namespace (the worker registers missing ones at start).
func SearchAttributes() map[string]enumspb.IndexedValueType {
	return map[string]enumspb.IndexedValueType{
		SearchRound.GetName():  enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		SearchStatus.GetName(): enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		SearchLevel.GetName():  enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		SearchUnit.GetName():   enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	}
}

// publish upserts the searchable state of the nomination.
func (n *nomination) publish(ctx workflow.Context) error {
	return workflow.UpsertTypedSearchAttributes(ctx,
		SearchRound.ValueSet(n.in.RoundID),
		SearchStatus.ValueSet(n.state.Status),
		SearchLevel.ValueSet(n.state.Level),
		SearchUnit.ValueSet(n.state.UnitID),
	)
}
