#!/usr/bin/env python3
"""h2load against h2harness serve, nghttpd and h2o (Debian's) serving the same files, h2c and
TLS, with the same worker count and h2load settings, run alternately; prints req/s, MB/s,
peak RSS, CPU and the ratios. Run through `tools/bench server` (which builds h2harness).

Every server runs on 127.0.0.1 with a port found free at run time; everything started is
stopped at the end.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

FILES = [("13B.txt", 13), ("4KiB.txt", 4096), ("100KiB.txt", 102400)]
SERVERS = ["h2harness", "nghttpd", "h2o"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def tree_pids(pid):
    """pid and its descendants (h2o's TLS key process, for instance)."""
    pids = [pid]
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                             text=True).stdout
        for line in out.split():
            pids += tree_pids(int(line))
    except (OSError, ValueError):
        pass
    return pids


def status_kb(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid):
    total = 0.0
    for p in tree_pids(pid):
        try:
            with open("/proc/%d/stat" % p) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


class Server:
    def __init__(self, name, tls, args, tmp):
        self.name, self.tls, self.args, self.tmp = name, tls, args, tmp
        self.port = free_port()
        self.proc = None

    def start(self):
        a = self.args
        log = open(os.path.join(self.tmp, "%s-%s.log" % (self.name, "tls" if self.tls else "h2c")), "w")
        if self.name.startswith("h2harness"):
            binary = a.h2harness if self.name == "h2harness" else a.variants[self.name]
            cmd = [binary, "serve", "--listen", "127.0.0.1:%d" % self.port,
                   "--threads", str(a.workers), "--docroot", a.docroot, "--access-log="]
            if self.tls:
                cmd += ["--tls-cert", a.cert, "--tls-key", a.key]
        elif self.name == "nghttpd":
            cmd = ["nghttpd", "-n", str(a.workers), "-d", a.docroot]
            cmd += [str(self.port), a.key, a.cert] if self.tls else ["--no-tls", str(self.port)]
        else:
            conf = os.path.join(self.tmp, "h2o-%s.conf" % ("tls" if self.tls else "h2c"))
            with open(conf, "w") as f:
                f.write("listen:\n  host: 127.0.0.1\n  port: %d\n" % self.port)
                if self.tls:
                    f.write("  ssl:\n    certificate-file: %s\n    key-file: %s\n" % (a.cert, a.key))
                f.write("num-threads: %d\n" % a.workers)
                f.write("error-log: %s\n" % os.path.join(self.tmp, "h2o-error.log"))
                f.write("hosts:\n  default:\n    paths:\n      /:\n        file.dir: %s\n" % a.docroot)
            cmd = ["h2o", "-c", conf]
        if a.nice:
            cmd = ["nice", "-n", str(a.nice)] + cmd
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True, preexec_fn=pin(a.server_cpus))
        if not wait_port(self.port, self.proc):
            raise SystemExit("tools/bench server: %s did not start (%s); see %s" %
                             (self.name, " ".join(cmd), log.name))

    def url(self, path):
        return "%s://127.0.0.1:%d/%s" % ("https" if self.tls else "http", self.port, path)

    def peak_rss_kb(self):
        return sum(status_kb(p, "VmHWM") for p in tree_pids(self.proc.pid))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def pin(cpus):
    """A preexec_fn that keeps the child (and every thread and child it makes) on `cpus`."""
    return (lambda: os.sched_setaffinity(0, cpus)) if cpus else None


def split_cpus(no_pin):
    """Servers on the first half of this process's CPUs, h2load on the rest: neither ever
    waits behind the other on one core, and the scheduler does not move them about (on a
    2-core machine its migrations made single rounds swing by 20 % or more)."""
    cpus = sorted(os.sched_getaffinity(0))
    if no_pin or len(cpus) < 2:
        return None, None
    half = len(cpus) // 2
    return set(cpus[:half]), set(cpus[half:])


