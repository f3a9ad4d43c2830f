#!/usr/bin/env bash
# .clusterfuzzlite/build.sh builds every fuzz target the way ClusterFuzzLite/OSS-Fuzz runs it
# (libFuzzer + AddressSanitizer, the standard CXX/CXXFLAGS/LIB_FUZZING_ENGINE/OUT variables),
# here without Docker: clang-14 and Debian's libabsl-dev/libnghttp2-dev stand in for the
# image. Then checks $OUT: for each target a self-contained binary, NAME_seed_corpus.zip
# (flat, every seed and regression input), NAME.dict and NAME.options; and runs each binary
# for 100 iterations on its unpacked seeds with the flags of its .options file.
#
# build.sh compiles a source tree itself (the OSS-Fuzz image has no Bazel). Under Bazel, that
# is the runfiles tree when it holds everything build.sh reads (.clusterfuzzlite/build.sh
# and the hpack/, http2/ and conformance/ sources among the sh_test's data); otherwise the real
# checkout, found through this script's own path (readlink -f).
#
#   fuzz/oss_fuzz_build_test.sh            (also runs outside Bazel)
set -euo pipefail

TARGETS=(hpack_inflate_fuzzer hpack_roundtrip_fuzzer huffman_fuzzer hpack_differential_fuzzer
         story_json_fuzzer http2_frame_fuzzer http2_server_session_fuzzer
         http2_client_session_fuzzer http2_differential_fuzzer http2_field_validation_fuzzer)

# Without its tools the test fails and prints the install command; it never skips.
# require.sh: next to this script's real path outside Bazel, in the runfiles under it.
req="${TEST_SRCDIR:-/nonexistent}/${TEST_WORKSPACE:-h2harness}/tools/testing/require.sh"
[[ -f "$req" ]] || req="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../tools/testing/require.sh"
# shellcheck source=../tools/testing/require.sh
source "$req"
require_cmd clang-14 clang-14
require_cmd clang++-14 clang-14
if command -v clang-14 >/dev/null; then
  require_file "$(clang-14 --print-runtime-dir)/libclang_rt.fuzzer-$(uname -m).a" \
    libclang-rt-14-dev
fi
require_cmd zip zip
require_cmd unzip unzip
require_done
cc="$(command -v clang-14)"
cxx="$(command -v clang++-14)"

is_tree() {
  [[ -f "$1/.clusterfuzzlite/build.sh" && -f "$1/hpack/inflater.h" && -f "$1/conformance/story.cc" &&
     -f "$1/http2/session.cc" ]]
}
if [[ -n "${TEST_SRCDIR:-}" ]] && is_tree "$TEST_SRCDIR/${TEST_WORKSPACE:-h2harness}"; then
  root="$TEST_SRCDIR/${TEST_WORKSPACE:-h2harness}"
  echo "source tree: the runfiles"
else
  self="$(readlink -f "${BASH_SOURCE[0]}")"
  root="$(dirname "$(dirname "$self")")"
  if ! is_tree "$root"; then
    echo "FAIL: $self does not resolve into an h2harness checkout (build.sh compiles the" \
      "source tree directly)"
    exit 1
  fi
  echo "source tree: the checkout at $root"
fi

tmp="$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/oss_fuzz_build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out" "$tmp/work"

fail=0
bad() { echo "FAIL: $*"; fail=1; }

# --- the build, with OSS-Fuzz's default (address) variables --------------------------------------
# OSS-Fuzz's CXXFLAGS also carry -stdlib=libc++; Debian's Abseil is built against libstdc++,
# so the C++ standard library stays the default here (see build.sh).
flags="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
flags+=" -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
start=$SECONDS
if ! env -u SRC -u SRC_ROOT -u ABSL_PREFIX -u NGHTTP2_PREFIX \
    CC="$cc" CXX="$cxx" CFLAGS="$flags" CXXFLAGS="$flags" \
    LIB_FUZZING_ENGINE=-fsanitize=fuzzer SANITIZER=address FUZZING_ENGINE=libfuzzer \
    OUT="$tmp/out" WORK="$tmp/work" \
    bash "$root/.clusterfuzzlite/build.sh" >"$tmp/build.log" 2>&1; then
  echo "FAIL: .clusterfuzzlite/build.sh failed; the end of its log:"
  tail -n 60 "$tmp/build.log"
  exit 1
