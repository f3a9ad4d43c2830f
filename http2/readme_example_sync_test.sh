#!/usr/bin/env bash
# README.md's HTTP/2 example must be the code that readme_example_test.cc compiles and runs.
set -euo pipefail
readme="$1"
test_cc="$2"
extract_test() { sed -n '/README-BEGIN/,/README-END/p' "$test_cc" | sed '1d;$d' | sed 's/^  //'; }
extract_readme() { sed -n '/<!-- http2-example-begin -->/,/<!-- http2-example-end -->/p' "$readme" \
  | sed '1,2d' | sed '$d' | sed '$d'; }
if ! diff <(extract_test) <(extract_readme); then
  echo "README.md's HTTP/2 example differs from http2/readme_example_test.cc (diff above)" >&2
  exit 1
fi
echo "README example in sync"
