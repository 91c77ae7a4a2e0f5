package admin_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/werkwijzer/werkwijzer/internal/account"
)

// TestRoleSEOFieldsAreEditedWithALengthHint: an editor fills in a role's
// English SEO title and preview image in /admin, sees the title's length
// counted against what search engines show, and the public API serves
// them once published.
func TestRoleSEOFieldsAreEditedWithALengthHint(t *testing.T) {
	srv := startServer(t, serverOptions{})
	srv.createUser(t, "redacteur@example.com", account.RoleEditor)
	b := newBrowser(t, srv)
	b.login(t, "redacteur@example.com")
	b.waitVisible(t, `section[aria-labelledby="list-ROLE"] tbody tr`)
	b.do(t, chromedp.Click(chromedp.CSS(`section[aria-labelledby="list-ROLE"] tbody th a`)))
	b.waitVisible(t, `#f-en-seoTitle`)
	b.waitText(t, `#f-en-seoTitle-length`, "0 of about 60 characters")
	b.waitText(t, `#f-nl-seoDescription-length`, "of about 155 characters")

	const title, image = "Office manager: taken en salaris", "https://www.example.nl/img/om.png"
	b.typeInto(t, "f-en-seoTitle", title)
	b.waitText(t, `#f-en-seoTitle-length`, "32 of about 60 characters")
	b.typeInto(t, "f-en-ogImageUrl", image)
	b.do(t, chromedp.Click(chromedp.ID("save")))
	b.waitVisible(t, `.editor[data-version="2"]`)
	b.publish(t, "en")

	slug := strings.TrimSpace(b.value(t, "f-en-slug"))
	var res struct {
		Role struct {
			SeoTitle   string
			OgImageURL *string
		}
	}
	srv.query(t, "", `query($s: String!) { role(slug: $s, locale: "en") { seoTitle ogImageUrl } }`, map[string]any{"s": slug}, &res)
	if res.Role.SeoTitle != title || res.Role.OgImageURL == nil || *res.Role.OgImageURL != image {
		t.Fatalf("the public role after publishing: %+v", res.Role)
	}
}
