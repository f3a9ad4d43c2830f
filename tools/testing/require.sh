# Shared by the project's shell tests: a test whose tool is missing FAILS and says how to
# install it; it never passes by skipping (README.md, "Testing").
#
#   source "$(dirname "${BASH_SOURCE[0]}")/../tools/testing/require.sh"   # outside Bazel
#   source "$TEST_SRCDIR/$TEST_WORKSPACE/tools/testing/require.sh"         # sh_test, with
#                                          # data = ["//tools/testing:require.sh"]
#   require_cmd clang-14 clang-14                 # CMD DEBIAN_PACKAGE...
#   require_cmd h2load nghttp2-client
#   require_file /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev
#   require_python_module h2 python3-h2           # under /usr/bin/python3 (Debian's)
#   require_done                                  # exits 1 if anything above was missing
#
# Each require_* prints a line per missing item; require_done then prints the install
# command and stops the test with exit status 1. Every package named here must also be in
# tools/deps, which installs them all.

_require_missing=()
_require_packages=()

_require_note() {  # WHAT PACKAGE...
  local what="$1"; shift
  _require_missing+=("$what")
  _require_packages+=("$@")
  echo "FAIL: $what is not installed (Debian package: ${*:-?})"
}

# require_cmd CMD DEBIAN_PACKAGE... : CMD must be on PATH.
require_cmd() {
  local cmd="$1"; shift
  command -v "$cmd" >/dev/null 2>&1 || _require_note "command '$cmd'" "$@"
}

# require_file PATH DEBIAN_PACKAGE... : PATH must exist.
require_file() {
  local path="$1"; shift
  [[ -e "$path" ]] || _require_note "file '$path'" "$@"
}

# require_python_module MODULE DEBIAN_PACKAGE... : `import MODULE` works in /usr/bin/python3.
require_python_module() {
  local mod="$1"; shift
  if [[ ! -x /usr/bin/python3 ]]; then
    _require_note "/usr/bin/python3 (for the module '$mod')" python3 "$@"
  elif ! /usr/bin/python3 -c "import $mod" >/dev/null 2>&1; then
    _require_note "python module '$mod' (under /usr/bin/python3)" "$@"
  fi
}

# require_done : if anything was missing, print how to install it and exit 1.
require_done() {
  ((${#_require_missing[@]} == 0)) && return 0
  local pkgs what
  what="$(printf '%s, ' "${_require_missing[@]}")"
  pkgs="$(printf '%s\n' "${_require_packages[@]}" | awk 'NF && !seen[$0]++' | tr '\n' ' ')"
  echo "FAIL: this test cannot run without ${what%, }."
  echo "  install: apt-get install -y ${pkgs% }    (as root)"
  echo "  or: tools/deps    (installs every package h2harness uses)"
  exit 1
}
