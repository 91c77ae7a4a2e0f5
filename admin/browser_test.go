package admin_test

// Browser tests of the editors' UI: the real server handler on a seeded
// SQLite database, driven in Debian's headless Chromium with chromedp.
// Without /usr/bin/chromium they skip and say how to install it, unless
// WERKWIJZER_REQUIRE_BROWSER=1 (as in CI), where they fail instead.
//
// Every test fails on a console error or an uncaught exception in the page.
// Screenshots of the dashboard, the editor and the conflict view go to
// $WERKWIJZER_SCREENSHOT_DIR, or to werkwijzer-screenshots in the system's
// temporary directory.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/browsertest"
)

// TestEditorChangesAndPublishesTheEnglishTitle is the walkthrough:
// sign in, find the seed article on the dashboard, edit its English title
// beside the Dutch one, save, publish English, and read it back through
// the public API.
func TestEditorChangesAndPublishesTheEnglishTitle(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	// Some work in progress, so the dashboard has every state to show: a
	// new FAQ in Dutch only, and a published FAQ whose Dutch question
	// changed after it was translated.
	token := srv.apiLogin(t, "redacteur@example.com")
	newFAQ := srv.createDutchFAQ(t, token, "Kan ik dit ook op een tablet bijhouden?")
	changedFAQ := srv.changeDutchQuestion(t, token, "Hoe combineer ik beide rollen in een klein bedrijf?", "Hoe combineer je beide rollen in een klein bedrijf?")
	b := newBrowser(t, srv)

	b.login(t, "redacteur@example.com")
	b.waitVisible(t, `section[aria-labelledby="list-ARTICLE"] tbody tr`)
	b.waitVisible(t, fmt.Sprintf(`tr[data-entry=%q] td[data-locale="nl"] .status-draft`, newFAQ))
	b.waitVisible(t, fmt.Sprintf(`tr[data-entry=%q] td[data-locale="en"] .status-missing`, newFAQ))
	b.waitVisible(t, fmt.Sprintf(`tr[data-entry=%q] td[data-locale="nl"] .status-newer`, changedFAQ))
	b.waitText(t, fmt.Sprintf(`tr[data-entry=%q] td[data-locale="en"]`, changedFAQ), "1 field outdated")
	b.waitText(t, `.work`, "Kan ik dit ook op een tablet bijhouden?")
	b.waitText(t, `.work`, "Hoe combineer je beide rollen in een klein bedrijf?")
	b.screenshot(t, "dashboard.png", true)

	b.do(t, chromedp.Click(chromedp.CSS(`section[aria-labelledby="list-ARTICLE"] tbody th a`)))
	b.waitVisible(t, `#f-en-title`)
	// Previews are closed until asked for; opened, they render the lead.
	b.do(t, chromedp.Click(chromedp.ID("f-nl-lead-preview-toggle")), chromedp.Click(chromedp.ID("f-en-lead-preview-toggle")))
	b.waitVisible(t, `#f-nl-lead-preview p`)
	b.waitVisible(t, `#f-en-lead-preview p`)
	if nl := b.value(t, "f-nl-title"); nl != srv.publicTitle(t, "nl") {
		t.Fatalf("the Dutch title field shows %q, want the live Dutch title", nl)
	}
	b.screenshot(t, "editor.png", false)

	const title = "Office manager or personal assistant: which role fits you?"
	b.typeInto(t, "f-en-title", title)
	b.waitText(t, `#save-state`, "Unsaved changes")
	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `.editor[data-version="2"]`)
	if got := srv.publicTitle(t, "en"); got == title {
		t.Fatal("saving a draft changed what the public API serves")
	}

	b.publish(t, "en")
	if got := srv.publicTitle(t, "en"); got != title {
		t.Fatalf("after publishing, the public API serves the English title %q, want %q", got, title)
	}
	if got := srv.publicTitle(t, "nl"); got == title {
		t.Fatal("publishing English changed the Dutch title")
	}

	// Publishing again, with nothing changed, says so and adds no revision.
	live := b.eval(t, `document.querySelector('.locale-head[data-locale="en"]').dataset.liveRevision`)
	b.do(t, chromedp.Click(chromedp.ID("publish-en")))
	b.waitText(t, `#notice`, "nothing new to publish")
	if again := b.eval(t, `document.querySelector('.locale-head[data-locale="en"]').dataset.liveRevision`); again != live {
		t.Fatalf("publishing an unchanged draft made revision %s live, after %s", again, live)
	}
}

