#!/usr/bin/env bash
# The CLI end to end: encode then decode gives the story back; errors follow the adapter
# protocol; --help lists what exists.
set -uo pipefail
bin="$TEST_SRCDIR/$TEST_WORKSPACE/tools/h2harness"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
check() {  # check NAME CONDITION...
  local name="$1"; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}

cat > "$tmp/raw.json" <<'JSON'
{"cases": [
  {"seqno": 0, "headers": [{":method": "GET"}, {":path": "/"}, {"x-bin": "\u0000\udcff\udc80"}]},
  {"seqno": 1, "headers": [{":method": "GET"}, {":path": "/"}, {"x-bin": "\u0000\udcff\udc80"}]}
], "description": "cli test"}
JSON

"$bin" hpack encode --table-size=256 --huffman=never < "$tmp/raw.json" > "$tmp/enc.json"
check "encode exits 0" test $? -eq 0
check "encode writes header_table_size" grep -q '"header_table_size": 256' "$tmp/enc.json"
check "encode writes wire with the size update first" grep -q '"wire": "3fe101' "$tmp/enc.json"
"$bin" hpack decode --dump-table < "$tmp/enc.json" > "$tmp/dec.json" 2> "$tmp/table.txt"
check "decode exits 0" test $? -eq 0
check "decode gives the story back" cmp -s "$tmp/enc.json" "$tmp/dec.json"
check "--dump-table prints RFC-style tables" grep -q '(s =  40) x-bin: \\x00\\xff\\x80' "$tmp/table.txt"

echo '{"cases": [{"seqno": 5, "wire": "80"}]}' | "$bin" hpack decode > "$tmp/err.json" 2> "$tmp/err.txt"
check "bad block exits 1" test $? -eq 1
check "bad block reports the rule on stdout" grep -q '"rule": "index_zero", "seqno": 5' "$tmp/err.json"
check "bad block explains on stderr" grep -q 'case 0 (seqno 5): hpack: octet 0 of the header block: index 0' "$tmp/err.txt"

echo '{"cases": [' | "$bin" hpack decode > /dev/null 2> "$tmp/json.txt"
check "invalid JSON exits 2" test $? -eq 2
check "invalid JSON is named" grep -q '<stdin>: invalid JSON' "$tmp/json.txt"

"$bin" hpack encode --huffman=maybe < "$tmp/raw.json" > /dev/null 2> "$tmp/flag.txt"
check "bad --huffman exits 2" test $? -eq 2

"$bin" --help > "$tmp/help.txt"
check "--help exits 0" test $? -eq 0
check "--help lists hpack decode" grep -q 'hpack decode' "$tmp/help.txt"
"$bin" hpack encode --help > "$tmp/help2.txt"
check "command --help shows dashed flags" grep -q -- '--table-size' "$tmp/help2.txt"
"$bin" no-such-command 2> /dev/null
check "unknown command exits 2" test $? -eq 2
exit $fail
