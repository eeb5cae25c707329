package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orgraph/orgraph/internal/observe"
)

// Codes of requests refused before they reach GraphQL, each with its HTTP
// status: the body is still a GraphQL response, {"errors": [...]}, so a
// client reads every refusal the same way.
const (
	CodeBadRequest           = "BAD_REQUEST"            // 400: malformed JSON, an empty body, trailing bytes, a batch, no query
	CodePayloadTooLarge      = "PAYLOAD_TOO_LARGE"      // 413: a body over the limit, chunked or not
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE" // 415: a POST that is not application/json
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"     // 405: PUT, DELETE, ...; a mutation over GET
	CodeTimeout              = "TIMEOUT"                // 503: the request ran past its deadline
	CodeUnavailable          = "UNAVAILABLE"            // 503 before execution: the store is known to be away
	CodeUnauthenticated      = "UNAUTHENTICATED"        // 401: a bad or expired token, or none where one is needed
)

// WriteError answers a request with one coded error and an HTTP status,
// noting the code for the request's log line.
func WriteError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	observe.NoteCode(r.Context(), code)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	writeResponse(w, &graphql.Response{Errors: gqlerror.List{{Message: message, Extensions: map[string]any{"code": code}}}})
}

func writeResponse(w io.Writer, resp *graphql.Response) {
	b, err := json.Marshal(resp)
	if err != nil {
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`)
	}
	_, _ = w.Write(b)
}

// rawParams is a request as the GraphQL-over-HTTP spec shapes it.
type rawParams struct {
	Query         *string        `json:"query"`
	OperationName *string        `json:"operationName"`
	Variables     map[string]any `json:"variables"`
	Extensions    map[string]any `json:"extensions"`
}

// decodeObject decodes exactly one JSON object from data into v: nothing
// before it, nothing after it. what names the thing in messages.
func decodeObject(data []byte, v any, what string) error {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0:
		return fmt.Errorf("%s is empty; send a JSON object", what)
	case data[0] == '[' && what == "the request body":
		return fmt.Errorf("%s is a JSON array: batched requests are not supported; send one operation per request", what)
	case data[0] != '{':
		return fmt.Errorf("%s is not a JSON object", what)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return fmt.Errorf("%s is not valid JSON (at byte %d)", what, syntax.Offset)
		case errors.As(err, &typ):
			return fmt.Errorf("%s: %s must not be a JSON %s", what, typ.Field, typ.Value)
		}
		return fmt.Errorf("%s is not valid JSON", what)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s has bytes after its JSON object", what)
	}
	return nil
}

// postTransport serves POST with an application/json body, strictly: the
// body is one JSON object with a query, and nothing else.
type postTransport struct{}

func (postTransport) Supports(r *http.Request) bool {
	if r.Method != http.MethodPost || r.Header.Get("Upgrade") != "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

func (postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		WriteError(w, r, http.StatusRequestEntityTooLarge, CodePayloadTooLarge, fmt.Sprintf("the request body is larger than %d bytes", tooLarge.Limit))
		return
	case err != nil:
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "the request body could not be read")
		return
	}
	var p rawParams
	if err := decodeObject(body, &p, "the request body"); err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	execute(w, r, exec, p, start, false)
}

// getTransport serves GET /query?query=…&variables=…: queries only.
type getTransport struct{}

func (getTransport) Supports(r *http.Request) bool {
	return r.Method == http.MethodGet && r.Header.Get("Upgrade") == ""
}

func (getTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "the query string could not be decoded")
		return
	}
	var p rawParams
	if v, ok := q["query"]; ok {
		p.Query = &v[0]
	}
	if v, ok := q["operationName"]; ok {
		p.OperationName = &v[0]
	}
	for _, param := range []struct {
		name string
		into *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		if v := q.Get(param.name); v != "" {
			if err := decodeObject([]byte(v), param.into, "the "+param.name+" parameter"); err != nil {
				WriteError(w, r, http.StatusBadRequest, CodeBadRequest, err.Error())
				return
			}
		}
	}
	execute(w, r, exec, p, start, true)
}

// execute runs one operation as gqlgen's own transports do; an operation
// refused before it runs answers 422 for the kinds of error gqlgen counts
// as the request's (see errcode.RegisterErrorType in limits.go).
func execute(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, p rawParams, start time.Time, get bool) {
	if p.Query == nil || strings.TrimSpace(*p.Query) == "" {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "the request has no query")
		return
	}
	params := &graphql.RawParams{Query: *p.Query, Variables: p.Variables, Extensions: p.Extensions, Headers: r.Header}
	if p.OperationName != nil {
		params.OperationName = *p.OperationName
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	ctx := r.Context()
	op, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, op), errs)
		w.Header().Set("Content-Type", "application/json")
		if errcode.GetErrorKind(resp.Errors) == errcode.KindProtocol {
			w.WriteHeader(http.StatusUnprocessableEntity)
		}
		writeResponse(w, resp)
		return
	}
	if get && op.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		WriteError(w, r, http.StatusMethodNotAllowed, CodeMethodNotAllowed, fmt.Sprintf("a %s is sent with POST; GET takes queries only", op.Operation.Operation))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	responses, ctx := exec.DispatchOperation(ctx, op)
	writeResponse(w, responses(ctx))
}

// refuseTransport answers whatever no other transport serves: a POST of
// another content type, or another method.
type refuseTransport struct{}

func (refuseTransport) Supports(*http.Request) bool { return true }

func (refuseTransport) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	if r.Method == http.MethodPost && r.Header.Get("Upgrade") == "" {
		WriteError(w, r, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType,
			fmt.Sprintf("POST /query takes Content-Type: application/json, not %q", r.Header.Get("Content-Type")))
		return
	}
	w.Header().Set("Allow", allowed)
	WriteError(w, r, http.StatusMethodNotAllowed, CodeMethodNotAllowed, fmt.Sprintf("/query takes %s, not %s", allowed, r.Method))
}

const allowed = "GET, POST, OPTIONS"
