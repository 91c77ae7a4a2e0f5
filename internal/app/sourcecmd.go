package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

const sourceUsage = `Usage:
  werkwijzer source create --name NAME [--kind KIND] [--feed-url URL] [--allowed-hosts a.nl,b.nl]
                           [--role-rule FIELD:PATTERN=ROLE]... [--language nl] [--time-zone Europe/Amsterdam] [--json]
  werkwijzer source update --name NAME [same settings as create]
  werkwijzer source list [--json]
  werkwijzer source rotate-secret --name NAME [--revoke-others] [--json]
  werkwijzer source disable --name NAME [--close-vacancies]
  werkwijzer source enable --name NAME

A source is a recruitment site or ATS that syncs vacancies. KIND is push
(the default: it calls syncVacancies) or the format of a feed that
Werkwijzer pulls from --feed-url every WERKWIJZER_PULL_INTERVAL:
  indeed-xml  an Indeed-style XML feed
  recruitee   https://COMPANY.recruitee.com/api/offers/
  jsonld      a page or file with schema.org JobPosting JSON-LD
  personio    https://COMPANY.jobs.personio.de/xml (?language=en for English)
  greenhouse  https://boards-api.greenhouse.io/v1/boards/TOKEN/jobs?content=true
  lever       https://api.lever.co/v0/postings/COMPANY?mode=json (api.eu.lever.co in the EU)

"create" and "rotate-secret" print the OAuth client id and a secret: the
secret is shown only then (only its hash is stored). Exchange them for an
access token at POST /oauth/token (grant_type=client_credentials). Two
secrets work at once, so a rotation needs no downtime; --revoke-others
stops every other secret at once (a leaked one).

--allowed-hosts limits the hosts the source's links may point to (and
their subdomains); without it any public https host is accepted.
--role-rule maps vacancies that name no role: FIELD is title, category or
any, PATTERN a regular expression matched without regard to case, ROLE a
role slug; repeat it for more rules, tried in order.

Flags:
`

// runSource manages vacancy sources from the command line, as the
// server's operator.
func runSource(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	act, args, err := action("source", args, sourceUsage, stderr, "create", "update", "list", "rotate-secret", "disable", "enable")
	if err != nil {
		return err
	}
	ctx = account.WithOperator(ctx)
	switch act {
	case "create":
		return sourceCreate(ctx, args, stdout, stderr)
	case "update":
		return sourceUpdate(ctx, args, stdout, stderr)
	case "list":
		return sourceList(ctx, args, stdout, stderr)
	case "rotate-secret":
		return sourceRotateSecret(ctx, args, stdout, stderr)
	default:
		return sourceSetActive(ctx, act, args, stdout, stderr)
	}
}

// sourceSettings are the flags of "source create" and "source update".
type sourceSettings struct {
	name, kind, feedURL, allowedHosts, language, timeZone *string
	rules                                                 []vacancy.RoleRule
	asJSON                                                *bool
}

func defineSourceSettings(fs *flag.FlagSet) *sourceSettings {
	s := &sourceSettings{
		name:         stringOnce(fs, "name", "the source's name (required)"),
		kind:         stringOnce(fs, "kind", "push (the default) or the feed format: indeed-xml, recruitee, jsonld, personio, greenhouse or lever"),
		feedURL:      stringOnce(fs, "feed-url", "the feed Werkwijzer pulls for a kind other than push"),
		allowedHosts: stringOnce(fs, "allowed-hosts", "comma-separated hosts (and their subdomains) the source's links may point to"),
		language:     stringOnce(fs, "language", "the language of vacancies that name none, such as nl"),
		timeZone:     stringOnce(fs, "time-zone", "the time zone of dates without one, such as Europe/Amsterdam"),
		asJSON:       fs.Bool("json", false, "print JSON"),
	}
	fs.Func("role-rule", "FIELD:PATTERN=ROLE for vacancies that name no role; repeat it for more rules", func(v string) error {
		rule, err := parseRoleRule(v)
		if err != nil {
			return err
		}
		s.rules = append(s.rules, rule)
		return nil
	})
	return s
}

// sourceFlags starts the flag set of "source action" with --name.
func sourceFlags(act string, stderr io.Writer) (*cmdline, *string) {
	cl := newCmdline("source "+act, sourceUsage, stderr)
	return cl, stringOnce(cl.fs, "name", "the source's name (required)")
}

func sourceCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cl := newCmdline("source create", sourceUsage, stderr)
	s := defineSourceSettings(cl.fs)
	cfg, err := cl.parseFlags(args)
	if err != nil {
		return err
	}
	if err := required("name", *s.name); err != nil {
		return err
	}
	return withDB(ctx, cfg, stderr, func(e *env) error {
		src, creds, err := e.vacancyService().CreateSource(ctx, vacancy.NewSource{
			Name: *s.name, Kind: vacancy.Kind(*s.kind), FeedURL: *s.feedURL,
			AllowedHosts: splitList(*s.allowedHosts), RoleRules: s.rules,
			Language: *s.language, TimeZone: *s.timeZone,
		})
		if err != nil {
			return err
		}
		return printCredentials(stdout, src, creds, *s.asJSON, "created")
	})
}

// sourceUpdate changes the settings named on the command line and keeps
// the others.
func sourceUpdate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cl := newCmdline("source update", sourceUsage, stderr)
	s := defineSourceSettings(cl.fs)
	cfg, err := cl.parseFlags(args)
	if err != nil {
		return err
	}
	given := cl.given()
	var upd vacancy.SourceUpdate
	if given["kind"] {
		k := vacancy.Kind(*s.kind)
		upd.Kind = &k
	}
	if given["feed-url"] {
		upd.FeedURL = s.feedURL
	}
	if given["allowed-hosts"] {
		hosts := splitList(*s.allowedHosts)
		upd.AllowedHosts = &hosts
	}
	if given["role-rule"] {
		upd.RoleRules = &s.rules
	}
	if given["language"] {
		upd.Language = s.language
	}
	if given["time-zone"] {
		upd.TimeZone = s.timeZone
	}
	return withNamedSource(ctx, cfg, stderr, *s.name, func(svc *vacancy.Service, src *vacancy.Source) error {
		src, err := svc.UpdateSource(ctx, src.ID, upd)
		if err != nil {
			return err
		}
		return printSources(stdout, []*vacancy.Source{src}, *s.asJSON)
	})
}

// withNamedSource opens the database and finds the source named name (a
// required flag) for fn.
func withNamedSource(ctx context.Context, cfg *Config, stderr io.Writer, name string, fn func(*vacancy.Service, *vacancy.Source) error) error {
	if err := required("name", name); err != nil {
		return err
	}
	return withDB(ctx, cfg, stderr, func(e *env) error {
		svc := e.vacancyService()
		src, err := svc.SourceByName(ctx, name)
		if err != nil {
			return err
		}
		return fn(svc, src)
	})
}

func sourceList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cl := newCmdline("source list", sourceUsage, stderr)
	asJSON := cl.fs.Bool("json", false, "print JSON")
	cfg, err := cl.parseFlags(args)
	if err != nil {
		return err
	}
	return withDB(ctx, cfg, stderr, func(e *env) error {
		list, err := e.vacancyService().Sources(ctx)
		if err != nil {
			return err
		}
		return printSources(stdout, list, *asJSON)
	})
}

func sourceRotateSecret(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cl, name := sourceFlags("rotate-secret", stderr)
	revokeOthers := cl.fs.Bool("revoke-others", false, "stop every other secret of the source at once")
	asJSON := cl.fs.Bool("json", false, "print JSON")
	cfg, err := cl.parseFlags(args)
	if err != nil {
		return err
	}
	return withNamedSource(ctx, cfg, stderr, *name, func(svc *vacancy.Service, src *vacancy.Source) error {
		src, creds, err := svc.RotateSecret(ctx, src.ID, *revokeOthers)
		if err != nil {
			return err
		}
		return printCredentials(stdout, src, creds, *asJSON, "rotated the secret of")
	})
}

