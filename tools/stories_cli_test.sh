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
check "verify: invalid JSON named" has "$tmp/all.txt" "BAD  $d/bad/invalid.json: unreadable input: invalid JSON at line 2, column 1: expected a value, found end of input"
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

# --- Published corpora as they are: null members, "\/" escapes, "key" : value spacing.
p="$tmp/published"
mkdir -p "$p/swift-nio-hpack" "$p/raw"
cat > "$p/swift-nio-hpack/story_00.json" <<'JSON'
{
  "context" : "request",
  "cases" : [
    {
      "wire" : "8286410b7961686f6f2e636f2e6a7084",
      "seqno" : 0,
      "headers" : [ { ":method" : "GET" }, { ":scheme" : "http" },
                    { ":authority" : "yahoo.co.jp" }, { ":path" : "\/" } ],
      "header_table_size" : null
    }
  ]
}
JSON
cat > "$p/raw/story_00.json" <<'JSON'
{"cases": [{"seqno": 0, "header_table_size": null, "headers": [{":method": "GET"}, {":path": "\/"}]},
           {"seqno": 1, "header_table_size": null, "wire": null, "headers": [{":method": "GET"}]}],
 "description": null, "draft": null}
JSON
"$bin" stories verify "$p" > "$tmp/pub.txt"
check "null members: verify passes them" has "$tmp/pub.txt" "2 passed, 0 failed"
"$bin" stories check-decoder --cmd "$bin hpack decode" "$p" > "$tmp/pubd.txt"
check "null members: check-decoder passes them" has "$tmp/pubd.txt" "1 passed, 0 failed, 1 skipped"
"$bin" stories check-encoder --cmd "$bin hpack encode" "$p/raw" > "$tmp/pube.txt"
check "null members: check-encoder passes them" has "$tmp/pube.txt" "1 passed, 0 failed"

# --- Unreadable input is not a failure of the implementation.
"$bin" stories check-decoder --keep-going --cmd "$bin hpack decode" "$d/bad/invalid.json" "$d/good/a.json" > "$tmp/unread.txt"
check "check-decoder: unreadable input exits 1" test $? -eq 1
check "check-decoder: unreadable counted apart" has "$tmp/unread.txt" "1 passed, 0 failed, 1 unreadable"
check "check-decoder: unreadable named" has "$tmp/unread.txt" "BAD  $d/bad/invalid.json: unreadable input: invalid JSON"

# --- Skipped is its own state; skips of one directory for one reason are one line.
mkdir -p "$tmp/raws"
for i in 1 2 3; do cp "$d/good/raw.json" "$tmp/raws/r$i.json"; done
"$bin" stories check-decoder --cmd "$bin hpack decode" --json "$tmp/skip.json" "$tmp/raws" "$d/good/a.json" > "$tmp/skip.txt"
check "check-decoder: skipped directory on one line" has "$tmp/skip.txt" "skip $tmp/raws/ (3 stories): no wire (not a decoder input)"
check "check-decoder: skipped stories are \"status\": \"skipped\"" /usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
st = [s["status"] for s in r["stories"]]
assert st == ["skipped"] * 3 + ["passed"] and r["skipped"] == 3 and all("passed" not in s for s in r["stories"]), r' "$tmp/skip.json"

# --- An adapter that exits at once: the same report every time, no SIGPIPE death.
big="$tmp/big"
mkdir -p "$big"
/usr/bin/python3 - "$big" <<'PY'
import json, sys
v = "x" * 60000
for i in range(6):
    json.dump({"cases": [{"seqno": k, "wire": "82", "headers": [{":method": "GET"}]} for k in range(3)]
              + [{"seqno": 3, "wire": "00" * 200000, "headers": [{"a": v}]}], "description": "big"},
              open("%s/s%d.json" % (sys.argv[1], i), "w"))
