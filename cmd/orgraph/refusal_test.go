package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportOfWhatIsNotAnOrdinanceExits2 runs `orgraph import` on texts
// that are not ordinances: it exits 2, says why on stderr, prints nothing.
func TestImportOfWhatIsNotAnOrdinanceExits2(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, text, want string }{
		{"unit.txt", "Wydział Geodezji\nul. Grunwaldzka 8, 31-524 Kraków\ntel. 12 616 96 00\nDyrektor Wydziału: Anna Nowak\n", "this looks like a page describing one unit"},
		{"empty.txt", "", "the text is empty"},
		{"junk.bin", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06", "binary data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			out, errs, status := cli(t, nil, "import", path)
			if status != 2 || out != "" {
				t.Errorf("got status %d and output %q, want 2 and none", status, out)
			}
			if !strings.Contains(errs, tc.want) || !strings.Contains(errs, "not an organisational ordinance") {
				t.Errorf("stderr %q does not say %q", errs, tc.want)
			}
		})
	}
}
