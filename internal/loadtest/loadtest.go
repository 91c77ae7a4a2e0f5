// Package loadtest drives the real Werkwijzer server on loopback with the
// public read path's two pages (a role page with its FAQs and vacancies, and
// the sample article) and, in the same run, a plain handler that writes the
// same bytes from memory: the machine's limit. Every figure is reported as a
// ratio to that handler, since absolute numbers depend on the machine and on
// what else runs on it.
//
// The server and the plain handler each run in a child process (this
// program started again in another mode), so the load generator, the
// server and the limit are measured apart and the server's resident memory
// is its own.
package loadtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // only in the server child, on its own loopback port
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // creates and drops the throwaway database

	"github.com/werkwijzer/werkwijzer/internal/app"
)

const usage = `loadtest: measure the public read path against a plain handler.

Usage: go run ./cmd/loadtest [flags]

Starts Werkwijzer on loopback on a throwaway database (created on the
PostgreSQL server of -postgres and dropped afterwards, or a SQLite file with
-sqlite), loads the sample content plus a role page with 10 FAQs and 10
vacancies, and measures for the role page and the article page:
  POST        uncached (server with WERKWIJZER_ANSWER_CACHE=0)
  GET         cacheable GET (server with its default answer cache)
  GET 304     GET with a matching If-None-Match
each against a plain handler serving the same bytes in the same run.
`

// Main runs the command and returns its exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "-child-server" {
		return childServer(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "-child-plain" {
		return childPlain(args[1:], stderr)
	}
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	var o options
	fs.StringVar(&o.postgres, "postgres", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server on which a throwaway database is created")
	fs.BoolVar(&o.sqlite, "sqlite", false, "use a SQLite file instead of PostgreSQL")
	fs.IntVar(&o.conns, "c", 64, "connections")
	fs.DurationVar(&o.d, "d", 5*time.Second, "duration of each measured run")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each run")
	fs.Int64Var(&o.maxRequests, "n", 2_000_000, "most requests per run")
	fs.StringVar(&o.profile, "profile", "", "directory to write CPU profiles of the server under each load to")
	fs.StringVar(&o.only, "only", "", "run only scenarios whose name contains this (role, article, POST, GET, 304)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if o.d <= 0 || o.d > 2*time.Minute || o.conns < 1 || o.conns > 1024 {
		fmt.Fprintln(stderr, "loadtest: -d must be within (0, 2m] and -c within [1, 1024]")
		return 2
	}
	if err := run(context.Background(), o, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "loadtest: %v\n", err)
		return 1
	}
	return 0
}

type options struct {
	postgres    string
	sqlite      bool
	conns       int
	d, warmup   time.Duration
	maxRequests int64
	profile     string
	only        string
}

type page struct {
	name  string
	query string
	vars  map[string]any
}

var pages = []page{
	{"role", RolePageQuery, map[string]any{"slug": pageRole, "locale": "nl"}},
	{"article", ArticlePageQuery, map[string]any{"slug": "verschil-office-manager-en-personal-assistant", "locale": "nl"}},
}

