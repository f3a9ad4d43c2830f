#!/usr/bin/env bash
# tools/test --self-test: checks that tools/test counts right.
#  1. the unit checks of its counting (test_results_test.py: synthetic logs and test.xml);
#  2. tools/test itself, run on a scratch Bazel workspace: this checkout's WORKSPACE,
#     .bazelrc (so the shared disk cache), third_party/, tools/test and tools/deps, plus the
#     package selftest/ from tools/testing/selftest_ws/ (targets that fail to build, fail,
#     crash with SIGSEGV, abort after their cases passed, skip and disable cases, time out,
#     are flaky, leak under ASan, pass). Its own output base under a temporary directory;
#     a Bazel server of its own, shut down at the end.
#     Run A: every target. Run B: stale_test (which passed in run A) no longer compiles;
#     its test.xml from run A is still in bazel-testlogs and must not be counted. Run C:
#     --config=asan on the leaking test. Run D: only passing targets, exit status 0.
#     Run E: 8 targets fail to build (Bazel lists 5 of them).
# Too slow (1-3 min) and too recursive to be a Bazel test: .ci/run runs it as its own step.
# Last line: "N passed, N failed" over the checks. SELFTEST_KEEP=1 keeps the scratch tree.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
py=/usr/bin/python3
[[ -x "$py" ]] || py=python3

tmp="$(mktemp -d "${TMPDIR:-/tmp}/h2selftest.XXXXXX")"
ws="$tmp/ws"
stop_server() {  # idempotent
  local pid
  [[ -f "$ws/user.bazelrc" && ! -f "$tmp/stopped" ]] || return 0
  touch "$tmp/stopped"
  # Its Bazel server is not this checkout's, so .ci/run cannot see its CPU time: say it.
  pid="$(cat "$tmp/output_base/server/server.pid.txt" 2>/dev/null)"
  if [[ -n "$pid" && -r "/proc/$pid/stat" ]]; then
    sed 's/^.*) //' "/proc/$pid/stat" | awk -v hz="$(getconf CLK_TCK)" '{printf "the scratch workspace'"'"'s Bazel server used %.1f s of CPU (user+sys)\n", ($12 + $13 + $14 + $15) / hz}'
  fi
  (cd "$ws" && bazel shutdown >/dev/null 2>&1)
}
cleanup() {
  stop_server
  if [[ "${SELFTEST_KEEP:-0}" == 1 ]]; then
    echo "scratch workspace kept: $ws (output base $tmp/output_base)" >&2
  else
    chmod -R u+w "$tmp" 2>/dev/null
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

pass=0
fail=0
check() {  # NAME COMMAND...
  local name="$1"; shift
  if "$@"; then echo "ok   $name"; pass=$((pass + 1)); else echo "FAIL $name"; fail=$((fail + 1)); fi
}
# matches FILE ERE: a line of FILE matches the extended regular expression.
matches() {
  grep -qE -- "$2" "$1" && return 0
  echo "  no line matches /$2/ in $1"
  return 1
}
last_line_is() { # FILE TEXT
  local last
  last="$(tail -n 1 "$1")"
  [[ "$last" == "$2" ]] && return 0
  echo "  last line: '$last', expected '$2'"
  return 1
}
# show OUT: the part of tools/test's output after Bazel's (its own summary).
show() { sed -n '/^tools\/test: [0-9]* test targets/,$p' "$1" | sed 's/^/    | /'; }

echo "=== 1. unit checks of the counting (tools/testing/test_results_test.py)"
"$py" "$root/tools/testing/test_results_test.py" >"$tmp/unit.out" 2>&1
unit_rc=$?
tail -n 3 "$tmp/unit.out" | sed 's/^/    | /'
check "test_results_test.py: every unit check passes" test "$unit_rc" -eq 0
((unit_rc == 0)) || cat "$tmp/unit.out"

echo "=== 2. tools/test on a scratch workspace ($ws)"
mkdir -p "$ws/selftest" "$ws/tools/testing" "$tmp/state"
cp "$root/WORKSPACE" "$root/.bazelrc" "$ws/"
cp -r "$root/third_party" "$ws/"
cp "$root/tools/test" "$root/tools/deps" "$ws/tools/"
cp "$root/tools/testing/test_results.py" "$ws/tools/testing/"
for f in "$root"/tools/testing/selftest_ws/*; do
  b="${f##*/}"
  cp "$f" "$ws/selftest/${b%.in}"
done
# Its own output base (outside the workspace, or //... would find it); the disk cache in
# .bazelrc is the shared one.
echo "startup --output_base=$tmp/output_base" >"$ws/user.bazelrc"

flags=(--test_timeout=10 "--test_env=SELFTEST_STATE=$tmp/state")
run() {  # NAME ARGS... : runs tools/test in the scratch workspace; sets RC, OUT
  OUT="$tmp/$1.out"
  shift
  rm -f "$tmp/state/"*
  local start=$SECONDS
  (cd "$ws" && tools/test "$@") >"$OUT" 2>&1
  RC=$?
  echo "  tools/test $* -> exit status $RC, $((SECONDS - start)) s; its summary:"
  show "$OUT"
}

echo "--- run A: every target"
run A "${flags[@]}"
check "A: exit status 1" test "$RC" -eq 1
check "A: last line" last_line_is "$OUT" "12 passed, 5 failed, 2 skipped"
check "A: 11 targets, 5 failed" matches "$OUT" '^tools/test: 11 test targets, 5 failed$'
# Bazel's status lines, as tools/test read them.
check "A: Bazel: build_fail_test FAILED TO BUILD" matches "$OUT" '^//selftest:build_fail_test +FAILED TO BUILD$'
for t in fail_test segv_test crash_at_exit_test; do
  check "A: Bazel: $t FAILED" matches "$OUT" "^//selftest:$t +FAILED in "
