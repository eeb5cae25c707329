package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/orgraph/orgraph/internal/org"
)

// command is one subcommand: what `orgraph help` says of it, the
// variables it reads (and so checks before it starts), and its flags.
type command struct {
	name     string
	synopsis string // after "orgraph NAME": the flags and arguments
	summary  string // one line, for the list of commands
	about    string // the rest of `orgraph help NAME`
	env      []string
	// setup defines the command's flags on fs, bound to cfg (which holds
	// the environment's values, so that they are the defaults) or to
	// variables of its own, and returns what runs once they are parsed.
	setup func(fs *flag.FlagSet, cfg *config) runner
}

// runner runs a command with its configuration and the arguments left
// after its flags.
type runner func(ctx context.Context, cfg config, args []string, o outputs) error

type outputs struct {
	stdout, stderr io.Writer
	ready          chan<- string // serve: receives the address it listens on
}

// commands are the subcommands, in the order help lists them.
var commands []*command

func init() {
	commands = []*command{serveCommand, seedCommand, importCommand, exportCommand, generateCommand, versionCommand}
}

func commandNamed(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func commandNames() string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ") + " and help"
}

// usageError is a wrong command line: an unknown command, a bad flag or
// argument. It exits 2.
type usageError struct {
	cmd string // "" for orgraph itself
	msg string
}

func (e *usageError) Error() string {
	if e.cmd == "" {
		return e.msg
	}
	return e.cmd + ": " + e.msg
}

func usageErrorf(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// dispatch runs the command args name (serve when it names none).
func dispatch(ctx context.Context, args []string, getenv func(string) string, o outputs) error {
	name := "serve"
	if len(args) > 0 {
		switch a := args[0]; {
		case a == "-h" || a == "-help" || a == "--help":
			printHelp(o.stdout)
			return nil
		case a == "-version" || a == "--version":
			name, args = "version", args[1:]
		case a == "help":
			return runHelp(args[1:], o.stdout)
		case a != "" && a[0] != '-':
			name, args = a, args[1:]
		}
	}
	c := commandNamed(name)
	if c == nil {
		return usageErrorf("", "unknown command %q; the commands are %s", name, commandNames())
	}
	cfg, err := loadConfigOf(getenv, c.env)
	return c.exec(ctx, args, cfg, err, o)
}

// exec parses the command's flags and runs it; a configuration error
// (cerr) is reported only when the command is to run, so that --help
// answers whatever the environment holds.
func (c *command) exec(ctx context.Context, args []string, cfg config, cerr error, o outputs) error {
	fs := flag.NewFlagSet("orgraph "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, and printed once, by main
	fs.Usage = func() {}
	r := c.setup(fs, &cfg)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.printHelp(o.stdout)
			return nil
		}
		return usageErrorf(c.name, "%v", err)
	}
	if cerr != nil {
		return cerr
	}
	return r(ctx, cfg, fs.Args(), o)
}

// noArgs refuses arguments after the flags.
func noArgs(cmd string, args []string) error {
	if len(args) > 0 {
		return usageErrorf(cmd, "unexpected argument %q (flags go before arguments)", args[0])
	}
	return nil
}

func runHelp(args []string, w io.Writer) error {
	switch len(args) {
	case 0:
		printHelp(w)
		return nil
	case 1:
		if args[0] == "help" {
			printHelp(w)
			return nil
		}
		if c := commandNamed(args[0]); c != nil {
			c.printHelp(w)
			return nil
		}
		return usageErrorf("help", "unknown command %q; the commands are %s", args[0], commandNames())
	}
	return usageErrorf("help", "name one command, not %d", len(args))
}

// printHelp is `orgraph help`: every command with its flags and the
// variables it reads, then every variable.
func printHelp(w io.Writer) {
	fmt.Fprint(w, `orgraph serves an organisation's structure over GraphQL: units, positions,
duties, reporting lines, cooperation and tasking, each fact with its legal source.

usage: orgraph [COMMAND] [flags] [arguments]   COMMAND is serve when omitted
       orgraph help [COMMAND]                  this text, or all about one command
       orgraph COMMAND --help                  (or -h) the same as orgraph help COMMAND

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
		printFlags(w, c.flagSet(), "              ")
		if len(c.env) > 0 {
			fmt.Fprint(w, wrap("reads "+envSummary(c.env), "              ", 80))
		}
	}
	fmt.Fprintf(w, "  %-9s %s\n", "help", "this text; help COMMAND: all about one command")
	fmt.Fprint(w, "\nEnvironment:\n")
	printEnv(w, nil)
	fmt.Fprint(w, "\n"+exitStatus)
}

const exitStatus = "Exit status: 0 done, 1 failed, 2 a wrong command line or setting (nothing was started).\n"

func (c *command) printHelp(w io.Writer) {
	fmt.Fprintf(w, "usage: orgraph %s %s\n\n%s\n", c.name, c.synopsis, strings.TrimSpace(c.about))
	fs := c.flagSet()
	if n := countFlags(fs); n > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		printFlags(w, fs, "  ")
	}
	if len(c.env) > 0 {
		fmt.Fprint(w, "\nEnvironment:\n")
		printEnv(w, c.env)
	}
	fmt.Fprint(w, "\n"+exitStatus)
}

// flagSet is the command's flags with the defaults of an empty
// environment, for help.
func (c *command) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	cfg := defaultConfig()
	c.setup(fs, &cfg)
	return fs
}

func countFlags(fs *flag.FlagSet) (n int) {
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n
}

// printFlags lists fs's flags, one a line, as --name VALUE  what (default),
// wrapped to 80 columns.
func printFlags(w io.Writer, fs *flag.FlagSet, indent string) {
	type line struct{ left, right string }
	var lines []line
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if value != "" {
			left += " " + value
		}
		if d := f.DefValue; d != "" && d != "0" && d != "false" {
			usage += " (default " + d + ")"
		}
		lines = append(lines, line{left, usage})
		width = max(width, len(left))
	})
	for _, l := range lines {
		text := wrap(l.right, indent+strings.Repeat(" ", width+2), 80)
		fmt.Fprintf(w, "%s%-*s  %s", indent, width, l.left, strings.TrimLeft(text, " "))
	}
}

// envSummary names the variables, the Neo4j ones as one group.
func envSummary(names []string) string {
	var out []string
	neo := 0
	for _, n := range names {
		if slices.Contains(neo4jVars, n) {
			neo++
			continue
		}
		out = append(out, n)
	}
	if neo == len(neo4jVars) {
		out = append(out, "NEO4J_URI and the other NEO4J_* variables")
	}
	return strings.Join(out, ", ")
}

// printEnv lists the variables named (all when names is nil) with their
// defaults and meanings.
func printEnv(w io.Writer, names []string) {
	for _, v := range envVars {
		if names != nil && !slices.Contains(names, v.Name) {
			continue
		}
		def := plain(v.Default)
		if strings.HasPrefix(v.Default, "`") { // a value, not a phrase
			def = "default " + def
		}
		fmt.Fprintf(w, "  %-25s %s\n", v.Name, def)
		fmt.Fprint(w, wrap(plain(v.Meaning), "      ", 80))
	}
}

