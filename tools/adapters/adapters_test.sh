#!/usr/bin/env bash
# The adapters end to end: each one's encoder and decoder roles round-trip a story (octet
# strings, header_table_size, never-indexed marks), interoperate with each other and with
# h2harness, reject a bad block by the protocol, and speak the batch protocol; every
# python-hpack mutant runs, and is caught by a story made for it.
#
# Checks a library is known to fail (its findings, tools/adapters/README.md) are listed in
# KNOWN: they must still fail, so that a fix (or a regression) shows.
set -uo pipefail
runfiles="$TEST_SRCDIR/$TEST_WORKSPACE"
py="$runfiles/tools/adapters/python_hpack.py"
ng="$runfiles/tools/adapters/nghttp2_adapter"
go="$runfiles/tools/adapters/go_hpack_adapter"
js="$runfiles/tools/adapters/hpackjs/hpackjs_adapter.js"
h2="$runfiles/tools/h2harness"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
declare -A KNOWN=(
  # Go: the library has no notion of a required size update (RFC 9113 §4.3.1).
  ["go: missing size update after SETTINGS 0 exits 1"]=1
  ["go: missing size update reported as {\"error\": ...}"]=1
  # hpack.js: its compressor shrinks the table without a size update (RFC 7541 §4.2), and its
  # decompressor does not require one.
  ["hpackjs: header_table_size 0 -> block starts with a size update to 0"]=1
  ["hpackjs encoder -> h2harness decoder, with header_table_size"]=1
  ["hpackjs encoder -> python decoder, with header_table_size"]=1
  ["hpackjs encoder -> nghttp2 decoder, with header_table_size"]=1
  ["hpackjs: missing size update after SETTINGS 0 exits 1"]=1
  ["hpackjs: missing size update reported as {\"error\": ...}"]=1
)
check() {  # check NAME COMMAND...
  local name="$1"; shift
  if [[ -n "${KNOWN[$name]:-}" ]]; then
    if "$@"; then echo "FAIL $name (a known finding no longer shows: update KNOWN and the README)"; fail=1
    else echo "ok   $name (fails as known)"; fi
    return
  fi
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
[[ -f "$(dirname "$(readlink -f "$js")")/node_modules/hpack.js/package.json" ]] || {
  echo "FAIL hpack.js is not installed: run tools/deps (npm ci in tools/adapters/hpackjs)"; exit 1; }

# jq-like checks in Python (Debian's, which the python adapter needs anyway).
# same_story A B: the same cases (every member, headers in order) and top-level members;
# "never_indexed" (which a decoder adds) only where both have it.
same_story() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
a.setdefault("description", ""); b.setdefault("description", "")
for ca, cb in zip(a["cases"], b["cases"]):
    if "never_indexed" not in ca or "never_indexed" not in cb:
        ca.pop("never_indexed", None); cb.pop("never_indexed", None)
sys.exit(0 if a == b else 1)
PY
}
# same_headers A B: every case's headers equal (wire may differ).
same_headers() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
h = lambda s: [c.get("headers") for c in s["cases"]]
sys.exit(0 if h(a) == h(b) and h(a)[0] is not None else 1)
PY
}
# wire_of FILE N: case N's wire.
wire_of() {
  /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cases"][int(sys.argv[2])]["wire"])' "$1" "$2"
}
# strip FILE OUT: the story without headers (what the runner gives a decoder).
strip() {
  /usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
for c in s["cases"]: c.pop("headers", None); c.pop("error", None); c.pop("never_indexed", None)
json.dump(s, open(sys.argv[2], "w"))' "$1" "$2"
}
# is_error FILE: stdout was exactly one JSON object with a string "error".
is_error() {
  /usr/bin/python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))
sys.exit(0 if isinstance(e, dict) and isinstance(e.get("error"), str) and e["error"] else 1)' "$1"
}
no_traceback() { ! grep -q 'Traceback' "$1"; }

# Octet strings: NUL, lone non-UTF-8 octets, UTF-8, a literal U+FDD0, an empty name and value,
# duplicates, and an unknown member that must survive.
cat > "$tmp/raw.json" <<'JSON'
{"cases": [
  {"seqno": 0, "headers": [{":method": "GET"}, {":path": "/"}, {"x-bin": "\u0000\udcff\udc80"},
                           {"x-utf8": "caf\u00e9 \ufdd0"}, {"\udcfe": ""}, {"x-bin": "dup"}]},
  {"seqno": 1, "headers": [{":method": "GET"}, {"x-bin": "\u0000\udcff\udc80"}, {"x-bin": "dup"}],
   "note": {"kept": true}},
  {"seqno": 2, "headers": []}
], "description": "adapters test", "draft": 9}
JSON

