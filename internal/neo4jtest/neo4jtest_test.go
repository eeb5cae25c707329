package neo4jtest_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/orgraph/orgraph/internal/neo4jtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	neo4jtest.Cleanup()
	os.Exit(code)
}

func TestNeo4jConnect(t *testing.T) {
	t.Logf("backend: %s", neo4jtest.Describe())
	drv := neo4jtest.Connect(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := neo4j.ExecuteQuery(ctx, drv, "RETURN 1 AS one", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatalf("RETURN 1: %v", err)
	}
	if len(res.Records) != 1 {
		t.Fatalf("RETURN 1: got %d records, want 1", len(res.Records))
	}
	one, _, err := neo4j.GetRecordValue[int64](res.Records[0], "one")
	if err != nil || one != 1 {
		t.Fatalf("RETURN 1: got %v (err %v), want 1", one, err)
	}
}

func TestNeo4jServerRestart(t *testing.T) {
	srv := neo4jtest.StartServer(t)
	drv, err := neo4j.NewDriverWithContext(srv.URI(), neo4j.NoAuth(), func(c *neo4j.Config) {
		c.SocketConnectTimeout = 2 * time.Second
		c.ConnectionAcquisitionTimeout = 5 * time.Second
		c.MaxTransactionRetryTime = 2 * time.Second
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = drv.Close(context.Background()) })

	query := func(timeout time.Duration, cypher string, params map[string]any) (*neo4j.EagerResult, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return neo4j.ExecuteQuery(ctx, drv, cypher, params, neo4j.EagerResultTransformer)
	}

	id := fmt.Sprintf("restart-%d", time.Now().UnixNano())
	if _, err := query(30*time.Second, "CREATE (:RestartProbe {id: $id})", map[string]any{"id": id}); err != nil {
		t.Fatalf("create node: %v", err)
	}

	srv.Stop()
	if _, err := query(10*time.Second, "RETURN 1", nil); err == nil {
		t.Fatal("query succeeded while the server was stopped")
	} else {
		t.Logf("while stopped, as expected: %v", err)
	}

	srv.Start()
	// The driver must recover by itself: its pooled connections are dead.
	var res *neo4j.EagerResult
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err = query(10*time.Second, "MATCH (n:RestartProbe {id: $id}) RETURN count(n) AS c", map[string]any{"id": id})
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("query after restart: %v", err)
	}
	c, _, err := neo4j.GetRecordValue[int64](res.Records[0], "c")
	if err != nil || c != 1 {
		t.Fatalf("node after restart: count %d (err %v), want 1", c, err)
	}
}
