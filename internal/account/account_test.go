package account

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

func TestRolesAreOrdered(t *testing.T) {
	for _, tc := range []struct {
		role, min Role
		want      bool
	}{
		{RoleAdmin, RoleAdmin, true},
		{RoleAdmin, RoleEditor, true},
		{RoleAdmin, RoleTranslator, true},
		{RoleEditor, RoleAdmin, false},
		{RoleEditor, RoleEditor, true},
		{RoleEditor, RoleTranslator, true},
		{RoleTranslator, RoleAdmin, false},
		{RoleTranslator, RoleEditor, false},
		{RoleTranslator, RoleTranslator, true},
		{"", RoleTranslator, false},
		{"ROOT", RoleTranslator, false},
		{RoleAdmin, "ROOT", false},
	} {
		p := Principal{UserID: "u", Role: tc.role}
		if got := p.Can(tc.min); got != tc.want {
			t.Errorf("%q.Can(%q) = %v; want %v", tc.role, tc.min, got, tc.want)
		}
	}
	if (Principal{Role: RoleAdmin}).Can(RoleTranslator) {
		t.Error("a principal without a user id can do something")
	}
}

func TestMayEditLocale(t *testing.T) {
	translator := Principal{UserID: "t", Role: RoleTranslator, Locales: []string{"en", "en-GB"}}
	for loc, want := range map[string]bool{"en": true, "EN": true, "en-gb": true, "nl": false, "": false} {
		if got := translator.MayEditLocale(loc); got != want {
			t.Errorf("translator.MayEditLocale(%q) = %v; want %v", loc, got, want)
		}
	}
	for _, r := range []Role{RoleEditor, RoleAdmin} {
		if !(Principal{UserID: "e", Role: r}).MayEditLocale("nl") {
			t.Errorf("%s may not edit nl", r)
		}
	}
	if (Principal{}).MayEditLocale("nl") {
		t.Error("anonymous may edit nl")
	}
	if (Principal{UserID: "x", Role: "GUEST", Locales: []string{"nl"}}).MayEditLocale("nl") {
		t.Error("an unknown role may edit its locales")
	}
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{"ADMIN": RoleAdmin, "editor": RoleEditor, " Translator ": RoleTranslator} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ROOT", "admins"} {
		if _, err := ParseRole(in); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("ParseRole(%q) error = %v; want BAD_USER_INPUT", in, err)
		}
	}
}

func TestPrincipalTravelsInTheContext(t *testing.T) {
	ctx := context.Background()
	if _, ok := PrincipalFrom(ctx); ok {
		t.Fatal("an empty context has a principal")
	}
	p := Principal{UserID: "u1", Role: RoleEditor}
	got, ok := PrincipalFrom(WithPrincipal(ctx, p))
	if !ok || got.UserID != "u1" || got.Role != RoleEditor {
		t.Fatalf("PrincipalFrom = %+v, %v", got, ok)
	}
	if _, ok := PrincipalFrom(WithPrincipal(ctx, Principal{})); ok {
		t.Fatal("the zero principal counts as signed in")
	}
	if _, ok := ClientFrom(ctx); ok {
		t.Fatal("an empty context has a machine client")
	}
	if c, ok := ClientFrom(WithClient(ctx, Client{ID: "c1"})); !ok || c.ID != "c1" {
		t.Fatalf("ClientFrom = %+v, %v", c, ok)
	}
	if _, ok := ClientFrom(WithClient(ctx, Client{})); ok {
		t.Fatal("the zero client counts as authenticated")
	}
}

func TestAuthorizeChecksTheCaller(t *testing.T) {
	ctx := context.Background()
	editor := WithPrincipal(ctx, Principal{UserID: "e", Role: RoleEditor})
	machine := WithClient(ctx, Client{ID: "source-1", Scopes: []string{ScopeVacancySync}})
	for _, c := range []authorizeCase{
		{"anonymous", ctx, RoleTranslator, apperr.Unauthenticated},
		{"editor needing admin", editor, RoleAdmin, apperr.Forbidden},
		{"editor needing editor", editor, RoleEditor, ""},
		{"editor needing translator", editor, RoleTranslator, ""},
		{"admin", WithPrincipal(ctx, Principal{UserID: "a", Role: RoleAdmin}), RoleAdmin, ""},
		{"operator", WithOperator(ctx), RoleAdmin, ""},
		{"machine client", machine, RoleTranslator, apperr.Forbidden},
		{"operator with a machine client", WithOperator(machine), RoleAdmin, ""},
	} {
		checkAuthorize(t, c)
	}
	checkAuthorizeFailuresAndActors(t, ctx, editor)
}

