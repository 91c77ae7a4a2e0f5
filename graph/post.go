package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// postJSON is gqlgen's POST transport (application/json bodies, see
// transport.POST, whose Supports it keeps) with one difference: an answer
// without errors or extensions is written as {"data":…} around the bytes
// the executor produced, escaped as encoding/json would escape them. gqlgen
// writes every answer through json.Marshal, which re-validates and copies
// the whole data document: about a twentieth of an uncached page's CPU.
// Every other answer still goes through json.Marshal.
type postJSON struct{ transport.POST }

func (postJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	mediaType := ResponseMediaType(r)
	w.Header().Set("Content-Type", mediaType)
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("could not read request body: %+v", err)}))
		return
	}
	var params graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("json request body could not be decoded: %+v body:%s", err, body)}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	op, errs := exec.CreateOperationContext(ctx, &params)
	if errs != nil {
		w.WriteHeader(failedRequestStatus(mediaType, errs))
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, op), errs))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, op)
	writeResponse(w, responses(ctx))
}

// ResponseMediaType picks the media type of the answer to r as gqlgen's
// transports do (the answer cache answers in the same one): application/json without an Accept header, else the first
// of application/json and application/graphql-response+json that Accept
// names (a wildcard counting as application/json), else the latter.
func ResponseMediaType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return "application/json"
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", "application/json":
			return "application/json"
		case graphQLResponseJSON:
			return graphQLResponseJSON
		}
	}
	return graphQLResponseJSON
}

// failedRequestStatus is gqlgen's status for a request that failed before
// execution: 422 (application/json) or 400 (graphql-response+json) for a
// protocol error, 200 otherwise; overHTTP then adjusts it.
func failedRequestStatus(mediaType string, errs gqlerror.List) int {
	switch {
	case errcode.GetErrorKind(errs) != errcode.KindProtocol:
		return http.StatusOK
	case mediaType == graphQLResponseJSON:
		return http.StatusBadRequest
	default:
		return http.StatusUnprocessableEntity
	}
}

// writeResponse writes resp in one Write, as json.Marshal would encode it.
func writeResponse(w io.Writer, resp *graphql.Response) {
	b, err := encodeResponse(resp)
	if err != nil {
		panic(fmt.Errorf("unable to marshal %s: %w", string(resp.Data), err))
	}
	_, _ = w.Write(b)
}

// encodeResponse encodes resp. An answer that is only data is the
// executor's compact JSON, escaped for HTML like json.Marshal escapes it,
// inside {"data":…}; anything else is json.Marshal's.
func encodeResponse(resp *graphql.Response) ([]byte, error) {
	if len(resp.Errors) > 0 || len(resp.Extensions) > 0 || resp.Label != "" || resp.Path != nil || resp.HasNext != nil || len(resp.Data) == 0 {
		return json.Marshal(resp)
	}
	const prefix, suffix = `{"data":`, `}`
	out := make([]byte, 0, len(prefix)+len(resp.Data)+len(suffix)+64)
	out = append(out, prefix...)
	out = appendHTMLEscaped(out, resp.Data)
	return append(out, suffix...), nil
}

// appendHTMLEscaped appends data with <, > and & and the line and
// paragraph separators U+2028 and U+2029 written as \u escapes, as
// encoding/json writes them. In valid JSON these occur only inside
// strings, where the escapes mean the same characters.
func appendHTMLEscaped(out, data []byte) []byte {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '<' || c == '>' || c == '&':
			out = append(out, data[start:i]...)
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			start = i + 1
		case c == 0xE2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xA8 || data[i+2] == 0xA9):
			out = append(out, data[start:i]...)
			out = append(out, '\\', 'u', '2', '0', '2', hex[data[i+2]&0xF])
			i += 2
			start = i + 1
		}
	}
	return append(out, data[start:]...)
}
