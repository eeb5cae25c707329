#!/usr/bin/env bash
# Rebuilds a browser page the binary embeds, from its npm packages (pinned in
# web/PAGE/package.json and package-lock.json), into internal/web/PAGE; or,
# for e2e, the browser tests' libraries into internal/e2e/testdata/libs.
#
#   bash web/build.sh PAGE          install exactly the locked packages (npm ci
#                                   checks each one's sha512 integrity), build,
#                                   write SHA256SUMS, run the Go checks
#   bash web/build.sh PAGE --check  build into a temporary folder and fail
#                                   unless it is byte for byte what is committed
#
# PAGE is playground (GraphiQL), chart (the /chart page) or e2e (d3,
# d3-org-chart and Cytoscape.js for internal/e2e's pages of another origin).
# Only this needs npm; `make run`, `go build` and `go test` use the committed
# files.
set -euo pipefail
page="${1:?usage: bash web/build.sh playground|chart|e2e [--check]}"
root="$(cd "$(dirname "$0")/.." && pwd)"
here="$root/web/$page"
[ -f "$here/build.mjs" ] || { echo "web/build.sh: no page $page (web/$page/build.mjs)" >&2; exit 2; }
# Where the page's build.mjs writes by default, and the Go tests that check it.
case "$page" in
e2e) out="internal/e2e/testdata/libs" check=(go test -run '^TestLibsMatchTheirSums$' ./internal/e2e/) ;;
*) out="internal/web/$page" check=(go test ./internal/web/) ;;
esac
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
if [ "${2:-}" = "--check" ]; then
	tmp="$(mktemp -d)"
	trap 'rm -rf "$tmp"' EXIT
	OUT_DIR="$tmp" node build.mjs >/dev/null
	if ! diff -u "$root/$out/SHA256SUMS" "$tmp/SHA256SUMS"; then
		echo "web/build.sh --check: the committed $page differs from a fresh build" >&2
		exit 1
	fi
	echo "web/build.sh --check: the committed $page is what package-lock.json builds"
	exit 0
fi
node build.mjs
cd "$root" && "${check[@]}"
