package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orgraph/orgraph/internal/org"
)

// scenarioViews reads the scenario and asOf arguments of a query's root
// fields and makes the whole operation read that scenario's view, or the
// structure in force on that day, so that nested fields answer as if the
// scenario were applied, or on that day. One operation reads one scenario,
// one day, or the baseline.
func scenarioViews(svc *org.Service, present graphql.ErrorPresenterFunc) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		op := graphql.GetOperationContext(ctx)
		if op.Operation == nil || op.Operation.Operation != "query" {
			return next(ctx)
		}
		ids, days := map[string]bool{}, map[string]bool{}
		var changes map[string]any
		var against [2]string
		fields := graphql.CollectFields(op, op.Operation.SelectionSet, []string{"Query"})
		for _, f := range fields {
			args := f.ArgumentMap(op.Variables)
			if f.Name == "scenarioImpact" {
				// Its scenario argument names what to compare, not what to
				// read; against a past day, what it names is found in
				// either structure.
				if day, ok := args["against"].(string); ok {
					if changes != nil || len(fields) > 1 {
						return fail(ctx, present, org.Errorf(org.EINVALID, "scenarioImpact against a day is asked alone, once an operation"))
					}
					id, _ := args["scenario"].(string)
					against = [2]string{id, day}
				}
				continue
			}
			if f.Name == "structureChanges" {
				if changes != nil || len(fields) > 1 {
					return fail(ctx, present, org.Errorf(org.EINVALID, "structureChanges is asked alone, once an operation"))
				}
				changes = args
			}
			if id, ok := args["scenario"].(string); ok {
				ids[id] = true
			}
			if day, ok := args["asOf"].(string); ok {
				days[day] = true
			}
		}
		switch {
		case len(ids) > 1:
			return fail(ctx, present, org.Errorf(org.EINVALID, "one operation reads one scenario; this one names %d", len(ids)))
		case len(days) > 1:
			return fail(ctx, present, org.Errorf(org.EINVALID, "one operation reads one day; this one names %d", len(days)))
		case len(ids) == 1 && len(days) == 1:
			return fail(ctx, present, org.Errorf(org.EINVALID, "a scenario is read against today's baseline: give scenario or asOf, not both"))
		}
		if against[1] != "" {
			view, err := svc.AgainstView(ctx, against[0], against[1])
			if err != nil {
				return fail(ctx, present, err)
			}
			return next(withView(ctx, view))
		}
		if changes != nil {
			// What it names is found in either structure it compares.
			from, _ := changes["from"].(string)
			to, _ := changes["to"].(string)
			dept, _ := changes["department"].(string)
			view, err := svc.ChangesView(ctx, from, to, dept)
			if err != nil {
				return fail(ctx, present, err)
			}
			return next(withView(ctx, view))
		}
		for day := range days {
			view, err := svc.AsOf(ctx, day)
			if err != nil {
				return fail(ctx, present, err)
			}
			return next(withView(ctx, view))
		}
		for id := range ids {
			view, err := svc.View(ctx, id)
			if err != nil {
				return fail(ctx, present, err)
			}
			return next(withView(ctx, view))
		}
		return next(ctx)
	}
}

func fail(ctx context.Context, present graphql.ErrorPresenterFunc, err error) graphql.ResponseHandler {
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{present(ctx, err)}})
}

// impactParts is what the scenarioImpact field's selection asks for: the
// domain computes those parts only.
func impactParts(ctx context.Context) org.ImpactParts {
	var p org.ImpactParts
	for _, f := range graphql.CollectFieldsCtx(ctx, []string{"Impact"}) {
		switch f.Name {
		case "added":
			p.Added = true
		case "removed":
			p.Removed = true
		case "renamed":
			p.Renamed = true
		case "moved":
			p.Moved = true
		case "chainsChanged":
			p.ChainsChanged = true
		case "cutOff":
			p.CutOff = true
		case "spans":
			p.Spans = true
		case "unownedDuties":
			p.UnownedDuties = true
		case "heldTwice":
			p.HeldTwice = true
		case "cooperationSplits":
			p.CooperationSplits = true
		case "taskingOutsideLine":
			p.TaskingOutside = true
		case "breaches":
			p.Breaches = true
		}
	}
	return p
}
