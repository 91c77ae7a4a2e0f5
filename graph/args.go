package graph

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"

	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/content"
)

const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// requestedLocale resolves the locale of a query: the argument, else the
// request's Accept-Language, else the default. An unsupported argument is
// passed on so the service can refuse it with the supported list.
func (r *Resolver) requestedLocale(ctx context.Context, arg *string) string {
	if arg != nil && *arg != "" {
		return *arg
	}
	// Another Accept-Language may give another answer: caches must vary.
	cachetag.VaryLanguage(ctx)
	locales := r.Content.Locales()
	if graphql.HasOperationContext(ctx) {
		if header := graphql.GetOperationContext(ctx).Headers.Get("Accept-Language"); header != "" {
			if code, ok := locales.FromAcceptLanguage(header); ok {
				return code
			}
		}
	}
	return locales.Default()
}

// page turns Relay arguments into a keyset page.
func page(first *int, after *string, last *int, before *string) (content.Page, error) {
	limit, fromEnd, err := pageSize(first, last, before)
	p := content.Page{Limit: limit, FromEnd: fromEnd}
	if err != nil {
		return p, err
	}
	if p.AfterID, err = optionalCursor(after, "after"); err != nil {
		return p, err
	}
	p.BeforeID, err = optionalCursor(before, "before")
	return p, err
}

func optionalCursor(cursor *string, field string) (string, error) {
	if cursor == nil || *cursor == "" {
		return "", nil
	}
	return decodeCursor(*cursor, field)
}

// pageSize checks a connection's first or last argument: 1 to
// maxPageSize, defaultPageSize when absent. fromEnd tells to page
// backwards: with last, or with before alone, whose nearest items are
// the ones wanted.
func pageSize(first, last *int, before *string) (limit int, fromEnd bool, err error) {
	if first != nil && last != nil {
		return defaultPageSize, false, apperr.Invalid(apperr.ExclusiveArguments, "pass first to page forwards or last to page backwards, not both").With("field", "last")
	}
	field, n := "first", first
	if last != nil || (first == nil && before != nil && *before != "") {
		field, n, fromEnd = "last", last, true
	}
	if n == nil {
		return defaultPageSize, fromEnd, nil
	}
	if *n < 1 || *n > maxPageSize {
		return defaultPageSize, fromEnd, apperr.Invalid(apperr.OutOfRange, "%s must be between 1 and %d, got %d", field, maxPageSize, *n).
			With("field", field).With("min", 1).With("max", maxPageSize)
	}
	return *n, fromEnd, nil
}

// edges builds the one Relay connection shape every list shares: an edge
// per item of a page, made by edge from the item and its cursor, and the
// page info with the cursors of the first and last items. The first error
// from edge ends it.
func edges[T, E any](items []T, hasNext, hasPrevious bool, cursor func(T) string, edge func(cursor string, item T) (E, error)) ([]E, model.PageInfo, error) {
	out := make([]E, len(items))
	info := model.PageInfo{HasNextPage: hasNext, HasPreviousPage: hasPrevious}
	for i, item := range items {
		c := cursor(item)
		e, err := edge(c, item)
		if err != nil {
			return nil, model.PageInfo{}, err
		}
		out[i] = e
		if i == 0 {
			info.StartCursor = &c
		}
		if i == len(items)-1 {
			info.EndCursor = &c
		}
	}
	return out, info, nil
}

const cursorPrefix = "id:"

// encodeCursor makes an opaque cursor from an entry id. Clients must not
// parse it; the prefix lets the format change later without ambiguity.
func encodeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

// decodeCursor reads a cursor passed as the argument field.
func decodeCursor(cursor, field string) (string, error) {
	invalid := apperr.Invalid(apperr.InvalidCursor, "%s is not a cursor this API returned", field).With("field", field)
	id, ok := cursorPayload(cursor, cursorPrefix)
	if !ok || !canonicalUUID(id) {
		return "", invalid
	}
	return id, nil
}

// cursorPayload is what an opaque cursor carries after its prefix, and
// false when cursor is not base64 of prefix and a payload.
func cursorPayload(cursor, prefix string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", false
	}
	return strings.CutPrefix(string(raw), prefix)
}

// canonicalUUID reports whether id is a UUID in the form the API hands ids
// out in: lower case with dashes, as uuid.UUID.String writes it. The other
// spellings uuid.Parse accepts (braces, urn:uuid:, upper case) never name
// an entry, and in a cursor would page from the wrong place.
func canonicalUUID(id string) bool {
	u, err := uuid.Parse(id)
	return err == nil && u.String() == id
}
