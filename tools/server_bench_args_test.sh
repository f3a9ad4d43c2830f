#!/usr/bin/env bash
# tools/bench server refuses what it cannot measure before it starts anything: a size that
# names no file (it used to benchmark 404 responses), an unknown transport or server.
set -uo pipefail
bench="$TEST_SRCDIR/$TEST_WORKSPACE/tools/server_bench.py"
fail=0
refuses() {  # refuses MESSAGE ARGS...
  local want="$1"; shift
  local out rc
  out=$(python3 "$bench" --h2harness=unused "$@" 2>&1); rc=$?
  if [[ $rc -ne 0 && $out == *"$want"* ]]; then
    echo "ok   $* -> $want"
  else
    echo "FAIL $* -> exit $rc: $out"; fail=1
  fi
}
refuses "--sizes 4K: not one of 13B.txt, 4KiB.txt, 100KiB.txt" --sizes 4K
refuses "--sizes 1MiB: not one of" --sizes 4KiB,1MiB
refuses "--transports quic: not h2c or tls" --transports h2c,quic
refuses "--servers caddy: not one of h2harness, nghttpd, h2o" --servers h2harness,caddy
exit $fail
