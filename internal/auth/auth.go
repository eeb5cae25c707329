// Package auth tells who a request comes from: a bearer token from the
// static tokens file, the admin token, or a JWT verified against a JWKS;
// none means the anonymous role. It answers with a plain org.Principal;
// what the principal may do is the domain's to decide (internal/org).
package auth

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"github.com/orgraph/orgraph/internal/org"
)

// Token is one line of the tokens file.
type Token struct {
	Token   string
	Subject string
	Role    org.Role
}

// ReadTokens reads a static tokens file in the shape of Kubernetes'
// (--token-auth-file): CSV, one token,subject,role per line. Blank lines
// and lines starting with # are skipped. A line with another number of
// fields, an empty token or subject, an unknown role or a token seen
// before is an error that names the line (never the token).
func ReadTokens(r io.Reader, name string) ([]Token, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	var out []Token
	seen := map[[sha256.Size]byte]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(rec) != 3 {
			return nil, fmt.Errorf("%s, line %d: want token,subject,role; the line has %d fields", name, line, len(rec))
		}
		t := Token{Token: strings.TrimSpace(rec[0]), Subject: strings.TrimSpace(rec[1])}
		if t.Token == "" || t.Subject == "" {
			return nil, fmt.Errorf("%s, line %d: the token and the subject must not be empty", name, line)
		}
		if t.Role, err = org.ParseRole(strings.TrimSpace(rec[2])); err != nil {
			return nil, fmt.Errorf("%s, line %d: %s", name, line, org.ErrorMessage(err))
		}
		h := sha256.Sum256([]byte(t.Token))
		if first, ok := seen[h]; ok {
			return nil, fmt.Errorf("%s, line %d: the token of line %d again", name, line, first)
		}
		seen[h] = line
		out = append(out, t)
	}
}

// LoadTokens reads the tokens file at path (ReadTokens).
func LoadTokens(path string) ([]Token, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadTokens(f, path)
}

// JWTConfig says which JWTs to accept.
type JWTConfig struct {
	// JWKS is the key set: a URL (http:// or https://, refreshed hourly
	// and on an unknown key id) or a file.
	JWKS string
	// Issuer and Audience, when set, must be the token's iss and one of
	// its aud.
	Issuer, Audience string
	// RoleClaim names the claim that holds the role (default "role").
	RoleClaim string
}

// JWT verifies tokens signed by a key of a JWKS.
type JWT struct {
	keys      keyfunc.Keyfunc
	parser    *jwt.Parser
	roleClaim string
}

// NewJWT loads the key set. ctx bounds the refreshing of a remote one.
func NewJWT(ctx context.Context, cfg JWTConfig) (*JWT, error) {
	var keys keyfunc.Keyfunc
	var err error
	if strings.HasPrefix(cfg.JWKS, "https://") || strings.HasPrefix(cfg.JWKS, "http://") {
		keys, err = keyfunc.NewDefaultCtx(ctx, []string{cfg.JWKS})
	} else {
		var raw []byte
		if raw, err = os.ReadFile(cfg.JWKS); err == nil {
			keys, err = keyfunc.NewJWKSetJSON(json.RawMessage(raw))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the JWKS %s: %w", cfg.JWKS, err)
	}
	opts := []jwt.ParserOption{
		// Signatures by a key of the set only: no "none", no HMAC with a
		// public key as the secret.
		jwt.WithValidMethods([]string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}),
		jwt.WithExpirationRequired(), jwt.WithLeeway(30 * time.Second),
	}
	if cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(cfg.Issuer))
	}
	if cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(cfg.Audience))
	}
	claim := cfg.RoleClaim
	if claim == "" {
		claim = "role"
	}
	return &JWT{keys: keys, parser: jwt.NewParser(opts...), roleClaim: claim}, nil
}

// Verify returns the principal a valid token names: its sub, and the role
// in the role claim.
func (j *JWT) Verify(ctx context.Context, token string) (org.Principal, error) {
	claims := jwt.MapClaims{}
	if _, err := j.parser.ParseWithClaims(token, claims, j.keys.KeyfuncCtx(ctx)); err != nil {
		return org.Principal{}, fmt.Errorf("the JWT is not valid: %w", err)
	}
	sub, _ := claims.GetSubject()
	if sub == "" {
		return org.Principal{}, errors.New("the JWT names no subject (sub)")
	}
	name, _ := claims[j.roleClaim].(string)
	role, err := org.ParseRole(name)
	if err != nil {
		return org.Principal{}, fmt.Errorf("the JWT's %s claim: %s", j.roleClaim, org.ErrorMessage(err))
	}
	return org.Principal{Subject: sub, Role: role}, nil
}