// sourceSetActive runs "source enable" and "source disable".
func sourceSetActive(ctx context.Context, act string, args []string, stdout, stderr io.Writer) error {
	cl, name := sourceFlags(act, stderr)
	closeVacancies := new(bool)
	if act == "disable" {
		closeVacancies = cl.fs.Bool("close-vacancies", false, "close the source's open vacancies too")
	}
	cfg, err := cl.parseFlags(args)
	if err != nil {
		return err
	}
	return withNamedSource(ctx, cfg, stderr, *name, func(svc *vacancy.Service, src *vacancy.Source) error {
		src, err := svc.SetActive(ctx, src.ID, act == "enable", *closeVacancies)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%sd source %s; it has %d open vacancies\n", act, src.Name, src.State.Open)
		return nil
	})
}

// parseRoleRule reads FIELD:PATTERN=ROLE; the last "=" separates the role,
// so a pattern may contain "=" and ":".
func parseRoleRule(s string) (vacancy.RoleRule, error) {
	field, rest, ok := strings.Cut(s, ":")
	i := strings.LastIndex(rest, "=")
	if !ok || i < 0 {
		return vacancy.RoleRule{}, errors.New("want FIELD:PATTERN=ROLE, such as category:^office management$=office-manager")
	}
	return vacancy.RoleRule{Field: field, Pattern: rest[:i], Role: rest[i+1:]}, nil
}

func printCredentials(w io.Writer, src *vacancy.Source, creds vacancy.Credentials, asJSON bool, did string) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{
			"id": src.ID, "name": src.Name, "kind": src.Kind,
			"clientId": creds.ClientID, "clientSecret": creds.ClientSecret, "secretId": creds.SecretID,
			"tokenEndpoint": "/oauth/token", "scope": account.ScopeVacancySync,
		})
	}
	fmt.Fprintf(w, "%s source %s (%s)\n\n", did, src.Name, src.Kind)
	fmt.Fprintf(w, "  client_id:     %s\n  client_secret: %s\n\n", creds.ClientID, creds.ClientSecret)
	fmt.Fprintln(w, "The secret is shown only now; store it safely. Get an access token with:")
	fmt.Fprintf(w, "  curl -s -u '%s:%s' -d grant_type=client_credentials http://127.0.0.1:8080/oauth/token\n", creds.ClientID, creds.ClientSecret)
	return nil
}

func printSources(w io.Writer, list []*vacancy.Source, asJSON bool) error {
	if asJSON {
		type out struct {
			ID            string             `json:"id"`
			Name          string             `json:"name"`
			Kind          string             `json:"kind"`
			FeedURL       string             `json:"feedUrl"`
			Language      string             `json:"language"`
			TimeZone      string             `json:"timeZone"`
			AllowedHosts  []string           `json:"allowedHosts"`
			RoleRules     []vacancy.RoleRule `json:"roleRules"`
			Active        bool               `json:"active"`
			ActiveSecrets int                `json:"activeSecrets"`
			Open          int                `json:"openVacancies"`
			Closed        int                `json:"closedVacancies"`
			Expired       int                `json:"expiredVacancies"`
			LastSyncAt    *time.Time         `json:"lastSyncAt"`
			LastPullAt    *time.Time         `json:"lastPullAt"`
			LastError     string             `json:"lastError"`
		}
		res := make([]out, 0, len(list))
		for _, s := range list {
			o := out{ID: s.ID, Name: s.Name, Kind: string(s.Kind), FeedURL: s.FeedURL, Language: s.Language, TimeZone: s.TimeZone,
				AllowedHosts: s.AllowedHosts, RoleRules: s.RoleRules, Active: s.Active, Open: s.State.Open, Closed: s.State.Closed,
				Expired: s.State.Expired, LastError: s.State.LastError}
			for _, sec := range s.Secrets {
				if sec.Active() {
					o.ActiveSecrets++
				}
			}
			if !s.State.LastSyncAt.IsZero() {
				o.LastSyncAt = &s.State.LastSyncAt
			}
			if !s.State.LastPullAt.IsZero() {
				o.LastPullAt = &s.State.LastPullAt
			}
			res = append(res, o)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tACTIVE\tOPEN\tCLOSED\tEXPIRED\tLAST SYNC\tLAST ERROR")
	for _, s := range list {
		last := "never"
		if !s.State.LastSyncAt.IsZero() {
			last = s.State.LastSyncAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%v\t%d\t%d\t%d\t%s\t%s\n", s.Name, s.Kind, s.Active, s.State.Open, s.State.Closed, s.State.Expired, last, s.State.LastError)
	}
	return tw.Flush()
}
