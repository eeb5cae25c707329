package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orgraph/orgraph/internal/org"
)

// LimitReads lets at most n query operations of srv run at once; the others
// wait their turn, in no set order, until their request's context ends
// (then UNAVAILABLE). Mutations never wait: a planner's write competes for
// the CPU with the n reads running, not with every reader connected. On two
// cores, with 200 readers and 50 planners on the embedded store (orgbench's
// write case, three runs each, interleaved), addChange's p99 was 88–169 ms
// with n = 2 against 147–192 ms unbounded; the readers' p99 rose from
// 170–213 ms to 253–915 ms. Registered after every other operation middleware, it holds
// their work too (a scenario's view is built inside the gate); parsing and
// validating a request, and answers kept by Answers, stay outside.
func LimitReads(srv *handler.Server, n int) {
	slots := make(chan struct{}, n)
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		op := graphql.GetOperationContext(ctx)
		if op.Operation == nil || op.Operation.Operation != ast.Query {
			return next(ctx)
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			// No response context yet to add an error to: the answer is made here.
			err := org.Errorf(org.EUNAVAILABLE, "the server is busy: the query waited for its turn until the request ended")
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{presentError(ctx, err)}})
		}
		h := next(ctx)
		// The transports (transport.go) call a query's handler once.
		return func(ctx context.Context) *graphql.Response {
			defer func() { <-slots }()
			return h(ctx)
		}
	})
}
