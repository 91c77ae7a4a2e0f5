package apperr

import (
	"fmt"
	"testing"
)

func TestInvalidIsBadUserInputWithItsReasonThroughWithAndWrapping(t *testing.T) {
	err := fmt.Errorf("save: %w", Invalid(TooLong, "title is too long").With("field", "title").With("max", 200))
	if CodeOf(err) != BadUserInput || ReasonOf(err) != TooLong {
		t.Fatalf("code %s, reason %q; want BAD_USER_INPUT, TOO_LONG", CodeOf(err), ReasonOf(err))
	}
	if got := ReasonOf(New(NotFound, "gone")).String(); got != "" {
		t.Fatalf("a NOT_FOUND has the reason %q", got)
	}
	if got := ReasonOf(fmt.Errorf("plain")).String(); got != "" {
		t.Fatalf("an uncoded error has the reason %q", got)
	}
}
