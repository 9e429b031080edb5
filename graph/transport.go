package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"seatgraph/internal/domain"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Media types of GraphQL over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpTransport is GraphQL over HTTP as its specification has it, for GET
// (queries only) and POST. gqlgen's own GET and POST transports differ from
// the specification where clients notice: a request error (parse,
// validation, variable coercion, one of our limits) carries "data": null,
// answers 422 under application/json and 200 under
// application/graphql-response+json for our own limits, and a body of the
// wrong JSON shape is answered with Go type names. This transport reads the
// request itself, so that every malformed request is a 400 BAD_REQUEST that
// names what was expected, and writes request errors without a data entry:
// status 200 under application/json, 400 under
// application/graphql-response+json.
type httpTransport struct {
	tokens int // the parser's token limit
}

var _ graphql.Transport = httpTransport{}

// Supports claims every request that is not a websocket upgrade or a CORS
// preflight, so that an unsupported method is answered here, in the shape of
// a GraphQL response, rather than by gqlgen's uncoded "transport not
// supported".
func (httpTransport) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && r.Method != http.MethodOptions
}

// Do answers one request.
func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		writeRequestError(w, http.StatusNotAcceptable, mediaJSON,
			"the Accept header allows neither application/graphql-response+json nor application/json")
		return
	}
	var (
		params *graphql.RawParams
		status int
		msg    string
	)
	switch r.Method {
	case http.MethodGet:
		params, status, msg = readGET(r)
	case http.MethodPost:
		params, status, msg = readPOST(r)
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		writeRequestError(w, http.StatusMethodNotAllowed, media, "GraphQL requests use GET (queries) or POST")
		return
	}
	if params == nil {
		writeRequestError(w, status, media, msg)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}

	ctx := r.Context()
	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		if r.Method == http.MethodGet && !t.isQuery(params) {
			methodNotAllowed(w, media)
			return
		}
		codeVariableErrors(errs)
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		writeResponse(w, status, media, requestErrors{Errors: resp.Errors, Extensions: resp.Extensions})
		return
	}
	if r.Method == http.MethodGet && oc.Operation.Operation != ast.Query {
		methodNotAllowed(w, media)
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	writeOperationResponse(w, media, responses(ctx))
}

// writeOperationResponse writes an executed operation's response. Its data
// is JSON the executor already wrote (and a compiled list copied from the
// database), so it goes out as it is: encoding the Response with
// encoding/json would validate and compact every byte of it once more (a
// sixth of the server's CPU under the list load). Errors and extensions,
// small and rare, are encoded as usual, in the order encoding/json gives
// graphql.Response's fields.
func writeOperationResponse(w http.ResponseWriter, media string, r *graphql.Response) {
	if r == nil || r.Label != "" || len(r.Path) > 0 || r.HasNext != nil {
		writeResponse(w, http.StatusOK, media, r)
		return
	}
	buf := make([]byte, 0, len(r.Data)+64)
	buf = append(buf, '{')
	if len(r.Errors) > 0 {
		errs, err := json.Marshal(r.Errors)
		if err != nil {
			writeResponse(w, http.StatusOK, media, r)
			return
		}
		buf = append(buf, `"errors":`...)
		buf = append(buf, errs...)
		buf = append(buf, ',')
	}
	buf = append(buf, `"data":`...)
	if len(r.Data) == 0 {
		buf = append(buf, "null"...)
	} else {
		buf = append(buf, r.Data...)
	}
	if len(r.Extensions) > 0 {
		ext, err := json.Marshal(r.Extensions)
		if err != nil {
			writeResponse(w, http.StatusOK, media, r)
			return
		}
		buf = append(buf, `,"extensions":`...)
		buf = append(buf, ext...)
	}
	buf = append(buf, '}')
	setContentType(w, media)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf)
}

// isQuery reports whether the request's operation is a query, as far as its
// document could be read: a subscription over GET is refused as the wrong
// method even where the schema has no subscriptions to validate it against.
func (t httpTransport) isQuery(p *graphql.RawParams) bool {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, t.tokens)
	if err != nil {
		return true
	}
	op := doc.Operations.ForName(p.OperationName)
	return op == nil || op.Operation == ast.Query
}

