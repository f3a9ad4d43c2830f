#!/usr/bin/python3
"""Counts the test cases of one `bazel test` run, for tools/test.

Reads Bazel's console output (the per-target status lines of the test summary) and the
test.xml of each target that ran, and prints one line per target worth a look (failed,
skipped, flaky, or counted without its XML) and then, as the last line,

    N passed, N failed, N skipped

Rules (tools/test --help and README.md "Testing" say the same):
  - A case is a GoogleTest case from the target's test.xml (every shard and run; earlier
    attempts of a flaky target are left out). Skipped (GTEST_SKIP) and disabled (DISABLED_)
    cases count as skipped. A test without XML of its own (sh_test) gets a one-case XML from
    Bazel.
  - test.xml is read only when Bazel ran the target in this run (its mtime is not older
    than --since) or reports its result as "(cached)" (the XML then belongs to that cached
    result). FAILED TO BUILD, NO STATUS, INCOMPLETE and any status this script does not know
    never read XML: the target counts as one failure, never with the cases of an older run.
  - A target that failed while every case it reported passed (a crash or a leak after the
    tests, a timeout) counts one more failure. FLAKY counts its final attempt, as Bazel does;
    SKIPPED (an incompatible target) counts as one skipped.
  - If Bazel's exit status says the run failed but no target explains it (a broken BUILD
    file, a non-test target that did not build), that counts as one failure; so does a
    status-line count that disagrees with Bazel's "Executed N out of M tests".
Exit status: 0 when nothing failed, else 1.
"""

import argparse
import glob
import os
import re
import signal
import sys
import xml.etree.ElementTree as ET

# "//pkg:name   (cached) PASSED in 0.1s", "//pkg:name   FAILED TO BUILD",
# "//pkg:name   FLAKY, failed in 1 out of 2 in 0.1s". FAILED TO BUILD before FAILED.
STATUS_RE = re.compile(
    r"^(?P<label>(?:@[\w.~+-]*)?//\S*)\s+(?P<cached>\(cached\) )?"
    r"(?P<status>FAILED TO BUILD|PASSED|FAILED|FLAKY|TIMEOUT|INCOMPLETE|NO STATUS|SKIPPED|"
    r"REMOTE FAILURE|BLAZE HALTED BEFORE TESTING)\b")
ANY_TARGET_RE = re.compile(r"^(?P<label>(?:@[\w.~+-]*)?//\S*)\s+(?P<rest>\S.*)$")
EXECUTED_RE = re.compile(r"^Executed (\d+) out of (\d+) tests?\b")
# Bazel lists at most 5 targets that failed to build, then this line instead of the others.
SKIPPING_LINE = "(Skipping other failed to build tests)"

# Why each status with no case of its own to show counts as a failure.
NO_XML_REASON = {
    "FAILED TO BUILD": "did not build (see the ERROR lines above)",
    "NO STATUS": "did not run (NO STATUS: an earlier failure stopped the build?)",
    "INCOMPLETE": "did not finish (INCOMPLETE: interrupted?)",
    "REMOTE FAILURE": "remote execution failed",
    "BLAZE HALTED BEFORE TESTING": "Bazel stopped before testing it",
}
PASSING = ("PASSED", "FLAKY")
READS_XML = ("PASSED", "FLAKY", "FAILED", "TIMEOUT")

# Bazel's exit codes: 0 all passed, 3 built but some test failed, 4 no test target.
BAZEL_EXIT = {
    1: "the build failed",
    2: "bad command line or environment",
    4: "no test targets matched",
    8: "the run was interrupted",
}


class Target:
    def __init__(self, label, status, cached):
        self.label, self.status, self.cached = label, status, cached
        self.passed = self.failed = self.skipped = 0
        self.notes = []
        self.failed_cases, self.skipped_cases = [], []

    def weight(self):
        """How many test targets this stands for (the unlisted ones are one entry)."""
        return self.failed if self.label.startswith("(") else 1

    def display_status(self):
        return ("(cached) " if self.cached else "") + self.status

    def worth_showing(self):
        return self.failed or self.skipped or self.notes or self.status != "PASSED"

    def counts(self):
        parts = [f"{self.passed} passed"] if self.passed else []
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        return ", ".join(parts) or "nothing counted"


