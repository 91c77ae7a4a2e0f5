package admin_test

// Browser tests of the editor on a phone, folding blocks, the Markdown
// toolbar and the sources screen's rule editor. They share the browser
// helpers of browser_test.go and write their screenshots to the same
// directory ($WERKWIJZER_SCREENSHOT_DIR).

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/werkwijzer/werkwijzer/internal/account"
)

// dutch switches the interface to Dutch, the language its editors use.
func (b *browser) dutch(t *testing.T) {
	t.Helper()
	b.do(t, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("ui-language"); s.value = "nl"; s.dispatchEvent(new Event("change")); })()`))
	b.poll(t, `document.documentElement.lang === "nl"`)
}

func (b *browser) number(t *testing.T, expr string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(b.eval(t, fmt.Sprintf(`String(%s)`, expr)), 64)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// visible tells whether an element takes up room on the page.
func (b *browser) visible(t *testing.T, css string) bool {
	t.Helper()
	return b.eval(t, fmt.Sprintf(`String((() => { const el = document.querySelector(%q); return Boolean(el && el.getClientRects().length); })())`, css)) == "true"
}

// TestPhoneSignsInAndEditsOneLanguageAtATime is a run through on a
// 390×844 phone: the top bar stays one line with a menu button, the
// dashboard fits the width, and the editor shows one language at a time
// with a switch; an English title typed there is saved.
func TestPhoneSignsInAndEditsOneLanguageAtATime(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	article := srv.seedArticle(t)
	b := newBrowser(t, srv)
	b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))

	b.do(t, chromedp.Navigate(b.base))
	b.submitLogin(t, "redacteur@example.com")
	b.waitVisible(t, `#menu-toggle`)
	b.dutch(t)
	b.waitVisible(t, `table.entries`)
	h := b.number(t, `document.getElementById("top").getBoundingClientRect().height`)
	t.Logf("the top bar is %.0f px high on a 390×844 phone", h)
	if h > 64 {
		t.Errorf("the top bar is %.0f px high on a phone, want one line (at most 64 px)", h)
	}
	if b.visible(t, `#logout`) || b.visible(t, `.topbar nav`) {
		t.Error("the menu's links show before the menu button is pressed")
	}
	if w := b.number(t, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the dashboard is %.0f px wide on a 390 px phone", w)
	}
	b.screenshot(t, "dashboard-phone.png", false)

	// The menu opens and holds the links and the sign-out button.
	b.do(t, chromedp.Click(chromedp.ID("menu-toggle")))
	b.waitVisible(t, `.topbar nav a[href="#/vacancies"]`)
	b.waitVisible(t, `#logout`)
	if got := b.eval(t, `document.getElementById("menu-toggle").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("the open menu's button says aria-expanded=%s", got)
	}
	b.do(t, chromedp.KeyEvent(kb.Escape)) // Escape closes it, the focus back on its button
	b.poll(t, `!document.getElementById("logout").getClientRects().length && document.activeElement.id === "menu-toggle"`)

	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#f-nl-title`)
	if b.visible(t, `#f-en-title`) || b.visible(t, `.locale-head[data-locale="en"]`) {
		t.Fatal("the phone shows English beside Dutch")
	}
	if w := b.number(t, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the editor is %.0f px wide on a 390 px phone", w)
	}
	b.waitVisible(t, `#show-locale-en`)
	b.screenshot(t, "editor-phone.png", false)
	b.do(t, chromedp.Click(chromedp.ID("show-locale-en")))
	b.waitVisible(t, `#f-en-title`)
	if b.visible(t, `#f-nl-title`) {
		t.Fatal("after switching to English the phone still shows the Dutch title")
	}
	b.waitVisible(t, `#publish-en`)

	const title = "Edited on a phone"
	b.typeInto(t, "f-en-title", title)
	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `.editor[data-version="2"]`)
	if got := srv.previewFields(t, srv.apiLogin(t, "redacteur@example.com"), "en")["title"]; got != title {
		t.Fatalf("the English draft title saved from the phone is %q", got)
	}
	b.screenshot(t, "editor-phone-en.png", false)
}

