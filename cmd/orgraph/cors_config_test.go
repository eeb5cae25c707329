package main

import (
	"slices"
	"testing"
)

func TestConfigCORSOrigins(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "ORGRAPH_CORS_ORIGINS" {
				return v
			}
			return ""
		}
	}
	if c, err := loadConfig(env("")); err != nil || c.CORSOrigins != nil {
		t.Errorf("unset: %q, %v; want none (same origin only)", c.CORSOrigins, err)
	}
	c, err := loadConfig(env("http://localhost:5173, https://charts.example.org"))
	if want := []string{"http://localhost:5173", "https://charts.example.org"}; err != nil || !slices.Equal(c.CORSOrigins, want) {
		t.Errorf("a list: %q, %v; want %q", c.CORSOrigins, err, want)
	}
	if _, err := loadConfig(env("localhost:5173")); err == nil {
		t.Errorf("an origin without a scheme was taken")
	}
}
