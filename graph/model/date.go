package model

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/orgraph/orgraph/internal/org"
)

// MarshalDate writes a day (the Date scalar) as its ISO date.
func MarshalDate(day string) graphql.Marshaler { return graphql.MarshalString(day) }

// UnmarshalDate reads the Date scalar: an ISO date, 2024-06-01; anything
// else is EINVALID (BAD_USER_INPUT).
func UnmarshalDate(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", org.Errorf(org.EINVALID, "a date is written as a string: \"2024-06-01\"")
	}
	if err := org.CheckDay(s); err != nil {
		return "", err
	}
	return s, nil
}
