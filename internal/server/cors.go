package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/cors"
)

// ParseOrigins reads ORGRAPH_CORS_ORIGINS: origins separated by commas
// (https://app.example.org, http://localhost:5173), or * for any. Each
// must be an origin as a browser sends it: a scheme and a host, an
// optional port, no path.
func ParseOrigins(v string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(v, ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if o == "*" {
			out = append(out, o)
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("%q is not an origin (want scheme://host[:port], or *)", o)
		}
		out = append(out, u.Scheme+"://"+strings.ToLower(u.Host))
	}
	if len(out) > 1 {
		for _, o := range out {
			if o == "*" {
				return nil, fmt.Errorf("* allows every origin; list no others beside it")
			}
		}
	}
	return out, nil
}

// allowOrigins answers CORS preflights and marks the answers to the
// origins listed (go-chi/cors); nil when none are, so that browsers keep
// pages of other origins out (go-chi/cors itself would allow all).
// No credentials: the API uses no cookies, and an admin's bearer token
// travels in the Authorization header, which is allowed.
func allowOrigins(origins []string) func(http.Handler) http.Handler {
	if len(origins) == 0 {
		return nil
	}
	return cors.Handler(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost},
		AllowedHeaders: []string{"Accept", "Authorization", "Content-Type"},
		MaxAge:         600,
	})
}
