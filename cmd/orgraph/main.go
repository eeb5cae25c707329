// Command orgraph serves the organisation graph over GraphQL.
//
//	orgraph serve   serve the seeded graph (the default command)
//	orgraph seed    load the seed into the configured store and exit
//
// Configuration comes from the environment: ADDR (default 127.0.0.1:8080);
// NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE to use Neo4j
// instead of the embedded store.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/orgraph/orgraph/internal/memstore"
	"github.com/orgraph/orgraph/internal/org"
	"github.com/orgraph/orgraph/internal/server"
	"github.com/orgraph/orgraph/seed"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "orgraph:", err)
		os.Exit(1)
	}
}

// run is main without the process: it returns when ctx ends or on error.
// When ready is not nil, it receives the address the server listens on.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready chan<- string) error {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("orgraph "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr(getenv, "ADDR", "127.0.0.1:8080"), "address to listen on ($ADDR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch cmd {
	case "serve":
		return serve(ctx, *addr, log, ready)
	case "seed":
		return errors.New("seed: only the Neo4j store needs seeding; set NEO4J_URI")
	default:
		return fmt.Errorf("unknown command %q (want serve or seed)", cmd)
	}
}

func serve(ctx context.Context, addr string, log *slog.Logger, ready chan<- string) error {
	store := memstore.New()
	g, err := seed.Graph()
	if err != nil {
		return err
	}
	if err := store.Load(ctx, g); err != nil {
		return err
	}
	log.Info("store ready", "store", "embedded", "nodes", len(g.Nodes), "relations", len(g.Relations), "duties", len(g.Duties))

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           server.New(org.NewService(store), server.Config{}, log),
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Info("listening", "addr", "http://"+ln.Addr().String(), "playground", "http://"+ln.Addr().String()+"/")
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