PY
"$bin" stories check-decoder --jobs 2 --cmd "exit 1" "$big" > "$tmp/exit1.0.txt" 2>&1
check "check-decoder --cmd 'exit 1': exit status 1" test $? -eq 1
check "check-decoder --cmd 'exit 1': a failure, not a rejection" has "$tmp/exit1.0.txt" "the adapter exited with status 1 without {\"error\": ...} on stdout"
same=1
for i in 1 2 3 4 5 6 7 8 9; do
  "$bin" stories check-decoder --jobs 2 --cmd "exit 1" "$big" > "$tmp/exit1.$i.txt" 2>&1
  cmp -s <(grep -v "stories in" "$tmp/exit1.0.txt") <(grep -v "stories in" "$tmp/exit1.$i.txt") || same=0
done
check "check-decoder --cmd 'exit 1': 10 runs, the same report" test $same -eq 1
"$bin" stories check-decoder --keep-going --cmd "exit 1" "$d/good/neg.json" > "$tmp/exit1neg.txt"
check "check-decoder --cmd 'exit 1': does not pass a negative story" has "$tmp/exit1neg.txt" "0 passed, 1 failed"
"$bin" stories check-decoder --keep-going --cmd 'exec 1>&-; cat > /dev/null' "$big/s0.json" > "$tmp/closed.txt"
check "adapter that closes stdout early: malformed output" has "$tmp/closed.txt" "malformed output"
"$bin" stories check-decoder --keep-going --timeout 60 --cmd 'cat > /dev/null; head -c 100000000 /dev/zero' "$d/good/a.json" > "$tmp/huge.txt"
check "adapter that writes 100 MB: reported, not stored" has "$tmp/huge.txt" "malformed output: more than 64 MiB on stdout"
start=$(date +%s)
"$bin" stories check-decoder --cmd "sleep 60 & $bin hpack decode" "$d/good/a.json" > "$tmp/child.txt"
check "adapter that leaves a child running: passes" has "$tmp/child.txt" "1 passed, 0 failed"
check "adapter that leaves a child running: not waited for" test $(( $(date +%s) - start )) -lt 20

# --- Batch adapters: negotiated, one process for many stories, restarted after a crash.
cat > "$tmp/batch.py" <<'PY'
#!/usr/bin/python3
# A batch adapter around `h2harness hpack decode`, counting its processes and crashing on a
# story whose first wire is "bf".
import json, os, subprocess, sys
open(os.environ["COUNT"], "a").write("start\n")
first = sys.stdin.readline()
if "h2harness_batch" not in first:
    sys.exit(3)
print(json.dumps({"h2harness_batch": 1}), flush=True)
for line in sys.stdin:
    s = json.loads(line)
    if s["cases"][0]["wire"] == "bf":
        os.kill(os.getpid(), 9)
    r = subprocess.run([os.environ["H2"], "hpack", "decode"], input=line.encode(), capture_output=True)
    print(r.stdout.decode().replace("\n", " ").strip(), flush=True)
PY
chmod +x "$tmp/batch.py"
mkdir -p "$tmp/many"
for i in 1 2 3 4 5 6; do cp "$d/good/a.json" "$tmp/many/a$i.json"; done
echo '{"cases": [{"seqno": 0, "wire": "bf", "headers": []}]}' > "$tmp/many/0crash.json"
: > "$tmp/count"
COUNT="$tmp/count" H2="$bin" "$bin" stories check-decoder --keep-going --jobs 1 --cmd "$tmp/batch.py" "$tmp/many" > "$tmp/batch.txt"
check "batch: every story checked" has "$tmp/batch.txt" "6 passed, 1 failed"
check "batch: the crash is that story's failure" has "$tmp/batch.txt" "FAIL $tmp/many/0crash.json: the adapter ended (killed by signal 9"
check "batch: a probe and two processes for 7 stories" test "$(wc -l < "$tmp/count")" -eq 3
: > "$tmp/count"
COUNT="$tmp/count" H2="$bin" "$bin" stories check-decoder --keep-going --jobs 1 --nobatch --cmd "$bin hpack decode" "$tmp/many" > "$tmp/nobatch.txt"
check "--nobatch: the same verdicts" has "$tmp/nobatch.txt" "6 passed, 1 failed"

