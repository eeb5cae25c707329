package server

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/orgraph/orgraph/graph"
	"github.com/orgraph/orgraph/internal/auth"
	"github.com/orgraph/orgraph/internal/org"
)

// authenticate puts the request's principal in its context
// (org.WithPrincipal), or refuses the request, 401 UNAUTHENTICATED, when
// its token is bad or missing where one is needed. The log line names the
// reason, never the token.
func authenticate(a *auth.Authenticator, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, err := a.Authenticate(r)
			if err != nil {
				msg := strings.TrimPrefix(err.Error(), auth.ErrUnauthenticated.Error()+": ")
				log.LogAttrs(r.Context(), slog.LevelWarn, "refused: unauthenticated",
					slog.String("id", middleware.GetReqID(r.Context())), slog.String("cause", msg))
				w.Header().Set("WWW-Authenticate", `Bearer realm="orgraph"`)
				graph.WriteError(w, r, http.StatusUnauthorized, graph.CodeUnauthenticated, msg)
				return
			}
			next.ServeHTTP(w, r.WithContext(org.WithPrincipal(r.Context(), p)))
		})
	}
}
