package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orgraph/orgraph/internal/org"
)

// DefaultComplexityLimit bounds the cost of one query; each field costs 1.
const DefaultComplexityLimit = 5000

// NewServer returns the GraphQL handler over svc: POST and GET transports,
// introspection for playgrounds, a complexity limit, domain errors turned
// into extensions.code, and panics hidden from the client.
func NewServer(svc *org.Service, complexityLimit int, log *slog.Logger) *handler.Server {
	if complexityLimit <= 0 {
		complexityLimit = DefaultComplexityLimit
	}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{Service: svc}, Complexity: complexity()}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(&operationLimits{maxFields: complexityLimit}) // before the complexity walk: see limits.go
	srv.Use(extension.FixedComplexityLimit(complexityLimit))
	srv.AroundOperations(scenarioViews(svc))
	srv.SetErrorPresenter(presentError)
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return org.Errorf(org.EINTERNAL, "internal error")
	})
	return srv
}

// Codes maps the domain's error codes to extensions.code.
var codes = map[string]string{
	org.ENOTFOUND:    "NOT_FOUND",
	org.EINVALID:     "BAD_USER_INPUT",
	org.ECONFLICT:    "CONFLICT",
	org.EUNAVAILABLE: "UNAVAILABLE",
	org.EFORBIDDEN:   "FORBIDDEN",
	org.EINTERNAL:    "INTERNAL_SERVER_ERROR",
}

// presentError gives every error an extensions.code. Domain errors keep
// their message; unknown errors are reported as internal, their text hidden.
func presentError(ctx context.Context, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	if gerr.Extensions != nil && gerr.Extensions["code"] != nil {
		return gerr // gqlgen's own: GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, ...
	}
	var domain *org.Error
	switch {
	case errors.As(err, &domain):
		gerr.Message = domain.Message
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		domain = org.Errorf(org.EUNAVAILABLE, "the query took too long")
		gerr.Message = domain.Message
	default:
		var input *gqlerror.Error
		if errors.As(err, &input) && input.Rule == "" && gerr.Path != nil && isArgumentError(err) {
			domain = org.Errorf(org.EINVALID, "%s", input.Message)
		} else {
			domain = org.Errorf(org.EINTERNAL, "internal error")
			gerr.Message = domain.Message
		}
	}
	if gerr.Extensions == nil {
		gerr.Extensions = map[string]any{}
	}
	gerr.Extensions["code"] = codes[domain.Code]
	return gerr
}

// isArgumentError tells the errors gqlgen raises while decoding arguments
// (an enum value it does not know, say) from failures inside resolvers.
func isArgumentError(err error) bool {
	var input *gqlerror.Error
	return errors.As(err, &input) && input.Extensions != nil && input.Extensions["code"] != nil
}
