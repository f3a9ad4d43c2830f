#!/usr/bin/env bash
# Every mutant of tools/mutants still finds its text exactly once in hpack/ (the full run is
# not part of CI; this keeps it runnable when the codec changes).
cd "$TEST_SRCDIR/$TEST_WORKSPACE" || exit 1
exec tools/mutants --check
