package export

import (
	"strconv"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

// ParseOptions reads the options from named string values, as an HTTP
// query or the command line give them: root, depth, kinds (a comma-separated
// list of relation kinds, any case), strength, scenario and table.
func ParseOptions(get func(string) string) (Options, error) {
	o := Options{Root: get("root"), Scenario: get("scenario"), AsOf: get("asOf"), Table: strings.ToLower(get("table"))}
	if o.AsOf != "" {
		if err := org.CheckDay(o.AsOf); err != nil {
			return o, err
		}
	}
	if v := get("depth"); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil || d < 0 {
			return o, org.Errorf(org.EINVALID, "depth must be a whole number from 0 (all levels), not %q", v)
		}
		o.Depth = d
	}
	if v := get("kinds"); v != "" {
		o.Kinds = []org.RelationKind{}
		for _, k := range strings.Split(v, ",") {
			k = strings.ToUpper(strings.TrimSpace(k))
			if k == "" {
				continue
			}
			if !validKinds[org.RelationKind(k)] {
				return o, org.Errorf(org.EINVALID, "unknown relation kind %q (want COOPERATES_WITH, MAY_TASK, REPORTS_TO, HEADS, PART_OF, RUNS, SERVES or SUPERVISES)", k)
			}
			o.Kinds = append(o.Kinds, org.RelationKind(k))
		}
	}
	if v := get("strength"); v != "" {
		s := org.Strength(strings.ToUpper(v))
		if s != org.Close && s != org.Standing && s != org.Plain {
			return o, org.Errorf(org.EINVALID, "strength must be CLOSE, STANDING or PLAIN, not %q", v)
		}
		o.Strength = s
	}
	if o.Table != "" && o.Table != "nodes" && o.Table != "edges" {
		return o, org.Errorf(org.EINVALID, "table must be nodes or edges, not %q", get("table"))
	}
	return o, nil
}

var validKinds = map[org.RelationKind]bool{
	org.PartOf: true, org.ReportsTo: true, org.Heads: true, org.CooperatesWith: true,
	org.MayTask: true, org.Runs: true, org.Serves: true, org.Supervises: true,
}
