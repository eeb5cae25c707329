package server

import (
	"bytes"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/orgraph/orgraph/graph"
	"github.com/orgraph/orgraph/internal/export"
	"github.com/orgraph/orgraph/internal/org"
)

// exportStatus maps the domain's error codes to an HTTP status and the
// extensions.code /query would give.
var exportStatus = map[string]struct {
	status int
	code   string
}{
	org.ENOTFOUND:    {http.StatusNotFound, "NOT_FOUND"},
	org.EINVALID:     {http.StatusBadRequest, "BAD_USER_INPUT"},
	org.EUNAVAILABLE: {http.StatusServiceUnavailable, "UNAVAILABLE"},
}

// exportChart answers GET /export/orgchart.{format}: the chart in one of
// export.Formats, with root, depth, kinds, strength, scenario and (csv)
// table from the query string.
func exportChart(svc *org.Service) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		format := chi.URLParam(r, "format")
		if !slices.Contains(export.Formats, format) {
			graph.WriteError(w, r, http.StatusNotFound, "NOT_FOUND", "no export format "+format+"; want cyjs, dot, mmd, graphml, csv or json")
			return
		}
		fail := func(err error) {
			s, ok := exportStatus[org.ErrorCode(err)]
			if !ok {
				s.status, s.code = http.StatusInternalServerError, "INTERNAL_SERVER_ERROR"
			}
			graph.WriteError(w, r, s.status, s.code, org.ErrorMessage(err))
		}
		opt, err := export.ParseOptions(r.URL.Query().Get)
		if err != nil {
			fail(err)
			return
		}
		doc, err := export.Build(r.Context(), svc, opt)
		if err != nil {
			fail(err)
			return
		}
		var b bytes.Buffer
		if err := export.Write(&b, format, doc, opt); err != nil {
			fail(err)
			return
		}
		name := "orgchart." + format
		if format == "csv" && opt.Table == "edges" {
			name = "orgchart-edges.csv"
		}
		w.Header().Set("Content-Type", export.ContentType[format])
		w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
		_, _ = w.Write(b.Bytes())
	}
}
