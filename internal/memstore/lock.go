package memstore

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

// LockFile is the file in the data directory whose lock an opened store
// holds, so that two processes never write one data file: each would
// overwrite what the other wrote. The lock goes with the process that
// holds it, a crashed one included; the file stays, naming the last pid.
const LockFile = "orgraph.lock"

// errLocked says that another process holds the lock.
var errLocked = errors.New("locked")

// lockDir takes the data directory's lock, or says who holds it.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, org.Errorf(org.EUNAVAILABLE, "data directory %s: cannot open its lock file: %v", dir, err)
	}
	if err := lockFile(f); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, errLocked) {
			who := "another process"
			if pid := strings.TrimSpace(string(holder)); pid != "" {
				who = "another orgraph process (pid " + pid + ")"
			}
			return nil, org.Errorf(org.ECONFLICT, "data directory %s is in use by %s: stop it first, or use another --data directory", dir, who)
		}
		return nil, org.Errorf(org.EUNAVAILABLE, "data directory %s: cannot lock %s: %v", dir, path, err)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return f, nil
}
