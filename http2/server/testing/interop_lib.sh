# Shared by the reference server's interop tests (sourced). Starts `h2harness serve` on
# 127.0.0.1 with a kernel-chosen port, stops everything it started on exit, and makes a
# missing client fail the test with the command that installs it.
set -uo pipefail
H2HARNESS="$TEST_SRCDIR/$TEST_WORKSPACE/tools/h2harness"
TMP="${TEST_TMPDIR:-$(mktemp -d)}"
fail=0
_pids=()
_servers=()  # pid:stderr of each h2harness serve started

# check NAME COMMAND...: one verdict line.
check() {
  local name="$1"; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}

# matrix CLIENT TRANSPORT RESULT: a row of the interop matrix (README), from the checks so far.
matrix() { echo "MATRIX $1 $2 $3"; }

# require CMD DEBIAN_PACKAGE: a missing client fails the test (never a silent pass).
require() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "FAIL: '$1' is not installed: apt-get install -y $2 (tools/deps installs it)"
    exit 1
  fi
}
require_python_module() {  # MODULE DEBIAN_PACKAGE (Debian's python: /usr/bin/python3)
  if ! /usr/bin/python3 -c "import $1" >/dev/null 2>&1; then
    echo "FAIL: python module '$1' is missing under /usr/bin/python3: apt-get install -y $2"
    exit 1
  fi
}

# start_server NAME [SERVE FLAGS...]: sets ${NAME}_url, ${NAME}_pid, ${NAME}_out (stdout:
# banner and access log), ${NAME}_err.
start_server() {
  local name="$1"; shift
  local out="$TMP/$name.out" err="$TMP/$name.err"
  "$H2HARNESS" serve --listen 127.0.0.1:0 "$@" >"$out" 2>"$err" &
  local pid=$!
  _pids+=("$pid")
  local url="" i
  for i in $(seq 200); do
    url=$(grep -o 'https\?://127.0.0.1:[0-9]*/' "$out" 2>/dev/null | head -n 1)
    [[ -n "$url" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [[ -z "$url" ]]; then
    echo "FAIL: h2harness serve $* did not start"; cat "$err"; exit 1
  fi
  _servers+=("$pid:$err")
  printf -v "${name}_url" '%s' "$url"
  printf -v "${name}_pid" '%s' "$pid"
  printf -v "${name}_out" '%s' "$out"
  printf -v "${name}_err" '%s' "$err"
}

# Runs a command in the background and remembers it for cleanup; sets BG_PID.
start_bg() {
  "$@" &
  BG_PID=$!
  _pids+=("$BG_PID")
}

_cleanup() {
  local p
  for p in "${_pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${_pids[@]}"; do
    for _ in $(seq 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$p" 2>/dev/null
  done
  wait 2>/dev/null
}
trap _cleanup EXIT

finish() {
  # Every server must stop cleanly on SIGTERM (graceful shutdown) and say nothing of a
  # sanitizer (under --config=asan a leak or memory error fails the test here).
  local entry pid err status
  for entry in "${_servers[@]}"; do
    pid=${entry%%:*}; err=${entry#*:}
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    wait "$pid"; status=$?
    if ((status != 0)) || grep -qE 'Sanitizer|runtime error' "$err"; then
      echo "FAIL server $pid exited with status $status"; tail -n 30 "$err"; fail=1
    fi
  done
  if ((fail)); then echo "FAILED"; exit 1; fi
  echo "PASSED"
  exit 0
}