# Never-indexed marks: the encoder must honour them, the decoder report them.
cat > "$tmp/never.json" <<'JSON'
{"cases": [
  {"seqno": 0, "headers": [{":method": "GET"}, {"x-token": "secret-1"}, {"x-plain": "a"}],
   "never_indexed": [1]},
  {"seqno": 1, "headers": [{"x-token": "secret-1"}, {"x-plain": "a"}], "never_indexed": [0]}
], "description": "never indexed"}
JSON
# null members are absent.
cat > "$tmp/null.json" <<'JSON'
{"cases": [{"seqno": 0, "header_table_size": null, "headers": [{"x": "1"}], "never_indexed": null}],
 "description": null}
JSON

# Case 1 lowers SETTINGS_HEADER_TABLE_SIZE to 0, case 2 raises it again.
cat > "$tmp/resize.json" <<'JSON'
{"cases": [
  {"seqno": 0, "headers": [{"x-a": "1"}, {"x-b": "2"}]},
  {"seqno": 1, "header_table_size": 0, "headers": [{"x-a": "1"}, {"x-b": "2"}]},
  {"seqno": 2, "header_table_size": 4096, "headers": [{"x-a": "1"}, {"x-a": "1"}]}
], "description": "resize"}
JSON

adapter_of() {
  case $1 in
    python) echo "$py" ;;
    nghttp2) echo "$ng" ;;
    go) echo "$go" ;;
    hpackjs) echo "$js" ;;
  esac
}
never_of() {  # never_of FILE N: case N's never_indexed list, as JSON
  /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["cases"][int(sys.argv[2])].get("never_indexed")))' "$1" "$2"
}
ADAPTERS="python nghttp2 go hpackjs"
for name in $ADAPTERS; do
  adapter="$(adapter_of $name)"

  "$adapter" encode < "$tmp/raw.json" > "$tmp/$name.enc.json" 2> "$tmp/$name.enc.err"
  check "$name: encode exits 0" test $? -eq 0
  check "$name: encode keeps headers and other members" same_headers "$tmp/raw.json" "$tmp/$name.enc.json"
  check "$name: encode keeps unknown members" grep -q '"kept": *true' "$tmp/$name.enc.json"
  strip "$tmp/$name.enc.json" "$tmp/$name.wire.json"
  "$adapter" decode < "$tmp/$name.wire.json" > "$tmp/$name.dec.json" 2> "$tmp/$name.dec.err"
  check "$name: decode exits 0" test $? -eq 0
  check "$name: encode then decode gives the story back" same_story "$tmp/$name.enc.json" "$tmp/$name.dec.json"
  check "$name: lone surrogates are written as \\udcXX" grep -q '\\udcff\\udc80' "$tmp/$name.dec.json"

  # Every decoder reads this encoder's wire, with and without table size changes.
  "$adapter" encode < "$tmp/resize.json" > "$tmp/$name.resize.enc.json" 2> /dev/null
  strip "$tmp/$name.resize.enc.json" "$tmp/$name.resize.wire.json"
  for other in $ADAPTERS h2harness; do
    if [[ $other == h2harness ]]; then dec=("$h2" hpack decode); else dec=("$(adapter_of $other)" decode); fi
    "${dec[@]}" < "$tmp/$name.wire.json" > "$tmp/$name.by-$other.json" 2> /dev/null
    check "$name encoder -> $other decoder" same_headers "$tmp/raw.json" "$tmp/$name.by-$other.json"
    "${dec[@]}" < "$tmp/$name.resize.wire.json" > "$tmp/$name.resize.by-$other.json" 2> /dev/null
    check "$name encoder -> $other decoder, with header_table_size" \
      same_headers "$tmp/resize.json" "$tmp/$name.resize.by-$other.json"
  done

  # Never-indexed: marked fields are encoded as never-indexed literals and reported so.
  "$adapter" encode < "$tmp/never.json" > "$tmp/$name.never.enc.json" 2> /dev/null
  strip "$tmp/$name.never.enc.json" "$tmp/$name.never.wire.json"
  "$h2" hpack decode < "$tmp/$name.never.wire.json" > "$tmp/$name.never.h2.json" 2> /dev/null
  check "$name: encoder honours never_indexed" test "$(never_of "$tmp/$name.never.h2.json" 0)$(never_of "$tmp/$name.never.h2.json" 1)" = "[1][0]"
  "$h2" hpack encode < "$tmp/never.json" > "$tmp/h2.never.enc.json" 2> /dev/null
  strip "$tmp/h2.never.enc.json" "$tmp/h2.never.wire.json"
  "$adapter" decode < "$tmp/h2.never.wire.json" > "$tmp/$name.never.dec.json" 2> /dev/null
  check "$name: decoder reports never_indexed" test "$(never_of "$tmp/$name.never.dec.json" 0)$(never_of "$tmp/$name.never.dec.json" 1)" = "[1][0]"
  "$adapter" encode < "$tmp/null.json" > "$tmp/$name.null.json" 2> "$tmp/$name.null.err"
  check "$name: null members are absent" test $? -eq 0

  # Batch protocol: the hello is answered, stories come back one per line, a rejection is
  # one {"error"} line and the process goes on.
  { echo '{"h2harness_batch": 1}'
    echo '{"cases": [{"seqno": 0, "wire": "82"}]}'
    echo '{"cases": [{"seqno": 0, "wire": "80"}]}'
    echo '{"cases": [{"seqno": 0, "wire": "8286"}]}'
  } | "$adapter" decode > "$tmp/$name.batch.out" 2> /dev/null
  check "$name: batch mode exits 0" test $? -eq 0
  check "$name: batch mode answers the hello and each story on one line" /usr/bin/python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 4, lines
