#!/usr/bin/env bash
# `h2harness probe` from the command line: the self-check passes, reports are written, the
# case table is listed, filters that match nothing and bad flags are errors, --attacks and
# --fuzz refuse targets off the loopback before sending anything.
set -uo pipefail
bin="$TEST_SRCDIR/$TEST_WORKSPACE/tools/h2harness"
export H2HARNESS_ROOT="$TEST_SRCDIR/$TEST_WORKSPACE"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
check() {  # check NAME CONDITION...
  local name="$1"; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}

"$bin" probe --json "$tmp/r.json" --junit "$tmp/r.xml" > "$tmp/self.txt" 2>&1
check "self-check exits 0" test $? -eq 0
check "self-check names the reference server" grep -q "h2harness reference server" "$tmp/self.txt"
check "self-check ends with the counts" grep -Eq "^[0-9]+ passed, 0 failed, [0-9]+ skipped$" "$tmp/self.txt"
check "JSON report" grep -q '"failed": 0' "$tmp/r.json"
check "JUnit report" grep -q "<testcase classname=\"9113/6.5\" name=\"9113/6.5/1\"" "$tmp/r.xml"

"$bin" probe --only 9113/6.7 -v > "$tmp/only.txt" 2>&1
check "--only runs the section" grep -Eq "^6 passed, 0 failed, 0 skipped$" "$tmp/only.txt"
check "-v prints each case with its requirement" grep -q "requirement: Receivers of a PING frame" "$tmp/only.txt"

"$bin" probe --list > "$tmp/list.txt"
check "--list ends with the count" grep -Eq "^[0-9]+ cases$" "$tmp/list.txt"
"$bin" probe --list --profile rfc7540-priority --markdown > "$tmp/list.md"
check "--list --markdown has the profile's cases" grep -q "^| 7540/5.3.1/1 \[profile rfc7540-priority\]" "$tmp/list.md"

"$bin" probe --only 9113/99 > /dev/null 2> "$tmp/nomatch.txt"
check "a filter that matches nothing exits 2" test $? -eq 2
check "and says so" grep -q "matches no case" "$tmp/nomatch.txt"
"$bin" probe --profile nosuch 2> "$tmp/profile.txt" > /dev/null
check "an unknown profile exits 2" test $? -eq 2

# 192.0.2.1 (TEST-NET-1) is refused before any connection is attempted.
"$bin" probe 192.0.2.1:80 --attacks 2> "$tmp/remote.txt" > /dev/null
check "--attacks off the loopback exits 2" test $? -eq 2
check "and names --allow-remote" grep -q "allow-remote" "$tmp/remote.txt"
"$bin" probe 192.0.2.1:80 --fuzz --time 1 2> /dev/null > /dev/null
check "--fuzz off the loopback exits 2" test $? -eq 2

printf '9113/6.5/1  # pretend\n' > "$tmp/baseline.txt"
"$bin" probe --only 9113/6.5/1 --baseline "$tmp/baseline.txt" > "$tmp/base.txt" 2>&1
check "a baseline entry that passes is reported" grep -q "NOW PASSING (remove from the baseline): 9113/6.5/1" "$tmp/base.txt"
printf 'no/such/case\n' > "$tmp/bad-baseline.txt"
"$bin" probe --baseline "$tmp/bad-baseline.txt" > /dev/null 2> "$tmp/badbase.txt"
check "a baseline naming an unknown case exits 2" test $? -eq 2

"$bin" probe 127.0.0.1:1 > /dev/null 2> "$tmp/refused.txt"
check "an unreachable target exits 2" test $? -eq 2
check "with the reason" grep -q "connect to 127.0.0.1:1" "$tmp/refused.txt"

if [ $fail -ne 0 ]; then
  for f in "$tmp"/*.txt; do echo "--- $f"; head -40 "$f"; done
fi
exit $fail
