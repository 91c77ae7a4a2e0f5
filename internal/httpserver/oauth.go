package httpserver

import (
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/account"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// maxTokenRequestBytes bounds a token request's form.
const maxTokenRequestBytes = 16 << 10

// oauthError is an error answer of RFC 6749 section 5.2.
type oauthError struct {
	status      int
	err         error  // an internal failure, for the log
	retryAfter  int    // seconds, for Retry-After
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// tokenEndpoint is the OAuth 2.0 token endpoint for machine clients: the
// client credentials grant of RFC 6749 section 4.4. The client
// authenticates with HTTP Basic (section 2.3.1, id and secret
// form-urlencoded first) or with client_id and client_secret form fields,
// not both; the answer is {access_token, token_type: "Bearer",
// expires_in, scope} or an error object, never cached. Failed
// authentications are limited per client id and caller address (see
// account.LoginLimits): a refused attempt gets 429 with Retry-After.
func tokenEndpoint(clients *account.Clients, trusted []netip.Prefix, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Pragma", "no-cache")
		if r.Method != http.MethodPost {
			h.Set("Allow", http.MethodPost)
			writeOAuthError(w, oauthError{status: http.StatusMethodNotAllowed, Code: "invalid_request", Description: "use POST"})
			return
		}
		token, basic, oerr := issueToken(w, r, clients, callerAddr(trusted, r))
		if oerr != nil {
			if oerr.err != nil {
				log.ErrorContext(r.Context(), "issuing a client token failed", "error", oerr.err, "request_id", RequestID(r.Context()))
			}
			if oerr.retryAfter > 0 {
				h.Set("Retry-After", strconv.Itoa(oerr.retryAfter))
			}
			if oerr.Code == "invalid_client" {
				// RFC 6749 5.2: 401 with the scheme the client may use.
				h.Set("WWW-Authenticate", `Basic realm="werkwijzer", charset="UTF-8"`)
				log.InfoContext(r.Context(), "client authentication failed", "basic", basic, "request_id", RequestID(r.Context()))
			}
			writeOAuthError(w, *oerr)
			return
		}
		h.Set("Content-Type", "application/json;charset=UTF-8")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"access_token": token.AccessToken,
			"token_type":   "Bearer",
			"expires_in":   int(time.Until(token.ExpiresAt).Round(time.Second).Seconds()),
			"scope":        strings.Join(token.Scopes, " "),
		})
	})
}

func issueToken(w http.ResponseWriter, r *http.Request, clients *account.Clients, addr string) (account.ClientToken, bool, *oauthError) {
	form, oerr := tokenForm(w, r)
	if oerr != nil {
		return account.ClientToken{}, false, oerr
	}
	id, secret, basic, oerr := clientCredentials(r, form)
	if oerr != nil {
		return account.ClientToken{}, basic, oerr
	}
	token, err := clients.IssueToken(r.Context(), id, secret, form.Get("scope"), addr)
	if err != nil {
		return account.ClientToken{}, basic, tokenError(err)
	}
	return token, basic, nil
}

// badTokenRequest is the answer to a token request that is wrong: 401 for
// invalid_client, 400 for the rest.
func badTokenRequest(code, desc string) *oauthError {
	status := http.StatusBadRequest
	if code == "invalid_client" {
		status = http.StatusUnauthorized
	}
	return &oauthError{status: status, Code: code, Description: desc}
}

// tokenForm reads and checks the form of a token request: form encoded,
// in the body, no parameter twice, the client_credentials grant.
func tokenForm(w http.ResponseWriter, r *http.Request) (url.Values, *oauthError) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, badTokenRequest("invalid_request", "send the parameters as application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequestBytes)
	if err := r.ParseForm(); err != nil {
		return nil, badTokenRequest("invalid_request", "the form cannot be read")
	}
	form := r.PostForm
	if len(r.URL.Query()) > 0 {
		// Credentials in the URL end up in logs.
		return nil, badTokenRequest("invalid_request", "send the parameters in the body, not the URL")
	}
	for k, v := range form {
		if len(v) > 1 {
			return nil, badTokenRequest("invalid_request", "the parameter "+k+" is repeated")
		}
	}
	switch form.Get("grant_type") {
	case "":
		return nil, badTokenRequest("invalid_request", "grant_type is missing")
	case "client_credentials":
	default:
		return nil, badTokenRequest("unsupported_grant_type", "only the client_credentials grant is supported")
	}
	return form, nil
}

// clientCredentials is the client's id and secret, from HTTP Basic (then
// basic is true) or from the form, never from both.
func clientCredentials(r *http.Request, form url.Values) (id, secret string, basic bool, oerr *oauthError) {
	id, secret, basic = r.BasicAuth()
	if basic {
		if form.Has("client_id") && form.Get("client_id") != "" && form.Get("client_id") != decodeBasic(id) || form.Has("client_secret") {
			return "", "", true, badTokenRequest("invalid_request", "authenticate with HTTP Basic or with form fields, not both")
		}
		return decodeBasic(id), decodeBasic(secret), true, nil
	}
	if h := r.Header.Get("Authorization"); h != "" {
		return "", "", false, badTokenRequest("invalid_client", "only HTTP Basic client authentication is supported in the Authorization header")
	}
	id, secret = form.Get("client_id"), form.Get("client_secret")
	if id == "" || secret == "" {
		return "", "", false, badTokenRequest("invalid_client", "client authentication failed: send client_id and client_secret")
	}
	return id, secret, false, nil
}

// tokenError is the answer to a token request the clients refused with err.
func tokenError(err error) *oauthError {
	switch {
	case apperr.Is(err, apperr.Unauthenticated):
		return badTokenRequest("invalid_client", "client authentication failed")
	case apperr.Is(err, apperr.Forbidden):
		return badTokenRequest("invalid_scope", err.Error())
	case apperr.Is(err, apperr.RateLimited):
		// RFC 6749 has no code for this; slow_down is RFC 8628's for a
		// client that polls too fast, the nearest meaning.
		var coded *apperr.Error
		errors.As(err, &coded)
		seconds, _ := coded.Details["retryAfterSeconds"].(int)
		return &oauthError{status: http.StatusTooManyRequests, retryAfter: seconds,
			Code: "slow_down", Description: coded.Message}
	}
	return &oauthError{status: http.StatusInternalServerError, Code: "server_error", err: err}
}

// decodeBasic undoes the form-urlencoding RFC 6749 2.3.1 asks clients to
// apply to the id and secret before HTTP Basic; a value that does not
// decode is used as it is.
func decodeBasic(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

func writeOAuthError(w http.ResponseWriter, e oauthError) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(e)
}
