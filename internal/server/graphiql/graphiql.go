// Package graphiql serves the GraphiQL IDE from the binary itself: the page,
// React, GraphiQL and the graphql-ws client are embedded (vendored by
// vendor.sh from the versions pinned in package.json), so the IDE works
// offline, behind proxies and in CI, and under a Content Security Policy that
// allows nothing but our own origin. The page has no inline script: its
// bootstrap is assets/seatgraph/graphiql-init.js, which reads the endpoint
// from a data attribute of the page.
package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"
)

// Prefix is the path under which the assets are served; mount the handler
// at it (and at the page's path, "/").
const Prefix = "/graphiql/"

//go:embed assets
var assets embed.FS

// The vendored packages, each in assets/<name>@<version>/ (see vendor.sh),
// and the file of each that the page loads, in load order.
var vendored = []struct{ pkg, file string }{
	{"react", "react.production.min.js"},
	{"react-dom", "react-dom.production.min.js"},
	{"graphql-ws", "graphql-ws.min.js"},
	{"graphiql", "graphiql.min.js"},
}

// Our own files, in assets/seatgraph/; they are served under a name that
// carries a hash of their content (graphiql-init.0123abcd4567.js).
const (
	ownDir     = "seatgraph"
	initScript = "graphiql-init.js"
	pageStyle  = "graphiql-page.css"
)

// policy is the Content-Security-Policy of the page: our own origin only,
// for everything, relaxed only where GraphiQL needs it (checked in Chromium,
// with every violation reported):
//   - img-src and font-src data: graphiql.min.css carries its fonts and a
//     few icons as data: URLs (and the page's icon is data:,).
//   - style-src 'nonce-…': GraphiQL's dialogs (settings, short keys: Radix
//     UI's scroll lock, react-remove-scroll-bar) insert one <style> element
//     whose content is computed from the scrollbar width, so no hash can
//     cover it. That code gives its element the nonce in the global
//     __webpack_nonce__, which the bootstrap sets from its own script tag's
//     nonce; each response of the page has a fresh one. Nonces do not apply
//     to style attributes, so those stay refused; styles set from script
//     through the CSSOM, as React and CodeMirror do, are not subject to CSP.
//   - Scripts are strictly 'self': no inline script, no eval.
//
// connect-src 'self' covers the same-origin ws:/wss: of subscriptions (CSP
// Level 3); an endpoint on another origin is added to it by Handler. The
// first %s is the nonce, the second the extra connect sources.
const policy = "default-src 'self'; " +
	"script-src 'self'; " +
	"style-src 'self' 'nonce-%s'; " +
	"img-src 'self' data:; " +
	"font-src 'self' data:; " +
	"connect-src 'self'%s; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"

// asset is one servable file.
type asset struct {
	body        []byte
	contentType string
	etag        string
	immutable   bool // the path carries a version or content hash

	gzipOnce sync.Once
	gz       []byte // body gzipped, or nil if that does not pay
}