// TestConflictShowsWhoSavedFirstAndKeepsMyText saves from the browser
// after another editor saved the same article through the API: the editor
// sees who and when, keeps their own text with the other text beside it,
// takes the new version over, and saves without losing either change.
func TestConflictShowsWhoSavedFirstAndKeepsMyText(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "anna@example.com", account.RoleEditor)
	srv.createUser(t, "bram@example.com", account.RoleEditor)
	article := srv.seedArticle(t)
	b := newBrowser(t, srv)

	b.login(t, "anna@example.com")
	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#f-en-title`)
	const mine = "Anna's English title"
	b.typeInto(t, "f-en-title", mine)

	// Bram saves first, from another session: a new title and a new SEO
	// description.
	const theirs, theirSEO = "Bram's English title", "Bram rewrote the meta description."
	bram := srv.apiLogin(t, "bram@example.com")
	srv.updateEnglish(t, bram, article, map[string]string{"title": theirs, "seoDescription": theirSEO})

	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `#conflict-banner`)
	b.waitText(t, `#conflict-who`, "bram@example.com")
	if got := b.value(t, "f-en-title"); got != mine {
		t.Fatalf("after the conflict the title field holds %q, want the editor's own %q", got, mine)
	}
	b.waitText(t, `#f-en-title-theirs`, theirs)
	b.waitText(t, `#f-en-seoDescription-theirs`, theirSEO)
	b.waitVisible(t, `#conflict-fields [data-conflict-path="title"][data-locale="en"]`)
	b.waitVisible(t, `#conflict-fields [data-conflict-path="seoDescription"][data-locale="en"]`)
	// A taller window, so the picture holds the banner and both fields.
	b.do(t, chromedp.EmulateViewport(1366, 1500), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	b.screenshot(t, "conflict.png", false)
	b.do(t, chromedp.ResetViewport())

	b.do(t, chromedp.Click(chromedp.ID("conflict-take-over")))
	b.waitVisible(t, `#save:not([disabled])`)
	if got := b.value(t, "f-en-title"); got != mine {
		t.Fatalf("taking over the new version replaced the editor's title with %q", got)
	}
	if got := b.value(t, "f-en-seoDescription"); got != theirSEO {
		t.Fatalf("taking over did not bring in the other editor's SEO description: %q", got)
	}
	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `.editor[data-version="3"]`)
	b.waitNotPresent(t, `#conflict-banner`)

	draft := srv.previewFields(t, srv.apiLogin(t, "anna@example.com"), "en")
	if draft["title"] != mine || draft["seoDescription"] != theirSEO {
		t.Fatalf("the saved draft lost a change: title %q, SEO description %q", draft["title"], draft["seoDescription"])
	}
}

