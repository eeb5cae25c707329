package bench

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Floor is the database floor of one question: the traversal as one Cypher
// statement, written by hand against orgraph's graph model, and how to
// reduce its records to the fingerprint of orgraph's answer.
type Floor struct {
	Cypher string
	Params map[string]any
	Read   func([]*neo4j.Record) (Fingerprint, error)
}

// ChainCypher is the chain of command as one variable-length pattern: up
// REPORTS_TO, and from a node that reports to no one, along HEADS to its
// head (a unit) or to the unit it heads (a position), as
// org.Service.ChainOfCommand walks it. The longest path whose nodes are
// all distinct is the chain: it stops where the line would turn back.
const ChainCypher = `
MATCH (start:Node {code: $code})
MATCH p = (start) ((a:Node)-[r:REPORTS_TO|HEADS]-(:Node)
  WHERE (type(r) = 'REPORTS_TO' AND startNode(r) = a)
     OR (type(r) = 'HEADS' AND NOT EXISTS { (a)-[:REPORTS_TO]->() }
         AND ((a:Unit AND endNode(r) = a) OR (a:Position AND startNode(r) = a))))* (:Node)
WITH p, nodes(p) AS ns
WHERE all(i IN range(1, size(ns) - 1) WHERE NOT ns[i] IN ns[..i])
RETURN [r IN relationships(p) | {from: startNode(r).id, fromName: startNode(r).name,
        to: endNode(r).id, toName: endNode(r).name,
        provision: r.provision, basis: r.basis, reason: r.reason}] AS links
ORDER BY length(p) DESC
LIMIT 1`

// CooperationCypher is every COOPERATES_WITH between a unit and other units,
// in either direction.
const CooperationCypher = `
MATCH (k:Unit {code: $code})-[r:COOPERATES_WITH]-(u:Unit)
RETURN u.code AS code, u.name AS name,
       CASE startNode(r) WHEN k THEN 'OUTGOING' ELSE 'INCOMING' END AS direction,
       startNode(r).id AS declaredBy, r.strength AS strength,
       r.provision AS provision, r.basis AS basis, r.reason AS reason
ORDER BY u.seq, u.id, direction DESC, r.seq, r.id`

// UnitsCypher is every unit with its own duties, its REPORTS_TO superior and
// its COOPERATES_WITH partners among the units.
const UnitsCypher = `
MATCH (u:Unit)
RETURN u.code AS code, u.name AS name,
  COLLECT { MATCH (u)-[:HAS_DUTY]->(d:Duty) WHERE NOT coalesce(d.common, false)
            RETURN d {.text, .provision} ORDER BY d.seq, d.id } AS duties,
  head(COLLECT { MATCH (u)-[r:REPORTS_TO]->(s:Node) RETURN s {.id, .name} ORDER BY r.seq, r.id }) AS superior,
  COLLECT { MATCH (u)-[r:COOPERATES_WITH]-(p:Unit)
            RETURN {code: p.code, name: p.name,
                    direction: CASE startNode(r) WHEN u THEN 'OUTGOING' ELSE 'INCOMING' END,
                    strength: r.strength, provision: r.provision, basis: r.basis}
            ORDER BY p.seq, p.id, r.seq, r.id } AS cooperation
ORDER BY u.seq, u.id`

// ChainFloor asks ChainCypher from the unit with the code.
func ChainFloor(code string) Floor {
	return Floor{Cypher: ChainCypher, Params: map[string]any{"code": code}, Read: readChain}
}

// CooperationFloor asks CooperationCypher for the unit with the code.
func CooperationFloor(code string) Floor {
	return Floor{Cypher: CooperationCypher, Params: map[string]any{"code": code}, Read: readCooperation}
}

// UnitsFloor asks UnitsCypher.
func UnitsFloor() Floor {
	return Floor{Cypher: UnitsCypher, Read: readUnits}
}

func readChain(recs []*neo4j.Record) (Fingerprint, error) {
	if len(recs) != 1 {
		return nil, fmt.Errorf("%d records, want 1", len(recs))
	}
	links, _ := recs[0].AsMap()["links"].([]any)
	var f Fingerprint
	for i, l := range links {
		m, _ := l.(map[string]any)
		f = append(f, ChainLine(i, str(m["from"]), str(m["to"]), str(m["provision"]), str(m["basis"]), str(m["reason"])))
	}
	return f, nil
}

func readCooperation(recs []*neo4j.Record) (Fingerprint, error) {
	var f Fingerprint
	for _, r := range recs {
		m := r.AsMap()
		f = append(f, CooperationLine(str(m["code"]), str(m["direction"]), str(m["declaredBy"]), str(m["strength"]),
			str(m["provision"]), str(m["basis"]), str(m["reason"])))
	}
	return f, nil
}

func readUnits(recs []*neo4j.Record) (Fingerprint, error) {
	var f Fingerprint
	for _, r := range recs {
		m := r.AsMap()
		var duties, coop []string
		for _, d := range list(m["duties"]) {
			duties = append(duties, str(d["provision"]))
		}
		for _, c := range list(m["cooperation"]) {
			coop = append(coop, CooperationLine(str(c["code"]), str(c["direction"]), "", str(c["strength"]), str(c["provision"]), str(c["basis"]), ""))
		}
		sup := ""
		if s, ok := m["superior"].(map[string]any); ok {
			sup = str(s["id"])
		}
		f = append(f, UnitLine(str(m["code"]), str(m["name"]), sup, duties, coop))
	}
	return f, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func list(v any) []map[string]any {
	vs, _ := v.([]any)
	out := make([]map[string]any, 0, len(vs))
	for _, v := range vs {
		m, _ := v.(map[string]any)
		out = append(out, m)
	}
	return out
}

// DBCase runs the floor's statement through the driver, as one auto-routed
// read, and checks its records against want.
func DBCase(driver neo4j.DriverWithContext, database string, f Floor, want Fingerprint) Do {
	return func(ctx context.Context) error {
		res, err := neo4j.ExecuteQuery(ctx, driver, f.Cypher, f.Params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(database), neo4j.ExecuteQueryWithReadersRouting())
		if err != nil {
			return err
		}
		got, err := f.Read(res.Records)
		if err != nil {
			return err
		}
		if !want.Equal(got) {
			return fmt.Errorf("wrong floor answer: %s", want.Diff(got))
		}
		return nil
	}
}

// Wipe deletes everything in the database, in batches so that a large
// graph does not need one huge transaction.
func Wipe(ctx context.Context, driver neo4j.DriverWithContext, database string) error {
	session := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: database})
	defer session.Close(ctx)
	res, err := session.Run(ctx, `MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`, nil)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}
