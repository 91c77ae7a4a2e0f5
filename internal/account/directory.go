package account

import (
	"context"
	"fmt"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Colleagues returns the users among ids, for showing who changed what:
// anyone signed in may see the accounts of the people they work with.
// Unknown ids are absent. Errors: UNAUTHENTICATED.
func (s *Service) Colleagues(ctx context.Context, ids []string) (map[string]User, error) {
	if _, ok := PrincipalFrom(ctx); !ok && !isOperator(ctx) {
		return nil, apperr.New(apperr.Unauthenticated, "sign in to see who changed content")
	}
	out := make(map[string]User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	// Editorial teams are small: one read of all accounts is cheaper and
	// simpler than a batched lookup per id.
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("look up users: %w", err)
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	for _, u := range users {
		if want[u.ID] {
			out[u.ID] = u
		}
	}
	return out, nil
}
