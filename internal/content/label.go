package content

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Label names an entry in editors' lists: its title or question in the
// default locale, else in the first locale it has, else its slug there, else
// its id.
func (s *Service) Label(e *EntryState) string {
	t := e.Translation(s.locales.Default())
	if t == nil && len(e.Translations) > 0 {
		t = &e.Translations[0]
	}
	if t == nil {
		return e.ID
	}
	var f struct{ Title, Question string }
	if err := json.Unmarshal(t.Fields, &f); err == nil {
		if f.Title != "" {
			return f.Title
		}
		if f.Question != "" {
			return f.Question
		}
	}
	return t.Slug
}

// Directory looks up the accounts of the people who changed content;
// account.Service is one.
type Directory interface {
	Colleagues(ctx context.Context, ids []string) (map[string]account.User, error)
}

// UseDirectory sets where CONFLICT errors of Update, Delete and
// RestoreRevision look up who made the change they report, to add that
// person's email (updatedByEmail) to the error. Set it before the service
// is used; without it the errors name the user id only.
func (s *Service) UseDirectory(d Directory) { s.directory = d }

// explainConflict adds the email of who changed the entry to a CONFLICT
// error that names them; other errors, and conflicts whose author cannot be
// looked up, pass unchanged.
func (s *Service) explainConflict(ctx context.Context, err error) error {
	var coded *apperr.Error
	if !errors.As(err, &coded) || coded.Code != apperr.Conflict {
		return err
	}
	by, _ := coded.Details["updatedBy"].(string)
	if by == "" || s.directory == nil {
		return err
	}
	users, lookupErr := s.directory.Colleagues(ctx, []string{by})
	if lookupErr != nil {
		return err
	}
	if u, ok := users[by]; ok {
		return coded.With("updatedByEmail", u.Email)
	}
	return err
}
