package graphiql

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, path string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var refRE = regexp.MustCompile(`<(script|link)\b[^>]*?\b(src|href)="([^"]*)"`)

// pageRefs returns the script and stylesheet URLs of the page, by kind.
func pageRefs(t *testing.T, page string) (scripts, styles, all []string) {
	t.Helper()
	for _, m := range refRE.FindAllStringSubmatch(page, -1) {
		all = append(all, m[3])
		switch {
		case m[1] == "script":
			scripts = append(scripts, m[3])
		case strings.Contains(m[0], `rel="stylesheet"`):
			styles = append(styles, m[3])
		}
	}
	return scripts, styles, all
}

func TestPage(t *testing.T) {
	h := Handler("/graphql")
	res := get(t, h, "/")
	page := body(t, res)

	for _, tc := range []struct{ header, want string }{
		{"Content-Type", "text/html; charset=utf-8"},
		{"Cache-Control", "no-cache"},
		{"X-Content-Type-Options", "nosniff"},
		{"Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-"},
		{"Content-Security-Policy", "connect-src 'self';"},
		{"Content-Security-Policy", "frame-ancestors 'none'"},
	} {
		if got := res.Header.Get(tc.header); !strings.Contains(got, tc.want) {
			t.Errorf("%s = %q, want it to contain %q", tc.header, got, tc.want)
		}
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", res.StatusCode)
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, bad := range []string{"unsafe-eval", "http:", "https:", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("CSP %q allows %q", csp, bad)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q allows inline scripts or styles", csp)
	}

	scripts, styles, all := pageRefs(t, page)
	if len(scripts) != 5 || len(styles) != 2 {
		t.Errorf("page loads scripts %q and styles %q; want 5 and 2", scripts, styles)
	}
	for _, ref := range all {
		if strings.Contains(ref, "//") || (!strings.HasPrefix(ref, Prefix) && !strings.HasPrefix(ref, "data:")) {
			t.Errorf("page references %q, not one of our assets", ref)
		}
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Errorf("page names an external URL:\n%s", page)
	}
	// No inline script: every <script> has a src and no body.
	if n, m := strings.Count(page, "<script"), strings.Count(page, `<script src="`); n != m {
		t.Errorf("%d scripts, %d of them by src", n, m)
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "<style") || strings.Contains(page, "style=") {
		t.Errorf("page has inline script or style:\n%s", page)
	}
	if !strings.Contains(page, `data-endpoint="/graphql"`) {
		t.Errorf("page does not name the endpoint:\n%s", page)
	}
	// The bootstrap comes last, after the globals it uses.
	if last := scripts[len(scripts)-1]; !strings.Contains(last, "/seatgraph/graphiql-init.") {
		t.Errorf("last script is %q, want the bootstrap", last)
	}
}

var (
	cspNonceRE    = regexp.MustCompile(`style-src 'self' 'nonce-([A-Za-z0-9+/_-]{22,}={0,2})';`)
	scriptNonceRE = regexp.MustCompile(`<script src="([^"]*)" nonce="([^"]*)"></script>`)
)

// The one inline style GraphiQL makes is allowed by a nonce: fresh for each
// response, in the CSP and on the bootstrap's tag (which hands it to
// GraphiQL), and nowhere else.
func TestNonce(t *testing.T) {
	h := Handler("/graphql")
	seen := map[string]bool{}
	for range 3 {
		res := get(t, h, "/")
		page := body(t, res)
		csp := res.Header.Get("Content-Security-Policy")
		m := cspNonceRE.FindStringSubmatch(csp)
		if m == nil {
			t.Fatalf("CSP %q has no style nonce", csp)
		}
		tags := scriptNonceRE.FindAllStringSubmatch(page, -1)
		if len(tags) != 1 || tags[0][2] != m[1] || !strings.Contains(tags[0][1], "/seatgraph/graphiql-init.") {
			t.Fatalf("want the bootstrap alone to carry nonce %q, have %q in:\n%s", m[1], tags, page)
		}
		if strings.Count(page, m[1]) != 1 || strings.Count(csp, "nonce-") != 1 {
			t.Errorf("nonce %q shows more than once", m[1])
		}
		if seen[m[1]] {
			t.Errorf("nonce %q used twice", m[1])
		}
		seen[m[1]] = true
	}
	// The bootstrap is what hands the nonce to GraphiQL, whose scroll lock
	// reads it from __webpack_nonce__.
	initJS, _ := assets.ReadFile("assets/" + ownDir + "/" + initScript)
	gi, _ := assets.ReadFile("assets/" + vendorDir("graphiql") + "/graphiql.min.js")
	if !strings.Contains(string(initJS), "window.__webpack_nonce__ = nonce") || !strings.Contains(string(gi), "__webpack_nonce__") {
		t.Error("the nonce no longer reaches GraphiQL's <style> through __webpack_nonce__")
	}
}

func TestAssets(t *testing.T) {
	h := Handler("/graphql")
	scripts, styles, _ := pageRefs(t, body(t, get(t, h, "/")))

	type tc struct {
		path, contentType, contains string
	}
	var cases []tc
	for _, s := range scripts {
		cases = append(cases, tc{s, "text/javascript; charset=utf-8", ""})
	}
	for _, s := range styles {
		cases = append(cases, tc{s, "text/css; charset=utf-8", ""})
	}
	// What the bootstrap relies on from each vendored build.
	want := map[string]string{
		"react.production.min.js":     "React",
		"react-dom.production.min.js": "createRoot",
		"graphql-ws.min.js":           "graphql-transport-ws",
		"graphiql.min.js":             "createFetcher",
		"graphiql.min.css":            ".graphiql-container",
	}
	for i, c := range cases {
		for name, s := range want {
			if strings.HasSuffix(c.path, "/"+name) {
				cases[i].contains = s
			}
		}
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			res := get(t, h, c.path)
			b := body(t, res)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d", c.path, res.StatusCode)
			}
			if got := res.Header.Get("Content-Type"); got != c.contentType {
				t.Errorf("Content-Type = %q, want %q", got, c.contentType)
			}
			if len(b) == 0 {
				t.Error("empty body")
			}
			if !strings.Contains(b, c.contains) {
				t.Errorf("body does not contain %q", c.contains)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			// Every asset of the page has a version or content hash in its
			// path, so it can be cached for long.
			if got := res.Header.Get("Cache-Control"); !strings.Contains(got, "max-age=31536000") || !strings.Contains(got, "immutable") {
				t.Errorf("Cache-Control = %q, want a year, immutable", got)
			}
			if res.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
		})
	}
	if len(cases) != 7 {
		t.Errorf("%d assets, want 7", len(cases))
	}
}