// TestLongArticleFoldsItsBlocks opens the seed article: its blocks start
// folded to a title and a one-line summary, open one by one, from the
// outline and all at once, and a refused publication opens the block it
// names.
func TestLongArticleFoldsItsBlocks(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	article := srv.seedArticle(t)
	block := srv.firstTextBlock(t)
	b := newBrowser(t, srv)
	b.login(t, "redacteur@example.com")
	b.dutch(t)
	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#f-en-title`)

	blocks := int(b.number(t, `document.querySelectorAll(".block").length`))
	if folded := int(b.number(t, `document.querySelectorAll(".block-body[hidden]").length`)); blocks < 4 || folded != blocks {
		t.Fatalf("%d of the article's %d blocks start folded, want all", folded, blocks)
	}
	b.waitVisible(t, fmt.Sprintf(`#block-%s-summary`, block))
	if s := b.eval(t, fmt.Sprintf(`document.getElementById("block-%s-summary").textContent`, block)); len(s) < 10 || strings.Contains(s, "##") {
		t.Errorf("the folded block's summary is %q", s)
	}
	if b.exists(t, `details.preview-wrap[open]`) {
		t.Error("a Markdown preview is open before it was asked for")
	}
	folded := b.number(t, `document.documentElement.scrollHeight`)
	b.screenshot(t, "editor-laptop.png", false)

	// One block opens with its button, and closes again.
	b.do(t, chromedp.Click(chromedp.ID("block-"+block+"-toggle")))
	b.waitVisible(t, "#f-en-blocks_"+block+"_body")
	if got := b.eval(t, fmt.Sprintf(`document.getElementById("block-%s-toggle").getAttribute("aria-expanded")`, block)); got != "true" {
		t.Errorf("the open block's button says aria-expanded=%s", got)
	}
	b.do(t, chromedp.Click(chromedp.ID("block-"+block+"-toggle")))
	b.poll(t, fmt.Sprintf(`!document.getElementById("f-en-blocks_%s_body").getClientRects().length`, block))

	// The outline stays in view while scrolling and opens the block it leads to.
	last := b.eval(t, `document.querySelector(".outline li:last-child a").dataset.target`)
	b.do(t, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, document.documentElement.scrollHeight)`))
	if top := b.number(t, `document.querySelector(".outline").getBoundingClientRect().top`); top < 0 || top > 200 {
		t.Errorf("after scrolling down the outline is at %.0f px from the top of the window", top)
	}
	b.do(t, chromedp.Click(chromedp.CSS(`.outline li:last-child a`)))
	b.poll(t, fmt.Sprintf(`document.activeElement.id === %q && !document.querySelector("#%s .block-body").hidden`, last, last))

	b.do(t, chromedp.Click(chromedp.ID("blocks-toggle-all")))
	b.poll(t, `document.querySelectorAll(".block-body[hidden]").length === 0`)
	open := b.number(t, `document.documentElement.scrollHeight`)
	t.Logf("the article's editor is %.0f px tall with its blocks folded, %.0f px with them open", folded, open)
	if folded*2 > open {
		t.Errorf("folding the blocks leaves the page %.0f px tall of %.0f", folded, open)
	}
	b.do(t, chromedp.Click(chromedp.ID("blocks-toggle-all")))
	b.poll(t, fmt.Sprintf(`document.querySelectorAll(".block-body[hidden]").length === %d`, blocks))

	// The save bar is opaque: nothing shows through it.
	if bg := b.eval(t, `getComputedStyle(document.querySelector(".toolbar")).backgroundColor`); strings.HasPrefix(bg, "rgba") {
		t.Errorf("the save bar's background is %s, want an opaque colour", bg)
	}

	// A refused publication opens the folded block whose field it names.
	b.do(t, chromedp.Click(chromedp.ID("block-"+block+"-toggle")))
	b.typeInto(t, "f-en-blocks_"+block+"_body", "\b")
	b.do(t, chromedp.Click(chromedp.ID("block-"+block+"-toggle")))
	b.do(t, chromedp.Click(chromedp.ID("publish-en")))
	b.waitVisible(t, fmt.Sprintf(`#f-en-blocks_%s_body[aria-invalid="true"]`, block))
}

