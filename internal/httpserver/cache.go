package httpserver

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/werkwijzer/werkwijzer/graph"
	"github.com/werkwijzer/werkwijzer/internal/answercache"
	"github.com/werkwijzer/werkwijzer/internal/cachetag"
	"github.com/werkwijzer/werkwijzer/internal/locale"
)

// publicCache serves anonymous GraphQL queries from the answer cache and
// makes anonymous GETs cacheable by browsers and CDNs: a Cache-Control
// max-age, a strong ETag over the answer, 304 Not Modified when the client
// has it already (from the cache, without touching the database), and
// Surrogate-Key and Cache-Tag headers naming what the answer was built
// from, so a CDN can purge exactly it. Only successful query answers
// without errors are kept or marked cacheable; requests with credentials
// are never served from or stored in the cache, and POST answers stay
// no-store for shared caches.
func publicCache(maxAge time.Duration, cache *answercache.Cache, locales *locale.Set, next http.Handler) http.Handler {
	cacheControl := "" // of a cacheable GET answer; empty: none is
	if maxAge > 0 {
		s := int(maxAge.Seconds())
		cacheControl = fmt.Sprintf("public, max-age=%d, stale-while-revalidate=%d", s, s)
	}
	var keys *requestKeys
	if cache != nil {
		keys = newRequestKeys(requestKeysBytes)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		anonymous := r.Header.Get("Authorization") == "" && r.Header.Get("Cookie") == ""
		if !anonymous || (r.Method != http.MethodGet && r.Method != http.MethodPost) {
			w.Header().Set("Cache-Control", "no-store")
			next.ServeHTTP(w, r)
			return
		}
		key, keyed := "", false
		if cache != nil {
			key, keyed = answerKey(r, locales, keys)
		}
		if keyed {
			if a, ok := cache.Get(key); ok {
				serveAnswer(w, r, a, cacheControl)
				return
			}
		}
		generation := cache.Generation()
		ctx, rec := cachetag.With(r.Context())
		buf := &bufferedResponse{header: http.Header{}}
		next.ServeHTTP(buf, r.WithContext(ctx))
		h := w.Header()
		maps.Copy(h, buf.header)
		status := buf.status
		if status == 0 {
			status = http.StatusOK
		}
		if status != http.StatusOK || !rec.IsQuery() || bytes.Contains(buf.body.Bytes(), []byte(`"errors":`)) {
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(status)
			_, _ = w.Write(buf.body.Bytes())
			return
		}
		tags := rec.Tags()
		slices.Sort(tags)
		a := &answercache.Answer{
			Body:         buf.body.Bytes(),
			Tags:         tags,
			SurrogateKey: strings.Join(tags, " "),
			CacheTag:     strings.Join(tags, ","),
			VaryLanguage: rec.VariesByLanguage(),
		}
		// Only a GET answer carries its ETag, and a kept one may serve a
		// GET later; an uncached POST need not hash its body.
		if keyed || r.Method == http.MethodGet {
			sum := sha256.Sum256(buf.body.Bytes())
			a.ETag = `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
		}
		if keyed {
			cache.Set(key, a, generation)
		}
		serveAnswer(w, r, a, cacheControl)
	})
}

// serveAnswer writes a successful answer with its cache headers.
func serveAnswer(w http.ResponseWriter, r *http.Request, a *answercache.Answer, cacheControl string) {
	h := w.Header()
	h.Set("Content-Type", graph.ResponseMediaType(r))
	if len(a.Tags) > 0 {
		h.Set("Surrogate-Key", a.SurrogateKey)
		h.Set("Cache-Tag", a.CacheTag)
	}
	if r.Method != http.MethodGet || cacheControl == "" {
		h.Set("Cache-Control", "no-store")
		writeBody(w, a.Body)
		return
	}
	vary := []string{"Authorization", "Accept"}
	if a.VaryLanguage {
		vary = append(vary, "Accept-Language")
	}
	setVary(h, vary...)
	h.Set("ETag", a.ETag)
	h.Set("Cache-Control", cacheControl)
	if etagMatches(r.Header.Get("If-None-Match"), a.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeBody(w, a.Body)
}

// writeBody writes an answer with its length: a known length spares the
// chunked encoding's framing, and a write system call per answer.
func writeBody(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// setVary merges names into the Vary header (CORS may have set Origin)
// as one line: some caches read only the first.
func setVary(h http.Header, names ...string) {
	var all []string
	for _, line := range h.Values("Vary") {
		for _, n := range strings.Split(line, ",") {
			if n = strings.TrimSpace(n); n != "" && !slices.Contains(all, n) {
				all = append(all, n)
			}
		}
	}
	for _, n := range names {
		if !slices.Contains(all, n) {
			all = append(all, n)
		}
	}
	h.Set("Vary", strings.Join(all, ", "))
}

// graphQLParams are the parts of a request that decide its answer.
type graphQLParams struct {
	Query         string          `json:"query"`
	OperationName string          `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    struct {
		PersistedQuery struct {
			Hash string `json:"sha256Hash"`
		} `json:"persistedQuery"`
	} `json:"extensions"`
}

// answerKey names the answer to r: the document's SHA-256 (the persisted
// query hash, which is the same for the full text), the operation, the
// variables re-encoded with sorted keys, and the locale Accept-Language
// negotiates, which decides the answer unless the query names its locale.
// A POST body is read and put back for the handler. keys remembers the
// part a GET's query string decides; nil remembers nothing.
func answerKey(r *http.Request, locales *locale.Set, keys *requestKeys) (string, bool) {
	var doc string
	var ok bool
	if r.Method == http.MethodGet {
		doc, ok = keys.get(r.URL.RawQuery, func() (string, bool) { return requestKey(r) })
	} else {
		doc, ok = requestKey(r)
	}
	if !ok {
		return "", false
	}
	loc := locales.Default()
	if header := r.Header.Get("Accept-Language"); header != "" {
		if code, ok := locales.FromAcceptLanguage(header); ok {
			loc = code
		}
	}
	return doc + loc, true
}

// requestKey is the part of r's answer key that its query string (GET) or
// body (POST) decides, ending in a separator for the locale.
func requestKey(r *http.Request) (string, bool) {
	var p graphQLParams
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		p.Query, p.OperationName = q.Get("query"), q.Get("operationName")
		if v := q.Get("variables"); v != "" {
			p.Variables = json.RawMessage(v)
		}
		if e := q.Get("extensions"); e != "" && json.Unmarshal([]byte(e), &p.Extensions) != nil {
			return "", false
		}
	case http.MethodPost:
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
			return "", false
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil || len(body) > maxBodyBytes || json.Unmarshal(body, &p) != nil {
			return "", false
		}
	default:
		return "", false
	}
	doc := p.Extensions.PersistedQuery.Hash
	if p.Query != "" {
		sum := sha256.Sum256([]byte(p.Query))
		doc = hex.EncodeToString(sum[:])
	}
	if len(doc) != 64 {
		return "", false
	}
	vars := []byte("null")
	if len(bytes.TrimSpace(p.Variables)) > 0 {
		var v any
		dec := json.NewDecoder(bytes.NewReader(p.Variables))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			return "", false
		}
		if vars, _ = json.Marshal(v); vars == nil {
			return "", false
		}
	}
	var b strings.Builder
	b.Grow(len(doc) + len(p.OperationName) + len(vars) + 3)
	b.WriteString(doc)
	b.WriteByte(0)
	b.WriteString(p.OperationName)
	b.WriteByte(0)
	b.Write(vars)
	b.WriteByte(0)
	return b.String(), true
}

