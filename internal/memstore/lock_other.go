//go:build !unix

package memstore

import (
	"errors"
	"os"
)

// lockFile cannot tell, without flock, whether another process uses the
// directory; Open refuses rather than risk two writers.
func lockFile(f *os.File) error {
	return errors.New("this platform has no flock: the data directory cannot be guarded against a second process")
}

func unlockFile(f *os.File) error { return nil }
