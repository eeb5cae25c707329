package ordinance

import (
	"context"

	"github.com/orgraph/orgraph/internal/org"
)

// Report is what importing one text found, and whether it was loaded.
type Report struct {
	Document                                      org.Document
	Units, Positions, Entities, Relations, Duties int
	Warnings                                      []org.Repair
	Corrections                                   []string
	Loaded                                        bool
}

// Loader takes an imported graph: a store (org.Store), or the service's
// recorded import (org.Service.Import).
type Loader interface {
	Load(ctx context.Context, g *org.Graph) error
}

// Load imports one text into store (only parses and reports when dryRun):
// what the importOrdinance mutation does. A text that cannot be read is
// EINVALID; a graph the store refuses is not loaded at all.
func Load(ctx context.Context, store Loader, name, text string, dryRun bool) (Report, error) {
	if len(text) > 5<<20 {
		return Report{}, org.Errorf(org.EINVALID, "the text is longer than 5 MiB")
	}
	res, err := Import(name, text)
	if err != nil {
		return Report{}, org.Errorf(org.ErrorCodeOr(err, org.EINVALID), "%s", org.ErrorMessageOr(err))
	}
	g, err := res.Graph()
	if err != nil {
		return Report{}, err
	}
	sum := res.Summary()
	rep := Report{
		Document: g.Documents[0], Units: sum.Units, Positions: sum.Positions, Entities: sum.Entities,
		Relations: sum.Relations, Duties: sum.Duties, Corrections: res.Corrections,
	}
	for _, w := range res.Warnings() {
		rep.Warnings = append(rep.Warnings, org.Repair{Where: w.Where, Message: w.Message})
	}
	if dryRun {
		return rep, nil
	}
	if err := store.Load(ctx, g); err != nil {
		return Report{}, err
	}
	rep.Loaded = true
	return rep, nil
}
