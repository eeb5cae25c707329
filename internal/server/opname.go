package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sync"
)

// peekLimit is how much of a request body the request log keeps to find
// the operation's name: a query's name comes first, and bodies larger
// than this are rare.
const peekLimit = 64 << 10

// bodyPeek keeps the first peekLimit bytes of a body as the handler reads
// it, so that the log names the operation without reading the body itself.
// A handler past its deadline may still be reading when the log line is
// written, hence the lock.
type bodyPeek struct {
	io.ReadCloser
	mu  sync.Mutex
	buf []byte
}

func (b *bodyPeek) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.mu.Lock()
	if room := peekLimit - len(b.buf); room > 0 && n > 0 {
		b.buf = append(b.buf, p[:min(n, room)]...)
	}
	b.mu.Unlock()
	return n, err
}

// peeked returns a copy of what the handler has read so far.
func (b *bodyPeek) peeked() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf)
}

// peekBody wraps the body of a POST, nil otherwise.
func peekBody(r *http.Request) *bodyPeek {
	if r.Method != http.MethodPost || r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	p := &bodyPeek{ReadCloser: r.Body}
	r.Body = p
	return p
}

// operationName is the GraphQL operation a request named: operationName,
// or the name of the query document's first operation. Only the name is
// taken: variables, which may hold anything, are never looked at.
func operationName(r *http.Request, p *bodyPeek) string {
	var name, query string
	if p == nil {
		q := r.URL.Query()
		name, query = q.Get("operationName"), q.Get("query")
	} else {
		name, query = scanParams(p.peeked())
	}
	if name != "" {
		return name
	}
	if m := firstOperation.FindStringSubmatch(query); m != nil {
		return m[1]
	}
	return ""
}

// scanParams reads operationName and query from the top level of a JSON
// request body, as far as it goes: a body cut at peekLimit still yields
// what comes before the cut.
func scanParams(body []byte) (name, query string) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", ""
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return
		}
		switch key {
		case "operationName":
			_ = json.Unmarshal(raw, &name)
		case "query":
			_ = json.Unmarshal(raw, &query)
		}
	}
	return
}

// firstOperation matches the name of the operation a document opens with,
// after blanks, commas and comments.
var firstOperation = regexp.MustCompile(`^(?:[\s,\x{FEFF}]|#[^\n]*)*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)`)
