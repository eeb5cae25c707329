package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/internal/storetest"
)

func mustOpenCORSServer(tb testing.TB, origins string) *httptest.Server {
	tb.Helper()
	list, err := server.ParseOrigins(origins)
	if err != nil {
		tb.Fatal(err)
	}
	s := memstore.New()
	if err := s.Load(context.Background(), storetest.MustSeed(tb)); err != nil {
		tb.Fatal(err)
	}
	h := server.New(&org.Service{Store: s, Overlay: memstore.Overlay}, server.Config{CORSOrigins: list}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv
}

// preflight sends what a browser sends before a cross-origin POST of JSON.
func preflight(t *testing.T, srv *httptest.Server, origin string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/query", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type, authorization")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func crossPost(t *testing.T, srv *httptest.Server, origin string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/query", strings.NewReader(`{"query":"{ unit(code: \"KS-07\") { code } }"}`))
	req.Header.Set("Origin", origin)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestCORSListedOrigin(t *testing.T) {
	srv := mustOpenCORSServer(t, "https://charts.example.org, http://localhost:5173")
	resp := preflight(t, srv, "http://localhost:5173")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("preflight: status %d, want 200", resp.StatusCode)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "http://localhost:5173" {
		t.Errorf("preflight: Access-Control-Allow-Origin %q, want the origin", got)
	}
	if got := strings.ToUpper(resp.Header.Get("Access-Control-Allow-Methods")); !strings.Contains(got, "POST") {
		t.Errorf("preflight: Access-Control-Allow-Methods %q, want POST", got)
	}
	allowed := strings.Split(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), ", ")
	for _, h := range []string{"content-type", "authorization"} {
		if !slices.Contains(allowed, h) {
			t.Errorf("preflight: Access-Control-Allow-Headers %q, want %s", allowed, h)
		}
	}
	if resp.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("preflight allows credentials; the API uses none")
	}
	post, body := crossPost(t, srv, "https://charts.example.org")
	if post.StatusCode != http.StatusOK || !strings.Contains(body, `"code":"KS-07"`) {
		t.Fatalf("cross-origin POST: %d %s", post.StatusCode, body)
	}
	if got := post.Header.Get("Access-Control-Allow-Origin"); got != "https://charts.example.org" {
		t.Errorf("cross-origin POST: Access-Control-Allow-Origin %q, want the origin", got)
	}

	// An origin not listed gets no CORS headers: the browser withholds the answer.
	if got := preflight(t, srv, "https://evil.example.com").Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("preflight from an unlisted origin: Access-Control-Allow-Origin %q, want none", got)
	}
	if resp, _ := crossPost(t, srv, "https://evil.example.com"); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("POST from an unlisted origin: Access-Control-Allow-Origin %q", resp.Header.Get("Access-Control-Allow-Origin"))
	}
}

func TestCORSAnyOrigin(t *testing.T) {
	srv := mustOpenCORSServer(t, "*")
	if got := preflight(t, srv, "https://anywhere.example.net").Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("preflight: Access-Control-Allow-Origin %q, want *", got)
	}
	resp, body := crossPost(t, srv, "https://anywhere.example.net")
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(body, "KS-07") {
		t.Errorf("cross-origin POST: %q %s", resp.Header.Get("Access-Control-Allow-Origin"), body)
	}
}

// By default only the API's own origin may read its answers: no
// Access-Control-* header on a preflight or an answer.
func TestCORSDefaultSameOrigin(t *testing.T) {
	srv := mustOpenCORSServer(t, "")
	resp := preflight(t, srv, "http://localhost:5173")
	for k := range resp.Header {
		if strings.HasPrefix(k, "Access-Control-") {
			t.Errorf("preflight answered %s: %q", k, resp.Header.Get(k))
		}
	}
	post, body := crossPost(t, srv, "http://localhost:5173")
	if post.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("POST answered Access-Control-Allow-Origin %q", post.Header.Get("Access-Control-Allow-Origin"))
	}
	if !strings.Contains(body, "KS-07") { // the server answers; the browser withholds it
		t.Errorf("POST: %s", body)
	}
}

func TestParseOrigins(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		bad  bool
	}{
		{in: "", want: nil},
		{in: "*", want: []string{"*"}},
		{in: " https://A.example.org ,http://localhost:5173,", want: []string{"https://a.example.org", "http://localhost:5173"}},
		{in: "https://a.example.org/", want: []string{"https://a.example.org"}},
		{in: "a.example.org", bad: true},
		{in: "https://a.example.org/app", bad: true},
		{in: "ftp://a.example.org", bad: true},
		{in: "*, https://a.example.org", bad: true},
	} {
		got, err := server.ParseOrigins(tc.in)
		if (err != nil) != tc.bad || !slices.Equal(got, tc.want) {
			t.Errorf("ParseOrigins(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.bad)
		}
	}
}