def run_h2load(args, url):
    cmd = ["h2load", "-c", str(args.clients), "-m", str(args.streams), "-t",
           str(args.h2load_threads)]
    if args.requests:
        cmd += ["-n", str(args.requests)]
    else:
        cmd += ["-D", "%g" % args.duration, "--warm-up-time", "%dms" % int(args.warm_up * 1000)]
    cmd.append(url)
    if args.nice:
        cmd = ["nice", "-n", str(args.nice)] + cmd
    start = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         preexec_fn=pin(args.client_cpus))
    out, _ = p.communicate()
    wall = time.time() - start
    m = re.search(r"finished in ([\d.]+)(m?s), ([\d.]+) req/s, ([\d.]+)([KMG]?B)/s", out)
    r = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                  r"(\d+) failed, (\d+) errored", out)
    if not m or not r:
        raise SystemExit("tools/bench server: h2load gave no result for %s:\n%s" % (url, out))
    scale = {"B": 1e-6, "KB": 1e-3, "MB": 1.0, "GB": 1e3}[m.group(5)]
    codes = re.search(r"status codes: .*", out)
    return {"codes": codes.group(0) if codes else "", "rps": float(m.group(3)), "mbs": float(m.group(4)) * scale,
            "failed": int(r.group(5)) + int(r.group(6)), "done": int(r.group(3)), "wall": wall}


