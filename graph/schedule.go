package graph

import (
	"strings"

	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/content"
)

// toScheduled converts e's scheduled actions, which point back at the
// converted entry.
func toScheduled(actions []content.ScheduledAction, e *model.Entry) []model.ScheduledAction {
	out := make([]model.ScheduledAction, len(actions))
	for i, a := range actions {
		out[i] = model.ScheduledAction{
			ID: a.ID, Entry: e, Locale: a.Locale, Action: model.ScheduledActionKind(strings.ToUpper(string(a.Action))),
			At: a.At, State: model.ScheduledActionState(strings.ToUpper(string(a.State))), ByID: a.By,
		}
		if a.RevisionNumber > 0 {
			n := a.RevisionNumber
			out[i].RevisionNumber = &n
		}
		if a.State == content.ScheduleRefused {
			why, at := a.Refusal, a.RefusedAt
			out[i].Refusal, out[i].RefusedAt = &why, &at
		}
	}
	return out
}

// toUpcoming converts the dashboard's list, each entry once.
func (r *Resolver) toUpcoming(upcoming []content.Scheduled) ([]model.ScheduledAction, error) {
	entries := map[string]*model.Entry{}
	out := make([]model.ScheduledAction, 0, len(upcoming))
	for _, u := range upcoming {
		e, ok := entries[u.Entry.ID]
		if !ok {
			var err error
			if e, err = r.toEntry(u.Entry); err != nil {
				return nil, err
			}
			entries[u.Entry.ID] = e
		}
		out = append(out, toScheduled([]content.ScheduledAction{u.ScheduledAction}, e)...)
	}
	return out, nil
}
