package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/werkwijzer/werkwijzer/graph/loaders"
	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

func (r *Resolver) vacancyLoaders(ctx context.Context) *loaders.Vacancies {
	return loaders.VacanciesFor(ctx, r.VacancyService)
}

// primeVacancyLists loads the vacancies of the articles' vacancy-list
// blocks, one statement per distinct limit, when the query asks for them.
func (r *Resolver) primeVacancyLists(ctx context.Context, articles []*content.PublishedArticle) error {
	if r.VacancyService == nil || !selectsBlockField(ctx, "VacancyListBlock", "vacancies") {
		return nil
	}
	byLimit := map[int][]string{}
	for _, a := range articles {
		for _, b := range a.Structure.Blocks {
			if b.Type == content.BlockVacancyList && b.RoleID != "" {
				byLimit[b.Limit] = append(byLimit[b.Limit], b.RoleID)
			}
		}
	}
	l := r.vacancyLoaders(ctx)
	for limit, ids := range byLimit {
		pages, err := r.VacancyService.OpenForRoles(ctx, ids, limit)
		if err != nil {
			return err
		}
		l.PrimeRolePages(limit, pages)
	}
	return nil
}

// primeRoleVacancies loads the first pages of the roles' vacancies when
// the roles query asks for them, so a list of roles costs one statement
// for all their vacancies whatever the timing of the resolvers.
func (r *Resolver) primeRoleVacancies(ctx context.Context, roleIDs []string) error {
	if r.VacancyService == nil || len(roleIDs) == 0 || !graphql.HasOperationContext(ctx) {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	firsts := map[int]bool{}
	for _, edges := range graphql.CollectFieldsCtx(ctx, nil) {
		if edges.Name != "edges" {
			continue
		}
		for _, node := range graphql.CollectFields(op, edges.Selections, nil) {
			if node.Name != "node" {
				continue
			}
			for _, f := range graphql.CollectFields(op, node.Selections, []string{"Role"}) {
				if f.Name != "vacancies" {
					continue
				}
				args := f.ArgumentMap(op.Variables)
				// Only first pages are batched; the resolver reads the others.
				if after, _ := args["after"].(string); after != "" {
					continue
				}
				if before, _ := args["before"].(string); before != "" || args["last"] != nil {
					continue
				}
				first := defaultPageSize
				if n, ok := asInt(args["first"]); ok && n >= 1 && n <= maxPageSize {
					first = n
				}
				firsts[first] = true
			}
		}
	}
	if len(firsts) == 0 {
		return nil
	}
	l := r.vacancyLoaders(ctx)
	for first := range firsts {
		pages, err := r.VacancyService.OpenForRoles(ctx, roleIDs, first)
		if err != nil {
			return err
		}
		l.PrimeRolePages(first, pages)
	}
	// The counts too: left to the loader's time window, a slow moment
	// splits them into several statements.
	counts, err := r.VacancyService.CountForRoles(ctx, roleIDs)
	if err != nil {
		return err
	}
	l.PrimeRoleCounts(roleIDs, counts)
	return nil
}

func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case int32:
		return int(n), true
	case float64:
		return int(n), true
	}
	return 0, false
}

// selectsBlockField reports whether the query selects field on blocks of
// type typ, under the field being resolved (an article or a connection).
func selectsBlockField(ctx context.Context, typ, field string) bool {
	return selected(ctx, func(op *graphql.OperationContext, f graphql.CollectedField) bool {
		if f.Name != "blocks" {
			return false
		}
		for _, sub := range graphql.CollectFields(op, f.Selections, []string{typ}) {
			if sub.Name == field {
				return true
			}
		}
		return false
	})
}

// --- cursors and pages ---

const vacancyCursorPrefix = "vac:"

// encodeVacancyCursor makes an opaque cursor of a vacancy's place in the
// newest-first order.
func encodeVacancyCursor(v *vacancy.Vacancy) string {
	return base64.RawURLEncoding.EncodeToString([]byte(vacancyCursorPrefix + v.DatePosted.At.UTC().Format(time.RFC3339Nano) + "|" + v.ID))
}

// decodeVacancyCursor reads a cursor passed as the argument field.
func decodeVacancyCursor(cursor, field string) (*vacancy.Cursor, error) {
	invalid := apperr.Invalid(apperr.InvalidCursor, "%s is not a cursor this API returned for vacancies", field).With("field", field)
	rest, ok := cursorPayload(cursor, vacancyCursorPrefix)
	if !ok {
		return nil, invalid
	}
	ts, id, ok := strings.Cut(rest, "|")
	if !ok || !canonicalUUID(id) {
		return nil, invalid
	}
	posted, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return nil, invalid
	}
	return &vacancy.Cursor{Posted: posted.UTC(), ID: id}, nil
}

func vacancyPage(first *int, after *string, last *int, before *string) (vacancy.Page, error) {
	limit, fromEnd, err := pageSize(first, last, before)
	p := vacancy.Page{Limit: limit, FromEnd: fromEnd}
	if err != nil {
		return p, err
	}
	if after != nil && *after != "" {
		if p.After, err = decodeVacancyCursor(*after, "after"); err != nil {
			return p, err
		}
	}
	if before != nil && *before != "" {
		if p.Before, err = decodeVacancyCursor(*before, "before"); err != nil {
			return p, err
		}
	}
	return p, nil
}