// methodNotAllowed refuses a mutation or subscription over GET: GET is for
// queries, which caches and prefetchers may repeat.
func methodNotAllowed(w http.ResponseWriter, media string) {
	w.Header().Set("Allow", http.MethodPost)
	writeRequestError(w, http.StatusMethodNotAllowed, media,
		"GET is for queries: send mutations with POST and subscriptions over a websocket")
}

// requestErrors is the answer to a request that never executed: errors and
// no data entry (GraphQL over HTTP, "Request errors").
type requestErrors struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// codeVariableErrors gives variable coercion failures, which gqlparser
// reports under the validation code, the code docs/client-guide.md gives them: a bad
// variable is the caller's input, not a broken document. gqlparser puts
// "variable" first in the path of exactly those errors.
func codeVariableErrors(errs gqlerror.List) {
	for _, e := range errs {
		if len(e.Path) > 1 && e.Path[0] == ast.PathName("variable") {
			// The path is not a response path: the message names the
			// variable instead, as the operation checks' messages do.
			where := "$" + e.Path[1:].String()
			e.Message = "variable " + where + ": " + e.Message
			e.Path = nil
			errcode.Set(e, domain.CodeBadUserInput)
		}
	}
}

// negotiate picks the response media type from an Accept header: the one
// of highest quality, application/graphql-response+json on a tie, and
// application/json for a missing header, */* or application/* (what
// clients written before the specification expect).
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	best, bestQ := "", 0.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(s, 64); err != nil {
				continue
			}
		}
		var m string
		switch mt {
		case mediaGraphQLResponse:
			m = mediaGraphQLResponse
		case mediaJSON, "*/*", "application/*":
			m = mediaJSON
		default:
			continue
		}
		if q > 0 && (q > bestQ || q == bestQ && m == mediaGraphQLResponse) {
			best, bestQ = m, q
		}
	}
	return best, best != ""
}

// readGET reads a request from the URL's query string. On failure params is
// nil and status and msg say why.
func readGET(r *http.Request) (params *graphql.RawParams, status int, msg string) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, http.StatusBadRequest, "the query string is not URL-encoded"
	}
	for k, vs := range q {
		for _, v := range append(vs, k) {
			if !utf8.ValidString(v) {
				return nil, http.StatusBadRequest, "the query string is not valid UTF-8"
			}
		}
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	for _, f := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		if raw := q.Get(f.name); raw != "" {
			if msg := decodeObject(f.name, []byte(raw), f.dst); msg != "" {
				return nil, http.StatusBadRequest, msg
			}
		}
	}
	if msg := needQuery(p); msg != "" {
		return nil, http.StatusBadRequest, msg
	}
	return p, 0, ""
}

// postBody is the JSON object of a POST request, each member kept raw so
// that a member of the wrong type can be named.
type postBody struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