// None, as the anonymous role, refuses requests without a token.
const None = "none"

// Config is how requests are authenticated.
type Config struct {
	Tokens []Token
	// AdminToken, when set, is one more token: subject "admin", role admin.
	AdminToken string
	JWT        *JWT
	// Anonymous is the role of a request without a token: a role's name,
	// or None to refuse it; viewer when empty.
	Anonymous string
}

// AdminSubject is the subject of the admin token.
const AdminSubject = "admin"

// Authenticator tells a request's principal.
type Authenticator struct {
	// tokens by the SHA-256 of the token: a look-up by hash tells nothing
	// of how close a guess came.
	tokens    map[[sha256.Size]byte]org.Principal
	jwt       *JWT
	anonymous *org.Principal
}

// New checks cfg: an unknown anonymous role, or the admin token also in
// the tokens file, is an error.
func New(cfg Config) (*Authenticator, error) {
	a := &Authenticator{tokens: map[[sha256.Size]byte]org.Principal{}, jwt: cfg.JWT}
	for _, t := range cfg.Tokens {
		a.tokens[sha256.Sum256([]byte(t.Token))] = org.Principal{Subject: t.Subject, Role: t.Role}
	}
	if cfg.AdminToken != "" {
		h := sha256.Sum256([]byte(cfg.AdminToken))
		if _, ok := a.tokens[h]; ok {
			return nil, errors.New("the admin token is also in the tokens file")
		}
		a.tokens[h] = org.Principal{Subject: AdminSubject, Role: org.RoleAdmin}
	}
	switch cfg.Anonymous {
	case None:
	case "":
		a.anonymous = &org.Principal{Subject: org.AnonymousSubject, Role: org.RoleViewer, Anonymous: true}
	default:
		role, err := org.ParseRole(cfg.Anonymous)
		if err != nil {
			return nil, fmt.Errorf("the anonymous role: %s, or %s", org.ErrorMessage(err), None)
		}
		a.anonymous = &org.Principal{Subject: org.AnonymousSubject, Role: role, Anonymous: true}
	}
	return a, nil
}

// Anonymous returns an authenticator that takes every request as the
// anonymous role (a role's name, or None): for tests and tools.
func Anonymous(role string) *Authenticator {
	a, err := New(Config{Anonymous: role})
	if err != nil {
		panic(err)
	}
	return a
}

// ErrUnauthenticated is the error Authenticate returns (wrapped) for a
// request it cannot take as anyone's.
var ErrUnauthenticated = errors.New("unauthenticated")

// Authenticate returns the principal of r: the one its bearer token names,
// or the anonymous one when it carries no Authorization header. A header
// that is not a bearer token, an unknown token, and a JWT that fails
// verification (expired, wrong issuer, audience or key) are errors, never
// the anonymous principal; so is no token when the anonymous role is None.
// The messages never hold the token.
func (a *Authenticator) Authenticate(r *http.Request) (org.Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		if a.anonymous == nil {
			return org.Principal{}, fmt.Errorf("%w: this server needs a bearer token (Authorization: Bearer …)", ErrUnauthenticated)
		}
		return *a.anonymous, nil
	}
	scheme, token, _ := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return org.Principal{}, fmt.Errorf("%w: the Authorization header must be a bearer token (Authorization: Bearer …)", ErrUnauthenticated)
	}
	if p, ok := a.tokens[sha256.Sum256([]byte(token))]; ok {
		return p, nil
	}
	if a.jwt != nil && strings.Count(token, ".") == 2 {
		p, err := a.jwt.Verify(r.Context(), token)
		if err != nil {
			return org.Principal{}, fmt.Errorf("%w: %v", ErrUnauthenticated, err)
		}
		return p, nil
	}
	return org.Principal{}, fmt.Errorf("%w: the bearer token is not known", ErrUnauthenticated)
}
