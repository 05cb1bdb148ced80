#!/usr/bin/env bash
# The Debian package as a user meets it (CTest: package_deb, label "package"): cpack packages what
# the build made (no rebuild), `dpkg-deb -x` unpacks it into a throwaway root (nothing is installed
# on the machine, no root needed), and from a folder unrelated to the source or build tree:
#   - `stashform version` prints the project's version;
#   - the README quick start (plan, apply, plan again) runs against the packaged emulator, with the
#     recipes and examples the package installed;
#   - recipes are found beside the executable, STASHFORM_MODULE_PATH comes first, and a missing
#     recipe names the folders searched (none of them in the source tree);
#   - the binaries are stripped, their debug symbols are in the -dbgsym package under their build
#     ids, and every shared library they need comes from a package the Depends field names.
# Usage: deb_test.sh BUILD_DIR VERSION
set -euo pipefail
build="$(realpath "${1:?build folder}")"
version="${2:?project version}"
source_dir="$(cd "$(dirname "$0")/../.." && pwd)"
export PATH="$PATH:/usr/sbin:/sbin"  # ldconfig

work="$(mktemp -d "${TMPDIR:-/tmp}/stashform-deb.XXXXXX")"
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_in() {  # expect_in FILE TEXT: the file holds the text
  grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "expected \"$2\" in $1"; }
}

# Package what the build made.
started=$SECONDS
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
echo "cpack -G DEB: $(( SECONDS - started )) s"
deb="$(ls "$work"/out/stashform_"$version"_*.deb 2>/dev/null | head -n 1)"
dbgsym="$(ls "$work"/out/stashform-dbgsym_"$version"_*.ddeb 2>/dev/null | head -n 1)"
[ -n "$deb" ] || fail "no stashform_${version}_*.deb in $(ls "$work/out")"
[ -n "$dbgsym" ] || fail "no stashform-dbgsym_${version}_*.ddeb in $(ls "$work/out")"
echo "packages: $(basename "$deb") $(du -h "$deb" | cut -f1), $(basename "$dbgsym") $(du -h "$dbgsym" | cut -f1)"

[ "$(dpkg-deb -f "$deb" Package)" = stashform ] || fail "Package is not stashform"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"
root="$work/root"
dpkg-deb -x "$deb" "$root"
dpkg-deb -x "$dbgsym" "$work/dbgsym"
bin="$root/usr/bin"
for file in usr/bin/stashform usr/bin/stashform-emulator usr/share/stashform/modules/spacelift/spacelift.lua \
            usr/share/stashform/modules/bitbucket/bitbucket.lua usr/share/doc/stashform/examples/quickstart/main.lua \
            usr/share/bash-completion/completions/stashform usr/share/zsh/vendor-completions/_stashform \
            usr/share/man/man1/stashform.1; do
  [ -e "$root/$file" ] || fail "the package has no /$file"
done

# Stripped, with the debug symbols in the dbgsym package under each binary's build id.
for program in stashform stashform-emulator; do
  grep -q '\.debug_info' <<<"$(readelf -S "$bin/$program")" && fail "$program is not stripped"
  build_id="$(readelf -n "$bin/$program" | sed -n 's/.*Build ID: //p')"
  [ -n "$build_id" ] || fail "$program has no build id"
  symbols="$work/dbgsym/usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug"
  [ -f "$symbols" ] || fail "no debug symbols for $program at ${symbols#"$work/dbgsym"}"
  grep -q '\.debug_info' <<<"$(readelf -S "$symbols" 2>/dev/null)" || fail "${symbols#"$work/dbgsym"} holds no .debug_info"
done
echo "stripped; debug symbols in $(basename "$dbgsym")"