// TestRefusedPublicationHighlightsTheMissingFields empties the English
// title and a text block's body, publishes, and expects the refusal to
// name both and mark their inputs invalid.
func TestRefusedPublicationHighlightsTheMissingFields(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	article := srv.seedArticle(t)
	block := srv.firstTextBlock(t)
	b := newBrowser(t, srv)

	b.login(t, "redacteur@example.com")
	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#f-en-title`)
	body := "f-en-blocks_" + block + "_body"
	b.typeInto(t, "f-en-title", string(kb.Backspace))
	b.do(t, chromedp.Click(chromedp.ID("block-"+block+"-toggle"))) // the long article opens with its blocks folded
	b.typeInto(t, body, string(kb.Backspace))
	b.do(t, chromedp.Click(chromedp.ID("publish-en")))
	b.waitVisible(t, `#publish-problems`)
	b.waitVisible(t, `#publish-problems li[data-locale="en"] [data-problem-path="title"]`)
	b.waitVisible(t, fmt.Sprintf(`#publish-problems [data-problem-path="blocks.%s.body"]`, block))
	b.waitVisible(t, `#f-en-title[aria-invalid="true"]`)
	b.waitVisible(t, fmt.Sprintf(`#%s[aria-invalid="true"]`, body))
	if b.exists(t, `#f-nl-title[aria-invalid="true"]`) {
		t.Fatal("the Dutch title is marked invalid although only English was published")
	}
	b.do(t, chromedp.Click(chromedp.CSS(`#publish-problems [data-problem-path="title"]`)))
	b.poll(t, `document.activeElement.id === "f-en-title"`) // the problem's link leads to the field
	if got := srv.publicTitle(t, "en"); got == "" {
		t.Fatal("a refused publication took the English title offline")
	}

	// A structure the server refuses on save (an FAQ block without FAQs)
	// marks the block and takes the focus there.
	b.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("block-new-type").value = "FAQ"`))
	b.press(t, "block-add", "\r")
	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `.block.invalid[data-block-type="FAQ"] .field-error`)
	b.poll(t, `document.activeElement.matches('.block.invalid[data-block-type="FAQ"]')`)
}

// TestTranslatorSeesOnlyWhatTheRoleAllows signs in as an English
// translator: no create, delete, publish or structure controls, the Dutch
// fields are read-only, the English ones can be saved.
func TestTranslatorSeesOnlyWhatTheRoleAllows(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "vertaler@example.com", account.RoleTranslator, "en")
	article := srv.seedArticle(t)
	b := newBrowser(t, srv)

	b.login(t, "vertaler@example.com")
	b.waitVisible(t, `.work`)
	for _, sel := range []string{`#new-ARTICLE`, `#new-ROLE`, `a[href="#/users"]`, `a[href="#/sources"]`} {
		if b.exists(t, sel) {
			t.Errorf("a translator sees %s", sel)
		}
	}
	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#f-en-title`)
	for _, sel := range []string{`#publish-en`, `#publish-nl`, `#unpublish-en`, `#delete`, `#block-add`, `[id^="block-"][id$="-remove"]`, `#block-new-type`} {
		if b.exists(t, sel) {
			t.Errorf("a translator sees %s in the editor", sel)
		}
	}
	if b.eval(t, `String(document.getElementById("f-nl-title").readOnly)`) != "true" {
		t.Error("the Dutch title is editable for an English translator")
	}
	if b.eval(t, `String(document.getElementById("f-en-title").readOnly)`) != "false" {
		t.Fatal("the English title is read-only for an English translator")
	}
	b.typeInto(t, "f-en-title", "Vertaald door de vertaler")
	b.do(t, chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl))) // Ctrl+S saves
	b.waitVisible(t, `.editor[data-version="2"]`)

	// The interface speaks Dutch too.
	b.do(t, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("ui-language"); s.value = "nl"; s.dispatchEvent(new Event("change")); })()`))
	b.waitText(t, `#save`, "Concept opslaan")
	b.waitText(t, `.topbar nav`, "Overzicht")
	if got := b.eval(t, `document.documentElement.lang`); got != "nl" {
		t.Errorf("after switching to Dutch the page's lang is %q", got)
	}
}

// TestSessionRefreshesAndSurvivesAReload uses four-second access tokens:
// the page refreshes them on its own before they run out, survives a
// reload, and never keeps an access token where a script or a URL could
// leak it.
func TestSessionRefreshesAndSurvivesAReload(t *testing.T) {
	srv := startServer(t, serverOptions{accessTTL: 4 * time.Second})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	b := newBrowser(t, srv)

	b.login(t, "redacteur@example.com")
	b.waitVisible(t, `table.entries`)
	srv.waitRefreshes(t, b.ctx, 2) // twice, without the user doing anything
	// Reload only once the page has stored the newest refresh token: a
	// reload while a refresh is on its way would present a used token,
	// which ends the session (see the note on refresh in the README).
	b.poll(t, fmt.Sprintf(`(sessionStorage.getItem("werkwijzer.session") || "").includes(%q)`, srv.latestRefreshToken()))
	b.reload(t)
	b.waitVisible(t, `table.entries`)
	if b.exists(t, `#login-email`) {
		t.Fatal("a reload signed the editor out")
	}
	b.open(t, "#/entry/"+srv.seedArticle(t))
	b.waitVisible(t, `#f-en-title`)

	stored := b.eval(t, `JSON.stringify({ session: Object.entries(sessionStorage), local: Object.entries(localStorage), url: location.href })`)
	for _, token := range srv.bearerTokens() {
		if strings.Contains(stored, token) {
			t.Fatal("an access token is kept in web storage or the URL")
		}
	}
	if !strings.Contains(stored, "werkwijzer.session") {
		t.Fatal("the refresh token is not kept in sessionStorage, so a reload would sign out")
	}
}

