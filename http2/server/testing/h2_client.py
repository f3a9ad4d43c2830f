#!/usr/bin/python3
"""A python3-h2 client for the reference server's interop test (Debian's python3-h2).

Usage: h2_client.py URL [--tls12-cipher NAME | --slow-get PATH SHA256 [STREAMS]]
Runs GET /, POST /echo with a body, and a GET whose response carries a server push; prints
one 'ok'/'FAIL' line per check. With --slow-get it GETs PATH on STREAMS streams (default 1;
more in all than the kernel's socket buffers hold) on a connection with a small receive
buffer, reads nothing for a second and then little at a time, and checks each body's
SHA-256: the server's socket fills, and what it keeps for later (TLS records, or the rest
of a body it was writing from the file cache) must arrive intact and in order. With --tls12-cipher it only connects with TLS 1.2 and that
cipher, and expects the server's GOAWAY INADEQUATE_SECURITY (RFC 9113 §9.2.2).
"""
import socket
import ssl
import sys
import urllib.parse

import h2.config
import h2.connection
import h2.events
import h2.settings

failures = 0


def check(name, cond):
    global failures
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures += 1


def connect(url, cipher=None, rcvbuf=None):
    u = urllib.parse.urlsplit(url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)  # before connecting
    sock.settimeout(10)
    sock.connect((u.hostname, u.port))
    if u.scheme == "https":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.set_alpn_protocols(["h2"])
        if cipher:
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            ctx.set_ciphers(cipher)
        sock = ctx.wrap_socket(sock, server_hostname=u.hostname)
        check("TLS: ALPN chose h2", sock.selected_alpn_protocol() == "h2")
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    return u, sock, conn


class State:
    """What the client has seen so far, per stream."""

    def __init__(self):
        self.results = {}
        self.pushes = {}
        self.done = set()
        self.terminated = None

    def handle(self, conn, events):
        for ev in events:
            if isinstance(ev, h2.events.ResponseReceived):
                self.results.setdefault(ev.stream_id, {"body": bytearray()})["headers"] = dict(
                    (k.decode(), v.decode()) for k, v in ev.headers)
            elif isinstance(ev, h2.events.DataReceived):
                self.results.setdefault(ev.stream_id, {"body": bytearray()})["body"] += ev.data
                conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            elif isinstance(ev, h2.events.PushedStreamReceived):
                self.pushes[ev.pushed_stream_id] = dict(
                    (k.decode(), v.decode()) for k, v in ev.headers)
            elif isinstance(ev, h2.events.StreamEnded):
                self.done.add(ev.stream_id)
            elif isinstance(ev, h2.events.StreamReset):
                self.done.add(ev.stream_id)
                self.results.setdefault(ev.stream_id, {"body": bytearray()})["reset"] = ev.error_code
            elif isinstance(ev, h2.events.ConnectionTerminated):
                self.terminated = ev

    def pump(self, sock, conn, size=65536):
        data = sock.recv(size)
        if not data:
            return False
        self.handle(conn, conn.receive_data(data))
        sock.sendall(conn.data_to_send())
        return True


def exchange(sock, conn, state, want_streams):
    """Reads until every stream in want_streams (and every pushed one) has ended."""
    while not (want_streams | set(state.pushes)) <= state.done and state.terminated is None:
        if not state.pump(sock, conn):
            break


