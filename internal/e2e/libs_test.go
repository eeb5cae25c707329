package e2e_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLibsMatchTheirSums: testdata/libs is what its SHA256SUMS says, the
// sums bash web/build.sh e2e --check compares with a fresh build.
func TestLibsMatchTheirSums(t *testing.T) {
	dir := filepath.Join("testdata", "libs")
	f, err := os.Open(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	listed := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS: bad line %q", sc.Text())
		}
		listed[name] = true
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
			continue
		}
		if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s is not the file SHA256SUMS lists: rebuild with bash web/build.sh e2e", name)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "SHA256SUMS" && !listed[e.Name()] {
			t.Errorf("%s is in testdata/libs but not in SHA256SUMS", e.Name())
		}
	}
	if len(listed) == 0 {
		t.Error("SHA256SUMS lists no file")
	}
}