// wrap breaks s into lines of at most width columns, each indented.
func wrap(s, indent string, width int) string {
	var b strings.Builder
	line := indent
	for _, word := range strings.Fields(s) {
		if len(line) > len(indent) && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += word
	}
	if len(line) > len(indent) {
		b.WriteString(line + "\n")
	}
	return b.String()
}

// report prints err for the user, once and prefixed once, and returns the
// exit status: 0 without an error, 2 for a wrong command line or setting,
// 1 for a failure.
func report(w io.Writer, err error) int {
	if err == nil {
		return 0
	}
	var usage *usageError
	var bad configError
	switch {
	case errors.As(err, &usage):
		fmt.Fprintf(w, "orgraph: %s\n", usage.Error())
		if usage.cmd != "" && usage.cmd != "help" {
			fmt.Fprintf(w, "Run 'orgraph %s --help' for its flags and settings.\n", usage.cmd)
		} else {
			fmt.Fprintln(w, "Run 'orgraph help' for the commands.")
		}
		return 2
	case errors.As(err, &bad):
		for _, line := range bad {
			fmt.Fprintf(w, "orgraph: %s\n", line)
		}
		fmt.Fprintln(w, "Run 'orgraph help' for the settings and what each allows.")
		return 2
	}
	fmt.Fprintf(w, "orgraph: %s\n", failureText(err))
	return 1
}

// failureText is err for the user: an *org.Error as its message (and its
// cause), without the code and prefix its Error carries.
func failureText(err error) string {
	msg := err.Error()
	var oe *org.Error
	if errors.As(err, &oe) {
		if full := oe.Error(); strings.HasSuffix(msg, full) {
			msg = strings.TrimSuffix(msg, full) + oe.Message
			if cause := errors.Unwrap(oe); cause != nil { // the operator may see it
				msg += ": " + cause.Error()
			}
		}
	}
	return unprefixed(msg)
}

// unprefixed drops the "orgraph: " that errors of internal packages may
// carry, so that main's own prefix is the only one.
func unprefixed(msg string) string {
	for strings.HasPrefix(msg, "orgraph: ") {
		msg = strings.TrimPrefix(msg, "orgraph: ")
	}
	return strings.ReplaceAll(msg, ": orgraph: ", ": ")
}

// version is set by the linker for a release
// (-ldflags "-X main.version=v1.2.0"); otherwise the module's version from
// the build info, or "devel".
var version string

// readBuildInfo is debug.ReadBuildInfo, replaced in tests.
var readBuildInfo = debug.ReadBuildInfo

var versionCommand = &command{
	name:     "version",
	synopsis: "",
	summary:  "print the version, the commit it was built from and the Go version",
	about: `Prints the version (set at build time, or the module's version, or "devel"),
the commit (vcs.revision, with "(modified)" when the work tree had changes)
and the Go version and platform it was built with. Also: orgraph --version.`,
	setup: func(fs *flag.FlagSet, cfg *config) runner {
		return func(_ context.Context, _ config, args []string, o outputs) error {
			if err := noArgs("version", args); err != nil {
				return err
			}
			fmt.Fprint(o.stdout, versionText())
			return nil
		}
	},
}

func versionText() string {
	v, commit, modified, goVersion := version, "", false, runtime.Version()
	if info, ok := readBuildInfo(); ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		if info.GoVersion != "" {
			goVersion = info.GoVersion
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "devel"
	}
	if commit == "" {
		commit = "devel"
	} else if modified {
		commit += " (modified)"
	}
	return fmt.Sprintf("orgraph %s\ncommit  %s\ngo      %s %s/%s\n", v, commit, goVersion, runtime.GOOS, runtime.GOARCH)
}