// TestExpiredSessionKeepsWhatWasTyped ends the session while the editor
// has unsaved text: the page returns to the login form, and after signing
// in again the text is back and can be saved.
func TestExpiredSessionKeepsWhatWasTyped(t *testing.T) {
	srv := startServer(t, serverOptions{})
	user := srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	article := srv.seedArticle(t)
	b := newBrowser(t, srv)

	b.login(t, "redacteur@example.com")
	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#f-en-title`)
	const typed = "Typed just before the session ended"
	b.typeInto(t, "f-en-title", typed)
	b.poll(t, `Object.keys(sessionStorage).some((k) => k.startsWith("werkwijzer.unsaved."))`)

	srv.setActive(t, user, false) // ends every session of the account
	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `#login-email`)
	b.waitText(t, `.login .notice`, "unsaved changes are kept")

	srv.setActive(t, user, true)
	b.submitLogin(t, "redacteur@example.com")
	b.waitVisible(t, `#f-en-title`)
	if got := b.value(t, "f-en-title"); got != typed {
		t.Fatalf("after signing in again the title field holds %q, want the text typed before: %q", got, typed)
	}
	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `.editor[data-version="2"]`)
	if got := srv.previewFields(t, srv.apiLogin(t, "redacteur@example.com"), "en")["title"]; got != typed {
		t.Fatalf("the saved English draft title is %q", got)
	}
}

// TestOutageKeepsTheSessionAndWhatWasTyped takes the server down (HTTP
// 503, GraphQL INTERNAL and UNAVAILABLE errors, the refresh refused with
// INTERNAL as when the database is unreachable) while an editor saves
// typed text with four-second access tokens. The page must stay signed in,
// keep the text, say it is retrying, and save by itself once the server
// is back.
func TestOutageKeepsTheSessionAndWhatWasTyped(t *testing.T) {
	srv := startServer(t, serverOptions{accessTTL: 4 * time.Second})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	article := srv.seedArticle(t)
	b := newBrowser(t, srv)

	b.login(t, "redacteur@example.com")
	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#f-en-title`)
	const typed = "Typed while the database was down"
	b.typeInto(t, "f-en-title", typed)

	srv.outage.on.Store(true)
	b.do(t, chromedp.Click(chromedp.ID("save")))
	// The access token runs out during the outage, so the page tries to
	// refresh it; a refused refresh must not end the session.
	for srv.outage.refreshes.Load() < 3 {
		if b.exists(t, `#login-email`) {
			t.Fatalf("after %d refused refreshes the page signed the editor out", srv.outage.refreshes.Load())
		}
		b.do(t, chromedp.Sleep(100*time.Millisecond))
	}
	b.checkStillEditing(t, typed, "the outage")

	srv.outage.on.Store(false)
	b.checkSavedOnceBack(t, srv, typed, "the outage")
}

// checkStillEditing fails unless, during cause, the page still has the
// editor signed in with typed in the English title, keeps the stored
// session, and says it is retrying.
func (b *browser) checkStillEditing(t *testing.T, typed, cause string) {
	t.Helper()
	if b.exists(t, `#login-email`) {
		t.Fatalf("%s signed the editor out", cause)
	}
	if got := b.value(t, "f-en-title"); got != typed {
		t.Fatalf("during %s the title field holds %q, want %q", cause, got, typed)
	}
	if b.eval(t, `String(sessionStorage.getItem("werkwijzer.session") !== null)`) != "true" {
		t.Fatalf("%s wiped the stored session", cause)
	}
	b.waitText(t, `#connection-status`, "Retrying by itself")
}

// checkSavedOnceBack fails unless, once cause is over, the page saves the
// typed English title by itself, without signing in again.
func (b *browser) checkSavedOnceBack(t *testing.T, srv *server, typed, cause string) {
	t.Helper()
	b.waitVisible(t, `.editor[data-version="2"]`)
	b.waitNotPresent(t, `#connection-status`)
	if b.exists(t, `#login-email`) {
		t.Fatalf("the editor had to sign in again after %s", cause)
	}
	if got := srv.previewFields(t, srv.apiLogin(t, "redacteur@example.com"), "en")["title"]; got != typed {
		t.Fatalf("after %s the saved English draft title is %q, want %q", cause, got, typed)
	}
}

