package graph

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/99designs/gqlgen/graphql"

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
func page(first *int, after *string) (content.Page, error) {
	limit, err := pageSize(first)
	p := content.Page{Limit: limit}
	if err != nil {
		return p, err
	}
	if after != nil && *after != "" {
		id, err := decodeCursor(*after)
		if err != nil {
			return p, err
		}
		p.AfterID = id
	}
	return p, nil
}

// pageSize checks a connection's first argument: 1 to maxPageSize,
// defaultPageSize when absent.
func pageSize(first *int) (int, error) {
	if first == nil {
		return defaultPageSize, nil
	}
	if *first < 1 || *first > maxPageSize {
		return defaultPageSize, apperr.New(apperr.BadUserInput, "first must be between 1 and %d, got %d", maxPageSize, *first).With("field", "first")
	}
	return *first, nil
}

const cursorPrefix = "id:"

// encodeCursor makes an opaque cursor from an entry id. Clients must not
// parse it; the prefix lets the format change later without ambiguity.
func encodeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

func decodeCursor(cursor string) (string, error) {
	invalid := apperr.New(apperr.BadUserInput, "after is not a cursor this API returned").With("field", "after")
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", invalid
	}
	id, ok := strings.CutPrefix(string(raw), cursorPrefix)
	if !ok || !validID(id) {
		return "", invalid
	}
	return id, nil
}

// validID accepts the canonical text form of a UUID.
func validID(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i, c := range id {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		default:
			return false
		}
	}
	return true
}
