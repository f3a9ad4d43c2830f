#!/usr/bin/env bash
# hpack_bench (what `tools/bench hpack` runs): one row per variant, labels, a variant with
# nothing to benchmark reported as skipped, --only, --json, and bad flags refused.
set -u
cd "$TEST_SRCDIR/$TEST_WORKSPACE" || exit 1
bin=tools/hpack_bench
fail() {
  echo "FAIL: $*"
  exit 1
}

out=$($bin --runs 2 --min_time 0 --json "$TEST_TMPDIR/r.json" corpora/stories/edge \
  mine=corpora/stories/raw-data corpora/stories/negative 2>"$TEST_TMPDIR/err") ||
  fail "exit status $? ($(cat "$TEST_TMPDIR/err"))"
echo "$out"
row() { grep -E "^$1 " <<<"$out"; }
# Story counts from the corpus itself, so new stories do not break the test.
count() { find "$1" -name '*.json' | wc -l; }
n_edge=$(count corpora/stories/edge)
n_raw=$(count corpora/stories/raw-data)
n_neg=$(count corpora/stories/negative)
# label, stories, wire in | decode: 2 rates, 2 ratios | encode: likewise | wire: 2 sizes, ratio
num='[0-9]+(\.[0-9]+)?'
full="^%s +%s +[0-9]+ \| +$num +$num +${num}x +${num}x \| +$num +$num +${num}x +${num}x \| +[0-9]+ +[0-9]+ +$num$"
grep -Eq "$(printf "$full" edge "$n_edge")" <<<"$out" || fail "edge row: $(row edge)"
grep -Eq "$(printf "$full" mine "$n_raw")" <<<"$out" || fail "raw-data row labelled mine: $(row mine)"
grep -Eq "^negative +skipped: no story to benchmark \($n_neg skipped" <<<"$out" ||
  fail "negative row: $(row negative)"
grep -q '^lowest decode ratio: [0-9.]*x (' <<<"$out" || fail "no lowest decode ratio"
grep -q '^lowest encode ratio: [0-9.]*x (' <<<"$out" || fail "no lowest encode ratio"

python3 - "$TEST_TMPDIR/r.json" "$n_raw" <<'PY' || fail "JSON report"
import json, sys
r = json.load(open(sys.argv[1]))
v = r["variants"]
assert [x["label"] for x in v] == ["edge", "mine", "negative"], v
assert "skipped" in v[2]
for x in v[:2]:
    for b in ("decode", "encode"):
        assert len(x[b]["ratio"]["runs"]) == 2, x[b]
        assert x[b]["ratio"]["best"] > 0 and x[b]["h2harness"]["bytes_per_second"]["best"] > 0
    assert x["wire_bytes"]["h2harness"] > 0 and x["wire_bytes"]["libnghttp2"] > 0
assert v[1]["corpus"]["raw_stories"] == int(sys.argv[2]) and v[0]["corpus"]["raw_stories"] == 0
assert r["config"]["runs"] == 2
PY

out=$($bin --only decode --runs 1 --min_time 0 corpora/stories/edge) || fail "--only decode"
grep -Eq "^edge +$n_edge +[0-9]+ \| +$num +$num +${num}x +${num}x \| +- +- +- +- \|" <<<"$out" ||
  fail "--only decode row: $(row edge)"
grep -q 'lowest encode ratio' <<<"$out" && fail "--only decode reports an encode ratio"

for bad in "--runs 0" "--only both" "--min_time -1"; do
  if $bin $bad corpora/stories/edge >/dev/null 2>&1; then fail "accepted $bad"; fi
done
if $bin --runs 1 corpora/no-such-dir >/dev/null 2>&1; then fail "accepted a missing directory"; fi
echo PASS
