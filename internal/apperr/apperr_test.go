package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeOfFindsWrappedError(t *testing.T) {
	err := fmt.Errorf("load article: %w", New(NotFound, "article %q not found", "x"))
	if got := CodeOf(err); got != NotFound {
		t.Fatalf("CodeOf = %s, want NOT_FOUND", got)
	}
	if !Is(err, NotFound) || Is(err, Conflict) {
		t.Fatal("Is does not follow the wrapped code")
	}
}

func TestCodeOfUncodedErrorIsInternal(t *testing.T) {
	if got := CodeOf(errors.New("connection reset")); got != Internal {
		t.Fatalf("CodeOf = %s, want INTERNAL", got)
	}
	if Is(nil, Internal) {
		t.Fatal("nil error must not carry a code")
	}
}

func TestWithDoesNotMutateOriginal(t *testing.T) {
	base := New(BadUserInput, "bad")
	withField := base.With("field", "slug")
	if base.Details != nil {
		t.Fatal("With changed the original error")
	}
	if withField.Details["field"] != "slug" {
		t.Fatalf("detail lost: %v", withField.Details)
	}
}
