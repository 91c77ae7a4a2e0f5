package httpserver

import (
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/werkwijzer/werkwijzer/graph"
	"github.com/werkwijzer/werkwijzer/internal/account"
)

// authenticate turns a Bearer access token into the request's principal.
// It never rejects a request: public reads need no token, and a request
// whose token does not verify goes on anonymously with the failure noted,
// so fields that need a role can say why they refuse.
//
// A Bearer token is an editor's access token or, failing that, a vacancy
// source's (clients); each is verified by its own parser pinned to HS256
// with its own audience, so neither passes for the other. A source goes
// into the context as an account.Client, never as a Principal.
func authenticate(accounts *account.Service, clients *account.Clients, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		scheme, token, _ := strings.Cut(header, " ")
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			ctx = graph.WithAuthFailure(ctx, errMalformedAuthorization)
		} else if p, err := accounts.Authenticate(ctx, strings.TrimSpace(token)); err != nil {
			if c, clientErr := verifyClient(clients, strings.TrimSpace(token)); clientErr == nil {
				next.ServeHTTP(w, r.WithContext(account.WithClient(ctx, c)))
				return
			}
			reason := err.Error()
			if invalid, ok := err.(*account.InvalidTokenError); ok {
				reason = invalid.Reason()
			}
			log.DebugContext(ctx, "access token refused", "reason", reason, "request_id", RequestID(ctx))
			ctx = graph.WithAuthFailure(ctx, err)
		} else {
			ctx = account.WithPrincipal(ctx, p)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// verifyClient checks a vacancy source's token, when sources are served.
func verifyClient(clients *account.Clients, token string) (account.Client, error) {
	if clients == nil {
		return account.Client{}, errMalformedAuthorization
	}
	return clients.Verify(token)
}

type authError string

func (e authError) Error() string { return string(e) }

const errMalformedAuthorization = authError("the Authorization header is not \"Bearer <token>\"")

// clientAddress records who is calling, for the login rate limits. Behind
// a trusted proxy (a load balancer) the client is the last address in
// X-Forwarded-For that is not itself a trusted proxy; otherwise it is the
// connection's peer, whatever the headers claim.
func clientAddress(trusted []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
		next.ServeHTTP(w, r.WithContext(graph.WithClientAddr(r.Context(), addr)))
	})
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

// cors lets frontends on other origins call the API from browsers. Tokens
// travel in the Authorization header, never in cookies, so allowing other
// origins exposes nothing a script there could not ask for itself.
func cors(origins []string, next http.Handler) http.Handler {
	any := len(origins) == 0 || (len(origins) == 1 && origins[0] == "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" {
			allowed := any
			for _, o := range origins {
				allowed = allowed || o == origin
			}
			if allowed {
				h := w.Header()
				if any {
					h.Set("Access-Control-Allow-Origin", "*")
				} else {
					h.Set("Access-Control-Allow-Origin", origin)
					h.Add("Vary", "Origin")
				}
				h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
				h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization, Accept-Language")
				h.Set("Access-Control-Expose-Headers", "ETag, X-Request-Id")
				h.Set("Access-Control-Max-Age", "600")
			}
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
