#!/usr/bin/python3
"""Bad clients against the reference server (stdlib only): garbage, stalls, disconnects
mid-stream, a client that never reads. After each, a well-behaved client must still be
served. Usage: bad_input.py HOST PORT SERVER_PID. Prints 'ok'/'FAIL' lines and what each
bad client got."""
import socket
import struct
import sys
import time

HOST, PORT, PID = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
failures = 0
NAMES = {0: "DATA", 1: "HEADERS", 3: "RST_STREAM", 4: "SETTINGS", 6: "PING", 7: "GOAWAY", 8: "WINDOW_UPDATE"}
ERRORS = {0: "NO_ERROR", 1: "PROTOCOL_ERROR", 6: "FRAME_SIZE_ERROR", 8: "CANCEL", 0xB: "ENHANCE_YOUR_CALM"}


def check(name, cond):
    global failures
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures += 1


def frame(ftype, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", stream) + payload


def hpack_request(method, path):
    def lit(index, value):  # literal without indexing, indexed name (RFC 7541 §6.2.2)
        v = value.encode()
        return bytes([index]) + bytes([len(v)]) + v
    block = lit(2, method) + b"\x86" + lit(4, path) + lit(1, "%s:%d" % (HOST, PORT))
    return block


def connect():
    s = socket.create_connection((HOST, PORT), timeout=10)
    return s


def read_frames(s, until_eof=True, timeout=5.0):
    """Reads frames until EOF (or timeout); returns (frames, eof, elapsed)."""
    s.settimeout(timeout)
    buf = b""
    frames = []
    start = time.time()
    eof = False
    while True:
        try:
            data = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            eof = True
            break
        if not data:
            eof = True
            break
        buf += data
        while len(buf) >= 9:
            length = int.from_bytes(buf[:3], "big")
            if len(buf) < 9 + length:
                break
            frames.append((buf[3], buf[4], int.from_bytes(buf[5:9], "big") & 0x7FFFFFFF, buf[9:9 + length]))
            buf = buf[9 + length:]
        if not until_eof and frames:
            break
    return frames, eof, time.time() - start


def goaway(frames):
    for t, _, _, p in frames:
        if t == 7:
            return int.from_bytes(p[4:8], "big"), p[8:].decode(errors="replace")
    return None


def describe(frames, eof):
    parts = [NAMES.get(t, str(t)) for t, _, _, _ in frames]
    g = goaway(frames)
    return "%s%s%s" % (" ".join(parts) or "nothing",
                       " (GOAWAY %s: %s)" % (ERRORS.get(g[0], g[0]), g[1]) if g else "",
                       ", then the connection closed" if eof else "")


def good_client(label):
    """A well-behaved h2c GET / must be answered with 200."""
    s = connect()
    s.sendall(PREFACE + frame(4, 0, 0) + frame(1, 0x5, 1, hpack_request("GET", "/style.css")))
    s.settimeout(5)
    buf = b""
    ok = False
    end = time.time() + 5
    while time.time() < end and not ok:
        try:
            data = s.recv(65536)
        except socket.timeout:
            break
        if not data:
            break
        buf += data
        # A DATA or HEADERS frame on stream 1 with END_STREAM means the response is complete.
        i = 0
        while i + 9 <= len(buf):
            length = int.from_bytes(buf[i:i + 3], "big")
            t, fl, sid = buf[i + 3], buf[i + 4], int.from_bytes(buf[i + 5:i + 9], "big")
            if i + 9 + length > len(buf):
                break
            if sid == 1 and t in (0, 1) and fl & 1:
                ok = True
            i += 9 + length
    s.close()
    check("%s: another client is still served" % label, ok)


def rss_kb():
    with open("/proc/%d/status" % PID) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


# 1. Garbage instead of the connection preface (RFC 9113 §3.4: PROTOCOL_ERROR).
s = connect()
s.sendall(b"\x16\x03\x01 this is not HTTP/2 at all \x00\xff" * 10)
frames, eof, _ = read_frames(s)
print("     garbage preface -> %s" % describe(frames, eof))
check("garbage preface: GOAWAY PROTOCOL_ERROR, then closed",
      goaway(frames) is not None and goaway(frames)[0] == 1 and eof)
s.close()
good_client("after garbage")

# 2. A valid preface, then a malformed frame (SETTINGS with a length not a multiple of 6).
s = connect()
s.sendall(PREFACE + frame(4, 0, 0) + frame(4, 0, 0, b"\x00\x01\x00"))
frames, eof, _ = read_frames(s)
print("     bad SETTINGS length -> %s" % describe(frames, eof))
check("bad frame: GOAWAY FRAME_SIZE_ERROR, then closed",
      goaway(frames) is not None and goaway(frames)[0] == 6 and eof)
s.close()

# 3. Random bytes after a valid preface.
s = connect()
s.sendall(PREFACE + frame(4, 0, 0) + bytes(range(256)) * 4)
frames, eof, _ = read_frames(s)
print("     garbage frames -> %s" % describe(frames, eof))
check("garbage frames: GOAWAY with an error code, then closed",
      goaway(frames) is not None and goaway(frames)[0] != 0 and eof)
s.close()
good_client("after garbage frames")

# 4. Stalls: connects and sends nothing; the preface and half a frame; a request whose body
#    never comes. The server gives up after its timeouts (1 s here) and keeps serving.
stalled = []
s = connect()
stalled.append(("nothing sent", s))
s = connect()
s.sendall(PREFACE + frame(4, 0, 0) + frame(1, 0x4, 1, hpack_request("GET", "/"))[:12])
stalled.append(("half a HEADERS frame", s))
s = connect()
s.sendall(PREFACE + frame(4, 0, 0) + frame(1, 0x4, 1, hpack_request("POST", "/echo")))
stalled.append(("request body never sent", s))
good_client("while 3 clients stall")
for label, s in stalled:
    frames, eof, took = read_frames(s, timeout=8)
    print("     stall (%s) -> %s after %.1f s" % (label, describe(frames, eof), took))
    check("stall (%s): closed by the server within 8 s" % label, eof)
    s.close()

# 5. Disconnects mid-stream: a request body cut off; a large download abandoned.
s = connect()
s.sendall(PREFACE + frame(4, 0, 0) + frame(1, 0x4, 1, hpack_request("POST", "/echo")) +
          frame(0, 0, 1, b"x" * 1000))
time.sleep(0.1)
s.close()
s = connect()
s.sendall(PREFACE + frame(4, 0, 0) + frame(1, 0x5, 1, hpack_request("GET", "/big.bin")))
s.recv(1000)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST
s.close()
time.sleep(0.2)
good_client("after two clients vanished mid-stream")

# 6. A client that never reads: it opens the windows wide and asks for a 20 MB file 20
#    times, then reads nothing. The server must not buffer it: its memory stays put
#    (flow control and the socket buffer hold the rest) until the idle timeout closes it.
before = rss_kb()
s = connect()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
req = PREFACE + frame(4, 0, 0, struct.pack(">HI", 4, 0x7FFFFFFF)) + frame(8, 0, 0, struct.pack(">I", 0x7FFFFFFF - 65535))
for i in range(20):
    req += frame(1, 0x5, 1 + 2 * i, hpack_request("GET", "/big.bin"))
s.sendall(req)
time.sleep(1.5)
grown = rss_kb() - before
print("     non-reading client: server RSS grew by %d KiB while 400 MB were requested" % grown)
check("non-reading client: server memory bounded (< 16 MiB growth)", grown < 16 * 1024)
good_client("while a client does not read")
frames, eof, took = read_frames(s, timeout=10)
check("non-reading client: eventually closed", eof)
s.close()

# 7. A request and the client's FIN in one go (shutdown(SHUT_WR) right after sending): the
#    FIN may come with the data's own wakeup, so the server must read on to it rather than
#    wait for another event after a short read. It answers, then closes at once, long
#    before the 1 s idle timeout.
s = connect()
s.sendall(PREFACE + frame(4, 0, 0) + frame(1, 0x5, 1, hpack_request("GET", "/style.css")))
s.shutdown(socket.SHUT_WR)
frames, eof, took = read_frames(s, timeout=5)
print("     request then FIN -> %s after %.2f s" % (describe(frames, eof), took))
check("request then FIN: answered, then closed within 0.5 s",
      any(t == 0 and sid == 1 and fl & 1 for t, fl, sid, _ in frames) and eof and took < 0.5)
s.close()

sys.exit(1 if failures else 0)
