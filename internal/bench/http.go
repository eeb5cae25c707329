package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
)

// Server is an HTTP server on a loopback port of its own.
type Server struct {
	URL string // http://127.0.0.1:port/query
	srv *http.Server
}

// Serve starts h on 127.0.0.1:0.
func Serve(h http.Handler) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + ln.Addr().String() + "/query", srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server at once.
func (s *Server) Close() error { return s.srv.Close() }

// FloorHandler is the HTTP floor: a bare chi router whose POST /query reads
// the request and writes answer, as orgraph would with nothing to compute.
func FloorHandler(answer []byte) http.Handler {
	r := chi.NewRouter()
	r.Post("/query", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	})
	return r
}

// NewClient returns a keep-alive client that holds a connection for each of
// clients concurrent requests.
func NewClient(clients int) *http.Client {
	return &http.Client{
		Timeout: time.Minute,
		Transport: &http.Transport{
			MaxIdleConns:        clients * 2,
			MaxIdleConnsPerHost: clients,
			MaxConnsPerHost:     clients,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
			ForceAttemptHTTP2:   false,
		},
	}
}

// Post sends body to url and returns the answer's body; a status other than
// 200 is an error.
func Post(ctx context.Context, c *http.Client, url string, body []byte) ([]byte, error) {
	return PostAs(ctx, c, url, "", body)
}

// PostAs is Post with token as the bearer token (none when empty).
func PostAs(ctx context.Context, c *http.Client, url, token string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return got, fmt.Errorf("status %d: %s", resp.StatusCode, Snippet(got))
	}
	return got, nil
}

// HTTPCase asks url the query in body and checks that the answer is want,
// byte for byte.
func HTTPCase(c *http.Client, url string, body, want []byte) Do {
	return func(ctx context.Context) error {
		got, err := Post(ctx, c, url, body)
		if err != nil {
			return err
		}
		return SameAnswer(got, want)
	}
}
