package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestPagesIntegrity holds each embedded page to its SHA256SUMS: every
// file listed, every listed file there, every checksum right. A file
// changed by hand, or a build not run through web/build.sh, fails here.
func TestPagesIntegrity(t *testing.T) {
	// A production build of the playground is about 6.6 MB (Monaco is
	// most of it), of the chart about 0.5 MB; a development build or stray
	// source maps would double them.
	for _, c := range []struct {
		p   *page
		max int
	}{{playground, 8 << 20}, {chart, 2 << 20}} {
		dir := c.p.dir
		sums, err := fs.ReadFile(pagesFS, dir+"/SHA256SUMS")
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]bool{}
		sc := bufio.NewScanner(bytes.NewReader(sums))
		for sc.Scan() {
			want, name, ok := strings.Cut(sc.Text(), "  ")
			if !ok {
				t.Fatalf("%s: malformed SHA256SUMS line %q", dir, sc.Text())
			}
			body, err := fs.ReadFile(pagesFS, dir+"/"+name)
			if err != nil {
				t.Fatalf("%s/%s is listed in SHA256SUMS but missing: %v", dir, name, err)
			}
			sum := sha256.Sum256(body)
			if got := hex.EncodeToString(sum[:]); got != want {
				t.Errorf("%s/%s: sha256 %s, SHA256SUMS says %s (rebuild with bash web/build.sh %s)", dir, name, got, want, dir)
			}
			listed[name] = true
		}
		entries, err := fs.ReadDir(pagesFS, dir)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, e := range entries {
			if e.Name() == "SHA256SUMS" {
				continue
			}
			if !listed[e.Name()] {
				t.Errorf("%s/%s is embedded but not in SHA256SUMS", dir, e.Name())
			}
			info, _ := e.Info()
			total += int(info.Size())
		}
		if total > c.max {
			t.Errorf("%s weighs %d bytes; want a production build under %d", dir, total, c.max)
		}
	}
}

// TestChartLoadsNothingFromElsewhere checks the chart page names only its
// own assets, that each exists, and that it asks only this server.
func TestChartLoadsNothingFromElsewhere(t *testing.T) {
	h := Chart()
	for _, p := range []string{"/chart", "/chart/"} {
		page := get(t, h, p, "")
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), `id="cy"`) {
			t.Fatalf("GET %s: %d %q", p, page.Code, page.Body.String())
		}
	}
	page := get(t, h, "/chart", "")
	if csp := page.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy %q, want default-src 'self'", csp)
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page.Body.String(), -1)
	assets := 0
	for _, m := range refs {
		switch {
		case m[1] == "/":
			// the link to the playground
		case strings.HasPrefix(m[1], "/chart/"):
			assets++
			if rec := get(t, h, m[1], ""); rec.Code != http.StatusOK {
				t.Errorf("GET %s: %d", m[1], rec.Code)
			}
		default:
			t.Errorf("the page loads %q, not a local asset", m[1])
		}
	}
	if assets != 2 {
		t.Errorf("the page names %d assets, want the script and the stylesheet", assets)
	}
	js := get(t, h, "/chart/chart.js", "").Body.String()
	if !strings.Contains(js, `fetch("/query"`) {
		t.Errorf("chart.js does not ask this server's /query")
	}
	for _, p := range []string{"/chart/SHA256SUMS", "/chart/nope.js", "/chart/../web.go"} {
		if rec := get(t, h, p, ""); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, rec.Code)
		}
	}
}

// TestPlaygroundLoadsNothingFromElsewhere checks the page and stylesheet
// name only local assets, and that each exists.
func TestPlaygroundLoadsNothingFromElsewhere(t *testing.T) {
	h := Playground()
	page := get(t, h, "/", "")
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), `id="graphiql"`) {
		t.Fatalf("GET /: %d %q", page.Code, page.Body.String())
	}
	if csp := page.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy %q, want default-src 'self'", csp)
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page.Body.String(), -1)
	if len(refs) < 2 {
		t.Fatalf("the page names %d assets, want the script and the stylesheet", len(refs))
	}
	for _, m := range refs {
		if !strings.HasPrefix(m[1], "/playground/") {
			t.Errorf("the page loads %q, not a local asset", m[1])
			continue
		}
		if rec := get(t, h, m[1], ""); rec.Code != http.StatusOK {
			t.Errorf("GET %s: %d", m[1], rec.Code)
		}
	}
	css := get(t, h, "/playground/graphiql.css", "").Body.String()
	for _, m := range regexp.MustCompile(`url\(([^)]+)\)`).FindAllStringSubmatch(css, -1) {
		u := strings.Trim(m[1], `"'`)
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "#") {
			continue
		}
		if strings.Contains(u, "//") {
			t.Errorf("graphiql.css loads %q from elsewhere", u)
		} else if rec := get(t, h, "/playground/"+strings.TrimPrefix(u, "./"), ""); rec.Code != http.StatusOK {
			t.Errorf("graphiql.css names %q: GET %d", u, rec.Code)
		}
	}
	js := get(t, h, "/playground/graphiql.js", "")
	if ct := js.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") && !strings.HasPrefix(ct, "application/javascript") {
		t.Errorf("graphiql.js Content-Type %q", ct)
	}
	for _, w := range []string{"editor.worker.js", "json.worker.js", "graphql.worker.js"} {
		if !strings.Contains(js.Body.String(), w) {
			t.Errorf("graphiql.js does not name its worker %s", w)
		}
	}
}

func TestPlaygroundServesGzipAndETag(t *testing.T) {
	h := Playground()
	plain := get(t, h, "/playground/graphiql.js", "")
	zipped := get(t, h, "/playground/graphiql.js", "gzip, deflate")
	if zipped.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", zipped.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, plain.Body.Bytes()) {
		t.Errorf("the gzipped graphiql.js differs from the plain one")
	}
	if zipped.Body.Len() >= plain.Body.Len()/2 {
		t.Errorf("gzip saves little: %d of %d bytes", zipped.Body.Len(), plain.Body.Len())
	}
	req := httptest.NewRequest(http.MethodGet, "/playground/graphiql.js", nil)
	req.Header.Set("If-None-Match", plain.Header().Get("ETag"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match with the ETag: %d, want 304", rec.Code)
	}
	for _, p := range []string{"/playground/SHA256SUMS", "/playground/nope.js", "/playground/../web.go", "/elsewhere"} {
		if rec := get(t, h, p, ""); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, rec.Code)
		}
	}
}

func get(t *testing.T, h http.Handler, path, enc string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if enc != "" {
		req.Header.Set("Accept-Encoding", enc)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
