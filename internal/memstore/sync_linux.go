package memstore

import (
	"os"
	"syscall"
)

// syncData makes f's data durable, without the metadata that does not
// change when bytes are written over the log's zeroed tail: no journal
// commit, so it does not queue behind the file system's other writers.
func syncData(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }
