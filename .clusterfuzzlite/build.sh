#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script for h2harness: the libFuzzer targets of fuzz/
# (every fuzz/*_fuzzer.cc: HPACK and HTTP/2), built without Bazel (the base-builder image has
# none).
#
# The standard contract: $CXX, $CFLAGS/$CXXFLAGS (sanitizer and coverage flags),
# $LIB_FUZZING_ENGINE and $OUT come from the environment. For each target NAME this writes
#   $OUT/NAME                   the fuzzer
#   $OUT/NAME_seed_corpus.zip   corpora/NAME/* + corpora/regressions/NAME/*, flat
#   $OUT/NAME.dict, NAME.options  from fuzz/
# All sources are C++, so $CC and $CFLAGS are not used.
#
# Optional environment:
#   SRC_ROOT       the h2harness checkout. Default: the parent of this script's directory when
#                  that is a checkout (running .clusterfuzzlite/build.sh from a checkout, SRC
#                  unset), else $SRC/h2harness (the image: the script is copied to $SRC/).
#   ABSL_PREFIX    Abseil install prefix (include/, lib*/ with static libabsl_*.a). Default
#                  /usr (Debian's libabsl-dev); the Dockerfile sets /opt/abseil.
#   NGHTTP2_PREFIX libnghttp2 prefix, default /usr. Linked statically when libnghttp2.a exists,
#                  else dynamically, with the .so copied to $OUT/lib (rpath $ORIGIN/lib).
#   JOBS           parallel compiles, default nproc.
#
# C++ standard library: OSS-Fuzz's CXXFLAGS carry -stdlib=libc++, and the Dockerfile builds
# Abseil with libc++ to match. Debian's libabsl-dev is built against libstdc++, so outside
# the image (e.g. fuzz/oss_fuzz_build_test.sh) leave -stdlib=libc++ out of CXXFLAGS; a
# mismatch is detected below and fails with a message instead of a wall of undefined symbols.
#
# MemorySanitizer is not supported: Abseil and libnghttp2 are not MSan-instrumented here.
set -euxo pipefail

# --- locations --------------------------------------------------------------------------------
: "${CXX:?}" "${CXXFLAGS?}" "${LIB_FUZZING_ENGINE?}" "${OUT:?}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -z "${SRC_ROOT:-}" ]]; then
  if [[ -f "$script_dir/../hpack/inflater.h" ]]; then
    SRC_ROOT="$(cd "$script_dir/.." && pwd)"
  elif [[ -n "${SRC:-}" && -f "$SRC/h2harness/hpack/inflater.h" ]]; then
    SRC_ROOT="$SRC/h2harness"
  else
    echo "build.sh: cannot find the h2harness checkout; set SRC_ROOT" >&2
    exit 1
  fi
fi
[[ -f "$SRC_ROOT/hpack/inflater.h" ]] || { echo "build.sh: $SRC_ROOT is not an h2harness checkout" >&2; exit 1; }
ABSL_PREFIX="${ABSL_PREFIX:-/usr}"
NGHTTP2_PREFIX="${NGHTTP2_PREFIX:-/usr}"
JOBS="${JOBS:-$(nproc)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"  # absolute: the build runs in $SRC_ROOT

if [[ "${SANITIZER:-}" == memory || " $CXXFLAGS " == *"-fsanitize=memory"* ]]; then
  echo "build.sh: MemorySanitizer is not supported (Abseil/libnghttp2 are not MSan-built)" >&2
  exit 1
fi

# A static library dir under a prefix: Debian multiarch, lib64 or lib.
find_libdir() {  # PREFIX LIBNAME.a
  local d
  for d in "$1/lib/$(uname -m)-linux-gnu" "$1/lib64" "$1/lib"; do
    if [[ -f "$d/$2" ]]; then echo "$d"; return 0; fi
  done
  return 1
}

