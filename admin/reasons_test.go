package admin_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/account"
)

// TestEveryInputErrorReasonHasAMessage checks that the page can say every
// documented reason in both languages (TestBothLanguagesHaveEveryText
// keeps the two in step), so no editor is left with the English message.
func TestEveryInputErrorReasonHasAMessage(t *testing.T) {
	src := staticFiles(t)["js/i18n.js"]
	en, _, ok := strings.Cut(src[strings.Index(src, "const en = {"):], "const nl = {")
	if !ok {
		t.Fatal("i18n.js has no nl dictionary after the en one")
	}
	for _, r := range model.AllInputErrorReason {
		if !strings.Contains(en, fmt.Sprintf("\n  'reason.%s':", r)) {
			t.Errorf("i18n.js has no message for the reason %s", r)
		}
	}
}

// TestRefusedInputIsExplainedInDutch has the server refuse a new user's
// password and email address and checks that the users screen explains
// each in Dutch from its reason and parameters, not with the server's
// English message.
func TestRefusedInputIsExplainedInDutch(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "beheerder@example.com", account.RoleAdmin)
	b := newBrowser(t, srv)
	b.login(t, "beheerder@example.com")
	b.do(t, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("ui-language"); s.value = "nl"; s.dispatchEvent(new Event("change")); })()`))
	b.open(t, "#/users")
	b.waitVisible(t, `#new-user-email`)
	// The form's own checks would stop both before the server sees them.
	submit := func(email, password string) {
		b.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const form = document.getElementById("new-user-email").form;
			form.noValidate = true;
			document.getElementById("new-user-email").value = %q;
			document.getElementById("new-user-password").value = %q;
			form.requestSubmit();
		})()`, email, password)))
	}
	submit("nieuw@example.com", "kort")
	b.waitText(t, `#new-user-error`, "Het wachtwoord is te kort: minstens 12 tekens.")
	submit("geen-adres", "lang genoeg wachtwoord")
	b.waitText(t, `#new-user-error`, "Dit is geen geldig e-mailadres.")
}