// TestMarkdownToolbarEditsTheText formats an English lead with the
// toolbar's buttons and with Ctrl+B, Ctrl+I and Ctrl+K, and saves the
// Markdown it wrote.
func TestMarkdownToolbarEditsTheText(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	article := srv.seedArticle(t)
	b := newBrowser(t, srv)
	b.login(t, "redacteur@example.com")
	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#f-en-lead-md-bold`)

	const id = "f-en-lead"
	selectRange := func(from, to int) {
		b.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.getElementById(%q); el.focus(); el.setSelectionRange(%d, %d); })()`, id, from, to)))
	}
	steps := []struct {
		name   string
		from   int
		to     int
		action chromedp.Action[chromedp.Void]
		want   string
	}{
		{"the bold button", 6, 11, chromedp.Click(chromedp.ID(id + "-md-bold")), "plain **words** here"},
		{"Ctrl+B on bold text", 8, 13, chromedp.KeyEvent("b", chromedp.KeyModifiers(chromedp.ModifierCtrl)), "plain words here"},
		{"Ctrl+I", 0, 5, chromedp.KeyEvent("i", chromedp.KeyModifiers(chromedp.ModifierCtrl)), "_plain_ words here"},
		{"Ctrl+K", 8, 13, chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierCtrl)), "_plain_ [words](https://) here"},
		{"typing over the selected address", -1, -1, chromedp.KeyEvent("https://example.nl"), "_plain_ [words](https://example.nl) here"},
		{"the heading button", 0, 0, chromedp.Click(chromedp.ID(id + "-md-heading")), "## _plain_ [words](https://example.nl) here"},
	}
	b.typeInto(t, id, "plain words here")
	for _, s := range steps {
		if s.from >= 0 {
			selectRange(s.from, s.to)
		}
		b.do(t, s.action)
		if got := b.value(t, id); got != s.want {
			t.Fatalf("after %s the lead is %q, want %q", s.name, got, s.want)
		}
	}
	// Lists number or bullet every selected line.
	b.typeInto(t, id, "one\ntwo")
	selectRange(0, 7)
	b.do(t, chromedp.Click(chromedp.ID(id+"-md-numbers")))
	if got := b.value(t, id); got != "1. one\n2. two" {
		t.Fatalf("the numbered list button made %q", got)
	}
	selectRange(0, 13)
	b.do(t, chromedp.Click(chromedp.ID(id+"-md-bullets")))
	if got := b.value(t, id); got != "- one\n- two" {
		t.Fatalf("the bulleted list button made %q", got)
	}
	// Ctrl+Z takes the last formatting back: it went through the undo history.
	b.do(t, chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	if got := b.value(t, id); got != "1. one\n2. two" {
		t.Fatalf("Ctrl+Z after the bulleted list left %q", got)
	}
	b.do(t, chromedp.Click(chromedp.ID(id+"-md-bullets")))
	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `.editor[data-version="2"]`)
	if got := srv.previewFields(t, srv.apiLogin(t, "redacteur@example.com"), "en")["lead"]; got != "- one\n- two" {
		t.Fatalf("the saved English lead is %q", got)
	}
}

type sourceRules struct {
	Name, Kind, FeedURL, Language, TimeZone string
	Active                                  bool
	AllowedHosts                            []string
	RoleRules                               []struct{ Field, Pattern, Role string }
}

func (s *server) source(t *testing.T, token, name string) sourceRules {
	t.Helper()
	var res struct{ Sources []sourceRules }
	s.query(t, token, `{ sources { name kind feedUrl language timeZone active allowedHosts roleRules { field pattern role } } }`, nil, &res)
	for _, src := range res.Sources {
		if src.Name == name {
			return src
		}
	}
	t.Fatalf("no source %q", name)
	return sourceRules{}
}

// TestRuleEditorCreatesASource creates a pull source on the Dutch sources
// screen with role rules written as "is", "bevat" and "komt overeen met",
// checks the patterns the API stored, changes the rules with the settings
// form and disables the source after a confirmation that names what
// follows.
func TestRuleEditorCreatesASource(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "admin@example.com", account.RoleAdmin)
	token := srv.apiLogin(t, "admin@example.com")
	var roles struct {
		Roles struct {
			Edges []struct{ Node struct{ Slug, Title string } }
		}
	}
	srv.query(t, "", `{ roles(locale: "nl") { edges { node { slug title } } } }`, nil, &roles)
	if len(roles.Roles.Edges) < 2 {
		t.Fatal("the seed has fewer than two roles")
	}
	first, second := roles.Roles.Edges[0].Node, roles.Roles.Edges[1].Node
	b := newBrowser(t, srv)
	b.login(t, "admin@example.com")
	b.dutch(t)
	b.open(t, "#/sources")
	b.waitVisible(t, `#source-new-name`)
	if strings.Contains(b.eval(t, `document.querySelector("main").innerText`), "INDEED_XML") {
		t.Error("the sources screen shows the kind INDEED_XML instead of its name")
	}
	b.waitText(t, `article[data-source="demo"]`, "Indeed-XML-feed")

	setSelect := func(id, value string) {
		b.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.getElementById(%q); s.value = %q; s.dispatchEvent(new Event("change")); })()`, id, value)))
	}
	b.typeInto(t, "source-new-name", "werkenbij-acme")
	setSelect("source-new-kind", "JSONLD")
	b.waitVisible(t, `#source-new-feedUrl`)
	b.typeInto(t, "source-new-feedUrl", "https://acme.example/vacatures.json")
	b.typeInto(t, "source-new-allowedHosts", "acme.example")
	setSelect("source-new-language", "en")
	setSelect("source-new-timeZone", "Europe/London")
	rules := []struct{ field, op, value, role string }{
		{"category", "is", "Office (NL)", first.Slug},
		{"title", "contains", "assistent", second.Slug},
		{"any", "matches", `^pa\b`, second.Slug},
	}
	for i, r := range rules {
		b.do(t, chromedp.Click(chromedp.ID("source-new-rule-add")))
		p := fmt.Sprintf("source-new-rule-%d", i)
		b.poll(t, fmt.Sprintf(`document.activeElement.id === %q`, p+"-value"))
		setSelect(p+"-field", r.field)
		setSelect(p+"-op", r.op)
		b.do(t, chromedp.KeyEvent(r.value))
		setSelect(p+"-role", r.role)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("source-new-rules").scrollIntoView({ block: "end" })`))
	b.screenshot(t, "sources-rule-editor.png", false)
	b.do(t, chromedp.Click(chromedp.ID("source-new-submit")))
	b.waitVisible(t, `#secret-once code[data-key="clientSecret"]`)
	b.waitVisible(t, `article[data-source="werkenbij-acme"]`)

	src := srv.source(t, token, "werkenbij-acme")
	want := []struct{ Field, Pattern, Role string }{
		{"category", `^Office \(NL\)$`, first.Slug},
		{"title", "assistent", second.Slug},
		{"any", `^pa\b`, second.Slug},
	}
	if src.Kind != "JSONLD" || src.FeedURL != "https://acme.example/vacatures.json" || src.Language != "en" || src.TimeZone != "Europe/London" ||
		fmt.Sprint(src.AllowedHosts) != "[acme.example]" || fmt.Sprint(src.RoleRules) != fmt.Sprint(want) {
		t.Fatalf("the API stored %+v, want role rules %v", src, want)
	}
	// The card reads the rules back as sentences.
	card := `article[data-source="werkenbij-acme"]`
	b.waitText(t, card+" .rules-read", "Categorie is Office (NL) → "+first.Title)
	b.waitText(t, card+" .rules-read", "Titel bevat assistent → "+second.Title)
	b.waitText(t, card+" .rules-read", `Titel of categorie komt overeen met ^pa\b`)

	// The settings form changes the rules: the first one goes.
	b.do(t, chromedp.Click(chromedp.CSS(card+` button[id$="-edit"]`)))
	formID := b.eval(t, `document.querySelector('form.source-form:not(#source-new)').id`)
	b.waitVisible(t, "#"+formID+"-rule-0-remove")
	if got := b.value(t, formID+"-rule-0-value"); got != "Office (NL)" {
		t.Fatalf("the settings form reads the first rule's text as %q", got)
	}
	b.do(t, chromedp.Click(chromedp.ID(formID+"-rule-0-remove")))
	b.do(t, chromedp.Click(chromedp.ID(formID+"-submit")))
	b.waitNotPresent(t, "#"+formID)
	if got := srv.source(t, token, "werkenbij-acme").RoleRules; len(got) != 2 || got[0].Pattern != "assistent" {
		t.Fatalf("after removing the first rule the API has %v", got)
	}

	// Disabling asks first and says what happens to the vacancies.
	disable := b.eval(t, `document.querySelector('article[data-source="werkenbij-acme"] [data-action="disable"]').id`)
	b.do(t, chromedp.Click(chromedp.CSS(card+" .danger-zone summary")), chromedp.Click(chromedp.ID(disable)))
	b.waitText(t, card+" .confirm-box", "kan niet meer synchroniseren")
	b.waitText(t, card+" .confirm-box", "blijven op de website staan")
	if !srv.source(t, token, "werkenbij-acme").Active {
		t.Fatal("the source was disabled before the confirmation")
	}
	b.do(t, chromedp.Click(chromedp.ID(disable+"-yes")))
	b.waitText(t, card+" .source-head", "uitgeschakeld")
	if srv.source(t, token, "werkenbij-acme").Active {
		t.Fatal("the confirmed disable did not reach the API")
	}
	b.do(t, chromedp.EmulateViewport(1366, 1600), chromedp.Evaluate[chromedp.Void](`document.querySelector('article[data-source="werkenbij-acme"]').scrollIntoView()`))
	b.screenshot(t, "sources-nl.png", false)
}