type authorizeCase struct {
	name string
	ctx  context.Context
	need Role
	want apperr.Code // "" passes
}

// checkAuthorize checks that Authorize passes or refuses as the case says,
// returning no actor and naming the required role when it refuses.
func checkAuthorize(t *testing.T, c authorizeCase) {
	t.Helper()
	a, err := Authorize(c.ctx, c.need, "x")
	if (err == nil) != (c.want == "") || err != nil && apperr.CodeOf(err) != c.want {
		t.Errorf("%s: %v; want %q", c.name, err, c.want)
		return
	}
	if err != nil {
		if a.Operator || a.UserID != "" {
			t.Errorf("%s: refused but returned %+v", c.name, a)
		}
		var coded *apperr.Error
		if c.want == apperr.Forbidden && (!errors.As(err, &coded) || coded.Details["requiredRole"] != string(c.need)) {
			t.Errorf("%s: %v lacks requiredRole %s", c.name, err, c.need)
		}
		return
	}
	if !a.Can(c.need) {
		t.Errorf("%s: authorized for %s but the actor cannot", c.name, c.need)
	}
}

// checkAuthorizeFailuresAndActors checks how a recorded token failure is
// reported and what the actors of the operator, an editor and a translator
// may do.
func checkAuthorizeFailuresAndActors(t *testing.T, ctx, editor context.Context) {
	t.Helper()
	_, err := Authorize(WithAuthFailure(ctx, errors.New("token expired")), RoleTranslator, "x")
	if apperr.CodeOf(err) != apperr.Unauthenticated || !strings.Contains(err.Error(), "invalid or has expired") {
		t.Errorf("a request whose token failed: %v; want UNAUTHENTICATED saying the token failed", err)
	}
	if _, err := Authorize(WithAuthFailure(editor, errors.New("stale")), RoleEditor, "x"); err != nil {
		t.Errorf("a signed-in editor with a recorded failure: %v", err)
	}
	if AuthFailure(ctx) != nil || ClientAddr(ctx) != "" || ClientAddr(WithClientAddr(ctx, "192.0.2.1")) != "192.0.2.1" {
		t.Error("request context values do not round-trip")
	}
	op, _ := Authorize(WithOperator(ctx), RoleAdmin, "x")
	if !op.Operator || op.UserID != "" || !op.MayEditLocale("de") {
		t.Errorf("operator actor = %+v; want Operator, no user id, every locale", op)
	}
	ed, _ := Authorize(editor, RoleEditor, "x")
	if ed.Operator || ed.UserID != "e" || ed.Can(RoleAdmin) {
		t.Errorf("editor actor = %+v; want user e, not operator, not admin", ed)
	}
	tr, _ := Authorize(WithPrincipal(ctx, Principal{UserID: "t", Role: RoleTranslator, Locales: []string{"en"}}), RoleTranslator, "x")
	if !tr.MayEditLocale("en") || tr.MayEditLocale("nl") {
		t.Errorf("translator actor may edit en %v, nl %v; want only en", tr.MayEditLocale("en"), tr.MayEditLocale("nl"))
	}
}

// longestEmail is an address of the most bytes NormalizeEmail accepts, 254.
var longestEmail = strings.Repeat("a", 254-len("@example.nl")) + "@example.nl"

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"Jan@Example.NL":       "jan@example.nl",
		"  a.b+c@sub.example ": "a.b+c@sub.example",
		longestEmail:           longestEmail,
	} {
		if got, err := NormalizeEmail(in); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "  ", "jan", "@example.nl", "jan@", "jan@@example.nl", "a@b@c", "Jan <jan@example.nl>",
		"jan doe@example.nl", "jan@example..nl", "jan@.example.nl", "jan@example.nl.", "jan\x00@example.nl", "x" + longestEmail} {
		if _, err := NormalizeEmail(in); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("NormalizeEmail(%q) error = %v; want BAD_USER_INPUT", in, err)
		}
	}
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"192.0.2.7":               "192.0.2.7",
		"192.0.2.7:51234":         "192.0.2.7",
		"[::ffff:192.0.2.7]:443":  "192.0.2.7",
		"2001:db8:1:2:3:4:5:6":    "2001:db8:1:2::/64",
		"[2001:db8:1:2::9]:51234": "2001:db8:1:2::/64",
		"[fe80::1%eth0]:80":       "fe80::/64",
		"unix-socket":             "unix-socket",
	} {
		if got := clientKey(in); got != want {
			t.Errorf("clientKey(%q) = %q; want %q", in, got, want)
		}
	}
}
