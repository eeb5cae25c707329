package main

import (
	"bufio"
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// repoFile reads a file at the root of the module.
func repoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The Dockerfile's go build line, run as it stands (there is no Docker
// engine here), makes a static binary with the seed inside: it prints the
// version it was given and exports the seeded org chart from an empty
// directory. The image it runs in is distroless or scratch, as non-root.
func TestDockerfileBuildsAStaticBinary(t *testing.T) {
	dockerfile := repoFile(t, "Dockerfile")
	var build string
	var stages []string
	sc := bufio.NewScanner(strings.NewReader(dockerfile))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "RUN ") && strings.Contains(line, " go build ") {
			build = strings.TrimPrefix(line, "RUN ")
		}
		if strings.HasPrefix(line, "FROM ") {
			stages = append(stages, line)
		}
	}
	if build == "" || !strings.HasPrefix(build, "CGO_ENABLED=0 ") || !strings.Contains(build, "-o /out/orgraph ./cmd/orgraph") {
		t.Fatalf("the Dockerfile has no `RUN CGO_ENABLED=0 go build ... -o /out/orgraph ./cmd/orgraph` line: %q", build)
	}
	if len(stages) != 2 || !regexp.MustCompile(`^FROM (gcr\.io/distroless/static\S*|scratch)$`).MatchString(stages[1]) {
		t.Errorf("want a build stage and a distroless static (or scratch) one, got %q", stages)
	}
	if !regexp.MustCompile(`(?m)^USER nonroot(:nonroot)?$`).MatchString(dockerfile) ||
		!strings.Contains(dockerfile, "COPY --from=build /out/orgraph ") {
		t.Errorf("the image must copy the built binary and run as nonroot")
	}

	out := t.TempDir()
	bin := filepath.Join(out, "orgraph")
	cmd := exec.Command("sh", "-c", strings.Replace(build, "/out/orgraph", bin, 1))
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "VERSION=v0.0.0-docker-test")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", build, err, b)
	}

	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("the binary asks for a dynamic loader: not static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary links %v: not static", libs)
	}

	run := func(args ...string) string {
		t.Helper()
		c := exec.Command(bin, args...)
		c.Dir = t.TempDir() // nothing beside it: what it serves is inside it
		c.Env = []string{"ORGRAPH_DATA=" + filepath.Join(c.Dir, "data")}
		b, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("orgraph %s: %v\n%s", strings.Join(args, " "), err, b)
		}
		return string(b)
	}
	if v := run("version"); !strings.HasPrefix(v, "orgraph v0.0.0-docker-test") {
		t.Errorf("orgraph version: %q, want the VERSION given at build", v)
	}
	if csv := run("export", "--format", "csv"); !strings.Contains(csv, "KS-07") || !strings.Contains(csv, "Referat ds. Wydawnictw i Publikacji") {
		t.Errorf("orgraph export from an empty directory does not hold the seed:\n%.500s", csv)
	}
}

// compose.yaml parses (with `docker compose config` where the client has
// compose, with a YAML parser otherwise) into Neo4j 5.26 with a health
// check and a volume, and orgraph waiting for it to be healthy, with an
// environment orgraph accepts.
func TestComposeFile(t *testing.T) {
	const password = "compose-test-secret"
	var doc map[string]any
	if exec.Command("docker", "compose", "version").Run() == nil {
		cmd := exec.Command("docker", "compose", "-f", "compose.yaml", "config", "--format", "json")
		cmd.Dir = filepath.Join("..", "..")
		cmd.Env = append(os.Environ(), "NEO4J_PASSWORD="+password)
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("docker compose config: %v", err)
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Log("no docker compose here: compose.yaml read with a YAML parser")
		text := regexp.MustCompile(`\$\{NEO4J_PASSWORD[^}]*\}`).ReplaceAllString(repoFile(t, "compose.yaml"), password)
		text = regexp.MustCompile(`\$\{ORGRAPH_ADMIN_TOKEN:-\}`).ReplaceAllString(text, "")
		if strings.Contains(text, "${") {
			t.Fatalf("compose.yaml uses a variable this test does not stand in for")
		}
		if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
			t.Fatalf("compose.yaml: %v", err)
		}
	}
	get := func(path ...string) any {
		var v any = doc
		for _, k := range path {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		return v
	}
	str := func(path ...string) string { return fmt.Sprint(get(path...)) }

	if got := str("services", "neo4j", "image"); got != "neo4j:5.26" {
		t.Errorf("neo4j image %q, want neo4j:5.26", got)
	}
	if test, _ := get("services", "neo4j", "healthcheck", "test").([]any); len(test) < 2 {
		t.Errorf("neo4j has no health check: %v", get("services", "neo4j", "healthcheck"))
	}
	if vols := fmt.Sprint(get("services", "neo4j", "volumes")); !strings.Contains(vols, "neo4j-data") || !strings.Contains(vols, "/data") {
		t.Errorf("neo4j does not keep /data in the neo4j-data volume: %s", vols)
	}
	if _, ok := get("volumes").(map[string]any)["neo4j-data"]; !ok {
		t.Errorf("no top-level volume neo4j-data")
	}
	if got := str("services", "neo4j", "environment", "NEO4J_AUTH"); got != "neo4j/"+password {
		t.Errorf("NEO4J_AUTH %q, want neo4j/ and NEO4J_PASSWORD", got)
	}
	if got := str("services", "orgraph", "depends_on", "neo4j", "condition"); got != "service_healthy" {
		t.Errorf("orgraph waits for neo4j with condition %q, want service_healthy", got)
	}
	if get("services", "orgraph", "build") == nil {
		t.Errorf("orgraph is not built from the Dockerfile")
	}

	env := map[string]string{}
	for k, v := range get("services", "orgraph", "environment").(map[string]any) {
		if v != nil {
			env[k] = fmt.Sprint(v)
		}
	}
	for k := range env {
		if !isEnvVar(k) {
			t.Errorf("orgraph's environment sets %s, which orgraph does not read", k)
		}
	}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("orgraph refuses compose.yaml's environment: %v", err)
	}
	if cfg.Neo4j.URI != "bolt://neo4j:7687" || cfg.Neo4j.Username != "neo4j" || cfg.Neo4j.Password != password || cfg.Addr != ":8080" {
		t.Errorf("orgraph's settings: %+v", cfg)
	}
}

func isEnvVar(name string) bool {
	for _, v := range envVars {
		if v.Name == name {
			return true
		}
	}
	return false
}
