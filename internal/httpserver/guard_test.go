package httpserver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/werkwijzer/werkwijzer/graph"
	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
	"github.com/werkwijzer/werkwijzer/internal/loadtest"
)

// fanOutQuery is 1 KB of fragments each spreading the next twice: 2^30
// __typename fields once expanded.
func fanOutQuery(levels int) string {
	var b strings.Builder
	b.WriteString("query { ...F0 }\n")
	for i := range levels {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { __typename }\n", levels)
	return b.String()
}

// aliasedArticles asks for the article page n times under n aliases.
func aliasedArticles(n int) string {
	var b strings.Builder
	b.WriteString("query {\n")
	for i := range n {
		fmt.Fprintf(&b, "a%d: article(slug: %q) { ...Page }\n", i, nlArticleSlug)
	}
	b.WriteString("}\nfragment Page on Article { id title lead { html } blocks { __typename ... on RichTextBlock { id heading body { html } } ... on FAQBlock { faqs { question answer { html } } } } }\n")
	return b.String()
}

// TestExpensiveDocumentsAreRefusedBeforeTheDatabase: the fragment fan-out
// and the 500-alias article query are refused with a typed error before a
// single SQL statement runs. The time each refusal took is logged, not
// asserted.
func TestExpensiveDocumentsAreRefusedBeforeTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPI(t, db)
		counter := dbtest.CountStatements(db)
		for _, tc := range []struct {
			name, query, limit string
		}{
			{"fragment fan-out", fanOutQuery(30), "maxFields"},
			{"500 aliases", aliasedArticles(500), "maxAliases"},
		} {
			counter.Reset()
			start := time.Now()
			res := a.post(tc.query, nil)
			took := time.Since(start)
			if code := res.code(t); code != "BAD_USER_INPUT" || res.Errors[0].Extensions["limit"] != tc.limit {
				t.Fatalf("%s: %s, want BAD_USER_INPUT for %s", tc.name, res.raw, tc.limit)
			}
			if n := counter.Count(); n != 0 {
				t.Fatalf("%s ran %d SQL statements before it was refused", tc.name, n)
			}
			t.Logf("%s (%d bytes) refused in %s: %s", tc.name, len(tc.query), took, res.Errors[0].Message)
		}
	})
}

// TestOperationPastItsDeadlineStopsItsDatabaseWork holds every statement
// until its context ends: only the operation's deadline can release it,
// and the fields it cut off report TIMEOUT.
func TestOperationPastItsDeadlineStopsItsDatabaseWork(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPIWith(t, db, func(c *httpserver.Config) {
			c.Limits = graph.DefaultLimits
			c.Limits.QueryTimeout = 50 * time.Millisecond
		})
		var held, released atomic.Int32
		hold := func(tx *gorm.DB) {
			held.Add(1)
			select {
			case <-tx.Statement.Context.Done():
				released.Add(1)
			case <-time.After(30 * time.Second):
				// Fails the test below rather than hanging it.
			}
		}
		// Find goes through the query callbacks, Scan through the row ones.
		if err := db.Gorm.Callback().Query().Before("gorm:query").Register("test:hold", hold); err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Callback().Row().Before("gorm:row").Register("test:hold", hold); err != nil {
			t.Fatal(err)
		}
		res := a.post(loadtest.ArticlePageQuery, map[string]any{"slug": nlArticleSlug})
		if held.Load() == 0 || released.Load() != held.Load() {
			t.Fatalf("%d statements held, %d released by the deadline", held.Load(), released.Load())
		}
		if len(res.Errors) == 0 || res.Errors[0].Extensions["code"] != graph.CodeTimeout {
			t.Fatalf("want a TIMEOUT error: %s", res.raw)
		}
	})
}

// TestQueryBudgetLimitsEachAddress: an address that spent its budget gets
// RATE_LIMITED, another address is still served.
func TestQueryBudgetLimitsEachAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAPIWith(t, db, func(c *httpserver.Config) {
			c.Limits = graph.DefaultLimits
			c.Limits.QueryBudget = 25
		})
		query := `{ article(slug: "` + nlArticleSlug + `") { id title } }`
		from := func(addr string) gqlResponse {
			body, _ := json.Marshal(map[string]any{"query": query})
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.RemoteAddr = addr + ":40000"
			return a.do(req)
		}
		served := 0
		var refused gqlResponse
		for range 30 {
			res := from("192.0.2.1")
			if len(res.Errors) > 0 {
				refused = res
				break
			}
			served++
		}
		if refused.raw == nil || refused.code(t) != "RATE_LIMITED" {
			t.Fatalf("after %d queries, no RATE_LIMITED: %s", served, refused.raw)
		}
		if served == 0 {
			t.Fatal("the first query was refused")
		}
		if res := from("192.0.2.2"); len(res.Errors) > 0 {
			t.Fatalf("another address was refused: %s", res.raw)
		}
	})
}
