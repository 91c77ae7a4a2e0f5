package account_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

func TestConcurrentSelfRemovalsLeaveAnActiveAdmin(t *testing.T) {
	// Two admins each remove themselves (one deactivates, the other
	// demotes) at the same moment. Each sees another admin; unless the
	// check and the update are serialised, both succeed and nobody can
	// manage users any more.
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newService(t, db, newClock(), account.Config{})
		createUser(t, svc, "keeper@example.nl", account.RoleAdmin)
		const trials = 20
		for trial := range trials {
			x := createUser(t, svc, fmt.Sprintf("x%d@example.nl", trial), account.RoleAdmin)
			y := createUser(t, svc, fmt.Sprintf("y%d@example.nl", trial), account.RoleAdmin)
			// Leave x and y as the only active admins.
			for _, id := range activeAdmins(t, svc) {
				if id != x.ID && id != y.ID {
					if _, err := svc.UpdateUser(operator, id, account.UserUpdate{Active: ptr(false)}); err != nil {
						t.Fatal(err)
					}
				}
			}

			start := make(chan struct{})
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, upd := range []struct {
				user   account.User
				change account.UserUpdate
			}{
				{x, account.UserUpdate{Active: ptr(false)}},
				{y, account.UserUpdate{Role: ptr(account.RoleEditor)}},
			} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx := account.WithPrincipal(context.Background(), account.Principal{UserID: upd.user.ID, Role: account.RoleAdmin})
					<-start
					_, errs[i] = svc.UpdateUser(ctx, upd.user.ID, upd.change)
				}()
			}
			close(start)
			wg.Wait()

			if left := activeAdmins(t, svc); len(left) != 1 {
				t.Fatalf("trial %d: %d active admins left (errors %v); want exactly 1", trial, len(left), errs)
			}
			conflicts := 0
			for _, err := range errs {
				if apperr.CodeOf(err) == apperr.Conflict {
					conflicts++
				} else if err != nil {
					t.Fatalf("trial %d: %v", trial, err)
				}
			}
			if conflicts != 1 {
				t.Fatalf("trial %d: %d refusals; want 1", trial, conflicts)
			}
		}
	})
}

func activeAdmins(t *testing.T, svc *account.Service) []string {
	t.Helper()
	users, err := svc.ListUsers(operator)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range users {
		if u.Active && u.Role == account.RoleAdmin {
			ids = append(ids, u.ID)
		}
	}
	return ids
}