# --- What a verdict rests on.
mkdir -p "$tmp/rests"
for req in must_accept must_accept_large_limits; do
  echo "{\"cases\": [{\"seqno\": 0, \"wire\": \"82\", \"headers\": [{\":method\": \"GET\"}]}], \"rests_on\": {\"requirement\": \"$req\", \"rfc\": \"RFC 7541 §5.1\", \"limits\": \"long integers\"}}" > "$tmp/rests/$req.json"
done
echo '{"cases": [{"seqno": 0, "wire": "82", "error": "integer_too_long"}], "rests_on": {"requirement": "may_reject"}}' > "$tmp/rests/may_reject.json"
echo '{"cases": [{"seqno": 0, "wire": "82", "error": "index_zero"}], "rests_on": {"requirement": "must_reject"}}' > "$tmp/rests/must_reject.json"
cat > "$tmp/rejecter.sh" <<'SH'
#!/bin/sh
cat > /dev/null; echo '{"error": "integer too long for this decoder"}'; exit 1
SH
chmod +x "$tmp/rejecter.sh"
"$bin" stories check-decoder --keep-going --cmd "$tmp/rejecter.sh" "$tmp/rests" > "$tmp/rests-rej.txt"
check "rests_on: must_accept rejected fails" has "$tmp/rests-rej.txt" "FAIL $tmp/rests/must_accept.json: rejected a valid story"
check "rests_on: large limits rejected is skipped" has "$tmp/rests-rej.txt" "skip $tmp/rests/must_accept_large_limits.json: rejected: integer too long for this decoder; the story needs limits above the baseline (long integers)"
check "rests_on: may_reject rejected is skipped" has "$tmp/rests-rej.txt" "skip $tmp/rests/may_reject.json: rejected"
check "rests_on: counts" has "$tmp/rests-rej.txt" "1 passed, 1 failed, 2 skipped"
"$bin" stories check-decoder --keep-going --cmd "$tmp/liar.sh" "$tmp/rests" > "$tmp/rests-acc.txt"
check "rests_on: may_reject accepted is skipped" has "$tmp/rests-acc.txt" "skip $tmp/rests/may_reject.json: accepted"
check "rests_on: must_reject accepted fails" has "$tmp/rests-acc.txt" "FAIL $tmp/rests/must_reject.json: case 0 (seqno 0): accepted a block that must be rejected (index_zero)"

# --- Never-indexed marks: compared where the story and the adapter both list them.
echo '{"cases": [{"seqno": 0, "wire": "100178017982", "headers": [{"x": "y"}, {":method": "GET"}], "never_indexed": [0]}]}' > "$tmp/never.json"
"$bin" stories verify "$tmp/never.json" > "$tmp/never-v.txt"
check "never_indexed: verify passes a right mark" has "$tmp/never-v.txt" "1 passed, 0 failed"
sed 's/"never_indexed": \[0\]/"never_indexed": [1]/' "$tmp/never.json" > "$tmp/never-wrong.json"
"$bin" stories verify "$tmp/never-wrong.json" > "$tmp/never-w.txt"
check "never_indexed: verify fails a wrong mark" has "$tmp/never-w.txt" "expected a representation other than never-indexed, got a never-indexed literal (RFC 7541 §6.2.3, §7.1.3)"
cat > "$tmp/unmark.sh" <<SH
#!/bin/sh
# Decodes right, but reports no field as never-indexed.
$bin hpack decode | sed 's/"never_indexed": \[[0-9, ]*\]/"never_indexed": []/'
SH
chmod +x "$tmp/unmark.sh"
"$bin" stories check-decoder --nobatch --cmd "$tmp/unmark.sh" "$tmp/never.json" > "$tmp/never-d.txt"
check "never_indexed: check-decoder compares an adapter's marks" has "$tmp/never-d.txt" "header 0 \"x: y\": expected a never-indexed literal"

