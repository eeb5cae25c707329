package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orgraph/orgraph/internal/observe"
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
	// Strict transports of our own (transport.go): gqlgen's answer
	// malformed requests without a code, echo the body back, and accept
	// trailing bytes; whatever none serves is refused with 405 or 415.
	srv.AddTransport(transport.Options{AllowedMethods: strings.Split(allowed, ", ")})
	srv.AddTransport(getTransport{})
	srv.AddTransport(postTransport{})
	srv.AddTransport(refuseTransport{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(&operationLimits{maxFields: complexityLimit}) // before the complexity walk: see limits.go
	srv.Use(extension.FixedComplexityLimit(complexityLimit))
	present := logErrors(log)
	srv.AroundOperations(scenarioViews(svc, present))
	srv.AroundRootFields(stopAtDeadline)
	srv.SetErrorPresenter(present)
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
		if gerr.Extensions["code"] == errcode.ValidationFailed && len(gerr.Path) > 0 && gerr.Path[0] == ast.PathName("variable") {
			// The document is fine; the values sent for it are not.
			gerr.Extensions["code"] = codeBadInput
		}
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

// logErrors is presentError with a log line for every internal or
// unavailable error: its code, the request id (chi's, as the request log
// line has it), the path, and the error with its cause, which the client
// never sees.
func logErrors(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		// The cause's text first: presentError rewrites the message of
		// the *gqlerror.Error gqlgen wraps a resolver's error in.
		cause := err
		var gq *gqlerror.Error
		if errors.As(cause, &gq) && gq.Err != nil {
			cause = gq.Err
		}
		var domain *org.Error
		if errors.As(cause, &domain) && domain.Err != nil {
			cause = domain.Err
		}
		text := cause.Error()
		gerr := presentError(ctx, err)
		code, _ := gerr.Extensions["code"].(string)
		observe.NoteCode(ctx, code)
		level := slog.LevelWarn
		switch code {
		case codes[org.EINTERNAL]:
			level = slog.LevelError
		case codes[org.EUNAVAILABLE]:
		default:
			return gerr
		}
		attrs := []slog.Attr{slog.String("code", code), slog.String("id", middleware.GetReqID(ctx))}
		if len(gerr.Path) > 0 {
			attrs = append(attrs, slog.String("path", gerr.Path.String()))
		}
		attrs = append(attrs, slog.String("cause", text))
		log.LogAttrs(ctx, level, "request error", attrs...)
		return gerr
	}
}

// stopAtDeadline skips the root fields not yet begun once the request's
// context is done (its deadline passed, or the client went away): the
// answer is not waited for any more.
func stopAtDeadline(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	if err := ctx.Err(); err != nil {
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	return next(ctx)
}

// isArgumentError tells the errors gqlgen raises while decoding arguments
// (an enum value it does not know, say) from failures inside resolvers.
func isArgumentError(err error) bool {
	var input *gqlerror.Error
	return errors.As(err, &input) && input.Extensions != nil && input.Extensions["code"] != nil
}