// TestNetworkFailureKeepsTheSessionAndWhatWasTyped takes the browser
// offline (every fetch fails outright, nothing reaches the server) while an
// editor saves typed text with four-second access tokens, so refreshes
// fail too. The page must stay signed in, keep the text in the field and
// the session in sessionStorage, say it is retrying, and save by itself
// once the network is back.
func TestNetworkFailureKeepsTheSessionAndWhatWasTyped(t *testing.T) {
	srv := startServer(t, serverOptions{accessTTL: 4 * time.Second})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	article := srv.seedArticle(t)
	b := newBrowser(t, srv)
	failedRefreshes := b.countFailedRefreshes(t)

	b.login(t, "redacteur@example.com")
	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#f-en-title`)
	const typed = "Typed while the network was gone"
	b.typeInto(t, "f-en-title", typed)
	b.poll(t, `Object.keys(sessionStorage).some((k) => k.startsWith("werkwijzer.unsaved."))`)

	// Go offline just after the page stored a fresh refresh token, so no
	// refresh is on its way: one whose answer got lost would leave the page
	// holding a used token, which ends the session whatever the UI does.
	before := srv.refreshes.Load()
	srv.waitRefreshes(t, b.ctx, before+1)
	b.poll(t, fmt.Sprintf(`(sessionStorage.getItem("werkwijzer.session") || "").includes(%q)`, srv.latestRefreshToken()))
	b.setOffline(t, true)
	b.do(t, chromedp.Click(chromedp.ID("save")))
	// The access token runs out while offline, so the page tries to
	// refresh it; a refresh that cannot go out must not end the session.
	deadline := time.Now().Add(stepTimeout)
	for failedRefreshes.Load() < 3 {
		if b.exists(t, `#login-email`) {
			t.Fatalf("after %d failed refreshes the page signed the editor out", failedRefreshes.Load())
		}
		if time.Now().After(deadline) {
			t.Fatalf("offline for %v, the page tried %d refreshes, want 3\n%s", stepTimeout, failedRefreshes.Load(), b.pageText())
		}
		b.do(t, chromedp.Sleep(100*time.Millisecond))
	}
	b.checkStillEditing(t, typed, "the network loss")
	if b.eval(t, fmt.Sprintf(`String(Object.keys(sessionStorage).some((k) => k.startsWith("werkwijzer.unsaved.") && sessionStorage.getItem(k).includes(%q)))`, typed)) != "true" {
		t.Fatal("while offline the typed text is no longer kept in sessionStorage")
	}
	if srv.refreshes.Load() != before+1 {
		t.Fatalf("a refresh reached the server while the browser was offline")
	}

	b.setOffline(t, false)
	b.checkSavedOnceBack(t, srv, typed, "the network loss")
}

// TestVacancyScreensShowTheSync opens the vacancy screens on a server
// with the sample feed imported: vacancies grouped per role and per
// source, each source's sync state, and for admins the sources with their
// secrets; creating a source shows its secret once.
func TestVacancyScreensShowTheSync(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "admin@example.com", account.RoleAdmin)
	b := newBrowser(t, srv)
	b.login(t, "admin@example.com")

	b.open(t, "#/vacancies")
	b.waitVisible(t, `tr[data-vacancy]`)
	b.waitVisible(t, `#sync-state-title`)
	b.waitVisible(t, `table.sync-states tr[data-source="demo"]`)
	b.waitVisible(t, `section[data-group="Office manager"] tr[data-vacancy]`)
	b.waitVisible(t, `section[data-group="Personal assistant"] tr[data-vacancy]`)
	b.do(t, chromedp.Click(chromedp.ID("group-source")))
	b.waitVisible(t, `section[data-group="demo"] tr[data-vacancy]`)
	if b.exists(t, `main .error`) {
		t.Fatalf("the vacancies page shows an error: %s", b.pageText())
	}

	b.open(t, "#/sources")
	b.waitVisible(t, `article[data-source="demo"]`)
	b.waitVisible(t, `#source-new-name`)
	b.typeInto(t, "source-new-name", "werkenbij-example")
	b.do(t, chromedp.Click(chromedp.ID("source-new-submit")))
	b.waitVisible(t, `#secret-once code[data-key="clientSecret"]`)
	b.waitVisible(t, `article[data-source="werkenbij-example"]`)
	secret := b.eval(t, `document.querySelector('#secret-once code[data-key="clientSecret"]').textContent`)
	if len(secret) < 20 {
		t.Fatalf("the new source's secret shown once is %q", secret)
	}
	b.screenshot(t, "sources.png", false)
	// It is shown once: after a reload it is gone.
	b.reload(t)
	b.waitVisible(t, `article[data-source="werkenbij-example"]`)
	if strings.Contains(b.eval(t, `document.body.innerText`), secret) {
		t.Fatal("the source's secret is shown again after a reload")
	}
}

