#!/usr/bin/env bash
# The minimal adapter printed in README.md works: extracted from the README and run through
# `stories check-decoder` and `check-encoder` on part of the shipped corpus.
set -uo pipefail
cd "$TEST_SRCDIR/$TEST_WORKSPACE" || exit 1
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
awk '/^### Writing an adapter/ {in_section = 1}
     in_section && /^```python/ {grab = 1; next}
     grab && /^```/ {exit}
     grab {print}' README.md > "$tmp/adapter.py"
if ! grep -q "import hpack" "$tmp/adapter.py"; then
  echo "FAIL: no python adapter found under '### Writing an adapter' in README.md"; exit 1
fi
chmod +x "$tmp/adapter.py"
fail=0
tools/h2harness stories check-decoder --quiet --cmd "/usr/bin/python3 $tmp/adapter.py decode" \
  corpora/stories/edge corpora/stories/h2harness-huffman-4096-resize || fail=1
tools/h2harness stories check-encoder --quiet --cmd "/usr/bin/python3 $tmp/adapter.py encode" \
  corpora/stories/raw-data || fail=1
exit $fail