func run(ctx context.Context, o options, stdout, stderr io.Writer) error {
	tmp, err := os.MkdirTemp("", "werkwijzer-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dbURL := "sqlite:" + filepath.Join(tmp, "werkwijzer.db")
	if !o.sqlite {
		var drop func()
		dbURL, drop, err = createDatabase(ctx, o.postgres)
		if err != nil {
			return err
		}
		defer drop()
	}
	quiet := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	fmt.Fprintln(stdout, "preparing the database ...")
	if err := prepare(ctx, dbURL, quiet); err != nil {
		return fmt.Errorf("prepare: %w", err)
	}

	var results []row
	// The uncached server answers the POSTs; the cached one the GETs.
	for _, srvCfg := range []struct {
		cache string
		kinds []string
	}{{"0", []string{"POST"}}, {"", []string{"GET", "GET 304"}}} {
		rows, err := measureServer(ctx, o, tmp, dbURL, srvCfg.cache, srvCfg.kinds, stdout, stderr)
		if err != nil {
			return err
		}
		results = append(results, rows...)
	}
	report(stdout, o, results)
	return nil
}

// row is one scenario's figures for Werkwijzer and the plain handler.
type row struct {
	name       string
	server     figures
	plain      figures
	serverPeak int64
	bytes      int
}

func measureServer(ctx context.Context, o options, tmp, dbURL, cache string, kinds []string, stdout, stderr io.Writer) ([]row, error) {
	srv, err := startChild(ctx, tmp, "-child-server", dbURL, cache, stderr)
	if err != nil {
		return nil, err
	}
	defer srv.stop()

	scenarios, err := buildScenarios(srv.addr, o, kinds)
	if err != nil {
		return nil, err
	}
	if len(scenarios) == 0 {
		return nil, nil
	}
	// The plain handler serves exactly the bytes the server answered.
	var bodies []plainBody
	for _, s := range scenarios {
		bodies = append(bodies, plainBody{Marker: markerOf(s.name), Body: s.body, ETag: s.etag})
	}
	spec, _ := json.Marshal(bodies)
	specFile := filepath.Join(tmp, "plain.json")
	if err := os.WriteFile(specFile, spec, 0o600); err != nil {
		return nil, err
	}
	plain, err := startChild(ctx, tmp, "-child-plain", specFile, "", stderr)
	if err != nil {
		return nil, err
	}
	defer plain.stop()

	var rows []row
	for _, s := range scenarios {
		fmt.Fprintf(stdout, "measuring %s ...\n", s.name)
		measure := func(c *child, profile bool) figures {
			l := load{addr: c.addr, req: s.req, wantStatus: s.status, conns: o.conns, d: o.warmup, maxRequests: o.maxRequests}
			if o.warmup > 0 {
				l.run()
			}
			l.d, l.pid = o.d, c.pid
			var prof chan error
			if profile && o.profile != "" && c.pprof != "" {
				prof = make(chan error, 1)
				go func() { prof <- saveProfile(c.pprof, o.profile, s.name, o.d) }()
			}
			f := l.run()
			if prof != nil {
				if err := <-prof; err != nil {
					fmt.Fprintf(stderr, "profile %s: %v\n", s.name, err)
				}
			}
			return f
		}
		r := row{name: s.name, bytes: len(s.body)}
		r.plain = measure(plain, false)
		r.server = measure(srv, true)
		r.serverPeak = residentBytes(srv.pid, "VmHWM:")
		rows = append(rows, r)
	}
	return rows, nil
}

// scenario is one request to measure, with the answer the server gave it
// once, which the plain handler then serves as is.
type scenario struct {
	name   string
	req    []byte
	status int
	body   []byte
	etag   string
}

// buildScenarios asks the server at addr once for every page in every kind
// of request that the -only filter lets through, to check its answers and
// learn the bytes and ETags the measured requests expect.
func buildScenarios(addr string, o options, kinds []string) ([]scenario, error) {
	var scenarios []scenario
	for _, p := range pages {
		for _, kind := range kinds {
			name := p.name + " " + kind
			if o.only != "" && !strings.Contains(name, o.only) {
				continue
			}
			vars, _ := json.Marshal(p.vars)
			target := "/graphql?" + url.Values{"query": {p.query}, "variables": {string(vars)}}.Encode()
			body, etag, err := fetch(addr, p, kind == "POST")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			s := scenario{name: name, status: http.StatusOK, body: body, etag: etag}
			switch kind {
			case "POST":
				payload, _ := json.Marshal(map[string]any{"query": p.query, "variables": p.vars})
				s.req = postRequest("/graphql", payload)
			case "GET":
				s.req = getRequest(target)
			case "GET 304":
				if etag == "" {
					return nil, fmt.Errorf("%s: the server sent no ETag", name)
				}
				s.req = getRequest(target, "If-None-Match", etag)
				s.status = http.StatusNotModified
			}
			scenarios = append(scenarios, s)
		}
	}
	return scenarios, nil
}

// markerOf names the operation the plain handler looks for in a request to
// pick the bytes to answer with.
func markerOf(scenario string) string {
	if strings.HasPrefix(scenario, "role") {
		return "RolePage"
	}
	return "query Page"
}

// fetch asks the server for a page once, to check the answer and learn
// its bytes and ETag.
func fetch(addr string, p page, post bool) ([]byte, string, error) {
	var resp *http.Response
	var err error
	if post {
		payload, _ := json.Marshal(map[string]any{"query": p.query, "variables": p.vars})
		resp, err = http.Post("http://"+addr+"/graphql", "application/json", bytes.NewReader(payload))
	} else {
		vars, _ := json.Marshal(p.vars)
		resp, err = http.Get("http://" + addr + "/graphql?" + url.Values{"query": {p.query}, "variables": {string(vars)}}.Encode())
	}
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, "", err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(body, []byte(`"errors"`)) {
		return nil, "", fmt.Errorf("status %d: %.300s", resp.StatusCode, body)
	}
	return body, resp.Header.Get("ETag"), nil
}

func saveProfile(pprofAddr, dir, name string, d time.Duration) error {
	secs := max(1, int(d.Seconds())-1)
	resp, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", pprofAddr, secs))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".pprof"))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body)
	return err
}

func report(w io.Writer, o options, rows []row) {
	fmt.Fprintf(w, "\n%d connections, %s per run after %s warm-up, loopback\n\n", o.conns, o.d, o.warmup)
	fmt.Fprintf(w, "%-18s %10s %9s %9s %7s | %10s %9s %9s | %8s %9s %9s\n",
		"scenario", "req/s", "p50", "p99", "errors", "plain r/s", "p50", "p99", "ratio", "RSS peak", "bytes")
	for _, r := range rows {
		fmt.Fprintf(w, "%-18s %10.0f %9s %9s %7d | %10.0f %9s %9s | %7.1f%% %8.1fMB %9d\n",
			r.name, r.server.rate(), round(r.server.p50), round(r.server.p99), r.server.errors,
			r.plain.rate(), round(r.plain.p50), round(r.plain.p99),
			100*r.server.rate()/r.plain.rate(), float64(max(r.server.peakRSS, r.serverPeak))/(1<<20), r.bytes)
	}
}

func round(d time.Duration) string {
	switch {
	case d >= 10*time.Millisecond:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// createDatabase creates a database for this run on the server at
// serverURL and returns its URL and a function that drops it.
func createDatabase(ctx context.Context, serverURL string) (string, func(), error) {
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "werkwijzer_loadtest_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("create database on %s: %w", serverURL, err)
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		_ = admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		_ = admin.Close()
	}, nil
}

// child is a server process started from this program.
type child struct {
	cmd   *exec.Cmd
	pid   int
	addr  string
	pprof string
}

func (c *child) stop() {
	_ = c.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func startChild(ctx context.Context, tmp, mode, arg, cache string, stderr io.Writer) (*child, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	c := &child{addr: addr}
	args := []string{mode, arg, addr}
	if mode == "-child-server" {
		if c.pprof, err = freeAddr(); err != nil {
			return nil, err
		}
		args = append(args, c.pprof)
	}
	c.cmd = exec.CommandContext(ctx, self, args...)
	c.cmd.Env = append(os.Environ(), "WERKWIJZER_DATA_DIR="+filepath.Join(tmp, "data"))
	if cache != "" {
		c.cmd.Env = append(c.cmd.Env, "WERKWIJZER_ANSWER_CACHE="+cache)
	}
	c.cmd.Stdout = io.Discard
	c.cmd.Stderr = stderr
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	c.pid = c.cmd.Process.Pid
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			_ = resp.Body.Close()
			return c, nil
		}
		if time.Now().After(deadline) {
			c.stop()
			return nil, fmt.Errorf("%s did not start on %s", mode, addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// childServer is the real server, with pprof on a second loopback port.
func childServer(args []string, stdout, stderr io.Writer) int {
	if len(args) != 3 {
		return 2
	}
	dbURL, addr, pprofAddr := args[0], args[1], args[2]
	go func() { _ = http.ListenAndServe(pprofAddr, nil) }()
	return app.Main([]string{"serve", "-addr", addr, "-database-url", dbURL,
		"-migrate=false", "-seed=false", "-query-budget", "0", "-log-level", "error", "-pull-interval", "0", "-playground=false"}, nil, stdout, stderr)
}

// plainBody is one answer of the plain handler.
type plainBody struct {
	Marker string
	Body   []byte
	ETag   string
}

// childPlain serves the given answers from memory, picking one by a marker
// in the request, and answers 304 to a matching If-None-Match: the least a
// handler can do for the same requests.
func childPlain(args []string, stderr io.Writer) int {
	if len(args) != 2 {
		return 2
	}
	spec, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	var bodies []plainBody
	if err := json.Unmarshal(spec, &bodies); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in []byte
		if r.Method == http.MethodPost {
			in, _ = io.ReadAll(r.Body)
		} else {
			in = []byte(r.URL.RawQuery)
		}
		for _, b := range bodies {
			if !bytes.Contains(in, []byte(url.QueryEscape(b.Marker))) && !bytes.Contains(in, []byte(b.Marker)) {
				continue
			}
			w.Header().Set("Content-Type", "application/json")
			if b.ETag != "" {
				w.Header().Set("ETag", b.ETag)
				if r.Header.Get("If-None-Match") == b.ETag {
					w.WriteHeader(http.StatusNotModified)
					return
				}
			}
			// Written with its length, as the server writes its answers:
			// the limit is the best a handler holding the bytes can do.
			w.Header().Set("Content-Length", strconv.Itoa(len(b.Body)))
			_, _ = w.Write(b.Body)
			return
		}
		http.NotFound(w, r)
	})
	srv := &http.Server{Addr: args[1], Handler: h, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
