#!/usr/bin/env bash
# `h2harness stories ...` end to end: verdicts, bad input, reports, adapters that misbehave.
set -uo pipefail
bin="$TEST_SRCDIR/$TEST_WORKSPACE/tools/h2harness"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
check() {  # check NAME COMMAND...
  local name="$1"; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
has() { grep -qF -- "$2" "$1" || { echo "  --- $1 lacks: $2"; sed 's/^/  | /' "$1" | head -20; return 1; }; }

d="$tmp/stories"
mkdir -p "$d/good" "$d/bad"
cat > "$d/good/a.json" <<'JSON'
{"cases": [{"seqno": 0, "wire": "8284", "headers": [{":method": "GET"}, {":path": "/"}]},
           {"seqno": 1, "wire": "4001 6101 62be", "headers": [{"a": "b"}, {"a": "b"}]}],
 "description": "good"}
JSON
cat > "$d/good/raw.json" <<'JSON'
{"cases": [{"seqno": 0, "headers": [{":method": "GET"}, {"x": "\udcff"}]}], "description": "raw"}
JSON
cat > "$d/good/neg.json" <<'JSON'
{"cases": [{"seqno": 0, "wire": "82", "headers": [{":method": "GET"}]},
           {"seqno": 1, "wire": "bf", "error": "index_out_of_range"}], "description": "negative"}
JSON
echo '{"cases": [' > "$d/bad/invalid.json"
echo '{"cases": [{"seqno": 4, "wire": "828", "headers": []}]}' > "$d/bad/oddhex.json"
echo '{"cases": [{"seqno": 5, "wire": "82zz", "headers": []}]}' > "$d/bad/nonhex.json"
echo '{"cases": [{"seqno": 6}]}' > "$d/bad/missing.json"
echo '{"cases": [{"seqno": 7, "wire": 82, "headers": []}]}' > "$d/bad/wrongtype.json"
echo '{"cases": [{"seqno": 8, "wire": "82", "headers": ["GET"]}]}' > "$d/bad/nonobject.json"
echo '{"cases": [{"seqno": 9, "wire": "82", "headers": [{":method": "POST"}]}]}' > "$d/bad/mismatch.json"

"$bin" stories verify "$d/good" > "$tmp/good.txt"
check "verify: good stories exit 0" test $? -eq 0
check "verify: summary line" has "$tmp/good.txt" "3 passed, 0 failed"
check "verify: matrix shows round trip for raw" has "$tmp/good.txt" "round trip"

"$bin" stories verify --jobs 3 --json "$tmp/r.json" --junit "$tmp/r.xml" "$d" > "$tmp/all.txt"
check "verify: bad stories exit 1" test $? -eq 1
check "verify: every story still reported" has "$tmp/all.txt" "3 passed, 1 failed, 6 unreadable"
check "verify: invalid JSON named" has "$tmp/all.txt" "BAD  $d/bad/invalid.json: unreadable input: invalid JSON: [json.exception.parse_error.101] parse error at line 2"
check "verify: odd hex names seqno and field" has "$tmp/all.txt" "BAD  $d/bad/oddhex.json: unreadable input: case 0 (seqno 4): field \"wire\": odd number of hex digits (3)"
check "verify: non-hex" has "$tmp/all.txt" "BAD  $d/bad/nonhex.json: unreadable input: case 0 (seqno 5): field \"wire\": non-hex character 'z' at position 2"
check "verify: missing fields" has "$tmp/all.txt" "BAD  $d/bad/missing.json: unreadable input: case 0 (seqno 6): needs \"headers\" or \"wire\""
check "verify: wrong type" has "$tmp/all.txt" "BAD  $d/bad/wrongtype.json: unreadable input: case 0 (seqno 7): field \"wire\": expected a hex string, got number"
check "verify: non-object header" has "$tmp/all.txt" "BAD  $d/bad/nonobject.json: unreadable input: case 0 (seqno 8): field \"headers\": header 0: expected an object with one member"
check "verify: mismatch shows expected and got" has "$tmp/all.txt" "FAIL $d/bad/mismatch.json: case 0 (seqno 9): header 0: expected \":method: POST\", got \":method: GET\""
check "verify: JSON report parses" /usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['passed']==3 and r['failed']==1 and r['unreadable']==6, r; assert sorted({s['status'] for s in r['stories']})==['failed','passed','unreadable'], r" "$tmp/r.json"
check "verify: JUnit report parses" /usr/bin/python3 -c "import sys,xml.etree.ElementTree as E; t=E.parse(sys.argv[1]).getroot(); assert t.get('tests')=='10' and t.get('failures')=='1' and t.get('errors')=='6' and len(t.findall('.//testcase'))==10 and len(t.findall('.//error'))==6" "$tmp/r.xml"

"$bin" stories verify "$tmp/nope" > /dev/null 2> "$tmp/nope.txt"
check "verify: missing path exits 2" test $? -eq 2
check "verify: missing path named" has "$tmp/nope.txt" "$tmp/nope: no such file or directory"

# encode + ratio
"$bin" stories encode --out "$tmp/enc" --table-size 256 --change-table-size "$d/good/raw.json" "$d/good/a.json" > "$tmp/enc.txt"
check "encode: exit 0" test $? -eq 0
check "encode: description names encoder and settings" has "$tmp/enc/raw.json" "\"description\": \"h2harness (table size 256, Huffman auto, table size changes mid-story): raw\""
check "encode: header_table_size written" has "$tmp/enc/raw.json" "\"header_table_size\": 256"
"$bin" stories verify "$tmp/enc" > "$tmp/encv.txt"
check "encode: output verifies" has "$tmp/encv.txt" "2 passed, 0 failed"
"$bin" stories ratio "$tmp/enc" "$d/good" > "$tmp/ratio.txt"
check "ratio: table printed" has "$tmp/ratio.txt" "$tmp/enc"
"$bin" stories encode "$d/good" > /dev/null 2>&1
check "encode: needs --out" test $? -eq 2

# adapters: h2harness itself is a conforming decoder adapter
"$bin" stories check-decoder --cmd "$bin hpack decode" --keep-going "$d/good" > "$tmp/cd.txt"
check "check-decoder: h2harness passes" test $? -eq 0
check "check-decoder: raw skipped, others pass" has "$tmp/cd.txt" "2 passed, 0 failed, 1 skipped"
"$bin" stories check-encoder --cmd "$bin hpack encode" --out "$tmp/ce" "$d/good/raw.json" "$d/good/a.json" > "$tmp/ce.txt"
check "check-encoder: h2harness passes" has "$tmp/ce.txt" "2 passed, 0 failed"
check "check-encoder: --out keeps its stories" test -f "$tmp/ce/raw.json"

cat > "$tmp/liar.sh" <<'SH'
#!/bin/sh
# Claims every block decodes to ":method: GET".
/usr/bin/python3 -c '
import json,sys
s=json.load(sys.stdin)
for c in s["cases"]: c["headers"]=[{":method":"GET"}]
json.dump(s,sys.stdout)'
SH
cat > "$tmp/crash.sh" <<'SH'
#!/bin/sh
kill -SEGV $$
SH
cat > "$tmp/hang.sh" <<'SH'
#!/bin/sh
sleep 30
SH
cat > "$tmp/garbage.sh" <<'SH'
#!/bin/sh
cat > /dev/null; echo 'not json'
SH
chmod +x "$tmp"/*.sh
"$bin" stories check-decoder --cmd "$tmp/liar.sh" --keep-going "$d/good" > "$tmp/liar.txt"
check "check-decoder: wrong headers fail" has "$tmp/liar.txt" "case 0 (seqno 0): expected 2 headers, got 1; first missing: header 1 \":path: /\""
check "check-decoder: accepting a negative story fails" has "$tmp/liar.txt" "accepted a block that must be rejected (index_out_of_range)"
"$bin" stories check-decoder --cmd "$tmp/liar.sh" "$d/good" > "$tmp/liar1.txt"
check "check-decoder: stops at the first failure without --keep-going" has "$tmp/liar1.txt" "stories not checked (--keep-going checks them all)"
"$bin" stories check-decoder --cmd "$tmp/crash.sh" --keep-going "$d/good/a.json" > "$tmp/crash.txt"
check "check-decoder: crash reported" has "$tmp/crash.txt" "killed by signal 11"
"$bin" stories check-decoder --cmd "$tmp/hang.sh" --timeout 0.5 "$d/good/a.json" > "$tmp/hang.txt"
check "check-decoder: hang reported" has "$tmp/hang.txt" "timed out after 0.5 s"
"$bin" stories check-decoder --cmd "$tmp/garbage.sh" "$d/good/a.json" > "$tmp/garbage.txt"
check "check-decoder: malformed output reported" has "$tmp/garbage.txt" "malformed output: adapter output: invalid JSON"
"$bin" stories check-decoder "$d/good" > /dev/null 2> "$tmp/nocmd.txt"
check "check-decoder: needs --cmd" has "$tmp/nocmd.txt" "needs --cmd"
exit $fail
