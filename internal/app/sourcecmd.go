package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
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

Flags shared with the other commands:
`

// runSource manages vacancy sources from the command line, as the
// server's operator.
func runSource(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(stderr, sourceUsage)
		return errors.New("want: werkwijzer source create|update|list|rotate-secret|disable|enable [flags]")
	}
	action, args := args[0], args[1:]
	settings := []string{"name", "kind", "feed-url", "allowed-hosts", "role-rule", "language", "time-zone"}
	var valued, switches []string
	switch action {
	case "create", "update":
		valued, switches = settings, []string{"json"}
	case "list":
		switches = []string{"json"}
	case "rotate-secret":
		valued, switches = []string{"name"}, []string{"revoke-others", "json"}
	case "disable":
		valued, switches = []string{"name"}, []string{"close-vacancies"}
	case "enable":
		valued = []string{"name"}
	default:
		return fmt.Errorf("unknown source action %q; want create, update, list, rotate-secret, disable or enable", action)
	}
	flags, args, err := takeCLIFlags(args, valued, switches, []string{"role-rule"})
	if err != nil {
		return err
	}
	if wantsHelp(args) {
		fmt.Fprint(stderr, sourceUsage)
	}
	cfg, rest, err := parse("source "+action, args, stderr)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected arguments %q", rest)
	}
	name := flags.value("name")
	if action != "list" && name == "" {
		return errors.New("--name is required")
	}
	var rules []vacancy.RoleRule
	for _, r := range flags.values["role-rule"] {
		rule, err := parseRoleRule(r)
		if err != nil {
			return err
		}
		rules = append(rules, rule)
	}

	e, err := openMigrated(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer e.db.Close()
	svc := e.vacancyService()
	ctx = account.WithOperator(ctx)
	asJSON := flags.on("json")

	switch action {
	case "create":
		src, creds, err := svc.CreateSource(ctx, vacancy.NewSource{
			Name: name, Kind: vacancy.Kind(flags.value("kind")), FeedURL: flags.value("feed-url"),
			AllowedHosts: splitList(flags.value("allowed-hosts")), RoleRules: rules,
			Language: flags.value("language"), TimeZone: flags.value("time-zone"),
		})
		if err != nil {
			return err
		}
		return printCredentials(stdout, src, creds, asJSON, "created")
	case "update":
		src, err := svc.SourceByName(ctx, name)
		if err != nil {
			return err
		}
		var upd vacancy.SourceUpdate
		if flags.has("kind") {
			k := vacancy.Kind(flags.value("kind"))
			upd.Kind = &k
		}
		if flags.has("feed-url") {
			u := flags.value("feed-url")
			upd.FeedURL = &u
		}
		if flags.has("allowed-hosts") {
			hosts := splitList(flags.value("allowed-hosts"))
			upd.AllowedHosts = &hosts
		}
		if flags.has("role-rule") {
			upd.RoleRules = &rules
		}
		if flags.has("language") {
			l := flags.value("language")
			upd.Language = &l
		}
		if flags.has("time-zone") {
			tz := flags.value("time-zone")
			upd.TimeZone = &tz
		}
		if src, err = svc.UpdateSource(ctx, src.ID, upd); err != nil {
			return err
		}
		return printSources(stdout, []*vacancy.Source{src}, asJSON)
	case "list":
		list, err := svc.Sources(ctx)
		if err != nil {
			return err
		}
		return printSources(stdout, list, asJSON)
	case "rotate-secret":
		src, err := svc.SourceByName(ctx, name)
		if err != nil {
			return err
		}
		src, creds, err := svc.RotateSecret(ctx, src.ID, flags.on("revoke-others"))
		if err != nil {
			return err
		}
		return printCredentials(stdout, src, creds, asJSON, "rotated the secret of")
	case "disable", "enable":
		src, err := svc.SourceByName(ctx, name)
		if err != nil {
			return err
		}
		if src, err = svc.SetActive(ctx, src.ID, action == "enable", flags.on("close-vacancies")); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%sd source %s; it has %d open vacancies\n", action, src.Name, src.State.Open)
	}
	return nil
}

// parseRoleRule reads FIELD:PATTERN=ROLE; the last "=" separates the role,
// so a pattern may contain "=" and ":".
func parseRoleRule(s string) (vacancy.RoleRule, error) {
	field, rest, ok := strings.Cut(s, ":")
	i := strings.LastIndex(rest, "=")
	if !ok || i < 0 {
		return vacancy.RoleRule{}, fmt.Errorf("--role-rule %q: want FIELD:PATTERN=ROLE, such as category:^office management$=office-manager", s)
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

// cliFlags are the command's own flags, taken out before the shared
// configuration flags are parsed.
type cliFlags struct {
	values map[string][]string
	on     func(string) bool
}

func (f cliFlags) value(name string) string {
	if v := f.values[name]; len(v) > 0 {
		return v[len(v)-1]
	}
	return ""
}

func (f cliFlags) has(name string) bool { _, ok := f.values[name]; return ok }

// takeCLIFlags removes the named flags from args: valued ones take a value
// ("--name v" or "--name=v"), switches none ("--json"); only those in
// repeatable may be given more than once.
func takeCLIFlags(args, valued, switches, repeatable []string) (cliFlags, []string, error) {
	values := map[string][]string{}
	on := map[string]bool{}
	var rest []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") {
			rest = append(rest, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-"), "=")
		switch {
		case slices.Contains(switches, name):
			if hasValue {
				return cliFlags{}, nil, fmt.Errorf("flag --%s takes no value", name)
			}
			on[name] = true
		case slices.Contains(valued, name):
			if !hasValue {
				if i+1 >= len(args) {
					return cliFlags{}, nil, fmt.Errorf("flag needs an argument: --%s", name)
				}
				i++
				value = args[i]
			}
			if _, dup := values[name]; dup && !slices.Contains(repeatable, name) {
				return cliFlags{}, nil, fmt.Errorf("flag --%s given twice", name)
			}
			values[name] = append(values[name], value)
		default:
			rest = append(rest, arg)
		}
	}
	return cliFlags{values: values, on: func(n string) bool { return on[n] }}, rest, nil
}
