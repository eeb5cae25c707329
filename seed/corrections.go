package seed

import (
	"embed"
	"io/fs"
)

// The manual corrections: what the importer (internal/ordinance) cannot
// read from an act's text and a reader adds by judgement, one file per act.
// CORRECTIONS.md explains each one.
//
//go:embed corrections/*.json
var corrections embed.FS

// Corrections returns the shipped corrections files.
func Corrections() fs.FS {
	sub, err := fs.Sub(corrections, "corrections")
	if err != nil {
		panic(err) // the directory is embedded above; it is always there
	}
	return sub
}