# Every shared library the binaries need comes from a package named in Depends (dpkg-shlibdeps).
depends="$(dpkg-deb -f "$deb" Depends)"
[ -n "$depends" ] || fail "the package has no Depends"
depended_packages="$(sed 's/ ([^)]*)//g; s/ *, */\n/g; s/ *|[^,]*//g' <<<"$depends")"  # names only
for soname in $(readelf -d "$bin/stashform" "$bin/stashform-emulator" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u); do
  library="$(ldconfig -p | awk -v name="$soname" '$1 == name && !found { print $NF; found = 1 }')"
  [ -n "$library" ] || fail "$soname is not on this machine"
  owner="$(dpkg -S "$(realpath "$library")" 2>/dev/null || dpkg -S "$library" 2>/dev/null)" || fail "no package owns $library"
  owner="${owner%%:*}"
  grep -qxF "$owner" <<<"$depended_packages" || fail "$soname comes from $owner, which Depends does not name: $depends"
done
echo "Depends: $depends"

# From a folder that is neither the source nor the build tree.
elsewhere="$work/elsewhere"
mkdir -p "$elsewhere"
cd "$elsewhere"
unset STASHFORM_MODULE_PATH
export NO_COLOR=1 PATH="$bin:$PATH"

"$bin/stashform" version >"$work/version.out"
expect_in "$work/version.out" "$version"

# The quick start, against the packaged emulator and the packaged example.
cp -r "$root/usr/share/doc/stashform/examples/quickstart" quickstart
"$bin/stashform-emulator" bitbucket --port 0 --seed quickstart/seed.json >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$work/emulator.out" 2>/dev/null && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.err" >&2; fail "the packaged emulator exited"; }
  sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$work/emulator.out" | head -n 1)"
[ -n "$url" ] || fail "the packaged emulator did not start"
export BITBUCKET_URL="$url" BITBUCKET_USER=admin BITBUCKET_PASSWORD=admin WEBHOOK_SECRET="deb-test-$$-secret"

stashform plan -state=quickstart.state.json quickstart >"$work/plan.out" 2>&1 || { cat "$work/plan.out" >&2; fail "plan failed"; }
expect_in "$work/plan.out" "Plan: 3 to add, 0 to change, 0 to destroy."
stashform apply -auto-approve -state=quickstart.state.json quickstart >"$work/apply.out" 2>&1 || { cat "$work/apply.out" >&2; fail "apply failed"; }
expect_in "$work/apply.out" "Apply complete! Resources: 3 added, 0 changed, 0 destroyed."
code=0
stashform plan -detailed-exitcode -state=quickstart.state.json quickstart >"$work/replan.out" 2>&1 || code=$?
[ "$code" -eq 0 ] || { cat "$work/replan.out" >&2; fail "the plan after apply exited $code, not 0"; }
expect_in "$work/replan.out" "No changes."
echo "quick start: plan, apply, plan again (no changes), from $elsewhere"

# Recipes: beside the executable; STASHFORM_MODULE_PATH first; a missing one names where it looked.
mkdir -p recipes/ours uses_recipes
cat >recipes/ours/ours.lua <<'LUA'
return { greeting = "from STASHFORM_MODULE_PATH" }
LUA
cat >uses_recipes/main.lua <<'LUA'
local spacelift = import "spacelift"
local ours = import "ours"
assert(type(spacelift) == "table", "the spacelift recipe is a table")
output "greeting" { value = ours.greeting }
LUA
STASHFORM_MODULE_PATH="$elsewhere/recipes" stashform validate uses_recipes >"$work/validate.out" 2>&1 ||
  { cat "$work/validate.out" >&2; fail "validate with STASHFORM_MODULE_PATH failed"; }
code=0
stashform validate uses_recipes >"$work/missing.out" 2>&1 || code=$?
[ "$code" -eq 1 ] || { cat "$work/missing.out" >&2; fail "validate without the recipe folder exited $code, not 1"; }
expect_in "$work/missing.out" "import \"ours\": module not found"
expect_in "$work/missing.out" "$root/usr/share/stashform/modules/spacelift/ours.lua"
grep -qF "$source_dir" "$work/missing.out" && fail "an installed stashform searched the source tree: $(cat "$work/missing.out")"
echo "recipes: found beside the executable and on STASHFORM_MODULE_PATH"
echo "PASS"