// requestKeys remembers the request keys of recent GET query strings.
// Browsers and CDNs repeat the same URLs, and working a key out again
// (parsing the query string, hashing the document, re-encoding the
// variables) was a seventh of the CPU of a 304 answered from the cache.
// It is bounded in bytes; a nil *requestKeys remembers nothing.
type requestKeys struct {
	c *otter.Cache[string, requestKeyResult]
}

type requestKeyResult struct {
	key string
	ok  bool
}

// maxRememberedQuery is the longest query string remembered: longer ones
// are rare (persisted queries are short) and would crowd out the rest.
const maxRememberedQuery = 8 << 10

// requestKeysBytes bounds the remembered keys: some thousands of URLs.
const requestKeysBytes = 4 << 20

func newRequestKeys(maxBytes uint64) *requestKeys {
	if maxBytes == 0 {
		return nil
	}
	return &requestKeys{c: otter.Must(&otter.Options[string, requestKeyResult]{
		MaximumWeight: maxBytes,
		Weigher: func(q string, v requestKeyResult) uint32 {
			return uint32(len(q) + len(v.key) + 64)
		},
	})}
}

func (k *requestKeys) get(rawQuery string, compute func() (string, bool)) (string, bool) {
	if k == nil || len(rawQuery) > maxRememberedQuery {
		return compute()
	}
	if v, ok := k.c.GetIfPresent(rawQuery); ok {
		return v.key, v.ok
	}
	key, ok := compute()
	k.c.Set(rawQuery, requestKeyResult{key: key, ok: ok})
	return key, ok
}

func etagMatches(ifNoneMatch, etag string) bool {
	for _, candidate := range strings.Split(ifNoneMatch, ",") {
		candidate = strings.TrimPrefix(strings.TrimSpace(candidate), "W/")
		if candidate == etag || candidate == "*" {
			return true
		}
	}
	return false
}

// bufferedResponse holds an answer until its ETag is known.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