// --- the browser ------------------------------------------------------------

type browser struct {
	ctx  context.Context
	base string
	// wentOffline is set once a test took the browser offline on purpose,
	// so its failed requests are expected.
	wentOffline atomic.Bool
}

// newBrowser starts headless Chromium for one test, failing the test on
// any console error or uncaught exception the page produces.
func newBrowser(t *testing.T, srv *server) *browser {
	t.Helper()
	// Ending ctx ends the console subscription; the browser itself closes
	// with the test.
	ctx, stopConsole := context.WithCancel(browsertest.Start(t, 3*time.Minute))
	b := &browser{ctx: ctx, base: srv.URL + "/admin/"}

	messages := chromedp.Console(ctx)
	problems := make(chan string, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Source == "network" && strings.HasSuffix(m.URL, "/graphql") && srv.outage.startedOnPurpose() {
				continue // the 503s of a test's outage
			}
			if m.Source == "network" && strings.HasSuffix(m.URL, "/graphql") && strings.Contains(m.Text, "net::ERR_INTERNET_DISCONNECTED") && b.wentOffline.Load() {
				continue // the requests a test sent while it held the browser offline
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				select {
				case problems <- fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1):
				default:
				}
			}
		}
	}()
	// Registered after the context's cleanups, so it runs first: read the
	// console before the browser goes away.
	t.Cleanup(func() {
		stopConsole()
		<-done
		close(problems)
		for p := range problems {
			t.Errorf("browser console: %s", p)
		}
	})
	return b
}

// setOffline takes the browser off the network, or back: while offline
// every request fails at once without reaching the server, as when the
// editor's connection drops, and navigator.onLine says so.
func (b *browser) setOffline(t *testing.T, offline bool) {
	t.Helper()
	if offline {
		b.wentOffline.Store(true)
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	rule := &network.Conditions{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: []*network.Conditions{rule}}); err != nil {
		t.Fatalf("emulate offline=%v: %v", offline, err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatalf("override the network state, offline=%v: %v", offline, err)
	}
}

// countFailedRefreshes counts the token refreshes the page sends that fail
// because the browser is offline.
func (b *browser) countFailedRefreshes(t *testing.T) *atomic.Int64 {
	t.Helper()
	var failed atomic.Int64
	refreshes := map[network.RequestID]bool{} // only touched by the listener
	err := chromedp.Listen(b.ctx, func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			for _, e := range ev.Request.PostDataEntries {
				if bytes.Contains(e.Bytes, []byte("refreshToken(refreshToken:")) {
					refreshes[ev.RequestID] = true
				}
			}
		case *network.EventLoadingFailed:
			if refreshes[ev.RequestID] && strings.Contains(ev.ErrorText, "ERR_INTERNET_DISCONNECTED") {
				failed.Add(1)
			}
			delete(refreshes, ev.RequestID)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return &failed
}

// stepTimeout bounds one step, so that a step that waits in vain fails
// while the browser still runs and can say what the page shows.
const stepTimeout = 30 * time.Second

func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v\n%s", err, b.pageText())
	}
}