func toVacancyConnection(list vacancy.List, count model.Counter) *model.VacancyConnection {
	conn := &model.VacancyConnection{Count: count}
	// Mapping a vacancy cannot fail, so neither can edges.
	conn.Edges, conn.PageInfo, _ = edges(list.Items, list.HasNextPage, list.HasPreviousPage, encodeVacancyCursor,
		func(c string, v *vacancy.Vacancy) (model.VacancyEdge, error) {
			return model.VacancyEdge{Cursor: c, Node: toVacancy(v)}, nil
		})
	return conn
}

// --- conversions ---

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toVacancy(v *vacancy.Vacancy) *model.Vacancy {
	out := &model.Vacancy{
		ID: v.ID, ExternalID: v.ExternalID, Language: v.Language, Title: v.Title, Description: v.Description,
		URL: v.URL, ApplyURL: v.ApplyURL,
		HiringOrganization: model.HiringOrganization{Name: v.Organization.Name, URL: optional(v.Organization.URL), LogoURL: optional(v.Organization.LogoURL)},
		EmploymentTypes:    make([]model.EmploymentType, len(v.EmploymentTypes)),
		Locations:          make([]model.VacancyLocation, len(v.Locations)),
		DatePosted:         v.DatePosted.Text, PostedAt: v.DatePosted.At,
		ValidThrough: optional(v.ValidThrough), ExpiresAt: optionalTime(v.ExpiresAt),
		Status: model.VacancyStatus(strings.ToUpper(string(v.Status))), ClosedReason: optional(v.ClosedReason),
		ClosedAt: optionalTime(v.ClosedAt), FirstSeenAt: v.FirstSeenAt, LastSeenAt: v.LastSeenAt, UpdatedAt: v.UpdatedAt,
		RoleID: v.RoleID, SourceID: v.SourceID,
		JobPosting:       func() json.RawMessage { return vacancy.JobPosting(v) },
		JobPostingScript: func() string { return vacancy.JobPostingScript(v) },
	}
	for i, t := range v.EmploymentTypes {
		out.EmploymentTypes[i] = model.EmploymentType(t)
	}
	if v.WorkplaceType != "" {
		wt := model.WorkplaceType(v.WorkplaceType)
		out.WorkplaceType = &wt
	}
	for i, l := range v.Locations {
		out.Locations[i] = model.VacancyLocation{
			StreetAddress: optional(l.StreetAddress), PostalCode: optional(l.PostalCode), Locality: optional(l.Locality),
			Region: optional(l.Region), Country: optional(l.Country),
		}
	}
	if h := v.Hours; h != nil {
		out.HoursPerWeek = &model.HoursPerWeek{Min: h.Min, Max: h.Max, Text: vacancy.HoursText(h, v.Language)}
	}
	if s := v.Salary; s != nil {
		out.Salary = &model.VacancySalary{Currency: s.Currency, Unit: model.SalaryUnit(s.Unit), Min: euros(s.MinCents), Max: euros(s.MaxCents)}
	}
	return out
}

func euros(cents *int64) *float64 {
	if cents == nil {
		return nil
	}
	f := float64(*cents) / 100
	return &f
}

var sourceKinds = map[vacancy.Kind]model.SourceKind{
	vacancy.KindPush: model.SourceKindPush, vacancy.KindIndeedXML: model.SourceKindIndeedXML,
	vacancy.KindRecruitee: model.SourceKindRecruitee, vacancy.KindJSONLD: model.SourceKindJSONLd,
	vacancy.KindPersonio: model.SourceKindPersonio, vacancy.KindGreenhouse: model.SourceKindGreenhouse,
	vacancy.KindLever: model.SourceKindLever,
}

func fromSourceKind(k model.SourceKind) vacancy.Kind {
	for dk, mk := range sourceKinds {
		if mk == k {
			return dk
		}
	}
	return vacancy.Kind(k)
}

func toSource(s *vacancy.Source) *model.Source {
	out := &model.Source{
		ID: s.ID, Name: s.Name, Kind: sourceKinds[s.Kind], FeedURL: optional(s.FeedURL),
		AllowedHosts: s.AllowedHosts, RoleRules: make([]model.RoleRule, len(s.RoleRules)),
		Language: s.Language, TimeZone: s.TimeZone, Active: s.Active, CreatedAt: s.CreatedAt,
		DisabledAt: optionalTime(s.DisabledAt), LastSyncAt: optionalTime(s.State.LastSyncAt),
		LastError: optional(s.State.LastError), LastErrorAt: optionalTime(s.State.LastErrorAt),
		LastPullAt: optionalTime(s.State.LastPullAt), OpenVacancies: s.State.Open,
		ClosedVacancies: s.State.Closed, ExpiredVacancies: s.State.Expired,
	}
	if out.AllowedHosts == nil {
		out.AllowedHosts = []string{}
	}
	for i, r := range s.RoleRules {
		out.RoleRules[i] = model.RoleRule{Field: r.Field, Pattern: r.Pattern, Role: r.Role}
	}
	for i := len(s.Secrets) - 1; i >= 0; i-- { // newest first
		sec := s.Secrets[i]
		out.Secrets = append(out.Secrets, model.SourceSecret{ID: sec.ID, Hint: sec.Hint, CreatedAt: sec.CreatedAt,
			RevokedAt: optionalTime(sec.RevokedAt), LastUsedAt: optionalTime(sec.LastUsedAt)})
	}
	if out.Secrets == nil {
		out.Secrets = []model.SourceSecret{}
	}
	if s.State.LastReport != nil {
		out.LastReport = toReport(s.State.LastReport)
	}
	return out
}