// TestDutchInterfaceSpeaksDutch checks the wording an editor reported:
// language names in Dutch on the publish buttons, a conflict banner in
// natural Dutch, and one date format on the dashboard and in the editor.
func TestDutchInterfaceSpeaksDutch(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "anna@example.com", account.RoleEditor)
	srv.createUser(t, "bram@example.com", account.RoleEditor)
	article := srv.seedArticle(t)
	b := newBrowser(t, srv)
	b.login(t, "anna@example.com")
	b.dutch(t)
	b.waitVisible(t, fmt.Sprintf(`tr[data-entry=%q]`, article))
	dashboardDate := b.eval(t, fmt.Sprintf(`document.querySelector('tr[data-entry=%q] td[data-label="Laatste wijziging"]').firstChild.textContent`, article))

	b.open(t, "#/entry/"+article)
	b.waitVisible(t, `#publish-en`)
	for id, want := range map[string]string{"publish-en": "Engels publiceren", "publish-nl": "Nederlands publiceren"} {
		if got := strings.TrimSpace(b.eval(t, fmt.Sprintf(`document.getElementById(%q).textContent`, id))); got != want {
			t.Errorf("#%s says %q, want %q", id, got, want)
		}
	}
	if meta := b.eval(t, `document.querySelector(".editor-head .meta").textContent`); !strings.Contains(meta, dashboardDate) {
		t.Errorf("the editor says %q, the dashboard %q: two date formats", meta, dashboardDate)
	}

	b.typeInto(t, "f-en-title", "Anna's title")
	srv.updateEnglish(t, srv.apiLogin(t, "bram@example.com"), article, map[string]string{"title": "Bram's title"})
	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `#conflict-who`)
	who := b.eval(t, `document.getElementById("conflict-who").textContent`)
	if !regexp.MustCompile(`^bram@example\.com heeft dit om \d\d:\d\d opgeslagen \(versie 2\), terwijl jij versie 1 bewerkte\.$`).MatchString(who) {
		t.Errorf("the conflict banner says %q", who)
	}
}
