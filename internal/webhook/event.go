package webhook

import (
	"slices"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// Event is the JSON body a webhook receives: enough for a frontend to
// refresh exactly the pages the change touched (Next.js on-demand
// revalidation, a CDN purge by cache tag).
type Event struct {
	ID         string    `json:"id"`
	Type       EventType `json:"type"`
	OccurredAt time.Time `json:"occurredAt"`
	// Entry is the entry an ENTRY_* event is about.
	Entry *EventEntry `json:"entry,omitempty"`
	// Locales are the locales whose live version changed (none for
	// VACANCIES_SYNCED).
	Locales []string `json:"locales"`
	// Slugs are, per locale of Locales, the slug the entry is live under
	// now and those it no longer answers to.
	Slugs map[string]LocaleSlugs `json:"slugs,omitempty"`
	// CacheTags are the tags of the public answers that changed, as the
	// API sends them in Surrogate-Key and Cache-Tag.
	CacheTags []string `json:"cacheTags"`
	// Source and Vacancies say what a VACANCIES_SYNCED call changed.
	Source    *EventSource   `json:"source,omitempty"`
	Vacancies *VacancyCounts `json:"vacancies,omitempty"`
}

// EventEntry names an entry.
type EventEntry struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// LocaleSlugs are an entry's slugs in one locale.
type LocaleSlugs struct {
	// Current is the slug it is live under; empty when it is offline.
	Current string `json:"current,omitempty"`
	// Former are slugs it was live under just before and is no longer.
	Former []string `json:"former,omitempty"`
}

// EventSource names a vacancy source.
type EventSource struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// VacancyCounts are what a sync call did.
type VacancyCounts struct {
	Created  int `json:"created"`
	Updated  int `json:"updated"`
	Reopened int `json:"reopened"`
	Closed   int `json:"closed"`
	Expired  int `json:"expired"`
}

var changeEvents = map[content.ChangeKind]EventType{
	content.ChangePublished:   EntryPublished,
	content.ChangeUnpublished: EntryUnpublished,
	content.ChangeDeleted:     EntryDeleted,
}

// EntryEvent describes a content change; id is the new event's id.
func EntryEvent(id string, c content.Change) *Event {
	e := c.Before
	if e == nil {
		e = c.After
	}
	typ := string(e.Type)
	ev := &Event{
		ID: id, Type: changeEvents[c.Kind], OccurredAt: c.At.UTC(),
		Entry:     &EventEntry{ID: e.ID, Type: typ},
		Locales:   slices.Clone(c.Locales),
		Slugs:     map[string]LocaleSlugs{},
		CacheTags: []string{cachetag.Entry(e.ID), cachetag.List(typ)},
	}
	if ev.Locales == nil {
		ev.Locales = []string{}
	}
	for _, loc := range c.Locales {
		var slugs LocaleSlugs
		if c.After != nil {
			if live := c.After.LiveIn(loc); live != nil {
				slugs.Current = live.Slug
				ev.CacheTags = append(ev.CacheTags, cachetag.Slug(typ, live.Slug))
			}
		}
		if c.Before != nil {
			if was := c.Before.LiveIn(loc); was != nil && was.Slug != slugs.Current {
				slugs.Former = append(slugs.Former, was.Slug)
				ev.CacheTags = append(ev.CacheTags, cachetag.Slug(typ, was.Slug))
			}
		}
		ev.Slugs[loc] = slugs
	}
	slices.Sort(ev.CacheTags)
	ev.CacheTags = slices.Compact(ev.CacheTags)
	return ev
}

// SyncEvent describes a vacancy sync call that changed something.
func SyncEvent(id string, src *vacancy.Source, r *vacancy.Report, at time.Time) *Event {
	return &Event{
		ID: id, Type: VacanciesSynced, OccurredAt: at.UTC(), Locales: []string{},
		CacheTags: []string{cachetag.Vacancies},
		Source:    &EventSource{ID: src.ID, Name: src.Name},
		Vacancies: &VacancyCounts{Created: r.Created, Updated: r.Updated, Reopened: r.Reopened, Closed: r.Closed, Expired: r.Expired},
	}
}
