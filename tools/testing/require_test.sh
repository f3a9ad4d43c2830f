#!/usr/bin/env bash
# require.sh: present tools pass, missing ones fail with the install command; and
# fuzz/oss_fuzz_build_test.sh without clang-14 fails (it used to print SKIPPED and pass).
set -uo pipefail
if [[ -n "${TEST_SRCDIR:-}" ]]; then
  here="$TEST_SRCDIR/${TEST_WORKSPACE:-h2harness}"
else
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fi
req="$here/tools/testing/require.sh"
tmp="$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/require_test.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() {  # NAME COMMAND...
  local name="$1"; shift
  if "$@"; then echo "ok   $name"; pass=$((pass + 1)); else echo "FAIL $name"; fail=$((fail + 1)); fi
}
has() { grep -qF -- "$2" "$1" || { echo "  '$2' not in:"; sed 's/^/    | /' "$1"; return 1; }; }

# Everything present: require_done returns and the script goes on.
bash -c "source '$req'; require_cmd bash bash; require_file /bin/sh dash; require_done; echo went-on" \
  >"$tmp/ok.out" 2>&1
check "present tools: exit 0" test $? -eq 0
check "present tools: the script goes on" has "$tmp/ok.out" went-on
check "present tools: no FAIL line" bash -c "! grep -q FAIL '$tmp/ok.out'"

# Missing ones: every one listed, one install command for all, exit 1, nothing after it.
bash -c "source '$req'; require_cmd no-such-cmd-h2 pkg-a pkg-b; require_cmd bash bash
  require_file /no/such/file pkg-c; require_python_module no_such_module_h2 pkg-a
  require_done; echo went-on" >"$tmp/missing.out" 2>&1
check "missing tools: exit 1" test $? -eq 1
check "missing command named" has "$tmp/missing.out" "command 'no-such-cmd-h2' is not installed"
check "missing file named" has "$tmp/missing.out" "file '/no/such/file' is not installed"
check "missing module named" has "$tmp/missing.out" "python module 'no_such_module_h2'"
check "one install command, packages once each" \
  has "$tmp/missing.out" "install: apt-get install -y pkg-a pkg-b pkg-c"
check "tools/deps named" has "$tmp/missing.out" "tools/deps"
check "stops the test" bash -c "! grep -q went-on '$tmp/missing.out'"

# fuzz/oss_fuzz_build_test.sh with a PATH that has no clang-14 (only what it needs to get to
# its checks): it must fail with the install command, never pass by skipping.
mkdir -p "$tmp/bin"
for t in dirname readlink uname awk tr; do ln -s "$(command -v "$t")" "$tmp/bin/$t"; done
PATH="$tmp/bin" /bin/bash "$here/fuzz/oss_fuzz_build_test.sh" >"$tmp/fuzz.out" 2>&1
rc=$?
check "oss_fuzz_build_test.sh without clang-14: exit 1 (was: SKIPPED, exit 0)" test "$rc" -eq 1
check "oss_fuzz_build_test.sh names clang-14" has "$tmp/fuzz.out" "command 'clang-14' is not installed"
check "oss_fuzz_build_test.sh prints the install command" \
  has "$tmp/fuzz.out" "apt-get install -y clang-14"
check "oss_fuzz_build_test.sh does not say SKIPPED" bash -c "! grep -q SKIPPED '$tmp/fuzz.out'"

echo "$pass passed, $fail failed"
((fail == 0))
