package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
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
	var got []byte
	err := postWith(ctx, c, url, token, body, func(b []byte) error {
		got = bytes.Clone(b)
		return nil
	})
	return got, err
}

// PostCheck posts body to url and calls check with the answer's body, which
// check must not keep: the load generator reads answers into buffers it
// reuses, so that its own garbage does not weigh on the server it measures
// (they share a process and its collector). A status other than 200 is an
// error.
func PostCheck(ctx context.Context, c *http.Client, url string, body []byte, check func([]byte) error) error {
	return postWith(ctx, c, url, "", body, check)
}

var answerBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func postWith(ctx context.Context, c *http.Client, url, token string, body []byte, use func([]byte) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	buf := answerBuffers.Get().(*bytes.Buffer)
	defer answerBuffers.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, Snippet(buf.Bytes()))
	}
	return use(buf.Bytes())
}

// HTTPCase asks url the query in body and checks that the answer is want,
// byte for byte.
func HTTPCase(c *http.Client, url string, body, want []byte) Do {
	return func(ctx context.Context) error {
		return PostCheck(ctx, c, url, body, func(got []byte) error { return SameAnswer(got, want) })
	}
}