hello, a, bad, b = map(json.loads, lines)
assert hello["h2harness_batch"] == 1 and hello.get("never_indexed") is True, hello
assert a["cases"][0]["headers"] == [{":method": "GET"}], a
assert isinstance(bad.get("error"), str) and "cases" not in bad, bad
assert b["cases"][0]["headers"] == [{":method": "GET"}, {":scheme": "http"}], b' "$tmp/$name.batch.out"

  # header_table_size: the encoder emits a size update, the decoder requires and applies it.
  "$adapter" encode < "$tmp/resize.json" > "$tmp/$name.resize.enc.json"
  check "$name: encode with header_table_size exits 0" test $? -eq 0
  check "$name: header_table_size 0 -> block starts with a size update to 0" \
    test "$(wire_of "$tmp/$name.resize.enc.json" 1 | cut -c1-2)" = 20
  check "$name: header_table_size 4096 -> block starts with a size update to 4096" \
    test "$(wire_of "$tmp/$name.resize.enc.json" 2 | cut -c1-6)" = 3fe11f
  strip "$tmp/$name.resize.enc.json" "$tmp/$name.resize.wire.json"
  "$adapter" decode < "$tmp/$name.resize.wire.json" > "$tmp/$name.resize.dec.json"
  check "$name: decode with header_table_size exits 0" test $? -eq 0
  check "$name: header_table_size round trip" same_story "$tmp/$name.resize.enc.json" "$tmp/$name.resize.dec.json"
  # The decoder must insist on the size update after SETTINGS dropped to 0.
  echo '{"cases": [{"seqno": 0, "wire": "4003782d61013182"},
                   {"seqno": 1, "header_table_size": 0, "wire": "82"}]}' \
    | "$adapter" decode > "$tmp/$name.noupdate.json" 2> /dev/null
  check "$name: missing size update after SETTINGS 0 exits 1" test $? -eq 1
  check "$name: missing size update reported as {\"error\": ...}" is_error "$tmp/$name.noupdate.json"

  "$adapter" encode --table-size 256 < "$tmp/raw.json" > "$tmp/$name.ts.json"
  check "$name: --table-size writes header_table_size" grep -q '"header_table_size": *256' "$tmp/$name.ts.json"
  check "$name: --table-size starts with a size update to 256" \
    test "$(wire_of "$tmp/$name.ts.json" 0 | cut -c1-6)" = 3fe101

  # A malformed block: index 0.
  echo '{"cases": [{"seqno": 7, "wire": "80"}]}' | "$adapter" decode > "$tmp/$name.bad.json" 2> /dev/null
  check "$name: index 0 exits 1" test $? -eq 1
  check "$name: index 0 prints {\"error\": ...} on stdout" is_error "$tmp/$name.bad.json"
  echo '{"cases": [' | "$adapter" decode > "$tmp/$name.badjson.out" 2> "$tmp/$name.badjson.err"
  check "$name: invalid JSON exits 2" test $? -eq 2
  check "$name: invalid JSON prints nothing on stdout" test ! -s "$tmp/$name.badjson.out"
  "$adapter" frobnicate < /dev/null > /dev/null 2>&1
  check "$name: unknown role exits 2" test $? -eq 2
done

# h2harness's encoder -> the adapters' decoders.
"$h2" hpack encode < "$tmp/raw.json" > "$tmp/h2.enc.json"
strip "$tmp/h2.enc.json" "$tmp/h2.wire.json"
for name in $ADAPTERS; do
  adapter="$(adapter_of $name)"
  "$adapter" decode < "$tmp/h2.wire.json" > "$tmp/h2.by-$name.json" 2> /dev/null
  check "h2harness encoder -> $name decoder" same_headers "$tmp/raw.json" "$tmp/h2.by-$name.json"
done

# Mutants: each runs (no traceback) on a valid story, and a story made for it catches it:
# the real decoder and the mutant disagree (different headers, or one of them rejects).
mutants="$("$py" --list-mutants)"
check "--list-mutants lists the required mutants" bash -c '
  for m in eviction indexing integer huffman size_update no_index_zero_check \
           no_size_limit_check no_padding_check; do grep -qx "$m" <<< "$1" || exit 1; done' _ "$mutants"

