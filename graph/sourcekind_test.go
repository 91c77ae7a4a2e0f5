package graph

import (
	"testing"

	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// TestEverySourceKindHasAnEnumValue: a source of any kind can be read
// through GraphQL (Source.kind is non-null) and set from it.
func TestEverySourceKindHasAnEnumValue(t *testing.T) {
	if len(sourceKinds) != len(model.AllSourceKind) {
		t.Fatalf("%d kinds mapped, the schema has %d", len(sourceKinds), len(model.AllSourceKind))
	}
	for _, k := range vacancy.Kinds {
		mk, ok := sourceKinds[k]
		if !ok || !mk.IsValid() {
			t.Fatalf("kind %s has no SourceKind", k)
		}
		if back := fromSourceKind(mk); back != k {
			t.Fatalf("%s -> %s -> %s", k, mk, back)
		}
	}
}