fi
echo "build.sh: $((SECONDS - start)) s"
echo "\$OUT:"
find "$tmp/out" -type f -printf '  %10s  %P\n' | sort -k2

# --- what landed in $OUT ---------------------------------------------------------------------------
# Every fuzz/*_fuzzer.cc is a target; the ones above must be among them.
found=()
for src in "$root"/fuzz/*_fuzzer.cc; do found+=("$(basename "$src" .cc)"); done
for t in "${TARGETS[@]}"; do
  [[ " ${found[*]} " == *" $t "* ]] || bad "fuzz/$t.cc is missing"
done

for t in "${found[@]}"; do
  out="$tmp/out"
  [[ -x "$out/$t" ]] || { bad "$t: no binary"; continue; }
  # Self-contained: Abseil and libnghttp2 linked statically.
  if ldd "$out/$t" | grep -E 'absl|nghttp2' >/dev/null; then bad "$t: links $(ldd "$out/$t" | grep -E 'absl|nghttp2')"; fi
  for f in "${t}_seed_corpus.zip" "$t.dict" "$t.options"; do
    [[ -s "$out/$f" ]] || bad "$t: no $f"
  done
  [[ -s "$out/${t}_seed_corpus.zip" && -s "$out/$t.options" ]] || continue

  # The seed zip: flat, and exactly the files of corpora/NAME and corpora/regressions/NAME.
  dirs=()
  for d in "$root/corpora/$t" "$root/corpora/regressions/$t"; do [[ -d "$d" ]] && dirs+=("$d"); done
  want="$(find -L "${dirs[@]}" -maxdepth 1 -type f -printf '%f\n' | sort -u)"
  have="$(unzip -Z1 "$out/${t}_seed_corpus.zip" | sort)"
  if grep / <<<"$have" >/dev/null; then bad "$t: seed zip is not flat"; fi
  [[ "$want" == "$have" ]] || bad "$t: seed zip differs from corpora/$t + corpora/regressions/$t"

  # The .options file: its [libfuzzer] keys become -key=value flags, as ClusterFuzz passes
  # them; dict is relative to $OUT.
  opts=()
  while IFS= read -r line; do
    line="${line%%#*}"
    [[ "$line" =~ ^[[:space:]]*([a-z_]+)[[:space:]]*=[[:space:]]*([^[:space:]]+)[[:space:]]*$ ]] || continue
    key="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}"
    [[ "$key" == dict ]] && value="$out/$value"
    opts+=("-$key=$value")
  done < <(sed -n '/^\[libfuzzer\]/,/^\[/p' "$out/$t.options")
  [[ " ${opts[*]} " == *" -dict=$out/$t.dict "* ]] || bad "$t.options: no dict = $t.dict"

  # A short run on the unpacked seeds. libFuzzer counts the seed executions in -runs, so
  # -runs is the number of seeds + 100: every seed, then 100 mutations.
  mkdir -p "$tmp/seeds/$t" "$tmp/artifacts"
  unzip -q "$out/${t}_seed_corpus.zip" -d "$tmp/seeds/$t"
  runs=$(($(find "$tmp/seeds/$t" -type f | wc -l) + 100))
  log="$tmp/$t.log"
  if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 "$out/$t" "${opts[@]}" -runs="$runs" \
      -rss_limit_mb=2560 -artifact_prefix="$tmp/artifacts/$t-" "$tmp/seeds/$t" >"$log" 2>&1; then
    bad "$t: the run failed; the end of its log:"
    tail -n 40 "$log"
    continue
  fi
  if grep -E 'WARNING: unrecognized flag|ParseDictionaryFile: error' "$log"; then
    bad "$t: libFuzzer rejected a flag or the dictionary"
  fi
  grep -q '^Dictionary: [1-9][0-9]* entries' "$log" || bad "$t: dictionary not loaded"
  done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" || true)"
  [[ -n "$done_line" ]] || bad "$t: no DONE line"
  echo "$t: $(grep -m1 '^Dictionary:' "$log" || true); ${done_line}"
done

if ((fail)); then
  echo "FAILED"
  exit 1
fi
echo "PASSED: ${#found[@]} targets built, packaged and run"
