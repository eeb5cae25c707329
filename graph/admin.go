package graph

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

type adminKey struct{}

// errForbidden is returned by admin mutations to requests without the token.
var errForbidden = &org.Error{Code: org.EFORBIDDEN, Message: "this mutation needs the admin token (Authorization: Bearer …; the server's ORGRAPH_ADMIN_TOKEN)"}

// WithAdmin is middleware that marks requests carrying the admin token as
// admin's. Without a token configured, no request is.
func WithAdmin(token string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if token != "" && ok && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1 {
				r = r.WithContext(context.WithValue(r.Context(), adminKey{}, true))
			}
			next.ServeHTTP(w, r)
		})
	}
}

func isAdmin(ctx context.Context) bool {
	ok, _ := ctx.Value(adminKey{}).(bool)
	return ok
}
