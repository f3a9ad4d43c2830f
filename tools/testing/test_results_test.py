#!/usr/bin/python3
"""Unit checks of tools/testing/test_results.py (the counting of tools/test) on synthetic
Bazel logs and test.xml files: every status, stale XML, cached XML, skipped and disabled
cases, shards, flaky attempts, exit statuses. Runs under Bazel (py_test) and by itself
(tools/test --self-test runs it first)."""

import contextlib
import io
import os
import re
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_results  # noqa: E402

# GoogleTest's XML (1.12): a pass, a failure, a GTEST_SKIP case, a DISABLED_ case.
def gtest_xml(passed=0, failed=0, skipped=0, disabled=0, suite="Suite"):
    cases = []
    for i in range(passed):
        cases.append(f'<testcase name="Pass{i}" status="run" result="completed" classname="{suite}" />')
    for i in range(failed):
        cases.append(f'<testcase name="Fail{i}" status="run" result="completed" classname="{suite}">'
                     f'<failure message="x.cc:3&#x0A;Expected equality" type=""/></testcase>')
    for i in range(skipped):
        cases.append(f'<testcase name="Skip{i}" status="run" result="skipped" classname="{suite}">'
                     f'<skipped message="x.cc:4"/></testcase>')
    for i in range(disabled):
        cases.append(f'<testcase name="DISABLED_Off{i}" status="notrun" result="suppressed" '
                     f'classname="{suite}" />')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="AllTests">'
            f'<testsuite name="{suite}">{"".join(cases)}</testsuite></testsuites>\n')


# The XML Bazel writes for a test that wrote none (sh_test, or a crashed GoogleTest binary).
def bazel_xml(name, exit_code=0):
    err = f'<error message="exited with error code {exit_code}"></error>' if exit_code else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="{name}" '
            f'tests="1"><testcase name="{name}" status="run">{err}</testcase>'
            '<system-out>log</system-out></testsuite></testsuites>\n')


def summary(*lines, executed=None, total=None):
    n = len(lines) if total is None else total
    body = "\n".join(lines)
    return (f"INFO: Elapsed time: 3.0s\nINFO: 12 processes: 10 internal, 2 processwrapper-sandbox.\n"
            f"{body}\n\nExecuted {executed if executed is not None else n} out of {n} "
            f"test{'s' if n != 1 else ''}: whatever.\n")


class CountTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.testlogs = os.path.join(self.tmp.name, "testlogs")
        os.makedirs(self.testlogs)
        self.since = os.path.join(self.tmp.name, "start")
        with open(self.since, "w"):
            pass
        os.utime(self.since, (1_000_000, 1_000_000))  # the run started at t = 1e6 s

    def tearDown(self):
        self.tmp.cleanup()

    def xml(self, label, text, fresh=True, sub="test.xml"):
        pkg, name = label[2:].split(":")
        path = os.path.join(self.testlogs, pkg, name, sub)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        t = 1_000_100 if fresh else 999_000  # after or before the run started
        os.utime(path, (t, t))
        return path

    def run_counts(self, log, status, testlogs=None):
        log_path = os.path.join(self.tmp.name, "log")
        with open(log_path, "w") as f:
            f.write(log)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = test_results.main(["--log", log_path, "--testlogs",
                                    self.testlogs if testlogs is None else testlogs,
                                    "--since", self.since, "--bazel-status", str(status)])
        text = out.getvalue()
        last = text.rstrip("\n").split("\n")[-1]
        m = re.fullmatch(r"(\d+) passed, (\d+) failed, (\d+) skipped", last)
        self.assertIsNotNone(m, f"last line: {last!r}")
        counts = tuple(int(x) for x in m.groups())
        self.assertEqual(rc, 0 if counts[1] == 0 else 1, text)
        return counts, text

    def test_failed_to_build_never_reads_stale_xml(self):
        # The bug of issue 10: FAILED TO BUILD read as FAILED, an old run's 8 passes counted.
        self.xml("//hpack:integer_test", gtest_xml(passed=8), fresh=False)
        counts, text = self.run_counts(summary(
            "//hpack:integer_test                    FAILED TO BUILD"), 1)
        self.assertEqual(counts, (0, 1, 0))
        self.assertIn("did not build", text)

    def test_failed_to_build_ignores_even_a_fresh_xml(self):
        self.xml("//a:t", gtest_xml(passed=3), fresh=True)
        counts, _ = self.run_counts(summary("//a:t   FAILED TO BUILD"), 1)
        self.assertEqual(counts, (0, 1, 0))

    def test_no_status_and_incomplete_count_one_failure(self):
        self.xml("//a:t1", gtest_xml(passed=5), fresh=False)
        self.xml("//a:t2", gtest_xml(passed=5), fresh=True)
        counts, text = self.run_counts(summary(
            "//a:t1     NO STATUS", "//a:t2     INCOMPLETE"), 1)
        self.assertEqual(counts, (0, 2, 0))
        self.assertIn("NO STATUS", text)
        self.assertIn("INCOMPLETE", text)

    def test_uncached_result_with_only_a_stale_xml(self):
        self.xml("//a:passes", gtest_xml(passed=4), fresh=False)
        self.xml("//a:fails", gtest_xml(passed=4), fresh=False)
        counts, text = self.run_counts(summary(
            "//a:passes      PASSED in 0.1s", "//a:fails       FAILED in 0.1s"), 3)
        self.assertEqual(counts, (1, 1, 0))  # one case each, from the status alone
        self.assertIn("older than this run", text)

    def test_cached_result_reads_its_old_xml(self):
        self.xml("//a:t", gtest_xml(passed=6, skipped=1), fresh=False)
        counts, _ = self.run_counts(summary("//a:t     (cached) PASSED in 0.3s"), 0)
        self.assertEqual(counts, (6, 0, 1))

    def test_skipped_and_disabled_cases(self):
        self.xml("//a:t", gtest_xml(passed=2, skipped=1, disabled=2))
        counts, text = self.run_counts(summary("//a:t   PASSED in 0.1s"), 0)
        self.assertEqual(counts, (2, 0, 3))
        self.assertIn("Suite.Skip0 (skipped)", text)
        self.assertIn("Suite.DISABLED_Off1 (disabled)", text)

    def test_failing_cases_are_named(self):
        self.xml("//a:t", gtest_xml(passed=3, failed=2))
        counts, text = self.run_counts(summary("//a:t   FAILED in 0.1s"), 3)
        self.assertEqual(counts, (3, 2, 0))
        self.assertIn("failed: Suite.Fail0, Suite.Fail1", text)

    def test_crash_without_xml_of_its_own(self):
        self.xml("//a:t", bazel_xml("a/t", 139))
        counts, text = self.run_counts(summary("//a:t   FAILED in 0.1s"), 3)
        self.assertEqual(counts, (0, 1, 0))
        self.assertIn("exit status 139: SIGSEGV", text)

    def test_target_failing_after_all_cases_passed(self):
        self.xml("//a:leaky", gtest_xml(passed=4))
        counts, text = self.run_counts(summary("//a:leaky   FAILED in 0.1s"), 3)
        self.assertEqual(counts, (4, 1, 0))
        self.assertIn("every case it reported passed, but the target failed", text)

    def test_timeout(self):
        self.xml("//a:slow", bazel_xml("a/slow", 142))
        counts, text = self.run_counts(summary("//a:slow    TIMEOUT in 60.0s"), 3)
        self.assertEqual(counts, (0, 1, 0))
        self.assertIn("TIMEOUT", text)

    def test_flaky_counts_the_last_attempt_only(self):
        self.xml("//a:f", bazel_xml("a/f", 1), sub="test_attempts/attempt_1.xml")
        self.xml("//a:f", gtest_xml(passed=2))
        counts, text = self.run_counts(summary(
            "//a:f     FLAKY, failed in 1 out of 2 in 0.1s",
            "  Stats over 2 runs: max = 0.0s, min = 0.0s, avg = 0.0s, dev = 0.0s", total=1), 0)
        self.assertEqual(counts, (2, 0, 0))
        self.assertIn("FLAKY", text)

    def test_shards_and_runs_are_summed_nested_targets_kept_apart(self):
        self.xml("//a:s", gtest_xml(passed=2), sub="shard_1_of_2/test.xml")
        self.xml("//a:s", gtest_xml(passed=3, failed=1), sub="shard_2_of_2/test.xml")
        self.xml("//a:s/inner", gtest_xml(passed=7))  # testlogs/a/s/inner/test.xml
        self.xml("//:root_test", gtest_xml(passed=1))
        counts, _ = self.run_counts(summary(
            "//a:s    FAILED in 2 out of 2 in 0.1s", "//:root_test   PASSED in 0.1s"), 3)
        self.assertEqual(counts, (6, 1, 0))

    def test_leftover_shards_of_an_older_shard_count_are_ignored(self):
        for i in (1, 2, 3):
            self.xml("//a:s", gtest_xml(passed=5), fresh=False, sub=f"shard_{i}_of_3/test.xml")
        for i in (1, 2):
            self.xml("//a:s", gtest_xml(passed=1), fresh=False, sub=f"shard_{i}_of_2/test.xml")
            os.utime(os.path.join(self.testlogs, "a", "s", f"shard_{i}_of_2", "test.xml"),
                     (999_500, 999_500))  # cached, but newer than the 3-shard files
        counts, _ = self.run_counts(summary("//a:s    (cached) PASSED in 0.1s"), 0)
        self.assertEqual(counts, (2, 0, 0))

    def test_failed_to_build_targets_bazel_does_not_list(self):
        # Bazel lists 5 targets that failed to build, then "(Skipping other ...)".
        self.xml("//h:gen_test", gtest_xml(passed=2), fresh=False)
        for i in range(10):
            self.xml(f"//h:t{i}", gtest_xml(passed=8), fresh=False)  # stale, never counted
        lines = ["//h:gen_test      (cached) PASSED in 0.6s"]
        lines += [f"//h:t{i}      FAILED TO BUILD" for i in range(5)]
        lines.append("(Skipping other failed to build tests)")
        counts, text = self.run_counts(summary(*lines, total=11), 1)
        self.assertEqual(counts, (2, 10, 0))
        self.assertIn("tools/test: 11 test targets, 10 failed", text)
        self.assertRegex(text, r"FAILED TO BUILD +\(5 more\) +5 failed; did not build; Bazel "
                               r"does not list them")

    def test_unknown_status_is_a_failure(self):
        counts, text = self.run_counts(summary("//a:t    EXPLODED in 1.0s"), 3)
        self.assertEqual(counts, (0, 1, 0))
        self.assertIn("unknown status", text)

    def test_skipped_target(self):
        counts, _ = self.run_counts(summary("//a:t    SKIPPED"), 0)
        self.assertEqual(counts, (0, 0, 1))

    def test_unreadable_xml_is_a_failure(self):
        self.xml("//a:t", gtest_xml(passed=2)[:60])
        counts, text = self.run_counts(summary("//a:t   PASSED in 0.1s"), 0)
        self.assertEqual(counts[1], 1)
        self.assertIn("unreadable test.xml", text)

    def test_build_failure_outside_the_test_targets(self):
        self.xml("//a:t", gtest_xml(passed=2))
        counts, text = self.run_counts(summary("//a:t   PASSED in 0.1s"), 1)
        self.assertEqual(counts, (2, 1, 0))
        self.assertIn("exited with status 1", text)

    def test_no_summary_at_all(self):
        counts, _ = self.run_counts("ERROR: Skipping '//...': error loading package\n"
                                    "ERROR: Couldn't start the build. Unable to run tests\n", 1)
        self.assertEqual(counts, (0, 1, 0))

    def test_exit_3_needs_a_failing_target(self):
        self.xml("//a:t", gtest_xml(passed=2))
        counts, _ = self.run_counts(summary("//a:t   PASSED in 0.1s"), 3)
        self.assertEqual(counts, (2, 1, 0))

    def test_status_line_count_must_match_executed_line(self):
        self.xml("//a:t", gtest_xml(passed=2))
        counts, text = self.run_counts(summary("//a:t   PASSED in 0.1s", total=2), 0)
        self.assertEqual(counts, (2, 1, 0))
        self.assertIn("Bazel reports 2 test targets, 1 status lines were read", text)

    def test_status_lookalikes_in_test_output_are_ignored(self):
        self.xml("//a:t", gtest_xml(passed=2))
        log = ("==================== Test output for //a:other:\n"
               "//a:fake_test     PASSED in 0.1s\n"
               "//a:fake_test2    FAILED TO BUILD\n"
               "================================================================\n"
               + summary("//a:t   PASSED in 0.1s"))
        counts, _ = self.run_counts(log, 0)
        self.assertEqual(counts, (2, 0, 0))

    def test_missing_testlogs_directory(self):
        counts, text = self.run_counts(summary("//a:t   PASSED in 0.1s"), 0, testlogs="")
        self.assertEqual(counts, (0, 1, 0))
        self.assertIn("no bazel-testlogs", text)

    def test_all_clean(self):
        self.xml("//a:t1", gtest_xml(passed=3))
        self.xml("//b:t2", bazel_xml("b/t2"))
        counts, text = self.run_counts(summary(
            "//a:t1   PASSED in 0.1s", "//b:t2   (cached) PASSED in 0.2s"), 0)
        self.assertEqual(counts, (4, 0, 0))
        self.assertEqual(text.splitlines()[0], "tools/test: 2 test targets, 0 failed")
        self.assertEqual(len(text.splitlines()), 2)  # nothing worth a look


if __name__ == "__main__":
    unittest.main(verbosity=2)