# --- compile flags ----------------------------------------------------------------------------
# -std=c++17 after $CXXFLAGS so it wins; no -DNDEBUG, so assertions stay on under fuzzing.
# shellcheck disable=SC2206  # $CXXFLAGS is a flag list: word splitting is intended
CXX_FLAGS=($CXXFLAGS -std=c++17 -I"$SRC_ROOT")
# /usr/include is searched anyway; an explicit -isystem /usr/include would reorder it
# against libc++'s headers, so only add prefixes outside it.
if [[ "$ABSL_PREFIX" != /usr ]]; then CXX_FLAGS+=(-isystem "$ABSL_PREFIX/include"); fi
if [[ "$NGHTTP2_PREFIX" != /usr ]]; then CXX_FLAGS+=(-isystem "$NGHTTP2_PREFIX/include"); fi

# <fuzzer/FuzzedDataProvider.h> ships in clang's resource directory, which clang searches by
# itself. Only if it is not found, add that directory (with -idirafter: an -I for the resource
# dir would shadow libc++'s wrapper headers such as <stddef.h>).
if ! echo '#include <fuzzer/FuzzedDataProvider.h>' |
    "$CXX" "${CXX_FLAGS[@]}" -x c++ -fsyntax-only - 2>/dev/null; then
  fdp="$("$CXX" -print-resource-dir)/include"
  [[ -f "$fdp/fuzzer/FuzzedDataProvider.h" ]] ||
    { echo "build.sh: fuzzer/FuzzedDataProvider.h not found (not clang?)" >&2; exit 1; }
  CXX_FLAGS+=(-idirafter "$fdp")
fi

# --- link libraries ---------------------------------------------------------------------------
# Abseil, statically, so the binaries in $OUT need nothing from the build image. Every
# libabsl_*.a of the prefix goes in one --start-group: the linker takes only the members the
# code needs, and the group resolves the libraries' references among each other in any order.
ABSL_LIBDIR="$(find_libdir "$ABSL_PREFIX" libabsl_base.a)" ||
  { echo "build.sh: no static Abseil (libabsl_base.a) under $ABSL_PREFIX" >&2; exit 1; }
ABSL_LIBS=("$ABSL_LIBDIR"/libabsl_*.a)

# Catch a C++ standard library mismatch early: libc++ mangles std:: as std::__1 (NSt3__1).
nm_tool="$(command -v llvm-nm || command -v nm || true)"
if [[ -n "$nm_tool" ]]; then
  # (grep without -q reads all of nm's output: with pipefail, an early exit would be a failure)
  if "$nm_tool" "$ABSL_LIBDIR/libabsl_strings.a" 2>/dev/null | grep 'NSt3__1' >/dev/null; then
    absl_stdlib=libc++
  else
    absl_stdlib=libstdc++
  fi
  if [[ " $CXXFLAGS " == *" -stdlib=libc++ "* ]]; then want=libc++; else want=libstdc++; fi
  if [[ "$absl_stdlib" != "$want" ]]; then
    echo "build.sh: Abseil in $ABSL_LIBDIR is built against $absl_stdlib, but CXXFLAGS select" \
      "$want; use an Abseil built with the same standard library (see the Dockerfile)" >&2
    exit 1
  fi
fi

NGHTTP2_LINK=()
if ngdir="$(find_libdir "$NGHTTP2_PREFIX" libnghttp2.a)"; then
  NGHTTP2_LINK=("$ngdir/libnghttp2.a")
elif ngdir="$(find_libdir "$NGHTTP2_PREFIX" libnghttp2.so)"; then
  mkdir -p "$OUT/lib"
  cp -L "$ngdir"/libnghttp2.so.[0-9]* "$OUT/lib/"
  # shellcheck disable=SC2054,SC2016  # -Wl, takes commas; $ORIGIN is for the dynamic loader
  NGHTTP2_LINK=(-L"$ngdir" -lnghttp2 -Wl,-rpath,'$ORIGIN/lib')
else
  echo "build.sh: libnghttp2 not found under $NGHTTP2_PREFIX" >&2
  exit 1
fi

LINK_FLAGS=()
# UBSan's C++ checks (vptr, function) need the C++ part of its runtime; clang++ links it when
# it drives the link, but say so explicitly in case $CXX is a clang wrapper in C mode.
ubsan_cxx_re='-fsanitize=[^ ]*(vptr|function|undefined)'
if [[ "${SANITIZER:-}" == undefined || "$CXXFLAGS" =~ $ubsan_cxx_re ]]; then
  LINK_FLAGS+=(-fsanitize-link-c++-runtime)
fi