func TestVendoredLicenses(t *testing.T) {
	for _, v := range vendored {
		dir := vendorDir(v.pkg)
		ents, err := assets.ReadDir("assets/" + dir)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range ents {
			found = found || strings.HasPrefix(e.Name(), "LICENSE")
		}
		if !found {
			t.Errorf("assets/%s has no LICENSE", dir)
		}
	}
}

func TestNotFoundAndCaching(t *testing.T) {
	h := Handler("/graphql")
	_, _, refs := pageRefs(t, body(t, get(t, h, "/")))
	var initHashed string
	for _, r := range refs {
		if strings.Contains(r, "graphiql-init.") {
			initHashed = r
		}
	}
	stale := strings.Replace(initHashed, "graphiql-init.", "graphiql-init.0", 1)

	for _, tc := range []struct {
		path         string
		status       int
		cacheControl string
	}{
		{"/graphiql/nope.js", http.StatusNotFound, ""},
		{"/graphiql/", http.StatusNotFound, ""},
		{"/graphiql/graphiql@0.0.0/graphiql.min.js", http.StatusNotFound, ""},
		{"/graphiql/../graphiql.go", http.StatusNotFound, ""},
		{stale, http.StatusNotFound, ""},
		{"/elsewhere", http.StatusNotFound, ""},
		{"/graphiql/react@18.3.1/LICENSE", http.StatusOK, "immutable"},
		// Our files by their plain name: served, but revalidated.
		{"/graphiql/seatgraph/graphiql-init.js", http.StatusOK, "no-cache"},
		{initHashed, http.StatusOK, "immutable"},
		{"/", http.StatusOK, "no-cache"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := get(t, h, tc.path)
			if res.StatusCode != tc.status {
				t.Fatalf("GET %s = %d, want %d", tc.path, res.StatusCode, tc.status)
			}
			if got := res.Header.Get("Cache-Control"); !strings.Contains(got, tc.cacheControl) {
				t.Errorf("Cache-Control = %q, want %q", got, tc.cacheControl)
			}
		})
	}
}

func TestMethodAndConditional(t *testing.T) {
	h := Handler("/graphql")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST / = %d, want 405", rec.Code)
	}

	path := Prefix + vendorDir("graphiql") + "/graphiql.min.js"
	etag := get(t, h, path).Header.Get("ETag")
	if res := get(t, h, path, "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET = %d, want 304", res.StatusCode)
	}
}

func TestGzip(t *testing.T) {
	h := Handler("/graphql")
	path := Prefix + vendorDir("graphiql") + "/graphiql.min.js"
	plain := body(t, get(t, h, path))
	res := get(t, h, path, "Accept-Encoding", "br, gzip")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary = %q", res.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(unzipped) != plain {
		t.Error("gzipped body differs from the plain one")
	}
	if res := get(t, h, path, "Accept-Encoding", "gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent though refused")
	}
}

func TestConnectSources(t *testing.T) {
	for _, tc := range []struct{ endpoint, want string }{
		{"/graphql", ""},
		{"graphql", ""},
		{"https://api.example.com/graphql", " https://api.example.com wss://api.example.com"},
		{"http://localhost:8080/graphql", " http://localhost:8080 ws://localhost:8080"},
		{"javascript:alert(1)", ""},
	} {
		if got := connectSources(tc.endpoint); got != tc.want {
			t.Errorf("connectSources(%q) = %q, want %q", tc.endpoint, got, tc.want)
		}
	}
	res := get(t, Handler("https://api.example.com/graphql"), "/")
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' https://api.example.com wss://api.example.com;") {
		t.Errorf("CSP = %q", csp)
	}
}