done
check "A: Bazel: timeout_test TIMEOUT" matches "$OUT" '^//selftest:timeout_test +TIMEOUT in '
check "A: Bazel: flaky_test FLAKY" matches "$OUT" '^//selftest:flaky_test +FLAKY, failed in 1 out of 2 '
for t in pass_test skip_test leak_test stale_test sh_pass_test; do
  check "A: Bazel: $t PASSED" matches "$OUT" "^//selftest:$t +(\(cached\) )?PASSED in "
done
# tools/test's lines.
check "A: build failure: 1 failed" matches "$OUT" \
  '^  FAILED TO BUILD +//selftest:build_fail_test +1 failed; did not build'
check "A: failing test: 1 passed, 1 failed, the case named" matches "$OUT" \
  '^  FAILED +//selftest:fail_test +1 passed, 1 failed; failed: FailTest\.Fails$'
check "A: SIGSEGV: 1 failed, the signal named" matches "$OUT" \
  '^  FAILED +//selftest:segv_test +1 failed; failed: selftest/segv_test \(exit status 139: SIGSEGV\)$'
check "A: abort after all cases passed: 2 passed + 1 failed" matches "$OUT" \
  '^  FAILED +//selftest:crash_at_exit_test +2 passed, 1 failed; every case it reported passed, but the target failed'
check "A: GTEST_SKIP and DISABLED_: 1 passed, 2 skipped" matches "$OUT" \
  '^  (\(cached\) )?PASSED +//selftest:skip_test +1 passed, 2 skipped; skipped: SkipTest\.Skipped \(skipped\), SkipTest\.DISABLED_Disabled \(disabled\)$'
check "A: timeout: 1 failed" matches "$OUT" '^  TIMEOUT +//selftest:timeout_test +1 failed; '
check "A: flaky: 1 passed, said so" matches "$OUT" '^  FLAKY +//selftest:flaky_test +1 passed; FLAKY: passed only on a retry$'
check "A: tools/deps wrote .bazelrc.system (the packages' digest, an --action_env)" matches \
  "$ws/.bazelrc.system" '^build --action_env=H2_SYSTEM_PACKAGES=[0-9a-f]{16}$'
check "A: clean targets not listed" bash -c "! grep -qE '^  .*//selftest:(pass_test|sh_pass_test|stale_test) ' '$OUT'"

echo "--- run B: stale_test no longer compiles"
echo 'this line does not compile' >>"$ws/selftest/stale_test.cc"
stale_xml="$ws/bazel-testlogs/selftest/stale_test/test.xml"  # from run A
run B "${flags[@]}"
check "B: run A's test.xml of stale_test is still there (3 passed cases)" \
  test "$(grep -c '<testcase ' "$stale_xml" 2>/dev/null)" = 3
check "B: Bazel: stale_test FAILED TO BUILD" matches "$OUT" '^//selftest:stale_test +FAILED TO BUILD$'
check "B: stale_test counts 1 failed, not its 3 old cases" matches "$OUT" \
  '^  FAILED TO BUILD +//selftest:stale_test +1 failed; did not build'
check "B: Bazel: pass_test (cached) PASSED (its run-A test.xml counts)" matches "$OUT" \
  '^//selftest:pass_test +\(cached\) PASSED in '
check "B: last line" last_line_is "$OUT" "9 passed, 6 failed, 2 skipped"
check "B: exit status 1" test "$RC" -eq 1

echo "--- run C: --config=asan, a test that leaks after its case passed"
run C --config=asan //selftest:leak_test //selftest:pass_test
check "C: Bazel: leak_test FAILED" matches "$OUT" '^//selftest:leak_test +FAILED in '
check "C: leak: 1 passed + 1 failed" matches "$OUT" \
  '^  FAILED +//selftest:leak_test +1 passed, 1 failed; every case it reported passed, but the target failed'
check "C: LeakSanitizer reported it" matches "$OUT" 'ERROR: LeakSanitizer'
check "C: last line" last_line_is "$OUT" "3 passed, 1 failed, 0 skipped"
check "C: exit status 1" test "$RC" -eq 1

echo "--- run D: only passing targets"
run D //selftest:pass_test //selftest:skip_test //selftest:sh_pass_test
check "D: last line" last_line_is "$OUT" "4 passed, 0 failed, 2 skipped"
check "D: exit status 0" test "$RC" -eq 0

echo "--- run E: more targets fail to build than Bazel lists"
cat >>"$ws/selftest/BUILD.bazel" <<'EOF_BUILD'

[cc_test(
    name = "broken%d_test" % i,
    srcs = ["build_fail_test.cc"],
    deps = ["@system//:gtest_main"],
) for i in range(6)]
EOF_BUILD
run E //selftest:pass_test //selftest:build_fail_test //selftest:stale_test \
  $(printf '//selftest:broken%d_test ' 0 1 2 3 4 5)
check "E: Bazel lists 5 and skips the others" matches "$OUT" '^\(Skipping other failed to build tests\)$'
check "E: the unlisted ones count, one failure each" matches "$OUT" \
  '^  FAILED TO BUILD +\(3 more\) +3 failed; did not build; Bazel does not list them'
check "E: 9 targets, 8 failed" matches "$OUT" '^tools/test: 9 test targets, 8 failed$'
check "E: last line" last_line_is "$OUT" "2 passed, 8 failed, 0 skipped"

stop_server
if ((fail)); then
  echo "tools/test's self-test FAILED; outputs of the runs:"
  for r in A B C D E; do [[ -f "$tmp/$r.out" ]] && { echo "--- $r"; cat "$tmp/$r.out"; }; done
fi
echo "$pass passed, $fail failed"
((fail == 0))
