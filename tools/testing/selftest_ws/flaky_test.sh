#!/usr/bin/env bash
# Fails the first attempt, passes the next (SELFTEST_STATE, from --test_env, outlives attempts).
state="${SELFTEST_STATE:?the self-test sets SELFTEST_STATE with --test_env}/flaky_attempted"
if [[ -e "$state" ]]; then echo "second attempt: pass"; exit 0; fi
touch "$state"
echo "first attempt: planted failure"
exit 1