// pageText is what the page shows, for failure messages.
func (b *browser) pageText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash + "\n" + (document.body ? document.body.innerText.slice(0, 1500) : "")`))
	if err != nil {
		return ""
	}
	return "page text: " + text
}

func (b *browser) open(t *testing.T, fragment string) {
	t.Helper()
	b.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`location.hash = %q`, fragment)))
}

// publish clicks a locale's Publish button and waits until a new revision
// of it is live.
func (b *browser) publish(t *testing.T, loc string) {
	t.Helper()
	head := fmt.Sprintf(`.locale-head[data-locale=%q]`, loc)
	before := b.eval(t, fmt.Sprintf(`document.querySelector(%q).dataset.liveRevision`, head))
	b.do(t, chromedp.Click(chromedp.ID("publish-"+loc)))
	b.poll(t, fmt.Sprintf(`(() => { const el = document.querySelector(%q); return Boolean(el && el.dataset.liveRevision !== %q && el.querySelector(".status-published")); })()`, head, before))
}

// reload reloads the page and waits until the new document runs.
func (b *browser) reload(t *testing.T) {
	t.Helper()
	b.do(t, chromedp.Evaluate[chromedp.Void](`window.beforeReload = true`), chromedp.Reload())
	b.poll(t, `window.beforeReload === undefined && document.readyState === "complete"`)
}

func (b *browser) login(t *testing.T, email string) {
	t.Helper()
	b.do(t, chromedp.Navigate(b.base))
	b.submitLogin(t, email)
	b.waitVisible(t, `#logout`)
}

func (b *browser) submitLogin(t *testing.T, email string) {
	t.Helper()
	b.waitVisible(t, `#login-email`)
	b.do(t,
		chromedp.SendKeys(chromedp.ID("login-email"), email),
		chromedp.SendKeys(chromedp.ID("login-password"), testPassword),
		chromedp.Click(chromedp.ID("login-submit")),
	)
}

func (b *browser) waitVisible(t *testing.T, css string) {
	t.Helper()
	b.do(t, chromedp.WaitVisible(chromedp.CSS(css)))
}

func (b *browser) waitNotPresent(t *testing.T, css string) {
	t.Helper()
	b.do(t, chromedp.WaitNotPresent(chromedp.CSS(css)))
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(t *testing.T, css, want string) {
	t.Helper()
	b.poll(t, fmt.Sprintf(`(() => { const el = document.querySelector(%q); return Boolean(el && el.textContent.includes(%q)); })()`, css, want))
}

// poll waits until a JavaScript expression is true.
func (b *browser) poll(t *testing.T, expr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr)); err != nil {
		t.Fatalf("waiting for %s: %v\n%s", expr, err, b.pageText())
	}
}

func (b *browser) exists(t *testing.T, css string) bool {
	t.Helper()
	return b.eval(t, fmt.Sprintf(`String(document.querySelector(%q) !== null)`, css)) == "true"
}

