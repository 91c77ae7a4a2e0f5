package httpserver_test

// A browser test of /playground: GraphiQL served from the binary, driven in
// Debian's headless Chromium with chromedp. Without /usr/bin/chromium it
// skips and says how to install it, unless WERKWIJZER_REQUIRE_BROWSER=1 (as
// in CI), where it fails instead.

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/werkwijzer/werkwijzer/internal/browsertest"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
	"github.com/werkwijzer/werkwijzer/internal/httpserver"
)

// TestPlaygroundRendersTheDocsOffline opens /playground, opens GraphiQL's
// documentation explorer and the Query type in it, and fails on any request
// to a host other than the server (GraphiQL from a CDN), on any console
// error and on any Content-Security-Policy violation.
func TestPlaygroundRendersTheDocsOffline(t *testing.T) {
	// Default limits: GraphiQL's introspection query nests 15 deep, and
	// introspection is exempt from the depth limit.
	a := newAPIWith(t, dbtest.SQLite(t), func(*httpserver.Config) {})
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	origin, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.Start(t, 2*time.Minute)

	var mu sync.Mutex
	var requests, elsewhere, problems []string
	requestEvents := chromedp.Events(ctx, network.RequestWillBeSent)
	consoleMessages := chromedp.Console(ctx)
	readers := sync.WaitGroup{}
	readers.Add(2)
	go func() {
		defer readers.Done()
		for ev, err := range requestEvents {
			if err != nil {
				return
			}
			u, err := url.Parse(ev.Request.URL)
			mu.Lock()
			requests = append(requests, ev.Request.URL)
			// data: URLs are the fonts and icons inlined in GraphiQL's
			// stylesheet: they go nowhere.
			if err != nil || (u.Scheme != "data" && u.Host != origin.Host) {
				elsewhere = append(elsewhere, ev.Request.URL)
			}
			mu.Unlock()
		}
	}()
	go func() {
		defer readers.Done()
		for m, err := range consoleMessages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || m.Source == "security" {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
				mu.Unlock()
			}
		}
	}()

	// Registered after startChromium's cleanups, so it runs first, also
	// when a step fails: a page that waits for a CDN says so.
	t.Cleanup(func() {
		_ = chromedp.Cancel(ctx)
		readers.Wait()
		mu.Lock()
		defer mu.Unlock()
		if len(requests) == 0 {
			t.Error("saw no requests: the network events were not read")
		}
		if len(elsewhere) > 0 {
			t.Errorf("the playground requested other hosts than %s: %q", origin.Host, elsewhere)
		}
		for _, p := range problems {
			t.Errorf("browser console: %s", p)
		}
	})

	// Every violation of the page's policy also fires a DOM event; count
	// them from the page's first script on, beside the console.
	step(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));`,
		})
		return err
	}))
	step(t, ctx, chromedp.Navigate(srv.URL+"/playground"))
	step(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.graphiql-container .graphiql-query-editor`)))
	step(t, ctx, chromedp.Click(chromedp.CSS(`.graphiql-sidebar button[aria-label="Show Documentation Explorer"]`)))
	step(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.graphiql-doc-explorer a.graphiql-doc-explorer-type-name`)))
	rootType, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".graphiql-doc-explorer a.graphiql-doc-explorer-type-name").textContent`))
	if err != nil || rootType != "Query" {
		t.Fatalf("the docs explorer's query root type: %q, %v", rootType, err)
	}
	step(t, ctx, chromedp.Click(chromedp.CSS(`.graphiql-doc-explorer a.graphiql-doc-explorer-type-name`)))
	waitFor(t, ctx, `(() => {
		const title = document.querySelector(".graphiql-doc-explorer-title");
		const fields = [...document.querySelectorAll(".graphiql-doc-explorer-field-name")].map((f) => f.textContent);
		return Boolean(title && title.textContent === "Query" && fields.includes("article") && fields.includes("vacancies"));
	})()`)
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.cspViolations`))
	if err != nil {
		t.Fatal(err)
	}
	if len(violations) > 0 {
		t.Errorf("Content-Security-Policy violations: %q", violations)
	}
}

// step runs browser actions with a bound, so a wait in vain fails while
// the page can still say what it shows.
func step(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(stepCtx, actions...); err != nil {
		t.Fatalf("browser: %v\npage text: %s", err, pageText(ctx))
	}
}

// waitFor waits until a JavaScript expression is true.
func waitFor(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(waitCtx, chromedp.Poll[bool](expr)); err != nil {
		t.Fatalf("waiting for %s: %v\npage text: %s", expr, err, pageText(ctx))
	}
}

// pageText is what the page shows, for failure messages.
func pageText(ctx context.Context) string {
	textCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	text, _ := chromedp.Run(textCtx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 1500) : ""`))
	return text
}