# --- check-encoder: the input is the truth; no limits of its own; --out keeps paths.
mkdir -p "$tmp/enc/one" "$tmp/enc/two"
echo '{"cases": [{"seqno": 0, "headers": [{"x-a": "1"}, {"x-b": "2"}]}, {"seqno": 1, "header_table_size": 0, "headers": [{"x-a": "1"}]}]}' > "$tmp/enc/one/s.json"
cp "$tmp/enc/one/s.json" "$tmp/enc/two/s.json"
cat > "$tmp/rewriter.sh" <<SH
#!/bin/sh
# Encodes as if SETTINGS never changed (no size update), and says so in its echo.
/usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)
for c in s["cases"]: c.pop("header_table_size", None)
json.dump(s, sys.stdout)' | $bin hpack encode
SH
chmod +x "$tmp/rewriter.sh"
"$bin" stories check-encoder --keep-going --cmd "$tmp/rewriter.sh" "$tmp/enc/one" > "$tmp/rewrite.txt"
check "check-encoder: header_table_size comes from the input, not the echo" has "$tmp/rewrite.txt" "does not start with a dynamic table size update"
"$bin" stories check-encoder --cmd "$bin hpack encode" --out "$tmp/encout" "$tmp/enc" > "$tmp/encout.txt"
check "check-encoder --out keeps relative paths" test -f "$tmp/encout/one/s.json" -a -f "$tmp/encout/two/s.json"
"$bin" stories check-encoder --cmd "$bin hpack encode" --table-size 256 --change-table-size --out "$tmp/encts" "$tmp/enc/one" > "$tmp/encts.txt"
check "check-encoder --table-size: written into the input" has "$tmp/encts/s.json" "\"header_table_size\": 256"
/usr/bin/python3 - "$tmp/limits" <<'PY'
import json, os, sys
os.makedirs(sys.argv[1], exist_ok=True)
json.dump({"cases": [{"seqno": 0, "headers": [{"x-big-%d" % i: "v" * 900} for i in range(90)]}]},
          open(sys.argv[1] + "/list80k.json", "w"))
json.dump({"cases": [{"seqno": 0, "headers": [{"x": str(i % 10)} for i in range(1501)]}]},
          open(sys.argv[1] + "/fields1501.json", "w"))
PY
"$bin" stories check-encoder --keep-going --cmd "$bin hpack encode" "$tmp/limits" > "$tmp/limits.txt"
check "check-encoder: an 80 KB list and 1501 fields pass (no limits of its own)" has "$tmp/limits.txt" "2 passed, 0 failed"

# --- Long values are cut around the first difference.
/usr/bin/python3 - "$tmp/long.json" <<'PY'
import json, sys
v = "a" * 20000
json.dump({"cases": [{"seqno": 0, "headers": [{"x-long": v}]}]}, open(sys.argv[1], "w"))
PY
"$bin" hpack encode < "$tmp/long.json" > "$tmp/long-enc.json"
cat > "$tmp/flip.sh" <<SH
#!/bin/sh
$bin hpack decode | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)
v = s["cases"][0]["headers"][0]["x-long"]
s["cases"][0]["headers"][0]["x-long"] = v[:16000] + "b" + v[16001:]
json.dump(s, sys.stdout)'
SH
chmod +x "$tmp/flip.sh"
"$bin" stories check-decoder --nobatch --cmd "$tmp/flip.sh" "$tmp/long-enc.json" > "$tmp/flip.txt"
check "long values: the first difference with context" has "$tmp/flip.txt" 'header 0 ("x-long"): value differs at octet 16000 (expected 20000 octets, got 20000): expected "...aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...", got "...aaaaaaaaaaaaaaaaaaaaaaaabaaaaaaaaaaaaaaaaaaaaaaa..."'
check "long values: the failure line stays short" test "$(grep '^FAIL' "$tmp/flip.txt" | wc -c)" -lt 600
exit $fail