# kill story for each mutant: either headers to encode (with the real encoder) or raw wire.
kill_story() {
  case $1 in
    eviction)    # a 100-octet table holds two of the three 34-octet entries
      echo '{"cases": [{"seqno": 0, "header_table_size": 100, "headers": [{"x": "1"}, {"y": "2"}, {"z": "3"}]},
                       {"seqno": 1, "headers": [{"z": "3"}, {"y": "2"}]}]}' ;;
    entry_size)  # with 31-octet overhead x:1 is not evicted, so index 64 wrongly resolves
      echo '{"cases": [{"seqno": 0, "header_table_size": 100, "wire": "3f454001780131400179013240017a0133"},
                       {"seqno": 1, "wire": "c0"}]}' ;;
    indexing)
      echo '{"cases": [{"seqno": 0, "headers": [{"x": "1"}, {"y": "2"}, {"z": "3"}]},
                       {"seqno": 1, "headers": [{"z": "3"}, {"y": "2"}, {"x": "1"}]}]}' ;;
    integer)     # a 300-octet value: its length takes two continuation octets
      /usr/bin/python3 -c 'import json; print(json.dumps({"cases": [{"seqno": 0, "headers": [{"x": "v" * 300}]}]}))' ;;
    huffman)
      echo '{"cases": [{"seqno": 0, "headers": [{"x-abc": "abc"}]}]}' ;;
    size_update) # the update to 0 must flush the table, so index 62 is then out of range
      echo '{"cases": [{"seqno": 0, "wire": "40017801314001790132"},
                       {"seqno": 1, "wire": "203fe11fbe"}]}' ;;
    no_index_zero_check)
      echo '{"cases": [{"seqno": 0, "wire": "8280"}]}' ;;
    no_size_limit_check)  # an update to 4097 with SETTINGS at 4096
      echo '{"cases": [{"seqno": 0, "wire": "3fe21f82"}]}' ;;
    no_padding_check)     # "a" then padding 000 instead of 111
      echo '{"cases": [{"seqno": 0, "wire": "0001788118"}]}' ;;
    *) return 1 ;;
  esac
}

echo '{"cases": [{"seqno": 0, "wire": "828684418cf1e3c2e5f23a6ba0ab90f4ff"}], "description": "RFC 7541 C.4.1"}' > "$tmp/simple.json"
for m in $mutants; do
  "$py" --mutant "$m" decode < "$tmp/simple.json" > "$tmp/m.$m.simple.out" 2> "$tmp/m.$m.simple.err"
  rc=$?
  check "mutant $m runs on a simple story (exit 0 or 1)" test $rc -eq 0 -o $rc -eq 1
  check "mutant $m: no traceback" no_traceback "$tmp/m.$m.simple.err"

  if ! kill_story "$m" > "$tmp/m.$m.story.json"; then
    check "mutant $m has a kill story in this test" false
    continue
  fi
  if grep -q '"wire"' "$tmp/m.$m.story.json"; then
    cp "$tmp/m.$m.story.json" "$tmp/m.$m.wire.json"
  else
    "$py" encode < "$tmp/m.$m.story.json" > "$tmp/m.$m.enc.json"
    strip "$tmp/m.$m.enc.json" "$tmp/m.$m.wire.json"
  fi
  "$py" decode < "$tmp/m.$m.wire.json" > "$tmp/m.$m.real.out" 2> /dev/null
  real_rc=$?
  "$ng" decode < "$tmp/m.$m.wire.json" > "$tmp/m.$m.ng.out" 2> /dev/null
  ng_rc=$?
  check "mutant $m: kill story: python-hpack and nghttp2 agree" test $real_rc -eq $ng_rc
  "$py" --mutant "$m" decode < "$tmp/m.$m.wire.json" > "$tmp/m.$m.out" 2> "$tmp/m.$m.err"
  mutant_rc=$?
  check "mutant $m: kill story: no traceback" no_traceback "$tmp/m.$m.err"
  if [ $real_rc -eq 0 ] && [ $mutant_rc -eq 0 ]; then
    check "mutant $m is caught (different headers)" bash -c '! cmp -s "$1" "$2"' _ "$tmp/m.$m.real.out" "$tmp/m.$m.out"
  else
    check "mutant $m is caught (real exit $real_rc, mutant exit $mutant_rc)" \
      test $real_rc -ne $mutant_rc -a $real_rc -le 1 -a $mutant_rc -le 1
  fi
done

"$py" --mutant no-such-mutant decode < "$tmp/simple.json" > /dev/null 2>&1
check "unknown mutant exits 2" test $? -eq 2

exit $fail
