package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Client posts GraphQL requests to one server over HTTP.
type Client struct {
	HTTP   *http.Client
	URL    string      // the server's base URL; requests go to URL+"/graphql"
	Key    string      // API key sent as "Authorization: Bearer"; "" is anonymous
	Header http.Header // further request headers, such as X-Request-Id
}

// NewHTTPClient is an HTTP client keeping up to conns idle connections to
// the server, so that concurrent callers reuse them instead of opening new
// ones for every request.
func NewHTTPClient(conns int, timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute},
	}
}

// Client is a client of s with key, on a fresh HTTP client.
func (s *Server) Client(key string, conns int) Client {
	return Client{HTTP: NewHTTPClient(conns, 2*time.Minute), URL: s.URL, Key: key}
}

// WithKey is c sending key instead ("" for anonymous).
func (c Client) WithKey(key string) Client {
	c.Key = key
	return c
}

// Response is a GraphQL answer over HTTP.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	Data   json.RawMessage
	Errors []Error
}

// Error is an entry of a response's top-level errors.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Post sends one request. A transport failure or a body that is not a
// GraphQL response is an error; GraphQL errors are in the Response.
func (c Client) Post(ctx context.Context, query string, vars map[string]any) (*Response, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Key != "" {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	r := &Response{Status: resp.StatusCode, Header: resp.Header}
	if r.Body, err = io.ReadAll(resp.Body); err != nil {
		return r, err
	}
	if err := json.Unmarshal(r.Body, r); err != nil {
		return r, fmt.Errorf("HTTP %d, not JSON: %.300s", r.Status, r.Body)
	}
	return r, nil
}

// UnmarshalJSON reads data and errors, leaving Status, Header and Body.
func (r *Response) UnmarshalJSON(b []byte) error {
	var v struct {
		Data   json.RawMessage `json:"data"`
		Errors []Error         `json:"errors"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	r.Data, r.Errors = v.Data, v.Errors
	return nil
}

// Decode decodes the data into out. Top-level errors and a status other
// than 200 are errors: the callers expect the operation to succeed.
func (r *Response) Decode(out any) error {
	switch {
	case len(r.Errors) > 0:
		return fmt.Errorf("HTTP %d, errors: %.1000s", r.Status, r.Body)
	case r.Status != http.StatusOK:
		return fmt.Errorf("HTTP %d: %.1000s", r.Status, r.Body)
	case len(r.Data) == 0 || string(r.Data) == "null":
		return fmt.Errorf("HTTP %d, no data: %.1000s", r.Status, r.Body)
	}
	return json.Unmarshal(r.Data, out)
}

// Query posts a request that must succeed within 30 seconds and decodes
// its data into out.
func (c Client) Query(query string, vars map[string]any, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := c.Post(ctx, query, vars)
	if err != nil {
		return err
	}
	return r.Decode(out)
}