// readPOST reads a request from an application/json body.
func readPOST(r *http.Request) (params *graphql.RawParams, status int, msg string) {
	mt, mtParams, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != mediaJSON {
		return nil, http.StatusUnsupportedMediaType, `send the request as Content-Type: application/json`
	}
	if cs, ok := mtParams["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, http.StatusUnsupportedMediaType, "the request body must be UTF-8"
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, http.StatusBadRequest, "the request body could not be read"
	}
	if msg := checkText(body); msg != "" {
		return nil, http.StatusBadRequest, msg
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, http.StatusBadRequest, `the request body is empty; send a JSON object such as {"query": "{ events { totalCount } }"}`
	}
	if trimmed[0] != '{' {
		return nil, http.StatusBadRequest, `the request body must be one JSON object such as {"query": "...", "variables": {...}}; batched requests are not supported`
	}
	var b postBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, http.StatusBadRequest, "the request body is not valid JSON"
	}
	p := &graphql.RawParams{}
	if !isNull(b.Query) && json.Unmarshal(b.Query, &p.Query) != nil {
		return nil, http.StatusBadRequest, `"query" must be a string`
	}
	if !isNull(b.OperationName) && json.Unmarshal(b.OperationName, &p.OperationName) != nil {
		return nil, http.StatusBadRequest, `"operationName" must be a string or null`
	}
	if !isNull(b.Variables) {
		if msg := decodeObject("variables", b.Variables, &p.Variables); msg != "" {
			return nil, http.StatusBadRequest, msg
		}
	}
	if !isNull(b.Extensions) {
		if msg := decodeObject("extensions", b.Extensions, &p.Extensions); msg != "" {
			return nil, http.StatusBadRequest, msg
		}
	}
	if msg := needQuery(p); msg != "" {
		return nil, http.StatusBadRequest, msg
	}
	return p, 0, ""
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// decodeObject decodes a JSON object member (variables, extensions), keeping
// numbers exact so that variable coercion sees what was sent.
func decodeObject(name string, raw []byte, dst *map[string]any) string {
	if msg := checkText(raw); msg != "" {
		return msg
	}
	if isNull(raw) {
		return ""
	}
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return `"` + name + `" must be a JSON object or null`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return `"` + name + `" is not valid JSON`
	}
	return ""
}

// needQuery refuses a request without a document, unless it names a
// persisted query (APQ), which the APQ extension then looks up.
func needQuery(p *graphql.RawParams) string {
	if p.Query != "" || p.Extensions["persistedQuery"] != nil {
		return ""
	}
	return `the request has no "query"`
}

// checkText refuses text that is not UTF-8, or that escapes a lone UTF-16
// surrogate: encoding/json would turn either into U+FFFD without a word,
// and the mangled text would be stored (an e-mail address, a name) as if
// the client had sent it.
func checkText(b []byte) string {
	if !utf8.Valid(b) {
		return "the request is not valid UTF-8"
	}
	if !bytes.Contains(b, []byte(`\u`)) {
		return ""
	}
	inString, pendingHigh := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !inString {
			if c == '"' {
				inString = true
			}
			continue
		}
		switch {
		case c == '"':
			if pendingHigh {
				return "the request holds a lone UTF-16 surrogate escape"
			}
			inString = false
		case c == '\\' && i+1 < len(b):
			i++
			if b[i] != 'u' || i+4 >= len(b) {
				if pendingHigh {
					return "the request holds a lone UTF-16 surrogate escape"
				}
				continue
			}
			v, err := strconv.ParseUint(string(b[i+1:i+5]), 16, 16)
			if err != nil {
				continue // encoding/json refuses the body
			}
			i += 4
			high, low := v >= 0xD800 && v < 0xDC00, v >= 0xDC00 && v < 0xE000
			switch {
			case pendingHigh && low:
				pendingHigh = false
			case pendingHigh || low:
				return "the request holds a lone UTF-16 surrogate escape"
			case high:
				pendingHigh = true
			}
		default:
			if pendingHigh {
				return "the request holds a lone UTF-16 surrogate escape"
			}
		}
	}
	return ""
}

// writeRequestError answers a request that could not be read: one
// BAD_REQUEST error and no data entry.
func writeRequestError(w http.ResponseWriter, status int, media, msg string) {
	writeResponse(w, status, media, requestErrors{Errors: gqlerror.List{{
		Message: msg, Extensions: map[string]any{"code": domain.CodeBadRequest}}}})
}

func writeResponse(w http.ResponseWriter, status int, media string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// A response that cannot be encoded is a server failure whose
		// details stay here.
		status, body = http.StatusInternalServerError,
			[]byte(`{"errors":[{"message":"internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`)
	}
	setContentType(w, media)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// setContentType names the JSON media type of a response, and tells
// browsers never to sniff it as anything else: strings in the data are not
// HTML-escaped (a "<" stays "<"), which is safe only as JSON.
func setContentType(w http.ResponseWriter, media string) {
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}