def main():
    ap = argparse.ArgumentParser(
        prog="tools/bench server",
        description=" ".join(__doc__.split("\n\n")[0].split("\n")).replace(
            " Run through `tools/bench server` (which builds h2harness).", ""),
        epilog="--loops epoll,libevent (read by tools/bench): also h2harness built with "
               "libevent's loop (--define=event_loop=libevent), side by side.")
    ap.add_argument("--h2harness", required=True, help=argparse.SUPPRESS)
    ap.add_argument("--variant", action="append", default=[], help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1,
                    help="server worker threads, the same for all three (default 1)")
    ap.add_argument("--clients", "-c", type=int, default=16, help="h2load -c (default 16)")
    ap.add_argument("--streams", "-m", type=int, default=10, help="h2load -m (default 10)")
    ap.add_argument("--h2load-threads", "-t", type=int, default=1, help="h2load -t (default 1)")
    ap.add_argument("--duration", "-D", type=int, default=3,
                    help="seconds per h2load run (default 3), after --warm-up")
    ap.add_argument("--warm-up", type=float, default=0.5, help="h2load --warm-up-time (default 0.5)")
    ap.add_argument("--requests", "-n", type=int, default=0,
                    help="requests per run instead of a duration")
    ap.add_argument("--rounds", "-r", type=int, default=3,
                    help="rounds; each runs every server once per row, in rotating order; the "
                         "median is reported (default 3)")
    ap.add_argument("--nice", type=int, default=0,
                    help="run the servers and h2load at this nice value (negative, as root: "
                         "ahead of other work on a shared machine; the same for all)")
    ap.add_argument("--no-pin", action="store_true",
                    help="let the scheduler place servers and h2load (default: servers on the "
                         "first half of the CPUs, h2load on the other half)")
    ap.add_argument("--transports", default="h2c,tls", help="h2c,tls (default both)")
    ap.add_argument("--servers", default=",".join(SERVERS), help="default: all three")
    ap.add_argument("--sizes", default="13B.txt,4KiB.txt,100KiB.txt",
                    help="files, of %s (\".txt\" may be left out)" %
                         ", ".join(f for f, _ in FILES))
    args = ap.parse_args()
    args.variants = dict(v.split("=", 1) for v in args.variant)
    servers = args.servers.split(",")
    for name in args.variants:
        if name not in servers:
            servers.insert(1, name)
    transports = args.transports.split(",")
    # "4KiB" and "4KiB.txt" both name the 4 KiB file; anything else is refused, so that a
    # typo never benchmarks 404 responses.
    known = [name for name, _ in FILES]
    sizes = []
    for f in args.sizes.split(","):
        name = f if f in known else f + ".txt"
        if name not in known:
            raise SystemExit("tools/bench server: --sizes %s: not one of %s" %
                             (f, ", ".join(known)))
        sizes.append(name)
    for t in transports:
        if t not in ("h2c", "tls"):
            raise SystemExit("tools/bench server: --transports %s: not h2c or tls" % t)
    for s in servers:
        if s not in SERVERS and s not in args.variants:
            raise SystemExit("tools/bench server: --servers %s: not one of %s" %
                             (s, ", ".join(SERVERS)))
    for tool in ["h2load"] + [s for s in servers if not s.startswith("h2harness")]:
        if not shutil.which(tool):
            raise SystemExit("tools/bench server: %s is missing: apt-get install -y %s" % (
                tool, {"h2load": "nghttp2-client", "nghttpd": "nghttp2-server", "h2o": "h2o"}[tool]))

    args.server_cpus, args.client_cpus = split_cpus(args.no_pin)
    tmp = tempfile.mkdtemp(prefix="h2bench.")
    os.chmod(tmp, 0o755)  # h2o started as root serves as "nobody"
    args.docroot = os.path.join(tmp, "docroot")
    os.mkdir(args.docroot)
    for name, size in FILES:
        with open(os.path.join(args.docroot, name), "wb") as f:
            f.write((b"0123456789abcdef" * (size // 16 + 1))[:size])
        os.chmod(os.path.join(args.docroot, name), 0o644)
    os.chmod(args.docroot, 0o755)
    args.key, args.cert = os.path.join(tmp, "key.pem"), os.path.join(tmp, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", args.key, "-out", args.cert, "-days", "1", "-subj",
                    "/CN=localhost"], check=True, capture_output=True)

    running = []
    try:
        by = {}
        for t in transports:
            for s in servers:
                srv = Server(s, t == "tls", args, tmp)
                srv.start()
                running.append(srv)
                by[(s, t)] = srv
        if "tls" in transports:
            # What each server negotiates with h2load (the cipher decides much of TLS's cost).
            for s in servers:
                out = subprocess.run(["h2load", "-n", "1", "-c", "1", by[(s, "tls")].url(sizes[0])],
                                     capture_output=True, text=True).stdout
                m = re.search(r"TLS Protocol: (\S+)\s+Cipher: (\S+)", out)
                print("# %s negotiates %s" % (s, "%s %s" % m.groups() if m else "?"))
        load = os.getloadavg()
        print("# h2load -c %d -m %d -t %d %s; servers: %d worker thread(s); %d round(s); %d CPUs; "
              "nice %d; load average before: %.2f %.2f %.2f" % (
                  args.clients, args.streams, args.h2load_threads,
                  "-n %d" % args.requests if args.requests else "-D %gs" % args.duration,
                  args.workers, args.rounds, os.cpu_count(), args.nice, *load))
        print("# %s" % ("servers on CPU(s) %s, h2load on CPU(s) %s" % (
            ",".join(map(str, sorted(args.server_cpus))),
            ",".join(map(str, sorted(args.client_cpus)))) if args.server_cpus
            else "not pinned: the scheduler places servers and h2load"))
        results = {}
        for rnd in range(args.rounds):
            for t in transports:
                for f in sizes:
                    order = servers[rnd % len(servers):] + servers[:rnd % len(servers)]
                    for s in order:
                        srv = by[(s, t)]
                        cpu0 = cpu_seconds(srv.proc.pid)
                        for attempt in range(3):
                            before = os.times()
                            r = run_h2load(args, srv.url(f))
                            after = os.times()
                            # A starved h2load can spend the whole run warming up: run again.
                            if r["rps"] > 0:
                                break
                        r["h2load_cpu"] = (after.children_user - before.children_user +
                                           after.children_system - before.children_system)
                        r["server_cpu"] = cpu_seconds(srv.proc.pid) - cpu0
                        results.setdefault((t, f, s), []).append(r)
                        print("  round %d %-3s %-10s %-18s %10.0f req/s %8.1f MB/s  failed %d%s" % (
                            rnd + 1, t, f, s, r["rps"], r["mbs"], r["failed"],
                            "  (%s)" % r["codes"] if r["failed"] else ""), flush=True)
        rss = {(s, t): by[(s, t)].peak_rss_kb() for s in servers for t in transports}
        load = os.getloadavg()
        print("# load average after: %.2f %.2f %.2f" % load)
        print()
        hdr = "%-4s %-10s %-18s %10s %9s %8s %9s %9s %10s %8s %7s" % (
            "", "file", "server", "req/s", "(min-max)", "MB/s", "peak RSS", "srv CPU%",
            "req/CPU-s", "h2load%", "failed")
        print(hdr)
        print("-" * len(hdr))
        ratios = []
        client_cpu = {}  # h2load's CPU share of one thread, per (transport, file, server)
        for t in transports:
            for f in sizes:
                med = {}
                for s in servers:
                    rs = results[(t, f, s)]
                    rps = [r["rps"] for r in rs if r["rps"] > 0] or [0.0]
                    med[s] = statistics.median(rps)
                    wall = sum(r["wall"] for r in rs)
                    cpu = sum(r["server_cpu"] for r in rs)
                    client_cpu[(t, f, s)] = (sum(r["h2load_cpu"] for r in rs) / wall /
                                             args.h2load_threads)
                    if med[s] <= 0:
                        print("%-4s %-10s %-18s no measurement (h2load got no CPU?)" % (t, f, s))
                        continue
                    print("%-4s %-10s %-18s %10.0f %4.0f%%-%3.0f%% %8.1f %7.1fMB %8.0f%% %10.0f %7.0f%% %7d" % (
                        t, f, s, med[s], 100 * min(rps) / med[s], 100 * max(rps) / med[s],
                        statistics.median(r["mbs"] for r in rs), rss[(s, t)] / 1024.0,
                        100 * cpu / wall, sum(r["done"] for r in rs) / cpu if cpu else 0,
                        100 * sum(r["h2load_cpu"] for r in rs) / wall,
                        sum(r["failed"] for r in rs)))
                if "h2harness" in med:
                    ratios.append((t, f, {s: med["h2harness"] / med[s] for s in servers
                                          if s != "h2harness" and med[s] > 0}))
        # h2load near a full core per thread cannot ask for more: the server may have had
        # room to spare, and a ratio between two servers both at that ceiling says little.
        bound = {(t, f): [s for s in servers if client_cpu.get((t, f, s), 0) >= 0.9]
                 for t in transports for f in sizes}
        print()
        failed_rows = sorted({"%s %s %s" % k for k, rs in results.items()
                              if any(r["failed"] for r in rs)})
        if failed_rows:
            # A server answering errors is not doing the work the others do: no ratio holds.
            print("INVALID: requests failed in %s; the ratios below compare unlike work." %
                  ", ".join(failed_rows))
        print("ratios (h2harness req/s over the peer's, medians; goals: >= 1.2x nghttpd, >= 1.0x h2o):")
        for t, f, rs in ratios:
            print("  %-4s %-10s %s%s" % (t, f, "  ".join(
                "vs %s %.2fx%s" % (s, r, "" if s.startswith("h2harness") else
                                   " ok" if r >= (1.2 if s == "nghttpd" else 1.0) else " MISSED")
                for s, r in rs.items()),
                "  [h2load at >= 90%% CPU, the limit, driving %s]" % ", ".join(bound[(t, f)])
                if bound[(t, f)] else ""))
        if "h2harness" in servers:
            for t in transports:
                line = "  peak RSS %s: h2harness %.1f MB" % (t, rss[("h2harness", t)] / 1024.0)
                for s in servers:
                    if s != "h2harness":
                        line += ", %s %.1f MB" % (s, rss[(s, t)] / 1024.0)
                if "nghttpd" in servers:
                    line += " (%s)" % ("ok" if rss[("h2harness", t)] <= rss[("nghttpd", t)]
                                       else "MISSED: more than nghttpd")
                print(line)
        print("srv CPU%: the server's CPU time over wall time (all its threads); req/CPU-s: "
              "requests per second of server CPU, the cost per request whatever else runs.")
        print("h2load%: h2load's CPU time over wall time; near 100% per h2load thread means "
              "h2load itself was the limit.")
    finally:
        for srv in running:
            srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed_rows else 0


if __name__ == "__main__":
    sys.exit(main())
