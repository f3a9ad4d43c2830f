#!/usr/bin/python3
"""tools/testing/cache_gc.py on a fake disk cache and fake output bases."""

import contextlib
import io
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cache_gc  # noqa: E402

DAY = 86400
MB = 1 << 20


class DiskCacheTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.cache = os.path.join(self.tmp.name, "disk")
        self.now = time.time()

    def tearDown(self):
        self.tmp.cleanup()

    def entry(self, name, mb, days_ago):
        path = os.path.join(self.cache, "cas", name[:2], name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(os.urandom(int(mb * MB)))  # random: no sparse or compressed blocks
        t = self.now - days_ago * DAY
        os.utime(path, (t, t))
        return path

    def gc(self, max_mb, max_age_days=7, dry_run=False):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            cache_gc.prune_disk_cache(self.cache, int(max_mb * MB), max_age_days, dry_run,
                                      self.now)
        return out.getvalue()

    def left(self):
        return sorted(f for _, _, fs in os.walk(self.cache) for f in fs)

    def test_under_the_limit_nothing_goes(self):
        self.entry("aa-old", 1, 30)
        self.entry("bb-new", 1, 0.5)
        self.gc(max_mb=10)
        self.assertEqual(self.left(), ["aa-old", "bb-new"])

    def test_over_the_limit_old_entries_go_first(self):
        self.entry("aa-old", 2, 30)
        self.entry("ab-old", 2, 10)
        self.entry("ba-recent", 1, 2)
        self.entry("bb-recent", 1, 1)
        # 6 MB > 5 MB: the two entries older than 7 days go; 2 MB is under the limit.
        self.gc(max_mb=5)
        self.assertEqual(self.left(), ["ba-recent", "bb-recent"])

    def test_still_over_the_limit_least_recently_used_go_to_three_quarters(self):
        for i in range(8):
            self.entry(f"c{i}-day{6 - i * 0.5}", 1, 6 - i * 0.5)  # all younger than 7 days
        # 8 MB > 6 MB: least recently used go until at most 4.5 MB remain.
        self.gc(max_mb=6)
        self.assertEqual(self.left(), [f"c{i}-day{6 - i * 0.5}" for i in range(4, 8)])

    def test_entries_used_within_the_hour_stay(self):
        self.entry("aa-now", 3, 0.01)
        self.entry("bb-now", 3, 0.02)
        self.gc(max_mb=1)
        self.assertEqual(self.left(), ["aa-now", "bb-now"])

    def test_dry_run_deletes_nothing(self):
        self.entry("aa-old", 2, 30)
        out = self.gc(max_mb=1, dry_run=True)
        self.assertEqual(self.left(), ["aa-old"])
        self.assertIn("would delete 1 files", out)


class DiskCachePathTest(unittest.TestCase):
    def test_the_last_disk_cache_of_the_rc_files_tilde_as_bazel_expands_it(self):
        import pwd
        with tempfile.TemporaryDirectory() as ws:
            with open(os.path.join(ws, ".bazelrc"), "w") as f:
                f.write("build --copt=-O2\nbuild --disk_cache=~/.cache/h2-disk\n")
            home = pwd.getpwuid(os.getuid()).pw_dir  # Java's user.home, not $HOME
            old = os.environ.get("HOME")
            os.environ["HOME"] = "/nonexistent-home"
            try:
                self.assertEqual(cache_gc.disk_cache_of(ws), home + "/.cache/h2-disk")
                with open(os.path.join(ws, "user.bazelrc"), "w") as f:
                    f.write("build --disk_cache=/elsewhere/disk\n")
                self.assertEqual(cache_gc.disk_cache_of(ws), "/elsewhere/disk")
            finally:
                if old is None:
                    del os.environ["HOME"]
                else:
                    os.environ["HOME"] = old
            os.remove(os.path.join(ws, ".bazelrc"))
            os.remove(os.path.join(ws, "user.bazelrc"))
            self.assertIsNone(cache_gc.disk_cache_of(ws))


class OutputBaseTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "_bazel_user")
        os.makedirs(self.root)

    def tearDown(self):
        self.tmp.cleanup()

    def output_base(self, name, workspace, project="h2harness", hours_ago=5):
        ob = os.path.join(self.root, name)
        os.makedirs(os.path.join(ob, "execroot", project, "bazel-out"))
        with open(os.path.join(ob, "README"), "w") as f:
            f.write(f"WORKSPACE: {workspace}\n\nThe first line of this file ...\n")
        ro = os.path.join(ob, "execroot", project, "bazel-out", "file")
        with open(ro, "w") as f:
            f.write("x")
        os.chmod(ro, 0o444)
        os.chmod(os.path.dirname(ro), 0o555)  # Bazel leaves read-only trees behind
        t = time.time() - hours_ago * 3600
        for p in (ob, os.path.join(ob, "execroot")):
            os.utime(p, (t, t))
        return ob

    def checkout(self, name):
        ws = os.path.join(self.tmp.name, name)
        os.makedirs(ws)
        open(os.path.join(ws, "WORKSPACE"), "w").close()
        return ws

    def test_only_output_bases_of_vanished_h2harness_checkouts_go(self):
        alive = self.output_base("alive", self.checkout("clone1"))
        gone = self.output_base("gone", os.path.join(self.tmp.name, "deleted-clone"))
        other = self.output_base("other", os.path.join(self.tmp.name, "x"), project="other")
        recent = self.output_base("recent", os.path.join(self.tmp.name, "y"), hours_ago=0)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            cache_gc.prune_output_bases([self.root], False, time.time())
        self.assertTrue(os.path.isdir(alive))
        self.assertFalse(os.path.exists(gone), out.getvalue())
        self.assertTrue(os.path.isdir(other))
        self.assertTrue(os.path.isdir(recent))
        self.assertIn("in use; kept", out.getvalue())


if __name__ == "__main__":
    unittest.main(verbosity=2)
