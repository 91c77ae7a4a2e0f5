package telemetry

import (
	"context"

	"github.com/werkwijzer/werkwijzer/internal/vacancy"
	"github.com/werkwijzer/werkwijzer/internal/vacancy/pull"
)

// VacancySynced counts a committed sync call and its outcomes under the
// source's name (sources are few, and made by admins); it fits
// vacancy.Config.Synced.
func (t *Telemetry) VacancySynced(_ context.Context, src *vacancy.Source, r *vacancy.Report) {
	if t == nil || src == nil || r == nil {
		return
	}
	t.syncCalls.WithLabelValues(src.Name).Inc()
	for _, o := range []struct {
		outcome string
		n       int
	}{
		{"created", r.Created}, {"updated", r.Updated}, {"unchanged", r.Unchanged}, {"reopened", r.Reopened},
		{"closed", r.Closed}, {"expired", r.Expired}, {"stale", r.Stale}, {"rejected", r.Rejected},
	} {
		// Every outcome gets its series on the first sync, so a rate over
		// it is zero rather than absent until the first rejection.
		t.syncItems.WithLabelValues(src.Name, o.outcome).Add(float64(o.n))
	}
}

// FeedPulled counts a feed pull by its result; it fits pull.Importer.Pulled.
func (t *Telemetry) FeedPulled(_ context.Context, src *vacancy.Source, res pull.Result, err error) {
	if t == nil || src == nil {
		return
	}
	result := "imported"
	switch {
	case err != nil:
		result = "failed"
	case res.NotModified:
		result = "not_modified"
	}
	t.feedPulls.WithLabelValues(src.Name, result).Inc()
}