type handler struct {
	endpoint        string
	scripts, styles []string          // the page's, in order, but the bootstrap
	init            string            // the bootstrap, loaded last, with the nonce
	connect         string            // extra connect-src sources
	assets          map[string]*asset // by path under Prefix
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>seatgraph · GraphiQL</title>
<link rel="icon" href="data:,">
{{range .Styles}}<link rel="stylesheet" href="{{.}}">
{{end}}</head>
<body>
<div id="graphiql" data-endpoint="{{.Endpoint}}">Loading GraphiQL…</div>
<noscript>GraphiQL needs JavaScript. The API itself is at {{.Endpoint}}.</noscript>
{{range .Scripts}}<script src="{{.}}"></script>
{{end}}<script src="{{.Init}}" nonce="{{.Nonce}}"></script>
</body>
</html>
`))

// Handler serves GraphiQL for the GraphQL endpoint at endpoint (a path on
// this origin, such as "/graphql", or an absolute URL): the page at "/" and
// its assets under Prefix. Anything else is 404. Mount it at both, e.g.
//
//	mux.Handle("GET /{$}", h)
//	mux.Handle("GET /graphiql/", h)
func Handler(endpoint string) http.Handler {
	h := &handler{endpoint: endpoint, assets: map[string]*asset{}}
	for _, v := range vendored {
		dir := vendorDir(v.pkg)
		ents, err := assets.ReadDir("assets/" + dir)
		if err != nil {
			panic(err)
		}
		for _, e := range ents {
			h.add(dir+"/"+e.Name(), dir+"/"+e.Name(), true)
		}
		h.scripts = append(h.scripts, Prefix+dir+"/"+v.file)
	}
	h.styles = append(h.styles, Prefix+vendorDir("graphiql")+"/graphiql.min.css")
	for _, name := range []string{pageStyle, initScript} {
		file := ownDir + "/" + name
		a := h.add(file, file, false) // by its plain name: no-cache
		ext := path.Ext(name)
		hashed := ownDir + "/" + strings.TrimSuffix(name, ext) + "." + a.etag[1:13] + ext
		h.add(hashed, file, true)
		if ext == ".css" {
			h.styles = append(h.styles, Prefix+hashed)
		} else {
			h.init = Prefix + hashed
		}
	}
	h.connect = connectSources(endpoint)

	// Fail now, not on the first request, if the page cannot be made.
	if _, err := h.page("x"); err != nil {
		panic(err)
	}
	return h
}

// page renders the page with its bootstrap script carrying nonce.
func (h *handler) page(nonce string) ([]byte, error) {
	var page bytes.Buffer
	err := pageTemplate.Execute(&page, map[string]any{
		"Endpoint": h.endpoint, "Scripts": h.scripts, "Styles": h.styles,
		"Init": h.init, "Nonce": nonce,
	})
	return page.Bytes(), err
}

// newNonce returns a CSP nonce: 128 random bits, in base32 (which a CSP
// nonce may carry as it is).
func newNonce() string { return rand.Text() }

// vendorDir finds the one directory of pkg in assets/ (pkg@version).
func vendorDir(pkg string) string {
	m, err := fs.Glob(assets, "assets/"+pkg+"@*")
	if err != nil || len(m) != 1 {
		panic(fmt.Sprintf("graphiql: want exactly one assets/%s@<version>, have %q (run vendor.sh)", pkg, m))
	}
	return path.Base(m[0])
}

// connectSources is what connect-src must allow beyond 'self' for an
// endpoint on another origin: its origin, over HTTP and websocket.
func connectSources(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	ws := "ws"
	if u.Scheme == "https" {
		ws = "wss"
	}
	return " " + u.Scheme + "://" + u.Host + " " + ws + "://" + u.Host
}

func (h *handler) add(name, file string, immutable bool) *asset {
	body, err := assets.ReadFile("assets/" + file)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(body)
	a := &asset{
		body:        body,
		contentType: contentType(file),
		etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
		immutable:   immutable,
	}
	h.assets[name] = a
	return a
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	default: // LICENSE, LICENSE.md
		return "text/plain; charset=utf-8"
	}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	switch {
	case r.URL.Path == "/":
		nonce := newNonce()
		page, err := h.page(nonce)
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		hd.Set("Content-Type", "text/html; charset=utf-8")
		hd.Set("Content-Security-Policy", fmt.Sprintf(policy, nonce, h.connect))
		// The page names the current asset versions: always revalidate it.
		hd.Set("Cache-Control", "no-cache")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Frame-Options", "DENY")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(page))
	case strings.HasPrefix(r.URL.Path, Prefix):
		a := h.assets[strings.TrimPrefix(r.URL.Path, Prefix)]
		if a == nil {
			http.NotFound(w, r)
			return
		}
		a.serve(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Type", a.contentType)
	if a.immutable {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hd.Set("Cache-Control", "no-cache")
	}
	hd.Add("Vary", "Accept-Encoding")
	body, etag := a.body, a.etag
	if acceptsGzip(r) {
		if gz := a.gzipped(); gz != nil {
			body, etag = gz, strings.TrimSuffix(a.etag, `"`)+`-gz"`
			hd.Set("Content-Encoding", "gzip")
		}
	}
	hd.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// gzipped compresses the asset once, on first use (graphiql.min.js shrinks
// from about 1 MB to 300 kB), and keeps the result.
func (a *asset) gzipped() []byte {
	a.gzipOnce.Do(func() {
		if len(a.body) < 1024 {
			return
		}
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = zw.Write(a.body)
		if zw.Close() == nil && b.Len() < len(a.body) {
			a.gz = b.Bytes()
		}
	})
	return a.gz
}

func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if strings.EqualFold(strings.TrimSpace(coding), "gzip") &&
				strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0" {
				return true
			}
		}
	}
	return false
}
