#!/usr/bin/env bash
# packaging/setup.sh does only what each mode needs (issue 12, defect 12): `run` never calls npm (only the tests
# need node packages) and, on a configured build folder, does not configure again. Checked with --dry-run, which
# prints the commands that would change something; an `npm` on PATH that fails loudly catches any real call.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$1"
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
cat >"$tools/npm" <<'NPM'
#!/bin/sh
echo "npm was called: $*" >>"$(dirname "$0")/npm-calls"
exit 1
NPM
chmod +x "$tools/npm"
[ -f "$build/build.ninja" ] || { echo "not a configured build folder: $build"; exit 1; }

for attempt in 1 2; do
    out="$(PATH="$tools:$PATH" TUNESMITH_BUILD_DIR="$build" "$here/packaging/setup.sh" run --dry-run 2>&1)" \
        || { echo "setup.sh run --dry-run failed:"; echo "$out"; exit 1; }
    if grep -qi npm <<<"$out" || [ -f "$tools/npm-calls" ]; then
        echo "run (attempt $attempt) touches npm:"; echo "$out"; cat "$tools/npm-calls" 2>/dev/null; exit 1
    fi
    if grep -q "would run: cmake -S" <<<"$out"; then
        echo "run (attempt $attempt) configures a configured build folder again:"; echo "$out"; exit 1
    fi
    for expected in "would run: cmake --build $build" "would run: $build/app/cli/tunesmith-cli demo" \
        "would run: .*$build/app/tunesmith $build/demo/claims-demo.tunesmith"; do
        grep -q -- "$expected" <<<"$out" || { echo "run (attempt $attempt) lacks '$expected':"; echo "$out"; exit 1; }
    done
done

# `test` is the mode that needs the node packages: it installs them unless the lock file is what was installed.
out="$(PATH="$tools:$PATH" TUNESMITH_BUILD_DIR="$build" "$here/packaging/setup.sh" test --dry-run 2>&1)"
grep -Eq "would run: .*npm ci|npm packages up to date" <<<"$out" || { echo "test does not see to npm:"; echo "$out"; exit 1; }
echo "ok: run does not touch npm or reconfigure; test sees to npm"
