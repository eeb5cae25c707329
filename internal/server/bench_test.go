package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/orgraph/orgraph/internal/bench"
)

// BenchmarkReferenceQueries runs the reference queries through the real
// handler over the seeded embedded store, in process: what `make profile`
// profiles to find where a request spends its time.
func BenchmarkReferenceQueries(b *testing.B) {
	h := MustOpenHandler(b)
	for _, q := range bench.Reference() {
		body, _ := json.Marshal(map[string]string{"query": q.Text})
		b.Run(q.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
						b.Fatalf("%s: status %d, %.300s", q.Name, rec.Code, rec.Body.String())
					}
				}
			})
		})
	}
}