func toReport(r *vacancy.Report) *model.SyncReport {
	out := &model.SyncReport{
		Mode: model.SyncMode(r.Mode), DryRun: r.DryRun, Replayed: r.Replayed, SnapshotID: optional(r.SnapshotID),
		Chunk: optionalInt(r.Chunk), MissingChunks: r.MissingChunks, SnapshotCompleted: r.SnapshotCompleted, Received: r.Received, Created: r.Created, Updated: r.Updated,
		Unchanged: r.Unchanged, Reopened: r.Reopened, Closed: r.Closed, Expired: r.Expired, Stale: r.Stale,
		Rejected: r.Rejected, Warnings: r.Warnings, Items: make([]model.SyncItemReport, len(r.Items)), SyncedAt: r.At,
	}
	if out.MissingChunks == nil {
		out.MissingChunks = []int{}
	}
	for i, it := range r.Items {
		item := model.SyncItemReport{Index: it.Index, ExternalID: it.ExternalID, Language: it.Language,
			Outcome: model.SyncOutcome(it.Outcome), Problems: make([]model.SyncProblem, len(it.Problems))}
		for j, p := range it.Problems {
			item.Problems[j] = model.SyncProblem{Field: p.Field, Code: model.SyncProblemCode(p.Code), Message: p.Message, Warning: p.Warning}
		}
		out.Items[i] = item
	}
	return out
}

func optionalInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func toSyncRequest(in model.SyncVacanciesInput) vacancy.SyncRequest {
	req := vacancy.SyncRequest{
		Mode: vacancy.Mode(in.Mode), Items: make([]vacancy.Item, len(in.Items)),
		DryRun: in.DryRun != nil && *in.DryRun, IdempotencyKey: str(in.IdempotencyKey), SnapshotID: str(in.SnapshotID),
		Complete: in.Complete, AllowMassClose: in.AllowMassClose != nil && *in.AllowMassClose,
	}
	if in.Chunk != nil {
		req.Chunk = *in.Chunk
		if req.Chunk == 0 {
			req.Chunk = -1 // numbered 0: out of range, not "not numbered"
		}
	}
	for i, it := range in.Items {
		item := vacancy.Item{
			ExternalID: str(it.ExternalID), Language: str(it.Language), Title: str(it.Title), Description: str(it.Description),
			URL: str(it.URL), ApplyURL: str(it.ApplyURL), RoleSlug: str(it.RoleSlug), Categories: it.Categories,
			EmploymentTypes: it.EmploymentTypes, WorkplaceType: str(it.WorkplaceType), DatePosted: str(it.DatePosted),
			ValidThrough: str(it.ValidThrough), SourceUpdatedAt: str(it.SourceUpdatedAt), Repost: it.Repost != nil && *it.Repost,
		}
		if o := it.HiringOrganization; o != nil {
			item.Organization = vacancy.Organization{Name: str(o.Name), URL: str(o.URL), LogoURL: str(o.LogoURL)}
		}
		for _, l := range it.Locations {
			item.Locations = append(item.Locations, vacancy.Location{StreetAddress: str(l.StreetAddress), PostalCode: str(l.PostalCode),
				Locality: str(l.Locality), Region: str(l.Region), Country: str(l.Country)})
		}
		if h := it.HoursPerWeek; h != nil {
			item.HoursPerWeek = &vacancy.HoursInput{Min: h.Min, Max: h.Max}
		}
		if s := it.Salary; s != nil {
			item.Salary = &vacancy.SalaryInput{Min: s.Min, Max: s.Max, Currency: str(s.Currency), Unit: str(s.Unit)}
		}
		req.Items[i] = item
	}
	for _, k := range in.Close {
		req.Close = append(req.Close, vacancy.Key{ExternalID: k.ExternalID, Language: str(k.Language)})
	}
	return req
}

func toRoleRules(in []model.RoleRuleInput) []vacancy.RoleRule {
	out := make([]vacancy.RoleRule, len(in))
	for i, r := range in {
		out[i] = vacancy.RoleRule{Field: r.Field, Pattern: r.Pattern, Role: r.Role}
	}
	return out
}

func toCredentials(src *vacancy.Source, c vacancy.Credentials) *model.SourceCredentials {
	return &model.SourceCredentials{Source: toSource(src), ClientID: c.ClientID, ClientSecret: c.ClientSecret, TokenEndpoint: "/oauth/token"}
}