def slow_get(url, path, sha256, streams=1):
    import hashlib
    import time
    u, sock, conn = connect(url, rcvbuf=65536)
    # Flow control out of the way: only the socket holds the server back.
    conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 2**31 - 1})
    conn.increment_flow_control_window(2**31 - 1 - 65535)
    ids = list(range(1, 2 * streams, 2))
    for sid in ids:
        conn.send_headers(sid, [(":method", "GET"), (":path", path), (":scheme", u.scheme),
                                (":authority", "%s:%d" % (u.hostname, u.port))], end_stream=True)
    sock.sendall(conn.data_to_send())
    time.sleep(1)  # the server fills the socket meanwhile
    state = State()
    deadline = time.time() + 60
    while not set(ids) <= state.done and state.terminated is None and time.time() < deadline:
        if not state.pump(sock, conn, 65536):
            break
    for sid in ids:
        result = state.results.get(sid, {})
        body = result.get("body", b"")
        check("slow reader: stream %d: GET %s -> 200" % (sid, path),
              result.get("headers", {}).get(":status") == "200")
        check("slow reader: stream %d: %d octets, SHA-256 as sent" % (sid, len(body)),
              hashlib.sha256(body).hexdigest() == sha256)
    conn.close_connection()
    sock.sendall(conn.data_to_send())
    sock.close()
    return 1 if failures else 0


def main():
    url = sys.argv[1]
    if len(sys.argv) > 4 and sys.argv[2] == "--slow-get":
        return slow_get(url, sys.argv[3], sys.argv[4], int(sys.argv[5]) if len(sys.argv) > 5 else 1)
    if len(sys.argv) > 3 and sys.argv[2] == "--tls12-cipher":
        try:
            u, sock, conn = connect(url, sys.argv[3])
        except ssl.SSLError as e:
            check("TLS 1.2 handshake with %s (%s)" % (sys.argv[3], e), False)
            return 1
        state = State()
        exchange(sock, conn, state, {99})
        terminated = state.terminated
        check("GOAWAY INADEQUATE_SECURITY (0xc) after a prohibited TLS 1.2 suite",
              terminated is not None and int(terminated.error_code) == 0xC)
        if terminated is not None:
            print("     debug data: %s" % (terminated.additional_data or b"").decode(errors="replace"))
        return 1 if failures else 0

    u, sock, conn = connect(url)
    authority = "%s:%d" % (u.hostname, u.port)
    base = [(":scheme", u.scheme), (":authority", authority)]
    conn.send_headers(1, [(":method", "GET"), (":path", "/")] + base, end_stream=True)
    body = bytes(range(256)) * 400  # 102400 octets: more than one window's worth
    conn.send_headers(3, [(":method", "POST"), (":path", "/echo")] + base +
                      [("content-length", str(len(body))), ("x-from", "python-h2")])
    sock.sendall(conn.data_to_send())
    # Send the body as flow control allows.
    offset = 0
    state = State()
    while offset < len(body):
        window = min(conn.local_flow_control_window(3), conn.max_outbound_frame_size)
        if window <= 0:
            if not state.pump(sock, conn):
                break
            continue
        chunk = body[offset:offset + window]
        offset += len(chunk)
        conn.send_data(3, chunk, end_stream=offset == len(body))
        sock.sendall(conn.data_to_send())
    exchange(sock, conn, state, {1, 3})
    results, pushes = state.results, state.pushes
    check("no GOAWAY", state.terminated is None)
    check("GET / -> 200", results.get(1, {}).get("headers", {}).get(":status") == "200")
    check("GET / -> the demo page", b"h2harness reference server" in results.get(1, {}).get("body", b""))
    echo = results.get(3, {})
    check("POST /echo -> 200", echo.get("headers", {}).get(":status") == "200")
    check("POST /echo -> x-from header echoed", b"x-from: python-h2\n" in echo.get("body", b""))
    check("POST /echo -> 102400-octet body echoed", echo.get("body", b"").endswith(body))
    check("push promise for /style.css",
          any(p.get(":path") == "/style.css" for p in pushes.values()))
    pushed = [s for s, p in pushes.items() if p.get(":path") == "/style.css"]
    check("pushed response 200 text/css",
          bool(pushed) and results.get(pushed[0], {}).get("headers", {}).get("content-type", "")
          .startswith("text/css"))
    conn.close_connection()
    sock.sendall(conn.data_to_send())
    sock.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