def summary_lines(lines):
    """The status lines of the last test summary: the run of lines ending at the last
    'Executed N out of M tests', made of '//label ...' lines, their indented detail lines
    and blank lines. Returns (status lines, M or None)."""
    end = None
    for i in range(len(lines) - 1, -1, -1):
        if EXECUTED_RE.match(lines[i]):
            end = i
            break
    if end is None:
        # No summary (e.g. the build stopped at loading): take every status line seen.
        return [l for l in lines if STATUS_RE.match(l)], None
    found = []
    i = end - 1
    while i >= 0 and (not lines[i].strip() or lines[i][0] in " \t" or lines[i].startswith("//")
                      or lines[i].startswith("@") or lines[i] == SKIPPING_LINE):
        if ANY_TARGET_RE.match(lines[i]):
            found.append(lines[i])
        i -= 1
    found.reverse()
    return found, int(EXECUTED_RE.match(lines[end]).group(2))


def xml_files(testlogs, label):
    """test.xml of the target, one per shard and run (never test_attempts/*.xml). When
    shard_*_of_N or run_*_of_N directories of several N lie there (the count changed), only
    the group written last belongs to the result."""
    if label.startswith("@"):
        return []  # external repositories' tests live elsewhere; counted by status only
    pkg, _, name = label.split("//", 1)[1].partition(":")
    base = os.path.join(testlogs, pkg, name)
    found = []
    for pattern in ("test.xml", "shard_*_of_*/test.xml", "run_*_of_*/test.xml",
                    "run_*_of_*/shard_*_of_*/test.xml"):
        found += sorted(glob.glob(os.path.join(glob.escape(base), pattern)))
    groups = {}
    for path in found:
        key = tuple(re.findall(r"_of_(\d+)", os.path.relpath(path, base)))
        groups.setdefault(key, []).append(path)
    if len(groups) <= 1:
        return found
    return max(groups.values(), key=lambda g: max(os.stat(p).st_mtime_ns for p in g))


def read_cases(path):
    """[(name, 'passed'|'failed'|'skipped')] from a GoogleTest or Bazel-generated XML."""
    cases = []
    root = ET.parse(path).getroot()
    for tc in root.iter("testcase"):
        name = tc.get("name", "?")
        if tc.get("classname"):
            name = f"{tc.get('classname')}.{name}"
        bad = tc.find("failure") if tc.find("failure") is not None else tc.find("error")
        if bad is not None:
            kind = "failed"
            # Bazel's own XML for a test that wrote none: "exited with error code 139".
            m = re.match(r"exited with error code (\d+)$", bad.get("message", ""))
            if m:
                code = int(m.group(1))
                name += f" (exit status {code}"
                if 128 < code < 128 + 65:
                    try:
                        name += ": " + signal.Signals(code - 128).name
                    except ValueError:
                        pass
                name += ")"
        elif (tc.find("skipped") is not None or tc.get("status") == "notrun"
              or tc.get("result") in ("skipped", "suppressed")):
            kind = "skipped"
            name += " (disabled)" if tc.get("status") == "notrun" else " (skipped)"
        else:
            kind = "passed"
        cases.append((name, kind))
    return cases


def count_target(t, testlogs, since):
    if t.status == "SKIPPED":
        t.skipped = 1
        t.notes.append("Bazel skipped the target (incompatible with this platform)")
        return
    if t.status not in READS_XML:
        t.failed = 1
        t.notes.append(NO_XML_REASON.get(t.status, f"unknown status '{t.status}'"))
        return
    if not testlogs or not os.path.isdir(testlogs):
        t.failed = 1
        t.notes.append(f"its test.xml cannot be read: no bazel-testlogs directory ('{testlogs}')")
        return
    cases, stale, broken = [], [], []
    for path in xml_files(testlogs, t.label):
        if not t.cached and since is not None and os.stat(path).st_mtime_ns < since:
            stale.append(path)  # left over from an earlier run: never counted
            continue
        try:
            cases += read_cases(path)
        except (ET.ParseError, OSError) as e:
            broken.append(f"{path}: {e}")
    for name, kind in cases:
        if kind == "passed":
            t.passed += 1
        elif kind == "failed":
            t.failed += 1
            t.failed_cases.append(name)
        else:
            t.skipped += 1
            t.skipped_cases.append(name)
    if broken:
        t.failed += 1
        t.notes.append("unreadable test.xml: " + "; ".join(broken))
    if not cases and not broken:
        where = "test.xml older than this run, not counted" if stale else "no test.xml"
        if t.status in PASSING:
            t.passed = 1
            t.notes.append(f"{where}: counted as one passed case, from its status")
        else:
            t.failed = 1
            t.notes.append(f"{where}: counted as one failed case, from its status")
        return
    if t.status not in PASSING and t.failed == 0:
        t.failed += 1
        if t.status == "TIMEOUT":
            t.notes.append("timed out")
        else:
            t.notes.append("every case it reported passed, but the target failed "
                           "(a crash or leak after the tests, or cases that never ran)")
    if t.status == "FLAKY":
        t.notes.append("FLAKY: passed only on a retry")


