#!/usr/bin/env bash
# The corpus's verdicts are only worth something if they fail when they should: every
# deliberately broken variant of python-hpack's decoder (one bug each, see
# python_hpack.py --list-mutants) must fail `stories check-decoder` on the shipped edge and
# negative stories plus one encoded variant, while the real decoder passes them all.
set -uo pipefail
cd "$TEST_SRCDIR/$TEST_WORKSPACE" || exit 1
bin=tools/h2harness
adapter=tools/adapters/python_hpack.py
stories=(corpora/stories/edge corpora/stories/negative corpora/stories/h2harness-huffman-4096-resize)
fail=0

if "$bin" stories check-decoder --quiet --cmd "$adapter decode" "${stories[@]}" > real.txt; then
  echo "ok   the real decoder passes: $(tail -n 1 real.txt)"
else
  echo "FAIL the real decoder does not pass:"; cat real.txt; fail=1
fi

caught=0
total=0
for m in $("$adapter" --list-mutants); do
  total=$((total + 1))
  if "$bin" stories check-decoder --quiet --cmd "$adapter --mutant $m decode" \
      "${stories[@]}" > "m_$m.txt"; then
    echo "FAIL mutant $m was not caught"; fail=1
  else
    caught=$((caught + 1))
    echo "ok   mutant $m caught: $(tail -n 1 "m_$m.txt")"
  fi
done
echo "$caught of $total broken decoders caught"
exit $fail
