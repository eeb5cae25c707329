package auth_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/orgraph/orgraph/internal/auth"
	"github.com/orgraph/orgraph/internal/org"
)

func TestReadTokens(t *testing.T) {
	good := "# token,subject,role\nt1,anna,viewer\n\n t2 , piotr , planner\nt3,ada,admin\n"
	tokens, err := auth.ReadTokens(strings.NewReader(good), "tokens.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []auth.Token{{"t1", "anna", org.RoleViewer}, {"t2", "piotr", org.RolePlanner}, {"t3", "ada", org.RoleAdmin}}
	if fmt.Sprint(tokens) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", tokens, want)
	}
	for _, tc := range []struct{ text, want string }{
		{"t1,anna,viewer\nt2,piotr,owner\n", "tokens.csv, line 2: \"owner\" is not a role"},
		{"t1,anna,viewer\nt1,piotr,planner\n", "tokens.csv, line 2: the token of line 1 again"},
		{"t1,anna\n", "tokens.csv, line 1: want token,subject,role; the line has 2 fields"},
		{"t1,anna,viewer,extra\n", "line 1: want token,subject,role; the line has 4 fields"},
		{"\n\nt1,,viewer\n", "tokens.csv, line 3: the token and the subject must not be empty"},
		{"t1,\"anna,viewer\n", "tokens.csv"},
	} {
		_, err := auth.ReadTokens(strings.NewReader(tc.text), "tokens.csv")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want an error with %q", tc.text, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "t1") {
			t.Errorf("%q: the error %q holds the token", tc.text, err)
		}
	}
}

func request(header string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/query", nil)
	if header != "" {
		r.Header.Set("Authorization", header)
	}
	return r
}

func TestAuthenticate(t *testing.T) {
	tokens := []auth.Token{{"t-planner", "piotr", org.RolePlanner}}
	for _, tc := range []struct {
		anonymous, header string
		want              string // subject role, or "unauthenticated"
	}{
		{"", "", "anonymous viewer"},
		{"planner", "", "anonymous planner"},
		{auth.None, "", "unauthenticated"},
		{auth.None, "Bearer t-planner", "piotr planner"},
		{"", "bearer t-planner", "piotr planner"},
		{"", "Bearer sekret", "admin admin"},
		{"", "Bearer unknown", "unauthenticated"},
		{"", "Basic dDpw", "unauthenticated"},
		{"", "Bearer ", "unauthenticated"},
		{"", "Bearer a.b.c", "unauthenticated"}, // a JWT where none is configured
	} {
		a, err := auth.New(auth.Config{Tokens: tokens, AdminToken: "sekret", Anonymous: tc.anonymous})
		if err != nil {
			t.Fatal(err)
		}
		p, err := a.Authenticate(request(tc.header))
		got := p.Subject + " " + string(p.Role)
		if err != nil {
			got = "unauthenticated"
			if !errors.Is(err, auth.ErrUnauthenticated) {
				t.Errorf("%q: %v is not ErrUnauthenticated", tc.header, err)
			}
			if _, tok, _ := strings.Cut(tc.header, " "); len(tok) > 3 && strings.Contains(err.Error(), tok) {
				t.Errorf("%q: the error %q holds the token", tc.header, err)
			}
		}
		if got != tc.want || (err == nil && p.Anonymous != (tc.header == "")) {
			t.Errorf("anonymous %q, header %q: got %q (anonymous %v), want %q", tc.anonymous, tc.header, got, p.Anonymous, tc.want)
		}
	}
	if _, err := auth.New(auth.Config{Anonymous: "owner"}); err == nil {
		t.Error("an unknown anonymous role was taken")
	}
	if _, err := auth.New(auth.Config{Tokens: []auth.Token{{"same", "x", org.RoleViewer}}, AdminToken: "same"}); err == nil {
		t.Error("the admin token in the tokens file was taken")
	}
}

// keys is an Ed25519 key pair and its JWKS.
type keys struct {
	private ed25519.PrivateKey
	jwks    string
}

func newKeys(t *testing.T, kid string) keys {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	x := base64.RawURLEncoding.EncodeToString(pub)
	return keys{priv, fmt.Sprintf(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":%q,"kid":%q,"alg":"EdDSA","use":"sig"}]}`, x, kid)}
}

func (k keys) sign(t *testing.T, kid string, claims jwt.MapClaims) string {
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(k.private)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJWT(t *testing.T) {
	k := newKeys(t, "k1")
	stranger := newKeys(t, "k1") // the same key id, another key
	dir := t.TempDir()
	file := filepath.Join(dir, "jwks.json")
	if err := os.WriteFile(file, []byte(k.jwks), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(k.jwks))
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	now := time.Now()
	valid := func() jwt.MapClaims {
		return jwt.MapClaims{"sub": "ewa", "iss": "https://idp.example", "aud": "orgraph", "exp": now.Add(time.Hour).Unix(), "orgraph_role": "planner"}
	}
	with := func(key string, v any) jwt.MapClaims {
		c := valid()
		if v == nil {
			delete(c, key)
		} else {
			c[key] = v
		}
		return c
	}
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, valid())
	hmac, _ := hs.SignedString([]byte(k.jwks)) // the public key set as an HMAC secret
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, valid()).SignedString(jwt.UnsafeAllowNoneSignatureType)

	for _, source := range []string{file, srv.URL} {
		j, err := auth.NewJWT(ctx, auth.JWTConfig{JWKS: source, Issuer: "https://idp.example", Audience: "orgraph", RoleClaim: "orgraph_role"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := auth.New(auth.Config{JWT: j})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, token, want string
		}{
			{"valid", k.sign(t, "k1", valid()), "ewa planner"},
			{"expired", k.sign(t, "k1", with("exp", now.Add(-time.Hour).Unix())), "unauthenticated"},
			{"no expiry", k.sign(t, "k1", with("exp", nil)), "unauthenticated"},
			{"another issuer", k.sign(t, "k1", with("iss", "https://evil.example")), "unauthenticated"},
			{"another audience", k.sign(t, "k1", with("aud", "someone-else")), "unauthenticated"},
			{"no subject", k.sign(t, "k1", with("sub", nil)), "unauthenticated"},
			{"no role", k.sign(t, "k1", with("orgraph_role", nil)), "unauthenticated"},
			{"an unknown role", k.sign(t, "k1", with("orgraph_role", "root")), "unauthenticated"},
			{"another key", stranger.sign(t, "k1", valid()), "unauthenticated"},
			{"HMAC with the key set", hmac, "unauthenticated"},
			{"alg none", none, "unauthenticated"},
		} {
			p, err := a.Authenticate(request("Bearer " + tc.token))
			got := p.Subject + " " + string(p.Role)
			if err != nil {
				got = "unauthenticated"
				if strings.Contains(err.Error(), tc.token) {
					t.Errorf("%s: the error holds the token", tc.name)
				}
			}
			if got != tc.want {
				t.Errorf("%s (%s): got %q (%v), want %q", tc.name, source, got, err, tc.want)
			}
		}
	}
	if _, err := auth.NewJWT(ctx, auth.JWTConfig{JWKS: filepath.Join(dir, "missing.json")}); err == nil {
		t.Error("a missing JWKS file was taken")
	}
}