def analyse(log_text, testlogs, since, bazel_status):
    lines = log_text.splitlines()
    status_lines, executed_total = summary_lines(lines)
    targets = {}
    extra_failures = []
    for line in status_lines:
        m = STATUS_RE.match(line)
        if m:
            t = Target(m.group("label"), m.group("status"), bool(m.group("cached")))
        else:
            m = ANY_TARGET_RE.match(line)
            t = Target(m.group("label"), m.group("rest").split(" in ")[0].strip(), False)
        targets[t.label] = t  # the last line for a label wins
    for t in targets.values():
        count_target(t, testlogs, since)
    unlisted = 0
    if executed_total is not None and executed_total != len(targets):
        if SKIPPING_LINE in lines and executed_total > len(targets):
            # Each target Bazel left out of its list failed to build: one failure each.
            unlisted = executed_total - len(targets)
            t = Target(f"({unlisted} more)", "FAILED TO BUILD", False)
            t.failed = unlisted
            t.notes.append("did not build; Bazel does not list them (see the ERROR lines above)")
            targets[t.label] = t
        else:
            extra_failures.append(f"Bazel reports {executed_total} test targets, "
                                  f"{len(targets)} status lines were read")
    failed = [t for t in targets.values() if t.failed]
    if bazel_status == 3 and not failed:
        extra_failures.append("bazel test reports failed tests (exit status 3), "
                              "but no failing target was read")
    elif bazel_status not in (0, 3) and not (
            bazel_status == 1 and any(t.status in NO_XML_REASON for t in failed)):
        # Exit 1 is a build failure: explained by a test target that did not build or run,
        # otherwise something else broke (a BUILD file, a non-test target).
        why = BAZEL_EXIT.get(bazel_status, "unexpected exit status")
        extra_failures.append(f"bazel test exited with status {bazel_status} ({why}) "
                              "and no test target accounts for it")
    return list(targets.values()), extra_failures


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--log", required=True, help="bazel test's console output")
    p.add_argument("--testlogs", default="", help="the run's bazel-testlogs directory")
    p.add_argument("--since", help="a file touched just before bazel test started; test.xml "
                   "older than it is not counted unless the result is (cached)")
    p.add_argument("--bazel-status", type=int, required=True, help="bazel test's exit status")
    args = p.parse_args(argv)

    since = os.stat(args.since).st_mtime_ns if args.since else None
    with open(args.log, errors="replace") as f:
        targets, extra = analyse(f.read(), args.testlogs, since, args.bazel_status)

    passed = sum(t.passed for t in targets)
    failed = sum(t.failed for t in targets) + len(extra)
    skipped = sum(t.skipped for t in targets)
    shown = [t for t in targets if t.worth_showing()]
    width = max([len(t.label) for t in shown] + [0])
    print(f"tools/test: {sum(t.weight() for t in targets)} test targets, "
          f"{sum(t.weight() for t in targets if t.failed)} failed")
    for t in shown:
        detail = t.counts()
        if t.failed_cases:
            detail += "; failed: " + ", ".join(t.failed_cases[:10])
            if len(t.failed_cases) > 10:
                detail += f", ... ({len(t.failed_cases) - 10} more)"
        if t.skipped_cases:
            detail += "; skipped: " + ", ".join(t.skipped_cases[:10])
            if len(t.skipped_cases) > 10:
                detail += f", ... ({len(t.skipped_cases) - 10} more)"
        for note in t.notes:
            detail += f"; {note}"
        print(f"  {t.display_status():<24} {t.label:<{width}}  {detail}")
    for e in extra:
        print(f"  FAILED                   (run)  1 failed; {e}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
