#!/usr/bin/python3
"""Keeps h2harness's Bazel caches bounded across many CI runs (.ci/run runs it first).

Bazel 4.2.3 has no garbage collection for --disk_cache, and every fresh clone at a new path
gets output bases of its own, so both grow without bound. Policy:

1. The shared disk cache (--disk_cache in .bazelrc, ~/.cache/h2harness-bazel-disk): when it
   holds more than --max-gb (H2_DISK_CACHE_MAX_GB, default 20), entries not used for
   --max-age-days (H2_DISK_CACHE_MAX_AGE_DAYS, default 7) are deleted; if it is still above
   the limit, the least recently used entries go until it is under 3/4 of it. "Used" is the
   later of a file's access and modification times (Bazel 4 does not touch a hit, so atime
   it is; with relatime it is exact to a day, which is enough here). Entries used in the
   last hour are never deleted, so a build running meanwhile keeps what it just wrote.
   A deleted entry is only a cache miss later: Bazel builds it again.
2. Output bases of h2harness checkouts that no longer exist (a deleted CI clone), under
   ~/.cache/bazel/_bazel_USER/ and tools/fuzz's ~/.cache/h2harness-fuzz/: deleted when no
   Bazel server runs in them and they were not used for an hour. Output bases of existing
   checkouts and of other projects are never touched.
Prints what it found and did; --dry-run only reports. Exit status 0 unless it failed.
"""

import argparse
import getpass
import os
import pwd
import re
import shutil
import stat
import sys
import time

GB = 1 << 30
HOUR = 3600


def fmt(n):
    return f"{n / GB:.2f} GB" if n >= GB / 10 else f"{n / (1 << 20):.1f} MB"


def cache_entries(root):
    """[(last_use, size, path)] of the files under the disk cache."""
    out = []
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                continue  # deleted by a concurrent run
            if stat.S_ISREG(st.st_mode):
                out.append((max(st.st_atime, st.st_mtime), st.st_blocks * 512, p))
    return out


def prune_disk_cache(root, max_bytes, max_age_days, dry_run, now):
    if not os.path.isdir(root):
        print(f"disk cache {root}: absent, nothing to do")
        return
    entries = cache_entries(root)
    total = sum(s for _, s, _ in entries)
    print(f"disk cache {root}: {len(entries)} files, {fmt(total)} (limit {fmt(max_bytes)})")
    if total <= max_bytes:
        return
    entries.sort()  # least recently used first
    removed = removed_bytes = 0
    low_water = max_bytes * 3 // 4
    lru = None  # decided once the entries older than max_age_days are gone
    for used, size, path in entries:
        if now - used < HOUR:
            break  # this and every later entry were used within the hour
        if now - used <= max_age_days * 86400:
            if lru is None:
                lru = total - removed_bytes > max_bytes
            if not lru or total - removed_bytes <= low_water:
                break
        if not dry_run:
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
        removed += 1
        removed_bytes += size
    verb = "would delete" if dry_run else "deleted"
    print(f"disk cache: {verb} {removed} files ({fmt(removed_bytes)}), "
          f"{fmt(total - removed_bytes)} left")


def disk_cache_of(workspace):
    """The --disk_cache that builds in this checkout use (the last one in .bazelrc and the
    files it try-imports), with '~' expanded as Bazel expands it: Java's user.home, the home
    directory in /etc/passwd, not $HOME (so HOME=/elsewhere keeps the same disk cache, while
    Bazel's output bases do follow $HOME)."""
    value = None
    for rc in (".bazelrc", ".bazelrc.system", "user.bazelrc"):
        try:
            with open(os.path.join(workspace, rc)) as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        for line in lines:
            m = re.match(r"^\s*(?:build|test|common)\s.*--disk_cache[= ](\S*)", line)
            if m:
                value = m.group(1)
    if not value:
        return None
    if value == "~" or value.startswith("~/"):
        value = pwd.getpwuid(os.getuid()).pw_dir + value[1:]
    return value


def workspace_of(output_base):
    """The checkout an output base belongs to (the first line of the README Bazel writes
    there), or None."""
    try:
        with open(os.path.join(output_base, "README")) as f:
            first = f.readline().strip()
    except OSError:
        return None
    return first[len("WORKSPACE: "):] if first.startswith("WORKSPACE: ") else None


def server_running(output_base):
    try:
        with open(os.path.join(output_base, "server", "server.pid.txt")) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return output_base.encode() in f.read()
    except OSError:
        return False


def last_use(path):
    times = [os.lstat(path).st_mtime]
    for sub in ("server", "execroot", "action_cache"):
        try:
            times.append(os.lstat(os.path.join(path, sub)).st_mtime)
        except OSError:
            pass
    return max(times)


def remove_tree(path):
    def make_writable(func, p, _):
        try:
            os.chmod(os.path.dirname(p), 0o755)
            os.chmod(p, 0o755)
        except OSError:
            pass
        func(p)
    shutil.rmtree(path, onerror=make_writable)


def prune_output_bases(roots, dry_run, now):
    for root in roots:
        if not os.path.isdir(root):
            continue
        for name in sorted(os.listdir(root)):
            ob = os.path.join(root, name)
            ws = workspace_of(ob)
            if ws is None or not os.path.isdir(os.path.join(ob, "execroot", "h2harness")):
                continue  # not an h2harness output base
            if os.path.isfile(os.path.join(ws, "WORKSPACE")):
                continue  # its checkout is still there
            if server_running(ob) or now - last_use(ob) < HOUR:
                print(f"output base {ob}: checkout {ws} is gone, but it is in use; kept")
                continue
            size = sum(e[1] for e in cache_entries(ob))
            print(f"output base {ob}: checkout {ws} is gone; "
                  f"{'would delete' if dry_run else 'deleting'} {fmt(size)}")
            if not dry_run:
                remove_tree(ob)


def main(argv=None):
    home = os.path.expanduser("~")
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--disk-cache", help="default: the --disk_cache of this checkout's .bazelrc "
                   "(and user.bazelrc)")
    p.add_argument("--max-gb", type=float,
                   default=float(os.environ.get("H2_DISK_CACHE_MAX_GB", "20")))
    p.add_argument("--max-age-days", type=float,
                   default=float(os.environ.get("H2_DISK_CACHE_MAX_AGE_DAYS", "7")))
    p.add_argument("--output-base-root", action="append",
                   help="where output bases live (default: ~/.cache/bazel/_bazel_USER and "
                        "~/.cache/h2harness-fuzz)")
    p.add_argument("--dry-run", action="store_true")
    args = p.parse_args(argv)
    roots = args.output_base_root or [
        os.path.join(home, ".cache", "bazel", f"_bazel_{getpass.getuser()}"),
        os.path.join(home, ".cache", "h2harness-fuzz"),
    ]
    now = time.time()
    workspace = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    disk_cache = args.disk_cache or disk_cache_of(workspace)
    if disk_cache:
        prune_disk_cache(disk_cache, int(args.max_gb * GB), args.max_age_days, args.dry_run,
                         now)
    else:
        print(f"no --disk_cache in {workspace}/.bazelrc: no disk cache to prune")
    prune_output_bases(roots, args.dry_run, now)
    return 0


if __name__ == "__main__":
    sys.exit(main())
