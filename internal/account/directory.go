package account

import (
	"context"
	"fmt"
)

// Colleagues returns the users among ids, for showing who changed what:
// anyone signed in may see the accounts of the people they work with.
// Unknown ids are absent. Errors: UNAUTHENTICATED, FORBIDDEN for a machine
// client.
func (s *Service) Colleagues(ctx context.Context, ids []string) (map[string]User, error) {
	if _, err := Authorize(ctx, RoleTranslator, "see who changed content"); err != nil {
		return nil, err
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
