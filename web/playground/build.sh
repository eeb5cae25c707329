#!/usr/bin/env bash
# Rebuilds the playground (GraphiQL, pinned in package.json and
# package-lock.json) into internal/web/playground, which the binary embeds.
#
#   bash web/playground/build.sh          install exactly the locked packages (npm ci
#                                          checks each one's sha512 integrity), build,
#                                          write SHA256SUMS, run the Go checks
#   bash web/playground/build.sh --check  build into a temporary folder and fail
#                                          unless it is byte for byte what is committed
#
# Only this needs npm; `make run` and `go build` use the committed files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
if [ "${1:-}" = "--check" ]; then
	tmp="$(mktemp -d)"
	trap 'rm -rf "$tmp"' EXIT
	OUT_DIR="$tmp" node build.mjs >/dev/null
	if ! diff -u "$root/internal/web/playground/SHA256SUMS" "$tmp/SHA256SUMS"; then
		echo "build.sh --check: the committed playground differs from a fresh build" >&2
		exit 1
	fi
	echo "build.sh --check: the committed playground is what package-lock.json builds"
	exit 0
fi
node build.mjs
cd "$root" && go test ./internal/web/
