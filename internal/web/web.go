// Package web serves the browser pages the binary carries with it: the
// GraphiQL playground and the /chart page, each built from npm by
// web/build.sh into a folder here and embedded, so that the pages load
// nothing from elsewhere.
package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
)

//go:embed playground chart
var pagesFS embed.FS

// Asset is one embedded file, with its SHA-256 from SHA256SUMS and, made
// once when first asked for, its gzip form.
type asset struct {
	name, sum, ctype string
	body             []byte
	gzOnce           sync.Once
	gz               []byte
}

// Assets is a set of embedded files checked against their SHA256SUMS.
type assets struct {
	files map[string]*asset
	csp   string
}

// contentSecurityPolicy keeps the pages on this origin: scripts, styles,
// fonts, workers and requests go nowhere else (Monaco sets inline styles).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; worker-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"

func load(fsys fs.FS, dir string) (*assets, error) {
	sums, err := fs.ReadFile(fsys, dir+"/SHA256SUMS")
	if err != nil {
		return nil, err
	}
	a := &assets{files: map[string]*asset{}, csp: contentSecurityPolicy}
	sc := bufio.NewScanner(bytes.NewReader(sums))
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || strings.Contains(name, "/") {
			return nil, fmt.Errorf("%s/SHA256SUMS: malformed line %q", dir, sc.Text())
		}
		body, err := fs.ReadFile(fsys, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.files[name] = &asset{name: name, sum: sum, ctype: ctype, body: body}
	}
	return a, sc.Err()
}

// serve writes the named asset, gzipped when the client takes it, with an
// ETag from its checksum; false when there is no such asset.
func (a *assets) serve(w http.ResponseWriter, r *http.Request, name string) bool {
	f, ok := a.files[name]
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Content-Security-Policy", a.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", `"`+f.sum[:32]+`"`)
	h.Add("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, `"`+f.sum[:32]+`"`) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	body := f.body
	if len(body) > 1024 && acceptsGzip(r) {
		f.gzOnce.Do(func() {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			_, _ = zw.Write(f.body)
			_ = zw.Close()
			f.gz = b.Bytes()
		})
		body = f.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return true
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// Page is one embedded page: its index at its paths, its assets under
// its prefix.
type page struct {
	dir    string
	paths  []string // where the index is served
	prefix string   // where the assets are served
	once   sync.Once
	assets *assets
	err    error
}

var (
	playground = &page{dir: "playground", paths: []string{"/", "/index.html"}, prefix: "/playground/"}
	chart      = &page{dir: "chart", paths: []string{"/chart", "/chart/"}, prefix: "/chart/"}
)

// Playground returns the handler of the GraphiQL page (at "/", and
// "/index.html") and of its assets (under "/playground/"). It panics if
// the embedded files do not match their SHA256SUMS listing.
func Playground() http.Handler { return playground.handler() }

// Chart returns the handler of the chart page (at "/chart") and of its
// assets (under "/chart/"). It panics if the embedded files do not match
// their SHA256SUMS listing.
func Chart() http.Handler { return chart.handler() }

func (p *page) handler() http.Handler {
	p.once.Do(func() { p.assets, p.err = load(pagesFS, p.dir) })
	if p.err != nil {
		panic("web: the embedded " + p.dir + " is broken: " + p.err.Error())
	}
	a := p.assets
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := "index.html"
		if !slices.Contains(p.paths, r.URL.Path) {
			name = strings.TrimPrefix(r.URL.Path, p.prefix)
			if name == r.URL.Path || name == "SHA256SUMS" {
				http.NotFound(w, r)
				return
			}
		}
		if !a.serve(w, r, name) {
			http.NotFound(w, r)
		}
	})
}
