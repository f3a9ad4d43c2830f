#!/usr/bin/env bash
# Every real implementation behind an adapter over the shipped corpus, in both roles, with
# the batch protocol: its verdicts must equal its baseline (tools/adapters/baselines/), so
# that a change in what a library gets right or wrong shows. tools/validate prints the same
# runs as a matrix and rewrites the baselines with --update-baselines.
set -uo pipefail
cd "$TEST_SRCDIR/$TEST_WORKSPACE" || exit 1
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
h2=tools/h2harness
fail=0
declare -A CMD=(
  [python-hpack]="tools/adapters/python_hpack.py"
  [libnghttp2]="tools/adapters/nghttp2_adapter"
  [go-hpack]="tools/adapters/go_hpack_adapter"
  [hpack.js]="tools/adapters/hpackjs/hpackjs_adapter.js"
)
[[ -f "$(dirname "$(readlink -f tools/adapters/hpackjs/hpackjs_adapter.js)")/node_modules/hpack.js/package.json" ]] || {
  echo "FAIL hpack.js is not installed: run tools/deps (npm ci in tools/adapters/hpackjs)"; exit 1; }
for impl in python-hpack libnghttp2 go-hpack hpack.js; do
  for role in decoder encoder; do
    if [[ $role == decoder ]]; then
      "$h2" stories check-decoder --quiet --keep-going --cmd "${CMD[$impl]} decode" \
        --json "$tmp/$impl-$role.json" corpora/stories > "$tmp/$impl-$role.txt"
    else
      "$h2" stories check-encoder --quiet --keep-going --cmd "${CMD[$impl]} encode" \
        --json "$tmp/$impl-$role.json" corpora/stories/raw-data corpora/stories/raw-table-size \
        > "$tmp/$impl-$role.txt"
    fi
    echo "== $impl $role: $(tail -n 1 "$tmp/$impl-$role.txt")"
    if grep -q "unreadable" "$tmp/$impl-$role.txt"; then
      echo "FAIL $impl $role: unreadable stories"; fail=1
    fi
    tools/adapters/baseline.py "$tmp/$impl-$role.json" "tools/adapters/baselines/$impl-$role.txt" || fail=1
  done
done
exit $fail