# --- objects, built once ----------------------------------------------------------------------
cd "$SRC_ROOT"
LIB_SRCS=()
for f in hpack/*.cc; do
  case "$f" in *_test.cc | hpack/test_util.cc) continue ;; esac
  LIB_SRCS+=("$f")
done
# Only what story_json_fuzzer needs (runner/subprocess/external are CLI code).
LIB_SRCS+=(conformance/json_bytes.cc conformance/story.cc conformance/story_reader.cc conformance/verify.cc)
# The HTTP/2 core (tests, benchmarks and test-only helpers left out) and the HTTP/2 fuzz
# targets' script format.
for f in http2/*.cc; do
  case "$f" in *_test.cc | *_bench.cc | *test_util.cc) continue ;; esac
  LIB_SRCS+=("$f")
done
LIB_SRCS+=(fuzz/http2_script.cc)
FUZZ_SRCS=(fuzz/*_fuzzer.cc)

objdir="$(mktemp -d "$(cd "${WORK:-${TMPDIR:-/tmp}}" && pwd)/h2harness-build.XXXXXX")"
trap 'wait; rm -rf "$objdir"' EXIT

obj_of() { local o="${1%.cc}.o"; echo "$objdir/${o//\//_}"; }

# Up to $JOBS compiles at a time; the first failure stops the build (after the compiles
# still running have ended, so their output is not cut off by the cleanup).
compile_failed() { echo "build.sh: compiling $1 failed" >&2; wait; exit 1; }
pids=() srcs=()
for src in "${LIB_SRCS[@]}" "${FUZZ_SRCS[@]}"; do
  "$CXX" "${CXX_FLAGS[@]}" -c "$src" -o "$(obj_of "$src")" &
  pids+=($!) srcs+=("$src")
  if ((${#pids[@]} >= JOBS)); then
    wait "${pids[0]}" || compile_failed "${srcs[0]}"
    pids=("${pids[@]:1}") srcs=("${srcs[@]:1}")
  fi
done
for i in "${!pids[@]}"; do wait "${pids[$i]}" || compile_failed "${srcs[$i]}"; done

lib_objs=()
for src in "${LIB_SRCS[@]}"; do lib_objs+=("$(obj_of "$src")"); done
# An archive, so each fuzzer links only the objects it uses (story code stays out of the
# HPACK targets and their coverage).
ar_tool="$(command -v llvm-ar || command -v ar)"
"$ar_tool" rcs "$objdir/libh2harness.a" "${lib_objs[@]}"

# --- link, and the files ClusterFuzz(Lite) picks up beside each fuzzer ---------------------------
for src in "${FUZZ_SRCS[@]}"; do
  name="$(basename "$src" .cc)"
  extra=()
  if grep -q '#include <nghttp2/nghttp2.h>' "$src"; then extra+=("${NGHTTP2_LINK[@]}"); fi
  # shellcheck disable=SC2086  # $LIB_FUZZING_ENGINE may be several words or a path
  "$CXX" "${CXX_FLAGS[@]}" "${LINK_FLAGS[@]}" "$(obj_of "$src")" -o "$OUT/$name" \
    $LIB_FUZZING_ENGINE "$objdir/libh2harness.a" "${extra[@]}" \
    -Wl,--start-group "${ABSL_LIBS[@]}" -Wl,--end-group -lpthread

  seeds="$objdir/seeds/$name"
  mkdir -p "$seeds"
  for d in "corpora/$name" "corpora/regressions/$name"; do
    # -L: under Bazel (fuzz/oss_fuzz_build_test.sh) the files are symlinks into the checkout
    if [[ -d "$d" ]]; then find -L "$d" -maxdepth 1 -type f -exec cp -f -t "$seeds" {} +; fi
  done
  if [[ -z "$(ls -A "$seeds")" ]]; then
    echo "build.sh: no seed inputs for $name (corpora/$name)" >&2
    exit 1
  fi
  rm -f "$OUT/${name}_seed_corpus.zip"  # zip adds to an existing archive
  (cd "$seeds" && zip -q -X -r "$OUT/${name}_seed_corpus.zip" .)

  for ext in dict options; do
    if [[ -f "fuzz/$name.$ext" ]]; then cp -f "fuzz/$name.$ext" "$OUT/"; fi
  done
done