func (b *browser) eval(t *testing.T, expr string) string {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (b *browser) value(t *testing.T, id string) string {
	t.Helper()
	return b.eval(t, fmt.Sprintf(`document.getElementById(%q).value`, id))
}

// typeInto selects the field's text and types over it, as a person would,
// so the page sees real key and input events.
func (b *browser) typeInto(t *testing.T, id, text string) {
	t.Helper()
	b.waitVisible(t, "#"+id)
	b.do(t,
		chromedp.ScrollIntoView(chromedp.ID(id)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.getElementById(%q); el.focus(); el.select(); })()`, id)),
		chromedp.KeyEvent(text),
	)
}

// press focuses an element and presses a key on it, as a keyboard user.
func (b *browser) press(t *testing.T, id, key string) {
	t.Helper()
	b.waitVisible(t, "#"+id)
	b.do(t,
		chromedp.ScrollIntoView(chromedp.ID(id)),
		chromedp.Focus(chromedp.ID(id)),
		chromedp.KeyEvent(key),
	)
}

// screenshot saves the viewport (or the whole page) for people to look at.
func (b *browser) screenshot(t *testing.T, name string, fullPage bool) {
	t.Helper()
	dir := os.Getenv("WERKWIJZER_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "werkwijzer-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var shot chromedp.Action[[]byte]
	if fullPage {
		shot = chromedp.FullScreenshot(100) // 100 means PNG
	} else {
		shot = chromedp.CaptureScreenshot()
	}
	png, err := chromedp.Run(b.ctx, shot)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// TestStructureEditsWorkFromTheKeyboard changes the lists of a role, the
// blocks of an article and the rows of a comparison with the buttons, by
// keyboard, and checks what the API stored.
func TestStructureEditsWorkFromTheKeyboard(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	token := srv.apiLogin(t, "redacteur@example.com")
	b := newBrowser(t, srv)
	b.login(t, "redacteur@example.com")

	// A role's list: add an item with Enter on the add button, type, move
	// it up with the keyboard; the focus follows the item.
	role := srv.entryID(t, token, "ROLE", "Office manager")
	b.open(t, "#/entry/"+role)
	b.waitVisible(t, `#f-en-responsibilities-add`)
	before := len(srv.fields(t, token, role, "en")["responsibilities"].([]any))
	b.press(t, "f-en-responsibilities-add", "\r")
	last := fmt.Sprintf("f-en-responsibilities-%d", before)
	b.poll(t, fmt.Sprintf(`document.activeElement.id === %q`, last))
	b.do(t, chromedp.KeyEvent("Keeps the office running smoothly"))
	b.press(t, last+"-up", "\r")
	moved := fmt.Sprintf("f-en-responsibilities-%d-up", before-1)
	b.poll(t, fmt.Sprintf(`document.activeElement.id === %q`, moved))
	b.screenshot(t, "role.png", false)
	// Take the first FAQ off the role.
	b.press(t, "role-faqs-0-remove", "\r")
	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `.editor[data-version="2"]`)
	list := srv.fields(t, token, role, "en")["responsibilities"].([]any)
	if len(list) != before+1 || list[before-1] != "Keeps the office running smoothly" {
		t.Fatalf("responsibilities after adding and moving up: %v", list)
	}
	if n := len(srv.structure(t, token, role)["faqIds"].([]any)); n != 5 {
		t.Fatalf("the role shows %d FAQs after removing one of six", n)
	}

	// An article: add a call-to-action block, fill it in both languages,
	// move it above the last block.
	article := srv.seedArticle(t)
	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#block-add`)
	b.do(t, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("block-new-type"); s.value = "CALL_TO_ACTION"; })()`))
	b.press(t, "block-add", "\r")
	b.poll(t, `document.activeElement.id.startsWith("f-nl-blocks_") && document.activeElement.id.endsWith("_label")`)
	newBlock := strings.TrimSuffix(strings.TrimPrefix(b.eval(t, `document.activeElement.id`), "f-nl-blocks_"), "_label")
	b.do(t, chromedp.KeyEvent("Bekijk alle vacatures"))
	b.typeInto(t, "f-nl-blocks_"+newBlock+"_url", "/vacatures")
	b.typeInto(t, "f-en-blocks_"+newBlock+"_label", "See all vacancies")
	b.typeInto(t, "f-en-blocks_"+newBlock+"_url", "/en/vacancies")
	b.press(t, "block-"+newBlock+"-up", "\r")
	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `.editor[data-version="2"]`)
	blocks := srv.structure(t, token, article)["blocks"].([]any)
	at := -1
	for i, raw := range blocks {
		if raw.(map[string]any)["id"] == newBlock {
			at = i
		}
	}
	if at != len(blocks)-2 || blocks[at].(map[string]any)["type"] != "callToAction" {
		t.Fatalf("the new block %s is at %d of %d blocks: %v", newBlock, at, len(blocks), blocks)
	}
	if len(newBlock) != 36 {
		t.Errorf("the new block's id %q is not a UUID", newBlock)
	}

	// A comparison: add a row, fill it in.
	comparison := srv.entryID(t, token, "COMPARISON", "Office manager en personal assistant vergeleken")
	b.open(t, "#/entry/"+comparison)
	b.waitVisible(t, `#row-add`)
	b.press(t, "row-add", "\r")
	b.poll(t, `document.activeElement.id.startsWith("f-nl-rows_") && document.activeElement.id.endsWith("_label")`)
	row := strings.TrimSuffix(strings.TrimPrefix(b.eval(t, `document.activeElement.id`), "f-nl-rows_"), "_label")
	b.do(t, chromedp.KeyEvent("Reizen"))
	for id, text := range map[string]string{
		"f-nl-rows_" + row + "_values_0": "Soms", "f-nl-rows_" + row + "_values_1": "Vaak",
		"f-en-rows_" + row + "_label": "Travel", "f-en-rows_" + row + "_values_0": "Sometimes", "f-en-rows_" + row + "_values_1": "Often",
	} {
		b.typeInto(t, id, text)
	}
	b.screenshot(t, "comparison.png", false)
	b.publish(t, "en") // saves first
	rows := srv.fields(t, token, comparison, "en")["rows"].(map[string]any)
	if r, ok := rows[row].(map[string]any); !ok || r["label"] != "Travel" || fmt.Sprint(r["values"]) != "[Sometimes Often]" {
		t.Fatalf("the new row was not saved: %v", rows[row])
	}
}
