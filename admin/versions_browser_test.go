package admin_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/werkwijzer/werkwijzer/internal/account"
)

// TestDutchEditorAndEnglishTranslatorSaveAtOnce: an nl editor and an en
// translator open the seed article at the same version, each changes the
// title in their own language, and both press Save at once. Neither gets a
// conflict; the one whose save landed last sees the other's text arrive in
// the other language and nothing unsaved, and saving again keeps it.
func TestDutchEditorAndEnglishTranslatorSaveAtOnce(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	srv.createUser(t, "vertaler@example.com", account.RoleTranslator, "en")
	article := srv.seedArticle(t)
	type writer struct {
		b            *browser
		loc, title   string
		other, their string // the other writer's locale and title
	}
	const nlTitle, enTitle = "Office manager of personal assistant: de keuze", "Office manager or personal assistant: the choice"
	writers := []*writer{
		{b: newBrowser(t, srv), loc: "nl", title: nlTitle, other: "en", their: enTitle},
		{b: newBrowser(t, srv), loc: "en", title: enTitle, other: "nl", their: nlTitle},
	}
	for i, w := range writers {
		w.b.login(t, []string{"redacteur@example.com", "vertaler@example.com"}[i])
		w.b.open(t, "#/entry/"+article)
		w.b.waitVisible(t, `.editor[data-version="1"] #f-`+w.loc+`-title`)
		w.b.typeInto(t, "f-"+w.loc+"-title", w.title)
		w.b.waitText(t, `#save-state`, "Unsaved changes")
	}
	// Both saves leave before either answer comes back: clicking only
	// starts a save in the page.
	for _, w := range writers {
		w.b.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("save").click()`))
	}
	var last *writer
	for _, w := range writers {
		w.b.poll(t, `document.querySelector(".editor").dataset.version !== "1" || document.getElementById("conflict-banner") !== null`)
		if w.b.exists(t, `#conflict-banner`) {
			t.Fatalf("the %s writer got a conflict although the other changed only %s:\n%s", w.loc, w.other, w.b.pageText())
		}
		if w.b.eval(t, `document.querySelector(".editor").dataset.version`) == "3" {
			last = w
		}
	}
	if last == nil {
		t.Fatal("no writer's editor reached version 3 after two saves from version 1")
	}
	d := srv.draft(t, srv.apiLogin(t, "redacteur@example.com"), article)
	titles := map[string]any{}
	for _, tr := range d.Translations {
		titles[tr.Locale] = tr.Fields["title"]
	}
	if d.Version != 3 || titles["nl"] != nlTitle || titles["en"] != enTitle {
		t.Fatalf("after both saves the draft is at version %d with titles %v", d.Version, titles)
	}

	// The later writer's editor took the other's text over as saved, so
	// another save of its own language does not send it back.
	if got := last.b.value(t, "f-"+last.other+"-title"); got != last.their {
		t.Fatalf("the %s writer's %s title shows %q, want the other writer's %q", last.loc, last.other, got, last.their)
	}
	last.b.waitText(t, `#save-state`, "All changes saved")
	last.b.typeInto(t, "f-"+last.loc+"-title", last.title+"!")
	last.b.do(t, chromedp.Click(chromedp.ID("save")))
	last.b.waitVisible(t, `.editor[data-version="4"]`)
	d = srv.draft(t, srv.apiLogin(t, "redacteur@example.com"), article)
	for _, tr := range d.Translations {
		if tr.Locale == last.other && tr.Fields["title"] != last.their {
			t.Fatalf("saving %s again overwrote the %s title with %q", last.loc, last.other, tr.Fields["title"])
		}
	}
}

// TestDeleteConfirmationNamesWhatRefersToTheEntry: asked to delete the
// seed comparison, the editor is shown the article whose comparison block
// shows it, live, before confirming.
func TestDeleteConfirmationNamesWhatRefersToTheEntry(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	token := srv.apiLogin(t, "redacteur@example.com")
	comparison := srv.entryID(t, token, "COMPARISON", "Office manager en personal assistant vergeleken")
	article := srv.seedArticle(t)
	b := newBrowser(t, srv)

	b.login(t, "redacteur@example.com")
	b.open(t, "#/entry/"+comparison)
	b.waitVisible(t, `#delete`)
	b.do(t, chromedp.Click(chromedp.ID("delete")))
	b.waitVisible(t, `#used-by [data-used-by="`+article+`"] a[href="#/entry/`+article+`"]`)
	b.waitText(t, `#used-by`, "Office manager vs personal assistant: wat is het verschil?")
	b.waitText(t, `#used-by`, "live")
	b.do(t, chromedp.Click(chromedp.ID("delete-cancel")))
	b.waitNotPresent(t, `#used-by`)
}
