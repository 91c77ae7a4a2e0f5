package httpserver

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"github.com/werkwijzer/werkwijzer/internal/account"
)

// authenticate turns a Bearer access token into the request's principal.
// It rejects no request for a bad token: public reads need none, and a
// request whose token does not verify goes on anonymously with the failure
// noted, so fields that need a role can say why they refuse.
//
// A Bearer token is an editor's access token or, failing that, a vacancy
// source's (clients); each is verified by its own parser pinned to HS256
// with its own audience, so neither passes for the other, and then checked
// against the database (is the session, or the secret, still live?). A
// source goes into the context as an account.Client, never as a Principal.
//
// When that check cannot be made because the database fails, the request
// is answered at once with 503 Service Unavailable, a Retry-After header
// and a GraphQL error with code INTERNAL: the token may well be valid, and
// telling the client UNAUTHENTICATED would sign every editor out during an
// outage.
func authenticate(accounts *account.Service, clients *account.Clients, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		scheme, token, _ := strings.Cut(header, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			next.ServeHTTP(w, r.WithContext(account.WithAuthFailure(ctx, errMalformedAuthorization)))
			return
		}
		p, err := accounts.Authenticate(ctx, token)
		if err == nil {
			next.ServeHTTP(w, r.WithContext(account.WithPrincipal(ctx, p)))
			return
		}
		if isInvalidToken(err) && clients != nil {
			c, clientErr := clients.Authenticate(ctx, token)
			if clientErr == nil {
				next.ServeHTTP(w, r.WithContext(account.WithClient(ctx, c)))
				return
			}
			if !isInvalidToken(clientErr) {
				err = clientErr
			}
		}
		var invalid *account.InvalidTokenError
		if !errors.As(err, &invalid) {
			log.ErrorContext(ctx, "cannot check an access token", "error", err, "request_id", RequestID(ctx))
			writeUnavailable(w)
			return
		}
		log.DebugContext(ctx, "access token refused", "reason", invalid.Reason(), "request_id", RequestID(ctx))
		next.ServeHTTP(w, r.WithContext(account.WithAuthFailure(ctx, err)))
	})
}

func isInvalidToken(err error) bool {
	var invalid *account.InvalidTokenError
	return errors.As(err, &invalid)
}

// retryAfterSeconds is what a client is told to wait when the database
// cannot be reached.
const retryAfterSeconds = "5"

// writeUnavailable answers a GraphQL request that cannot be served now.
func writeUnavailable(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Retry-After", retryAfterSeconds)
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte(`{"errors":[{"message":"the service is temporarily unavailable; try again shortly","extensions":{"code":"INTERNAL"}}]}` + "\n"))
}

type authError string

func (e authError) Error() string { return string(e) }

const errMalformedAuthorization = authError("the Authorization header is not \"Bearer <token>\"")

// clientAddress records who is calling, for the login rate limits.
func clientAddress(trusted []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(account.WithClientAddr(r.Context(), callerAddr(trusted, r))))
	})
}

// callerAddr is the address of who is calling. Behind a trusted proxy (a
// load balancer) the client is the last address in X-Forwarded-For that is
// not itself a trusted proxy; otherwise it is the connection's peer,
// whatever the headers claim.
func callerAddr(trusted []netip.Prefix, r *http.Request) string {
	addr := peer(r.RemoteAddr)
	if isTrusted(trusted, addr) {
		hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			addr = hop.String()
			if !isTrusted(trusted, addr) {
				break
			}
		}
	}
	return addr
}

func peer(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return remoteAddr
	}
	return host
}

func isTrusted(trusted []netip.Prefix, addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range trusted {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// DefaultCORSHeaders are the request headers browsers may send to /graphql
// from other origins unless configured otherwise: the ones the API reads,
// those Apollo Client and Apollo Sandbox add (CSRF prevention, client
// awareness), and the tracing headers of W3C Trace Context, OpenTelemetry
// and Sentry, which browser SDKs add to every fetch.
var DefaultCORSHeaders = []string{
	"Content-Type", "Authorization", "Accept", "Accept-Language", "If-None-Match",
	"apollo-require-preflight", "x-apollo-operation-name",
	"apollographql-client-name", "apollographql-client-version",
	"traceparent", "tracestate", "baggage", "sentry-trace",
}

// cors lets frontends on other origins call the API from browsers. Tokens
// travel in the Authorization header, never in cookies, so allowing other
// origins exposes nothing a script there could not ask for itself.
//
// With any origin allowed, every answer carries the same CORS headers, so
// a shared cache may hand one answer to every origin. With a list, the
// answer depends on the Origin header, even when it is absent or not on
// the list, and says so with Vary: Origin.
func cors(origins, headers []string, next http.Handler) http.Handler {
	any := len(origins) == 0 || (len(origins) == 1 && origins[0] == "*")
	if len(headers) == 0 {
		headers = DefaultCORSHeaders
	}
	allowHeaders := strings.Join(headers, ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		allowed := any
		if !any {
			setVary(h, "Origin")
			origin := r.Header.Get("Origin")
			allowed = origin != "" && slices.Contains(origins, origin)
			if allowed {
				h.Set("Access-Control-Allow-Origin", origin)
			}
		} else {
			h.Set("Access-Control-Allow-Origin", "*")
		}
		if allowed {
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", allowHeaders)
			h.Set("Access-Control-Expose-Headers", "ETag, X-Request-Id")
			h.Set("Access-Control-Max-Age", "600")
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
