package main

import (
	"context"
	"fmt"

	"github.com/orgraph/orgraph/internal/auth"
	"github.com/orgraph/orgraph/internal/org"
)

// authenticator builds who-is-who from the configuration: the tokens file,
// the admin token, the JWKS and the anonymous role. Its errors are wrong
// settings (configError), each naming its variable.
func authenticator(ctx context.Context, cfg config) (*auth.Authenticator, error) {
	ac := auth.Config{AdminToken: cfg.AdminToken, Anonymous: cfg.AnonymousRole}
	if cfg.TokensFile != "" {
		tokens, err := auth.LoadTokens(cfg.TokensFile)
		if err != nil {
			return nil, configError{fmt.Sprintf("ORGRAPH_TOKENS_FILE: %v", err)}
		}
		ac.Tokens = tokens
	}
	if cfg.JWT.JWKS != "" {
		j, err := auth.NewJWT(ctx, cfg.JWT)
		if err != nil {
			return nil, configError{fmt.Sprintf("ORGRAPH_JWT_JWKS: %v", err)}
		}
		ac.JWT = j
	}
	a, err := auth.New(ac)
	if err != nil {
		return nil, configError{fmt.Sprintf("ORGRAPH_ADMIN_TOKEN: %v", err)}
	}
	return a, nil
}

// operator is the principal of the commands run on the machine (export):
// whoever runs them holds the data already.
func operator(ctx context.Context) context.Context {
	return org.WithPrincipal(ctx, org.Principal{Subject: "orgraph-cli", Role: org.RoleAdmin})
}
