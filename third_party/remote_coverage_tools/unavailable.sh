#!/bin/sh
echo "bazel coverage is not supported offline; use tools/fuzz coverage" >&2
exit 1
