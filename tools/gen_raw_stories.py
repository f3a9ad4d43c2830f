#!/usr/bin/env python3
"""Generates the raw HPACK story corpora corpora/stories/raw-data/story_NN.json and
corpora/stories/raw-table-size/story_NN.json.

  tools/gen_raw_stories.py           rewrite the story files (and delete stale story_*.json)
  tools/gen_raw_stories.py --check   exit 1, naming the stale files, if they are out of date

A story is one direction of one HTTP/2 connection: the header lists ("cases") that share one
HPACK compression context. So a story holds either all the requests (client to server) or
all the responses (server to client) of one connection. Most connections are written as a
pair: story_N holds the requests and story_N+1 the matching responses. The format is the
raw-data format of hpack-test-case, without "wire" and "header_table_size":

  {"cases": [{"seqno": 0, "headers": [{"name": "value"}, ...]}, ...], "description": "..."}

Two h2harness extensions (README "Stories"):
  - credentials (authorization, proxy-authorization, x-api-key, x-csrf-token) are marked
    never-indexed:
    "never_indexed": [header indices], which an encoder must honour (RFC 7541 §7.1.3);
  - raw-table-size/ holds the same stories with SETTINGS_HEADER_TABLE_SIZE changing
    mid-story ("header_table_size": down, to 0, back up, and above 4096), the default
    input of `h2harness stories check-encoder` together with raw-data/, so that an encoder
    that shrinks its table without a size update (RFC 7541 §4.2) is caught by default.

Octet convention. A name or a value is an octet string; JSON strings are Unicode. Valid UTF-8
sequences are written as the characters they encode; every octet that is not part of a valid
UTF-8 sequence (only 0x80..0xFF can be: octets below 0x80 are ASCII) is written as the lone
surrogate code point U+DC80..U+DCFF, so octet 0xE9 on its own is "\\udce9". This is Python's
"surrogateescape" error handler (PEP 383):

  writing:  text = octets.decode("utf-8", "surrogateescape")   # then json.dumps
  reading:  octets = text.encode("utf-8", "surrogateescape")   # after json.loads

Here every value is built as (or converted to) Python bytes and converted by that rule. All
strings are written with json.dumps(s, ensure_ascii=True), so the files are pure ASCII and
every non-ASCII character, lone surrogate and control octet appears as a \\uXXXX escape.

Deterministic and idempotent: a self-contained PRNG (splitmix64, not Python's random module)
seeded per connection from a fixed name, fixed clocks, no dependence on hash order, locale,
time zone or the current time. Standard library only. Domains are example.com/.net/.org;
names, e-mail addresses and tokens are invented.
"""
import base64
import json
import os
import sys
import time
import urllib.parse
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_edge_stories import read_static_table  # noqa: E402  (RFC 7541 Appendix A)
OUT_DIR = os.path.join(ROOT, "corpora", "stories", "raw-data")
RESIZE_DIR = os.path.join(ROOT, "corpora", "stories", "raw-table-size")
# Fields an application hands to its encoder as sensitive (never indexed, RFC 7541 §7.1.3).
SENSITIVE = (b"authorization", b"proxy-authorization", b"x-api-key", b"x-csrf-token")
MASK64 = (1 << 64) - 1


# ---------------------------------------------------------------------------------------
# Deterministic helpers

class Rng:
    """splitmix64: tiny, fixed forever, independent of the Python version."""

    def __init__(self, name):
        self.s = zlib.crc32(name.encode("ascii")) * 0x9E3779B97F4A7C15 & MASK64

    def u64(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        limit = (1 << 64) - (1 << 64) % n
        while True:
            x = self.u64()
            if x < limit:
                return x % n

    def randint(self, lo, hi):
        return lo + self.below(hi - lo + 1)

    def chance(self, percent):
        return self.below(100) < percent

    def choice(self, seq):
        return seq[self.below(len(seq))]

    def octets(self, n):
        out = b"".join(self.u64().to_bytes(8, "little") for _ in range((n + 7) // 8))
        return out[:n]

    def octets_no_crlf(self, n):
        """Arbitrary octets, but never CR or LF (those are not wanted even in the odd stories)."""
        return bytes(b ^ 0x20 if b in (0x0A, 0x0D) else b for b in self.octets(n))

    def hex(self, n):
        return self.octets((n + 1) // 2).hex()[:n]

    def digits(self, n):
        return "".join("0123456789"[self.below(10)] for _ in range(n))

    def alnum(self, n, alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"):
        return "".join(alphabet[self.below(len(alphabet))] for _ in range(n))

    def b64url(self, nbytes):
        return base64.urlsafe_b64encode(self.octets(nbytes)).rstrip(b"=").decode("ascii")

    def b64(self, nbytes):
        return base64.b64encode(self.octets(nbytes)).decode("ascii")

    def uuid(self):
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[self.below(4)]}{h[17:20]}-{h[20:]}"

    def traceparent(self):
        return f"00-{self.hex(32)}-{self.hex(16)}-01"


DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def http_date(ts):
    t = time.gmtime(ts)
    return "%s, %02d %s %04d %02d:%02d:%02d GMT" % (
        DAYS[t.tm_wday], t.tm_mday, MONTHS[t.tm_mon - 1], t.tm_year, t.tm_hour, t.tm_min, t.tm_sec)


class Clock:
    """Server time: advances a second or so per response."""

    def __init__(self, ts):
        self.t = ts

    def tick(self, rng, lo=0, hi=2):
        self.t += rng.randint(lo, hi)
        return http_date(self.t)

    def ago(self, seconds):
        return http_date(self.t - seconds)

    def ahead(self, seconds):
        return http_date(self.t + seconds)


class Jar:
    """The cookies one origin holds, in the order a browser sends them."""

    def __init__(self, pairs=()):
        self.c = dict(pairs)

    def set(self, name, value):
        self.c[name] = value

    def drop(self, name):
        self.c.pop(name, None)

    def header(self):
        return "; ".join(f"{k}={v}" for k, v in self.c.items())

    def crumbs(self):
        return [f"{k}={v}" for k, v in self.c.items()]

    def __len__(self):
        return len(self.c)


def b64url_json(obj):
    raw = json.dumps(obj, separators=(",", ":"), sort_keys=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def jwt(rng, claims, sig_bytes=256):
    header = {"alg": "RS256", "kid": rng.hex(20), "typ": "JWT"}
    return f"{b64url_json(header)}.{b64url_json(claims)}.{rng.b64url(sig_bytes)}"


def q(s):
    return urllib.parse.quote(s, safe="")


def qplus(s):
    return urllib.parse.quote_plus(s, safe="")


def hashed(rng, stem, ext, n=8):
    return f"{stem}.{rng.hex(n)}.{ext}"


def etag_nginx(rng, size):
    return f'"{rng.randint(0x60000000, 0x66400000):x}-{size:x}"'


def etag_strong(rng, n=32):
    return f'"{rng.hex(n)}"'


def etag_weak(rng, size):
    return f'W/"{size:x}-{rng.b64url(20)[:27]}"'


CTYPES = {
    "html": "text/html; charset=utf-8", "css": "text/css", "js": "application/javascript",
    "mjs": "text/javascript", "json": "application/json", "png": "image/png", "jpg": "image/jpeg",
    "webp": "image/webp", "avif": "image/avif", "svg": "image/svg+xml", "gif": "image/gif",
    "ico": "image/x-icon", "woff2": "font/woff2", "mp4": "video/mp4", "m4s": "video/iso.segment",
    "mpd": "application/dash+xml", "vtt": "text/vtt", "txt": "text/plain; charset=utf-8",
    "webmanifest": "application/manifest+json",
}
SIZES = {
    "css": (6000, 95000), "js": (9000, 480000), "mjs": (3000, 60000), "png": (900, 160000),
    "jpg": (18000, 310000), "webp": (9000, 140000), "avif": (6000, 90000), "svg": (400, 9000),
    "gif": (43, 4000), "ico": (1150, 15086), "woff2": (14000, 62000), "json": (120, 24000),
    "vtt": (2000, 9000), "webmanifest": (300, 900),
}
TEXTUAL = ("css", "js", "mjs", "svg", "json", "vtt", "html", "txt", "webmanifest")


def ext_of(path):
    tail = path.split("?", 1)[0].rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[-1] if "." in tail else ""


def kind_of(path):
    e = ext_of(path)
    return {"css": "style", "js": "script", "mjs": "script", "woff2": "font"}.get(
        e, "image" if e in ("png", "jpg", "webp", "avif", "svg", "gif", "ico") else "fetch")


# ---------------------------------------------------------------------------------------
# Clients. Each builds one request header list, in the order and with the fields that
# client sends over HTTP/2 (approximately Chrome 124, Firefox 125, Safari 17.4, curl 8).

MODE_DEST = {
    "style": ("no-cors", "style"), "script": ("no-cors", "script"), "image": ("no-cors", "image"),
    "font": ("cors", "font"), "fetch": ("cors", "empty"), "media": ("no-cors", "video"),
    "beacon": ("no-cors", "empty"), "manifest": ("cors", "manifest"), "iframe": ("navigate", "iframe"),
}


class Chrome:
    ACCEPT = {
        "document": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
        "style": "text/css,*/*;q=0.1",
        "image": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    }
    PRIO = {"document": "u=0, i", "style": "u=0", "script": "u=1", "image": "i", "font": "u=0",
            "fetch": "u=1, i", "media": "i", "beacon": "u=4, i", "manifest": "u=4", "iframe": "u=0, i"}
    OS = {"Windows": "Windows NT 10.0; Win64; x64", "macOS": "Macintosh; Intel Mac OS X 10_15_7",
          "Linux": "X11; Linux x86_64", "Android": "Linux; Android 10; K"}

    def __init__(self, platform="Windows", lang="en-US,en;q=0.9", edge=False):
        self.mobile = platform == "Android"
        self.platform = f'"{platform}"'
        brand = "Microsoft Edge" if edge else "Google Chrome"
        self.ua = (f"Mozilla/5.0 ({self.OS[platform]}) AppleWebKit/537.36 (KHTML, like Gecko) "
                   f"Chrome/124.0.0.0 {'Mobile ' if self.mobile else ''}Safari/537.36"
                   + (" Edg/124.0.0.0" if edge else ""))
        self.sec_ch_ua = f'"Chromium";v="124", "{brand}";v="124", "Not-A.Brand";v="99"'
        self.full_list = (f'"Chromium";v="124.0.6367.119", "{brand}";v="124.0.6367.119", '
                          f'"Not-A.Brand";v="99.0.0.0"')
        self.platform_version = {"Windows": '"15.0.0"', "macOS": '"14.4.1"', "Linux": '"6.5.0"',
                                 "Android": '"10.0.0"'}[platform]
        self.lang = lang
        self.full_hints = set()   # hosts that sent Accept-CH

    def hints(self, host):
        h = [("sec-ch-ua", self.sec_ch_ua)]
        full = host in self.full_hints
        if full:
            h += [("sec-ch-ua-arch", '""' if self.mobile else '"x86"'), ("sec-ch-ua-bitness", '"64"'),
                  ("sec-ch-ua-full-version", '"124.0.6367.119"'),
                  ("sec-ch-ua-full-version-list", self.full_list)]
        h.append(("sec-ch-ua-mobile", "?1" if self.mobile else "?0"))
        if full:
            h.append(("sec-ch-ua-model", '"K"' if self.mobile else '""'))
        h.append(("sec-ch-ua-platform", self.platform))
        if full:
            h += [("sec-ch-ua-platform-version", self.platform_version), ("sec-ch-ua-wow64", "?0")]
        return h

    def req(self, kind, host, path, method="GET", site="same-origin", referer=None, jar=None,
            origin=None, accept=None, extra=(), body=None, ctype=None, cond=(), range_=None,
            user=False, reload=False, prio=None):
        h = [(":method", method), (":authority", host), (":scheme", "https"), (":path", path)]
        if body is not None:
            h.append(("content-length", str(body)))
        if kind in ("document", "iframe"):
            if reload:
                h.append(("cache-control", "max-age=0"))
            h += self.hints(host)
            h += [("upgrade-insecure-requests", "1"), ("user-agent", self.ua),
                  ("accept", accept or self.ACCEPT["document"]), ("sec-fetch-site", site),
                  ("sec-fetch-mode", "navigate")]
            if user:
                h.append(("sec-fetch-user", "?1"))
            h.append(("sec-fetch-dest", "document" if kind == "document" else "iframe"))
        else:
            mode, dest = MODE_DEST[kind]
            # Subresources: with only the default hints, sec-ch-ua-platform comes first;
            # script-set headers (extra) come before the remaining hints.
            hs = self.hints(host)
            first = hs[0] if host in self.full_hints else hs[-1]
            h += [first] + list(extra) + [x for x in hs if x != first]
            if ctype:
                h.append(("content-type", ctype))
            h += [("user-agent", self.ua), ("accept", accept or self.ACCEPT.get(kind, "*/*"))]
            if origin:
                h.append(("origin", origin))
            h += [("sec-fetch-site", site), ("sec-fetch-mode", mode), ("sec-fetch-dest", dest)]
        if referer:
            h.append(("referer", referer))
        h.append(("accept-encoding",
                  "identity;q=1, *;q=0" if kind == "media" else "gzip, deflate, br, zstd"))
        h.append(("accept-language", self.lang))
        if jar:
            h.append(("cookie", jar.header()))
        h += list(cond)
        if range_:
            h.append(("range", range_))
        h.append(("priority", prio or self.PRIO[kind]))
        return h


class Firefox:
    ACCEPT = {
        "document": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        "style": "text/css,*/*;q=0.1",
        "image": "image/avif,image/webp,*/*",
        "font": "application/font-woff2;q=1.0,application/font-woff;q=0.9,*/*;q=0.8",
        "media": "video/webm,video/ogg,video/*;q=0.9,application/ogg;q=0.7,audio/*;q=0.6,*/*;q=0.5",
    }
    PRIO = {"document": "u=0, i", "style": "u=2", "script": "u=2", "image": "u=5, i", "font": "u=3",
            "fetch": "u=4", "media": "u=4", "beacon": "u=6", "iframe": "u=4, i"}

    def __init__(self, os_part="X11; Linux x86_64", lang="en-US,en;q=0.5", dnt=False, gpc=False):
        self.ua = f"Mozilla/5.0 ({os_part}; rv:125.0) Gecko/20100101 Firefox/125.0"
        self.lang, self.dnt, self.gpc = lang, dnt, gpc

    def req(self, kind, host, path, method="GET", site="same-origin", referer=None, jar=None,
            origin=None, accept=None, extra=(), body=None, ctype=None, cond=(), range_=None,
            user=False, reload=False, prio=None):
        h = [(":method", method), (":path", path), (":authority", host), (":scheme", "https"),
             ("user-agent", self.ua), ("accept", accept or self.ACCEPT.get(kind, "*/*")),
             ("accept-language", self.lang),
             ("accept-encoding", "identity" if kind == "media" else "gzip, deflate, br")]
        h += list(extra)
        if ctype:
            h.append(("content-type", ctype))
        if body is not None:
            h.append(("content-length", str(body)))
        if origin:
            h.append(("origin", origin))
        if referer:
            h.append(("referer", referer))
        if self.dnt:
            h.append(("dnt", "1"))
        if self.gpc:
            h.append(("sec-gpc", "1"))
        if jar:
            h += [("cookie", c) for c in jar.crumbs()]   # Firefox splits cookies into crumbs
        if kind in ("document", "iframe"):
            h.append(("upgrade-insecure-requests", "1"))
            mode, dest = "navigate", kind
        else:
            mode, dest = MODE_DEST[kind]
        h += [("sec-fetch-dest", dest), ("sec-fetch-mode", mode), ("sec-fetch-site", site)]
        if user:
            h.append(("sec-fetch-user", "?1"))
        h += list(cond)
        if range_:
            h.append(("range", range_))
        if reload:
            h += [("pragma", "no-cache"), ("cache-control", "no-cache")]
        h += [("priority", prio or self.PRIO[kind]), ("te", "trailers")]
        return h


class Safari:
    ACCEPT = {
        "document": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "style": "text/css,*/*;q=0.1",
        "image": "image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,"
                 "image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5",
    }
    PRIO = {"document": "u=0, i", "style": "u=1", "script": "u=2", "image": "u=5, i", "font": "u=1",
            "fetch": "u=3, i", "media": "u=4", "beacon": "u=6", "iframe": "u=2, i"}

    def __init__(self, iphone=False, lang="en-GB,en;q=0.9"):
        if iphone:
            self.ua = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 "
                       "(KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1")
        else:
            self.ua = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                       "(KHTML, like Gecko) Version/17.4.1 Safari/605.1.15")
        self.lang = lang

    def req(self, kind, host, path, method="GET", site="same-origin", referer=None, jar=None,
            origin=None, accept=None, extra=(), body=None, ctype=None, cond=(), range_=None,
            user=False, reload=False, prio=None):
        h = [(":method", method), (":scheme", "https"), (":path", path), (":authority", host)]
        if ctype:
            h.append(("content-type", ctype))
        h += list(extra)
        h += [("accept", accept or self.ACCEPT.get(kind, "*/*")), ("sec-fetch-site", site)]
        if origin:
            h.append(("origin", origin))
        if reload:
            h.append(("cache-control", "max-age=0"))
        if jar:
            h.append(("cookie", jar.header()))
        mode, dest = ("navigate", kind) if kind in ("document", "iframe") else MODE_DEST[kind]
        h += [("sec-fetch-dest", dest), ("accept-language", self.lang), ("sec-fetch-mode", mode)]
        if body is not None:
            h.append(("content-length", str(body)))
        h.append(("user-agent", self.ua))
        if referer:
            h.append(("referer", referer))
        h += list(cond)
        if range_:
            h.append(("range", range_))
        h += [("accept-encoding", "gzip, deflate, br"), ("priority", prio or self.PRIO[kind])]
        return h


# ---------------------------------------------------------------------------------------
# Response building blocks

HSTS = "max-age=31536000; includeSubDomains; preload"
ALT_SVC = 'h3=":443"; ma=86400'


def edge_tail(rng, pop, hit=None):
    """Headers a caching CDN (varnish-like) adds."""
    if hit is None:
        hit = rng.chance(85)
    h = [("age", str(rng.randint(1, 604000) if hit else 0)), ("via", "1.1 varnish"),
         ("x-cache", "HIT" if hit else "MISS"), ("x-cache-hits", str(rng.randint(1, 3000) if hit else 0))]
    h.append(("x-served-by", f"cache-{pop.lower()}{rng.randint(7000, 7999)}{rng.randint(20, 99)}-{pop}"))
    return h


def set_cookie(name, value, path="/", domain=None, expires=None, max_age=None, secure=True,
               httponly=False, samesite=None, lower=False):
    """A set-cookie field; `lower` spells the attributes in lower case, as some servers do."""
    a = (lambda x: x.lower()) if lower else (lambda x: x)
    parts = [f"{name}={value}"]
    if expires:
        parts.append(f"{a('Expires')}={expires}")
    if max_age is not None:
        parts.append(f"{a('Max-Age')}={max_age}")
    if path:
        parts.append(f"{a('Path')}={path}")
    if domain:
        parts.append(f"{a('Domain')}={domain}")
    if secure:
        parts.append(a("Secure"))
    if httponly:
        parts.append(a("HttpOnly"))
    if samesite:
        parts.append(f"{a('SameSite')}={samesite}")
    return ("set-cookie", "; ".join(parts))


def csp(rng, nonce, extra_hosts, report):
    """A large, realistic Content-Security-Policy (nonce + hashes + many allowed hosts)."""
    hashes = " ".join(f"'sha256-{rng.b64(32)}'" for _ in range(6))
    script = " ".join(f"https://{h}" for h in extra_hosts["script"])
    connect = " ".join(f"https://{h}" for h in extra_hosts["connect"])
    img = " ".join(f"https://{h}" for h in extra_hosts["img"])
    frame = " ".join(f"https://{h}" for h in extra_hosts["frame"])
    return (f"default-src 'self'; script-src 'self' 'nonce-{nonce}' 'strict-dynamic' {hashes} "
            f"'unsafe-inline' {script}; style-src 'self' 'unsafe-inline' https://static.example.com "
            f"https://fonts.example.net; img-src 'self' data: blob: {img}; font-src 'self' data: "
            f"https://fonts.example.net https://static.example.com; connect-src 'self' {connect} "
            f"wss://live.example.com; media-src 'self' blob: https://media.example.net; frame-src "
            f"{frame}; worker-src 'self' blob:; manifest-src 'self'; frame-ancestors 'none'; "
            f"form-action 'self' https://login.example.com; base-uri 'none'; object-src 'none'; "
            f"upgrade-insecure-requests; report-uri {report}; report-to csp-endpoint")


def connection(requests, responses, req_desc, resp_desc):
    if len(requests) != len(responses):
        raise SystemExit(f"{req_desc[:40]}...: {len(requests)} requests, {len(responses)} responses")
    return [(req_desc, requests), (resp_desc, responses)]


# ---------------------------------------------------------------------------------------
# The connections. Each function returns [(description, cases), ...]: the request story and,
# usually, the response story of one connection.

def conn_news(rng):
    b = Chrome("Windows")
    host, img = "www.news.example.com", "img.news.example.com"
    origin = "https://" + host
    clk = Clock(1715757307)
    jar = Jar([("consent", "v2." + rng.b64url(96)), ("nuid", rng.uuid()), ("edition", "us"),
               ("ab", "hp-b.art-a")])
    css = [hashed(rng, "/assets/css/base", "css"), hashed(rng, "/assets/css/front", "css")]
    js = [hashed(rng, "/assets/js/vendor", "js"), hashed(rng, "/assets/js/app", "js")]
    fonts = ["/assets/fonts/newsserif-regular.woff2", "/assets/fonts/newsserif-bold.woff2"]
    slugs = ["city-council-approves-new-transit-budget", "storm-brings-record-rainfall-to-coast",
             "local-team-wins-championship-in-overtime", "scientists-map-deep-sea-vents",
             "markets-rally-as-inflation-cools", "new-library-opens-downtown",
             "how-to-prepare-for-wildfire-season", "review-the-best-budget-laptops-of-2024"]
    reqs, resps = [], []
    pop = "IAD"

    def html(path, ref, site, user):
        reqs.append(b.req("document", host, path, site=site, referer=ref, jar=jar, user=user))
        link = ", ".join([f"<{c}>; rel=preload; as=style" for c in css] +
                         [f'<{f}>; rel=preload; as=font; type="font/woff2"; crossorigin' for f in fonts] +
                         [f"<https://{img}>; rel=preconnect"])
        h = [(":status", "200"), ("date", clk.tick(rng)), ("content-type", "text/html; charset=utf-8"),
             ("content-encoding", "gzip"), ("vary", "Accept-Encoding"),
             ("cache-control", "public, max-age=60, stale-while-revalidate=300"), ("link", link),
             ("strict-transport-security", HSTS), ("x-frame-options", "SAMEORIGIN"),
             ("x-content-type-options", "nosniff"), ("referrer-policy", "strict-origin-when-cross-origin")]
        if path == "/":
            h.append(set_cookie("ab", "hp-b.art-a", max_age=2592000, samesite="Lax"))
        h += edge_tail(rng, pop)
        h += [("server-timing", f"cdn-cache;desc={h[-3][1]}, edge;dur={rng.randint(1, 9)}, "
                                f"origin;dur={rng.randint(0, 180)}"),
              ("x-request-id", rng.uuid())]
        resps.append(h)

    def asset(kind, host_, path, ref, site, prio=None, origin_=None):
        reqs.append(b.req(kind, host_, path, site=site, referer=ref, jar=jar if host_ == host else None,
                          prio=prio, origin=origin_))
        e = ext_of(path)
        if host_ == img:
            e = "webp"
        size = rng.randint(*SIZES.get(e, (500, 9000)))
        h = [(":status", "200"), ("date", clk.tick(rng, 0, 1)), ("content-type", CTYPES[e]),
             ("content-length", str(size))]
        if e in TEXTUAL:
            h[-1] = ("content-length", str(size // 4))
            h.insert(3, ("content-encoding", "br"))
            h.append(("vary", "Accept-Encoding"))
        if host_ == img:
            h += [("vary", "Accept"), ("access-control-allow-origin", "*"), ("timing-allow-origin", "*")]
        elif e == "woff2":
            h.append(("access-control-allow-origin", "*"))
        h += [("last-modified", clk.ago(rng.randint(3600, 9000000))), ("etag", etag_strong(rng)),
              ("cache-control", "public, max-age=31536000, immutable"), ("accept-ranges", "bytes")]
        h += edge_tail(rng, pop)
        resps.append(h)

    home = origin + "/"
    html("/", None, "none", True)
    for c in css:
        asset("style", host, c, home, "same-origin")
    for j in js:
        asset("script", host, j, home, "same-origin", prio="u=2" if "app" in j else None)
    asset("font", host, fonts[0], origin + css[0], "same-origin", origin_=origin)
    for s in slugs[:4]:
        w = rng.choice([320, 640, 960])
        asset("image", img, f"/photos/2024/05/{s}-{w}x{w * 9 // 16}.jpg?auto=webp&quality=75&width={w}",
              home, "same-site", prio="u=1, i" if w > 320 else None)
    ids = ",".join(rng.digits(7) for _ in range(8))
    reqs.append(b.req("fetch", host, f"/api/v2/comments/count?ids={ids}", referer=home, jar=jar,
                      accept="application/json"))
    resps.append([(":status", "200"), ("date", clk.tick(rng)), ("content-type", "application/json; charset=utf-8"),
                  ("content-length", str(rng.randint(180, 260))), ("cache-control", "public, max-age=30"),
                  ("vary", "Accept-Encoding")] + edge_tail(rng, pop, hit=False))
    art = f"/world/2024/05/15/{slugs[3]}"
    html(art, home, "same-origin", True)
    aref = origin + art
    asset("style", host, hashed(rng, "/assets/css/article", "css"), aref, "same-origin")
    for k in range(2):
        w = 1280 if k == 0 else 640
        asset("image", img, f"/photos/2024/05/{slugs[3]}-{k + 1}-{w}x{w * 2 // 3}.jpg?auto=webp&quality=80&width={w}",
              aref, "same-site", prio="u=1, i" if k == 0 else None)
    reqs.append(b.req("fetch", host, f"/api/v2/articles/{rng.digits(7)}/comments?sort=top&limit=20",
                      referer=aref, jar=jar, accept="application/json"))
    resps.append([(":status", "200"), ("date", clk.tick(rng)), ("content-type", "application/json; charset=utf-8"),
                  ("content-encoding", "br"), ("cache-control", "private, max-age=0"),
                  ("vary", "Accept-Encoding, Cookie"), ("x-request-id", rng.uuid())])
    return connection(
        reqs, resps,
        "Requests of one connection: Chrome 124 on Windows loads a news portal front page and an "
        "article, with CSS, JS, fonts, JSON and images from a coalesced image host",
        "Responses of one connection: a news portal behind a caching CDN (HTML with link preload "
        "and HSTS, immutable assets with etag/last-modified/age/via/x-cache, JSON)")


def conn_cdn(rng):
    b = Firefox(os_part="Windows NT 10.0; Win64; x64", lang="en-US,en;q=0.5")
    host = "cdn.example.net"
    site_ref = "https://travel.example.org/"
    clk = Clock(1715850042)
    reqs, resps = [], []
    release = "v" + rng.hex(7)
    paths = []
    for stem in ["bootstrap.min", "travel-theme", "gallery"]:
        paths.append(f"/travel/{release}/css/{stem}.css")
    for stem in ["jquery-3.7.1.min", "lazyload.min", "map-widget", "app"]:
        paths.append(f"/travel/{release}/js/{stem}.js")
    paths.append("/fonts/opensans-regular.woff2")
    places = ["lisbon-tram", "alps-sunrise", "kyoto-garden", "sahara-dunes", "fjord-cruise",
              "reef-snorkel", "old-town-market", "northern-lights", "vineyard-tour", "canyon-trail"]
    for p in places:
        paths.append(f"/travel/images/2024/{p}-{rng.choice(['800w', '1200w', '400w'])}."
                     f"{rng.choice(['jpg', 'webp', 'avif'])}")
    paths += ["/travel/icons/sprite.svg", "/px/spacer.gif"]
    for p in paths:
        e = ext_of(p)
        kind = kind_of(p)
        ref = f"https://{host}{paths[1]}" if kind == "font" else site_ref
        reqs.append(b.req(kind, host, p, site="cross-site", referer=ref,
                          origin="https://travel.example.org" if kind == "font" else None))
        size = rng.randint(*SIZES[e])
        hit = rng.chance(90)
        h = [(":status", "200"), ("date", clk.tick(rng, 0, 1)), ("content-type", CTYPES[e])]
        if e in TEXTUAL:
            h += [("content-encoding", "br"), ("content-length", str(size // 4)), ("vary", "Accept-Encoding")]
        else:
            h.append(("content-length", str(size)))
        h += [("last-modified", clk.ago(rng.randint(86400, 40000000))), ("etag", etag_nginx(rng, size)),
              ("cache-control", "public, max-age=31536000" if release in p or e == "woff2"
               else "public, max-age=86400, s-maxage=604800"),
              ("accept-ranges", "bytes"), ("access-control-allow-origin", "*"),
              ("timing-allow-origin", "*"), ("cross-origin-resource-policy", "cross-origin"),
              ("server", "cdn-edge")]
        h += [("age", str(rng.randint(30, 900000) if hit else 0)),
              ("via", f"1.1 edge-{rng.choice(['fra', 'ams', 'cdg'])}{rng.randint(1, 9)}.cdn.example.net"),
              ("x-cache", "HIT" if hit else "MISS, MISS"), ("alt-svc", ALT_SVC)]
        resps.append(h)
    return connection(
        reqs, resps,
        "Requests of one connection: Firefox 125 on Windows fetches a travel site's static assets "
        "(CSS, JS, fonts, images) from a third-party CDN host",
        "Responses of one connection: a CDN serving static assets with etag, last-modified, "
        "cache-control max-age, age, via, x-cache, CORS and alt-svc")


def conn_shop(rng):
    b = Safari()
    host = "shop.example.com"
    origin = "https://" + host
    clk = Clock(1715931615)
    jar = Jar([("_sid", rng.b64url(18)), ("currency", "USD"), ("consent", "ads=0&stats=1&pref=1"),
               ("flags", b64url_json({"exp": {"pdp_v3": "b", "search_rank": "ltr2", "checkout": "a",
                                              "reco": "hybrid", "free_ship_banner": "on"},
                                      "seg": ["new", "eu-west", "desktop"], "v": 7}))])
    reqs, resps = [], []
    css, js = hashed(rng, "/static/css/shop", "css"), hashed(rng, "/static/js/shop", "js")
    recently = []

    def page(path, ref, site="same-origin", status="200", extra_resp=()):
        reqs.append(b.req("document", host, path, site=site, referer=ref, jar=jar))
        h = [(":status", status), ("server", "nginx"), ("date", clk.tick(rng)),
             ("content-type", "text/html; charset=utf-8")]
        if status == "200":
            h += [("vary", "Accept-Encoding"), ("content-encoding", "gzip")]
        h += [("cache-control", "no-cache, private"), ("x-request-id", rng.hex(32)),
              ("strict-transport-security", "max-age=63072000"), ("x-frame-options", "DENY"),
              ("content-language", "en-US")]
        h += list(extra_resp)
        resps.append(h)

    def static(path, ref):
        kind = kind_of(path)
        reqs.append(b.req(kind, host, path, referer=ref, jar=jar))
        e = ext_of(path)
        size = rng.randint(*SIZES[e])
        h = [(":status", "200"), ("server", "nginx"), ("date", clk.tick(rng, 0, 1)), ("content-type", CTYPES[e]),
             ("content-length", str(size)), ("last-modified", clk.ago(rng.randint(9000, 5000000))),
             ("etag", etag_nginx(rng, size)), ("expires", clk.ahead(31536000)),
             ("cache-control", "max-age=31536000"), ("accept-ranges", "bytes")]
        resps.append(h)

    def api(method, path, ref, body=None, ctype=None, resp_ctype="application/json", set_cookies=(),
            status="200"):
        reqs.append(b.req("fetch", host, path, method=method, referer=ref, jar=jar, origin=origin if body else None,
                          body=body, ctype=ctype, accept="application/json, text/javascript, */*; q=0.01",
                          extra=[("x-requested-with", "XMLHttpRequest")]))
        h = [(":status", status), ("server", "nginx"), ("date", clk.tick(rng)),
             ("content-type", resp_ctype + "; charset=utf-8"), ("content-length", str(rng.randint(90, 5200))),
             ("cache-control", "no-store"), ("x-request-id", rng.hex(32))]
        h += list(set_cookies)
        resps.append(h)

    page("/", None, "none", extra_resp=[set_cookie("session", rng.b64url(32), httponly=True, samesite="Lax"),
                                        set_cookie("visitor", rng.uuid(), max_age=31536000, samesite="Lax")])
    jar.set("session", resps[-1][-2][1].split(";")[0].split("=", 1)[1])
    jar.set("visitor", resps[-1][-1][1].split(";")[0].split("=", 1)[1])
    static(css, origin + "/")
    static(js, origin + "/")
    for n in ["hero-summer-sale"]:
        static(f"/media/banners/{n}.jpg", origin + "/")
    typed = "running shoes"
    for k in (3, 7):
        api("GET", f"/api/search/suggest?q={qplus(typed[:k])}&limit=8&locale=en_US", origin + "/")
    s1 = f"/search?q={qplus(typed)}&sort=relevance&page=1"
    page(s1, origin + "/")
    s2 = (f"/search?q={qplus(typed)}&category=men%2Frunning%2Ftrail&size=10.5&width=D&color=blue"
          f"&color=black&brand=trailco&brand=northpeak&price_min=40&price_max=120&rating_min=4"
          f"&sort=price_asc&page=1&view=grid&utm_source=newsletter&utm_medium=email&utm_campaign=spring_run_24")
    page(s2, origin + s1)
    for n in range(1):
        static(f"/media/products/{rng.digits(6)}/{rng.choice(['front', 'side', 'sole'])}-480.jpg", origin + s2)
    skus = [f"TR{rng.digits(6)}" for _ in range(3)]
    for i, sku in enumerate(skus[:2]):
        recently.append(sku)
        jar.set("recent", q(",".join(recently)))
        p = f"/p/trail-runner-{i + 3}-{sku.lower()}?ref=search&pos={rng.randint(1, 24)}&qid={rng.hex(16)}"
        page(p, origin + s2)
        if i == 0:
            api("GET", f"/api/reviews?sku={sku}&page=1&sort=helpful", origin + p)
    cart_id = rng.b64url(15)
    body = f"sku={skus[1]}&size=10.5&qty=1&_csrf={rng.b64url(24)}"
    api("POST", "/cart/add", origin + p, body=len(body), ctype="application/x-www-form-urlencoded; charset=UTF-8",
        set_cookies=[set_cookie("cart", cart_id, max_age=1209600, samesite="Lax"),
                     set_cookie("cart_count", "1", max_age=1209600, samesite="Lax")])
    jar.set("cart", cart_id)
    jar.set("cart_count", "1")
    page("/cart", origin + p)
    body = f"line=1&qty=2&_csrf={rng.b64url(24)}"
    api("POST", "/cart/update", origin + "/cart", body=len(body),
        ctype="application/x-www-form-urlencoded; charset=UTF-8",
        set_cookies=[set_cookie("cart_count", "2", max_age=1209600, samesite="Lax")])
    jar.set("cart_count", "2")
    reqs.append(b.req("document", host, "/checkout", referer=origin + "/cart", jar=jar))
    resps.append([(":status", "302"), ("server", "nginx"), ("date", clk.tick(rng)),
                  ("content-type", "text/html; charset=utf-8"), ("content-length", "0"),
                  ("location", "/account/login?return_to=%2Fcheckout%3Fcart%3D" + cart_id),
                  ("cache-control", "no-store"), ("x-request-id", rng.hex(32))])
    page("/account/login?return_to=%2Fcheckout%3Fcart%3D" + cart_id, origin + "/cart",
         extra_resp=[set_cookie("csrf", rng.b64url(24), httponly=True, samesite="Strict")])
    return connection(
        reqs, resps,
        "Requests of one connection: Safari 17 on macOS on an online shop: search with long query "
        "strings, suggest XHRs, product pages, add to cart; cookies change as the cart changes",
        "Responses of one connection: an nginx-served online shop: HTML, static files, JSON, "
        "set-cookie for session and cart, a 302 to the login page")


def conn_webmail(rng):
    b = Chrome("macOS", lang="en-GB,en-US;q=0.9,en;q=0.8")
    host = "mail.example.org"
    origin = "https://" + host
    clk = Clock(1716020110)
    jar = Jar([("ml_sess", rng.b64url(48)), ("ml_dev", rng.hex(24)), ("tz", "Europe%2FLondon"),
               ("theme", "dark")])
    reqs, resps = [], []
    version = "3.41.2"
    now = 1716020110

    def token():
        return jwt(rng, {
            "iss": "https://login.example.org/", "sub": rng.uuid(), "aud": ["mail-api", "contacts-api"],
            "exp": now + 3600, "iat": now, "auth_time": now - 86000, "jti": rng.uuid(),
            "azp": "webmail-spa", "sid": rng.uuid(),
            "scope": "openid profile email mail.read mail.send mail.settings contacts.read contacts.write "
                     "calendar.read files.read offline_access",
            "email": "j.doe@example.org", "name": "Jordan Doe", "locale": "en-GB", "tenant": "t-" + rng.hex(12),
            "groups": [f"grp-{rng.hex(8)}" for _ in range(18)], "amr": ["pwd", "otp"], "acr": "urn:example:loa:2",
        })

    bearer = "Bearer " + token()
    csrf = rng.b64url(32)
    app = hashed(rng, "/mail/static/app", "js")
    reqs.append(b.req("document", host, "/mail/u/0/", site="none", jar=jar, user=True))
    resps.append([(":status", "200"), ("date", clk.tick(rng)), ("content-type", "text/html; charset=utf-8"),
                  ("content-encoding", "br"), ("cache-control", "no-cache, no-store, max-age=0, must-revalidate"),
                  ("pragma", "no-cache"), ("expires", "Mon, 01 Jan 1990 00:00:00 GMT"),
                  ("x-frame-options", "DENY"), ("x-content-type-options", "nosniff"),
                  ("strict-transport-security", HSTS), ("server", "mailfe"),
                  ("x-request-id", rng.uuid())])
    reqs.append(b.req("script", host, app, referer=origin + "/mail/u/0/", jar=jar))
    resps.append([(":status", "200"), ("date", clk.tick(rng, 0, 0)), ("content-type", "text/javascript; charset=utf-8"),
                  ("content-encoding", "br"), ("content-length", str(rng.randint(200000, 400000))),
                  ("cache-control", "public, max-age=31536000, immutable"), ("etag", etag_strong(rng)),
                  ("server", "mailfe")])
    ref = origin + "/mail/u/0/"

    def xhr(method, path, body=None, resp_len=None, status="200", extra_resp=()):
        extra = [("authorization", bearer), ("x-requested-with", "XMLHttpRequest"),
                 ("x-client-version", version), ("traceparent", rng.traceparent())]
        if method != "GET":
            extra.append(("x-csrf-token", csrf))
        reqs.append(b.req("fetch", host, path, method=method, referer=ref, jar=jar, extra=extra,
                          origin=origin if method != "GET" else None, body=body,
                          ctype="application/json" if body else None,
                          accept="application/json, text/plain, */*"))
        h = [(":status", status), ("date", clk.tick(rng)), ("content-type", "application/json; charset=utf-8")]
        if status != "204":
            h += [("content-length", str(resp_len or rng.randint(60, 9000)))]
        else:
            h = [h[0], h[1]]
        h += [("cache-control", "no-store"), ("vary", "Accept-Encoding, Authorization"),
              ("x-content-type-options", "nosniff"),
              ("server-timing", f"app;dur={rng.randint(3, 90)}.{rng.randint(0, 9)}, db;dur={rng.randint(1, 40)}"),
              ("x-request-id", rng.uuid())]
        h += list(extra_resp)
        resps.append(h)

    xhr("GET", "/api/v3/me")
    xhr("GET", "/api/v3/mailboxes?include=counts")
    xhr("GET", "/api/v3/threads?mailbox=inbox&limit=50&fields=id,subject,snippet,from,date,flags")
    threads = [rng.hex(16) for _ in range(4)]
    for t in threads[:2]:
        xhr("GET", f"/api/v3/threads/{t}?format=full")
        xhr("POST", f"/api/v3/threads/{t}/flags", body=len('{"add":["seen"],"remove":[]}'), status="204")
    for prefix in ["al", "alex"]:
        xhr("GET", f"/api/v3/contacts/search?q={prefix}&limit=6")
    draft = rng.hex(16)
    xhr("POST", "/api/v3/drafts", body=rng.randint(180, 260), status="201",
        extra_resp=[("location", f"/api/v3/drafts/{draft}")])
    # the access token expires: refresh, then continue with the new bearer token
    reqs.append(b.req("fetch", "mail.example.org", "/oauth/token", method="POST", referer=ref, jar=jar,
                      body=rng.randint(900, 1000), ctype="application/x-www-form-urlencoded",
                      origin=origin, accept="application/json"))
    new_refresh = rng.b64url(48)
    resps.append([(":status", "200"), ("date", clk.tick(rng)), ("content-type", "application/json"),
                  ("content-length", str(rng.randint(1500, 1700))), ("cache-control", "no-store"),
                  ("pragma", "no-cache"),
                  set_cookie("ml_rt", new_refresh, path="/oauth", max_age=2592000, httponly=True, samesite="Strict"),
                  ("x-request-id", rng.uuid())])
    now += 3300
    bearer = "Bearer " + token()
    for n in range(2):
        xhr("PUT", f"/api/v3/drafts/{draft}", body=rng.randint(300 + 400 * n, 400 + 400 * n))
    xhr("POST", f"/api/v3/drafts/{draft}/send", body=2, status="202")
    return connection(
        reqs, resps,
        "Requests of one connection: Chrome on macOS, a webmail single-page app making JSON XHR "
        "calls with a long JWT bearer token (refreshed mid-session), x-requested-with, traceparent",
        "Responses of one connection: webmail API JSON responses with no-store, vary, server-timing, "
        "x-request-id, a 201 with location and a rotated refresh-token cookie")


def conn_video(rng):
    b = Firefox(os_part="X11; Ubuntu; Linux x86_64", lang="en-US,en;q=0.5", dnt=True)
    host = "video.example.net"
    origin = "https://" + host
    clk = Clock(1716111000)
    jar = Jar([("VSID", rng.b64url(24)), ("PREF", "f6=40000000&tz=Europe.Berlin&f7=100"),
               ("vq", "auto")])
    vid = rng.alnum(11, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    watch = f"/watch?v={vid}&list=PL{rng.alnum(16)}&index=3"
    reqs, resps = [], []
    reqs.append(b.req("document", host, watch, site="same-origin", referer=origin + "/", jar=jar, user=True))
    resps.append([(":status", "200"), ("content-type", "text/html; charset=utf-8"), ("date", clk.tick(rng)),
                  ("cache-control", "no-cache, no-store, max-age=0, must-revalidate"),
                  ("content-encoding", "br"), ("x-frame-options", "SAMEORIGIN"),
                  ("strict-transport-security", "max-age=31536000"), ("server", "vfe"),
                  ("alt-svc", ALT_SVC)])
    player = f"/s/player/{rng.hex(8)}/player_ias.vflset/en_US/base.js"
    reqs.append(b.req("script", host, player, referer=origin + watch, jar=jar))
    resps.append([(":status", "200"), ("content-type", "text/javascript; charset=utf-8"), ("date", clk.tick(rng, 0, 0)),
                  ("content-encoding", "br"), ("content-length", str(rng.randint(600000, 900000))),
                  ("cache-control", "public, max-age=31536000"), ("last-modified", clk.ago(700000)),
                  ("server", "vfe")])
    reqs.append(b.req("fetch", host, f"/api/manifest/dash/{vid}.mpd?sig={rng.hex(40)}&expire={clk.t + 21600}",
                      referer=origin + watch, jar=jar, origin=None))
    resps.append([(":status", "200"), ("content-type", "application/dash+xml"), ("date", clk.tick(rng)),
                  ("content-length", str(rng.randint(6000, 9000))), ("cache-control", "private, max-age=21600"),
                  ("server", "vfe")])
    totals = {}
    expire = clk.t + 21600
    # interleaved video/audio range requests; the player switches quality after a few segments
    pos = {"v480": 0, "v720": 0, "v1080": 0, "a128": 0}
    seq = ["a128", "v480", "v480", "a128", "v720", "v720", "a128", "v1080", "v1080", "a128", "v1080",
           "v1080", "a128", "v720"]
    itag = {"v480": 135, "v720": 136, "v1080": 137, "a128": 140}
    for tr in pos:
        totals[tr] = rng.randint(8000000, 90000000) if tr != "a128" else rng.randint(3000000, 5000000)
    first = set()
    ei = rng.b64url(15)
    sig = {tr: rng.b64url(40) for tr in itag}
    for tr in seq:
        path = (f"/videoplayback?id={vid}&itag={itag[tr]}&source=vod&expire={expire}&ei={ei}"
                f"&mime={'audio' if tr == 'a128' else 'video'}%2Fmp4&dur=1312.520&lmt=1715{itag[tr]}412993"
                f"&sig={sig[tr]}")
        if tr not in first:
            first.add(tr)
            start, end = 0, 740 + itag[tr]
        else:
            start = pos[tr]
            step = {"v480": 500000, "v720": 1100000, "v1080": 2400000, "a128": 160000}[tr]
            end = start + rng.randint(step // 2, step) - 1
        pos[tr] = end + 1
        reqs.append(b.req("fetch", host, path, referer=origin + watch, range_=f"bytes={start}-{end}",
                          site="same-origin"))
        resps.append([(":status", "206"), ("content-type", "audio/mp4" if tr == "a128" else "video/mp4"),
                      ("date", clk.tick(rng, 0, 3)), ("content-length", str(end - start + 1)),
                      ("content-range", f"bytes {start}-{end}/{totals[tr]}"), ("accept-ranges", "bytes"),
                      ("last-modified", clk.ago(725000)), ("cache-control", "private, max-age=21185"),
                      ("access-control-allow-origin", origin), ("access-control-allow-credentials", "true"),
                      ("timing-allow-origin", origin), ("x-content-type-options", "nosniff"),
                      ("server", "vmedia")])
    for n in range(1):
        reqs.append(b.req("image", host, f"/vi/{rng.alnum(11)}/mqdefault.jpg", referer=origin + watch, jar=None,
                          site="same-origin"))
        size = rng.randint(8000, 20000)
        resps.append([(":status", "200"), ("content-type", "image/jpeg"), ("date", clk.tick(rng, 0, 0)),
                      ("content-length", str(size)), ("cache-control", "public, max-age=7200"),
                      ("etag", f'"{rng.digits(10)}"'), ("accept-ranges", "bytes"),
                      ("cross-origin-resource-policy", "cross-origin"), ("server", "vmedia")])
    return connection(
        reqs, resps,
        "Requests of one connection: Firefox on Linux on a video site: watch page, player, DASH "
        "manifest, then many video/audio media fetches with range requests and quality switches",
        "Responses of one connection: a video site: HTML and player, then 206 Partial Content "
        "responses with content-range and varying content-length")


def conn_rest(rng):
    host = "api.example.com"
    clk = Clock(1716200400)
    key = "Bearer exk_" + rng.alnum(48)
    ua = "some-sdk/1.2.0 (python 3.11.7; linux x86_64)"
    reqs, resps = [], []
    remaining = 5000

    def call(method, path, body=None, status="200", resp_len=None, extra_resp=(), idem=False):
        nonlocal remaining
        h = [(":method", method), (":authority", host), (":scheme", "https"), (":path", path),
             ("accept", "application/json"), ("accept-encoding", "gzip, deflate"), ("user-agent", ua),
             ("authorization", key), ("api-version", "2024-04-10")]
        if body is not None:
            h += [("content-type", "application/json"), ("content-length", str(body))]
        if idem:
            h.append(("idempotency-key", rng.uuid()))
        rid = "req_" + rng.alnum(24)
        h.append(("x-request-id", rid))
        reqs.append(h)
        remaining -= 1
        r = [(":status", status), ("date", clk.tick(rng)), ("server", "envoy")]
        if status != "204":
            r += [("content-type", "application/problem+json" if status[0] == "4" else "application/json"),
                  ("content-length", str(resp_len or rng.randint(80, 4000)))]
        r += list(extra_resp)
        r += [("x-request-id", rid), ("x-ratelimit-limit", "5000"), ("x-ratelimit-remaining", str(remaining)),
              ("x-ratelimit-reset", str(1716202800)),
              ("x-envoy-upstream-service-time", str(rng.randint(4, 300))),
              ("strict-transport-security", "max-age=31536000")]
        resps.append(r)

    call("GET", "/v1/account")
    call("GET", "/v1/customers?limit=100&created%5Bgte%5D=1714521600&expand%5B%5D=data.default_source")
    cursor = "cus_" + rng.alnum(14)
    call("GET", f"/v1/customers?limit=100&starting_after={cursor}&created%5Bgte%5D=1714521600"
                f"&expand%5B%5D=data.default_source")
    cust = "cus_" + rng.alnum(14)
    call("POST", "/v1/customers", body=rng.randint(200, 400), status="201", idem=True,
         extra_resp=[("location", f"/v1/customers/{cust}")])
    for n in range(3):
        call("POST", "/v1/orders", body=rng.randint(400, 1600), status="201", idem=True,
             extra_resp=[("location", f"/v1/orders/ord_{rng.alnum(14)}")])
    call("PATCH", f"/v1/customers/{cust}", body=rng.randint(60, 120))
    call("POST", "/v1/orders", body=rng.randint(100, 200), status="422", idem=True, resp_len=rng.randint(250, 300))
    call("GET", f"/v1/orders?customer={cust}&status=open&limit=25")
    remaining = 0
    call("GET", f"/v1/orders?customer={cust}&status=open&limit=25&page=2", status="429", resp_len=141,
         extra_resp=[("retry-after", "2")])
    remaining = 4990
    call("GET", f"/v1/orders?customer={cust}&status=open&limit=25&page=2")
    call("DELETE", f"/v1/webhooks/wh_{rng.alnum(14)}", status="204")
    call("GET", "/v1/events?type=order.created&limit=50")
    return connection(
        reqs, resps,
        "Requests of one connection: a REST API client (SDK, no browser headers) with a static "
        "bearer key, JSON bodies with content-length, idempotency keys and request ids",
        "Responses of one connection: a REST API behind envoy: JSON, 201 with location, 204, 422 "
        "problem+json, 429 with retry-after, rate-limit counters")


def conn_search(rng):
    b = Chrome("Linux", lang="en-US,en;q=0.9,de;q=0.8")
    host = "search.example.org"
    origin = "https://" + host
    clk = Clock(1716288000)
    jar = Jar([("NID", "513=" + rng.b64url(180)), ("AEC", rng.b64url(45)),
               ("SOCS", "CAISHAgCEhJnd3NfMjAyNDA1MTQtMF9SQzIaAmVuIAEaBgiA_" + rng.alnum(8))])
    reqs, resps = [], []
    psi = rng.b64url(16)

    def serp(path, ref, site="same-origin", user=True):
        reqs.append(b.req("document", host, path, site=site, referer=ref, jar=jar, user=user))
        nonce = rng.b64url(16)
        h = [(":status", "200"), ("date", clk.tick(rng)), ("expires", "-1"),
             ("cache-control", "private, max-age=0"), ("content-type", "text/html; charset=UTF-8"),
             ("strict-transport-security", "max-age=31536000"),
             ("content-security-policy-report-only",
              f"object-src 'none';base-uri 'self';script-src 'nonce-{nonce}' 'strict-dynamic' 'report-sample' "
              f"'unsafe-eval' 'unsafe-inline' https: http:;report-uri https://csp.example.org/csp/gws/fff"),
             ("accept-ch", "Sec-CH-UA-Platform, Sec-CH-UA-Platform-Version, Sec-CH-UA-Full-Version, "
                           "Sec-CH-UA-Arch, Sec-CH-UA-Model, Sec-CH-UA-Bitness, Sec-CH-UA-Full-Version-List, "
                           "Sec-CH-UA-WoW64"),
             ("permissions-policy", "unload=()"), ("content-encoding", "br"), ("server", "sfe"),
             ("x-xss-protection", "0"), ("x-frame-options", "SAMEORIGIN"),
             ("server-timing", f"gfet4t7; dur={rng.randint(90, 700)}"), ("alt-svc", ALT_SVC)]
        resps.append(h)
        b.full_hints.add(host)

    serp("/", None, site="none")
    query = "how does hpack huffman decoding work"
    for k in (1, 2, 3, 9, 19, 26):
        part = query[:k]
        reqs.append(b.req("fetch", host, f"/complete/search?q={qplus(part)}&cp={k}&client=search-web&xssi=t"
                                         f"&gs_pcrt=undefined&hl=en&authuser=0&psi={psi}.{clk.t}{rng.digits(3)}&dpr=1",
                          referer=origin + "/", jar=jar))
        resps.append([(":status", "200"), ("date", clk.tick(rng, 0, 1)),
                      ("content-type", "application/json; charset=UTF-8"),
                      ("content-disposition", 'attachment; filename="f.txt"'), ("content-encoding", "br"),
                      ("cache-control", "private, max-age=3600"), ("x-content-type-options", "nosniff"),
                      ("server", "sfe"), ("x-xss-protection", "0")])
    gs = rng.b64url(330)
    full = (f"/search?q={qplus(query)}&sca_esv={rng.hex(16)}&source=hp&ei={rng.b64url(16)}"
            f"&iflsig={rng.b64url(40)}&ved=0ahUKEwj{rng.b64url(28)}&uact=5&oq={qplus(query)}"
            f"&gs_lp={gs}&sclient=gws-wiz")
    serp(full, origin + "/")
    p2 = (f"/search?q={qplus(query)}&sca_esv={rng.hex(16)}&ei={rng.b64url(16)}&start=10&sa=N"
          f"&sstk={rng.b64url(60)}&ved=2ahUKEwj{rng.b64url(30)}&biw=1920&bih=955&dpr=1")
    serp(p2, origin + full)
    q2 = "café münchen öffnungszeiten sonntag"
    serp(f"/search?q={qplus(q2)}&hl=de&gl=de&tbm=lcl&sxsrf={rng.b64url(40)}%3A{clk.t}000"
         f"&ei={rng.b64url(16)}&oq={qplus(q2[:12])}&gs_lp={rng.b64url(140)}&sclient=gws-wiz-serp",
         origin + p2)
    reqs.append(b.req("fetch", host, f"/gen_204?atyp=csi&ei={rng.b64url(16)}&s=web&t=all&ime=1&imn=0"
                                     f"&ima=0&imad=0&aft=1&aftp=-1&opi=89978449&rt=wsrt.{rng.randint(300, 900)},"
                                     f"aft.{rng.randint(300, 900)},prt.{rng.randint(300, 900)}&zx={rng.digits(13)}",
                      method="POST", body=0, referer=origin + "/", jar=jar, origin=origin, prio="u=4, i"))
    resps.append([(":status", "204"), ("date", clk.tick(rng)), ("content-type", "text/html; charset=UTF-8"),
                  ("server", "sfe"), ("content-length", "0"), ("alt-svc", ALT_SVC)])
    return connection(
        reqs, resps,
        "Requests of one connection: Chrome on Linux on a search engine: autocomplete XHRs per "
        "keystroke, result pages with very long query strings, full client hints after Accept-CH",
        "Responses of one connection: search engine HTML and autocomplete JSON with accept-ch, "
        "report-only CSP with a per-response nonce, server-timing")


def conn_social(rng):
    b = Chrome("Windows", lang="en-US,en;q=0.9")
    host = "social.example.net"
    origin = "https://" + host
    dom = ".social.example.net"
    clk = Clock(1716375000)
    uid = rng.digits(15)
    presence = lambda: q(json.dumps({"t3": [], "utc3": clk.t * 1000 + rng.randint(0, 999),
                                     "v": 1, "lm3": "u." + uid, "ch": {"h": "", "p": "0"},
                                     "fl": [rng.hex(10) for _ in range(6)]}, separators=(",", ":")))
    jar = Jar([("datr", rng.b64url(18)), ("sb", rng.b64url(18)), ("c_user", uid),
               ("xs", f"{rng.randint(10, 48)}%3A{rng.b64url(10)}%3A2%3A{clk.t - 90000}%3A-1%3A{rng.digits(4)}%3A%3A"
                      + rng.b64url(200)),
               ("fr", f"{rng.b64url(60)}.{rng.b64url(40)}.{rng.b64url(12)}.{rng.b64url(3)}.AAA.0.0.{rng.b64url(8)}"
                      + "." + rng.b64url(40)),
               ("ps_n", "1"), ("ps_l", "1"), ("wd", "1920x955"), ("dpr", "1.25"), ("locale", "en_US"),
               ("presence", presence()), ("usida", rng.b64url(150)), ("act", f"{clk.t}000%2F{rng.randint(1, 9)}")])
    reqs, resps = [], []

    def resp_html(extra):
        h = [(":status", "200"), ("content-type", "text/html; charset=\"utf-8\""), ("vary", "Accept-Encoding"),
             ("content-encoding", "zstd"), ("cache-control", "private, no-cache, no-store, must-revalidate"),
             ("pragma", "no-cache"), ("expires", "Sat, 01 Jan 2000 00:00:00 GMT")]
        h += list(extra)
        h += [("strict-transport-security", "max-age=15552000; preload"), ("x-content-type-options", "nosniff"),
              ("x-frame-options", "DENY"), ("cross-origin-opener-policy", "same-origin-allow-popups"),
              ("date", clk.tick(rng)), ("alt-svc", ALT_SVC), ("x-request-id", rng.b64url(30))]
        resps.append(h)

    reqs.append(b.req("document", host, "/", site="none", jar=jar, user=True))
    new_fr = f"{rng.b64url(60)}.{rng.b64url(40)}.{rng.b64url(12)}.AAA.0.0.{rng.b64url(8)}.{rng.b64url(40)}"
    resp_html([set_cookie("fr", new_fr, domain=dom, expires=clk.ahead(7776000), httponly=True, samesite="None"),
               set_cookie("wd", "deleted", domain=dom, expires="Thu, 01 Jan 1970 00:00:01 GMT", max_age=0,
                          samesite=None),
               set_cookie("presence", presence(), domain=dom, expires=clk.ahead(2592000), samesite="None")])
    jar.set("fr", new_fr)
    jar.drop("wd")
    for n in range(8):
        friendly = rng.choice(["FeedPaginationQuery", "StoriesTrayQuery", "NotificationsBadgeQuery",
                               "CommentsListQuery", "ReactionMutation", "PresenceHeartbeatMutation"])
        body = rng.randint(1800, 4200)
        reqs.append(b.req("fetch", host, "/api/graphql/", method="POST", referer=origin + "/", jar=jar,
                          origin=origin, body=body, ctype="application/x-www-form-urlencoded",
                          extra=[("x-graphql-operation", friendly), ("x-client-build", "1013847215"),
                                 ("x-lsd", rng.b64url(16))]))
        extra = []
        if friendly == "PresenceHeartbeatMutation" or n == 4:
            p = presence()
            jar.set("presence", p)
            extra.append(set_cookie("presence", p, domain=dom, expires=clk.ahead(2592000), samesite="None"))
        if n == 6:
            act = f"{clk.t}512%2F{rng.randint(10, 30)}"
            jar.set("act", act)
            extra.append(set_cookie("act", act, domain=dom, max_age=None, secure=True, samesite="None"))
            xs = (f"{rng.randint(10, 48)}%3A{rng.b64url(10)}%3A2%3A{clk.t}%3A-1%3A{rng.digits(4)}%3A%3A"
                  + rng.b64url(200))
            jar.set("xs", xs)
            extra.append(set_cookie("xs", xs, domain=dom, expires=clk.ahead(31536000), httponly=True,
                                    samesite="None"))
        h = [(":status", "200"), ("content-type", "application/json; charset=utf-8"), ("vary", "Accept-Encoding"),
             ("content-encoding", "zstd"), ("cache-control", "private, no-cache, no-store, must-revalidate"),
             ("pragma", "no-cache")]
        h += extra
        h += [("x-content-type-options", "nosniff"), ("date", clk.tick(rng, 1, 4)), ("alt-svc", ALT_SVC),
              ("x-request-id", rng.b64url(30))]
        resps.append(h)
    reqs.append(b.req("document", host, f"/profile.php?id={rng.digits(15)}&sk=photos", referer=origin + "/",
                      jar=jar, user=True))
    resp_html([])
    # log out: every session cookie is expired
    reqs.append(b.req("fetch", host, "/logout.php", method="POST", referer=origin + "/", jar=jar, origin=origin,
                      body=93, ctype="application/x-www-form-urlencoded"))
    gone = "Thu, 01 Jan 1970 00:00:01 GMT"
    resps.append([(":status", "302"), ("location", origin + "/?logged_out=1"), ("content-length", "0"),
                  ("cache-control", "private, no-cache, no-store, must-revalidate")] +
                 [set_cookie(n, "deleted", domain=dom, expires=gone, max_age=0, httponly=n in ("xs", "fr"),
                             samesite="None") for n in ("c_user", "xs", "presence", "act", "fr")] +
                 [("date", clk.tick(rng)), ("x-request-id", rng.b64url(30))])
    return connection(
        reqs, resps,
        "Requests of one connection: Chrome on Windows on a social feed: very long cookies "
        "(well over 1000 bytes) that change mid-session, GraphQL-style POSTs",
        "Responses of one connection: a social feed: several set-cookie per response with "
        "Domain, Expires, Max-Age, Secure, HttpOnly and SameSite; cookie deletion on logout")


def conn_secure(rng):
    b = Safari(iphone=False, lang="en-US,en;q=0.9")
    host = "secure.example.com"
    origin = "https://" + host
    clk = Clock(1716460000)
    jar = Jar([("__Host-sid", rng.b64url(32)), ("lang", "en")])
    hosts = {"script": ["static.example.com", "cdn.example.net", "tags.example.net", "pay.example.com",
                        "chat.example.org", "maps.example.net", "challenge.example.com"],
             "connect": ["api.example.com", "events.example.net", "rum.example.net", "pay.example.com",
                         "chat.example.org", "auth.example.com", "search.example.org", "uploads.example.com"],
             "img": ["static.example.com", "cdn.example.net", "avatars.example.org", "maps.example.net",
                     "*.tiles.example.org", "pay.example.com", "track.example.net"],
             "frame": ["pay.example.com", "challenge.example.com", "video.example.net", "docs.example.com",
                       "maps.example.net"]}
    reqs, resps = [], []
    assets = [hashed(rng, "/_next/static/chunks/framework", "js", 16),
              hashed(rng, "/_next/static/chunks/main", "js", 16),
              hashed(rng, "/_next/static/chunks/pages/_app", "js", 16),
              hashed(rng, "/_next/static/css/app", "css", 16)]
    link = ", ".join([f"<{a}>; rel=preload; as={'style' if a.endswith('css') else 'script'}" for a in assets] +
                     [f"</_next/static/media/inter-latin-{w}.{rng.hex(8)}.woff2>; rel=preload; as=font; "
                      f"type=\"font/woff2\"; crossorigin" for w in (400, 500, 600, 700)] +
                     [f"<https://{h}>; rel=preconnect" for h in ("static.example.com", "api.example.com",
                                                                  "events.example.net", "fonts.example.net")] +
                     [f"<https://{h}>; rel=dns-prefetch" for h in ("rum.example.net", "pay.example.com",
                                                                    "chat.example.org")] +
                     [f"</_next/static/chunks/{n}.{rng.hex(16)}.js>; rel=modulepreload"
                      for n in ("webpack", "polyfills", "accounts", "transfers", "charts", "i18n-en")])
    reporting = ('csp-endpoint="https://report.example.com/csp", default="https://report.example.com/default", '
                 'nel="https://report.example.com/nel"')

    def doc(path, ref, site="same-origin", method="GET", body=None, status="200", location=None):
        reqs.append(b.req("document", host, path, method=method, site=site, referer=ref, jar=jar,
                          origin=origin if method == "POST" else None, body=body,
                          ctype="application/x-www-form-urlencoded" if body else None))
        h = [(":status", status), ("date", clk.tick(rng))]
        if location:
            h += [("location", location), ("content-length", "0")]
        else:
            h += [("content-type", "text/html; charset=utf-8"), ("content-encoding", "br"),
                  ("vary", "Accept-Encoding"), ("link", link)]
        h += [("cache-control", "no-store"), ("content-security-policy",
                                              csp(rng, rng.b64(18), hosts, "https://report.example.com/csp")),
              ("strict-transport-security", "max-age=63072000; includeSubDomains; preload"),
              ("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"),
              ("referrer-policy", "strict-origin-when-cross-origin"),
              ("permissions-policy", "accelerometer=(), autoplay=(), camera=(), display-capture=(), "
                                     "encrypted-media=(), fullscreen=(self), geolocation=(), gyroscope=(), "
                                     "magnetometer=(), microphone=(), midi=(), "
                                     "payment=(self \"https://pay.example.com\"), picture-in-picture=(), "
                                     "publickey-credentials-get=(self), screen-wake-lock=(), "
                                     "sync-xhr=(), usb=(), xr-spatial-tracking=(), interest-cohort=()"),
              ("cross-origin-opener-policy", "same-origin"), ("cross-origin-resource-policy", "same-origin"),
              ("reporting-endpoints", reporting),
              ("nel", '{"report_to":"nel","max_age":604800,"include_subdomains":true,"failure_fraction":0.01}'),
              ("alt-svc", 'h3=":443"; ma=86400, h3-29=":443"; ma=86400'), ("x-request-id", rng.uuid()),
              ("server-timing", f"total;dur={rng.randint(20, 300)}, auth;dur={rng.randint(1, 20)}, "
                                f"db;dur={rng.randint(2, 120)};desc=\"postgres\"")]
        resps.append(h)

    def asset(path, ref, cached):
        e = ext_of(path)
        tag = etag_strong(rng, 40)
        lm = clk.ago(rng.randint(86400, 2000000))
        cond = [("if-none-match", tag), ("if-modified-since", lm)] if cached else ()
        reqs.append(b.req(kind_of(path), host, path, referer=ref, jar=jar, cond=cond,
                          origin=origin if e == "woff2" else None))
        if cached:
            resps.append([(":status", "304"), ("date", clk.tick(rng, 0, 0)), ("etag", tag),
                          ("cache-control", "public, max-age=31536000, immutable"),
                          ("strict-transport-security", "max-age=63072000; includeSubDomains; preload")])
        else:
            size = rng.randint(*SIZES[e])
            resps.append([(":status", "200"), ("date", clk.tick(rng, 0, 0)), ("content-type", CTYPES[e]),
                          ("content-length", str(size)), ("etag", tag), ("last-modified", lm),
                          ("cache-control", "public, max-age=31536000, immutable"),
                          ("x-content-type-options", "nosniff"),
                          ("strict-transport-security", "max-age=63072000; includeSubDomains; preload")])

    doc("/login", None, site="none")
    for a in assets:
        asset(a, origin + "/login", cached=True)
    doc("/login", origin + "/login", method="POST", body=rng.randint(120, 180), status="303",
        location="/accounts/overview")
    jar.set("__Host-sid", rng.b64url(32))
    doc("/accounts/overview", origin + "/login")
    asset(hashed(rng, "/_next/static/chunks/pages/accounts", "js", 16), origin + "/accounts/overview", False)
    doc("/transfers/new?from=" + rng.digits(10), origin + "/accounts/overview")
    return connection(
        reqs, resps,
        "Requests of one connection: Safari on macOS on an online banking site: login page, "
        "conditional asset revalidation (if-none-match, if-modified-since), form POST, pages",
        "Responses of one connection: a security-hardened site: large content-security-policy with "
        "per-response nonce, long link preload header, HSTS, permissions-policy, NEL, alt-svc, 303, 304s")


def conn_cors(rng):
    b = Chrome("Windows", edge=True, lang="en-US,en;q=0.9,fr;q=0.8")
    host = "api.example.net"
    app = "https://app.example.org"
    clk = Clock(1716547300)
    token = "Bearer " + jwt(rng, {"iss": "https://auth.example.org", "sub": "usr_" + rng.alnum(16),
                                  "aud": "https://api.example.net", "exp": 1716550900, "iat": 1716547300,
                                  "scope": "projects:read projects:write items:read items:write",
                                  "org": "org_" + rng.alnum(12)})
    reqs, resps = [], []
    allow = [("access-control-allow-origin", app), ("access-control-allow-credentials", "true")]
    preflighted = set()

    def call(method, path, body=None, status="200", link=None):
        key = (method, path.split("?")[0].rsplit("/", 1)[0])
        need_preflight = key not in preflighted
        if need_preflight:
            preflighted.add(key)
            hdrs = "authorization,content-type,x-request-id" if body else "authorization,x-request-id"
            reqs.append([(":method", "OPTIONS"), (":authority", host), (":scheme", "https"), (":path", path),
                         ("accept", "*/*"), ("access-control-request-method", method),
                         ("access-control-request-headers", hdrs), ("origin", app), ("user-agent", b.ua),
                         ("sec-fetch-mode", "cors"), ("sec-fetch-site", "cross-site"), ("sec-fetch-dest", "empty"),
                         ("referer", app + "/"), ("accept-encoding", "gzip, deflate, br, zstd"),
                         ("accept-language", b.lang), ("priority", "u=1, i")])
            resps.append([(":status", "204"), ("date", clk.tick(rng, 0, 0))] + allow +
                         [("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS"),
                          ("access-control-allow-headers", "authorization, content-type, x-request-id"),
                          ("access-control-max-age", "600"),
                          ("vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
                          ("server", "api-gateway")])
        rid = rng.uuid()
        reqs.append(b.req("fetch", host, path, method=method, site="cross-site", referer=app + "/", origin=app,
                          body=body, ctype="application/json" if body else None,
                          extra=[("authorization", token), ("x-request-id", rid)],
                          accept="application/json"))
        h = [(":status", status), ("date", clk.tick(rng))]
        if status != "204":
            h += [("content-type", "application/json"), ("content-length", str(rng.randint(40, 12000)))]
        h += allow + [("access-control-expose-headers", "x-request-id, x-ratelimit-remaining, link, etag"),
                      ("vary", "Origin, Accept-Encoding"), ("x-request-id", rid),
                      ("x-ratelimit-remaining", str(rng.randint(800, 1000))), ("server", "api-gateway")]
        if link:
            h.append(("link", link))
        if method == "GET" and status == "200":
            h.append(("etag", etag_weak(rng, rng.randint(100, 9000))))
        resps.append(h)

    proj = "prj_" + rng.alnum(10)
    call("GET", "/v2/projects?limit=20")
    for page in (1, 2):
        items = f"https://{host}/v2/projects/{proj}/items"
        call("GET", f"/v2/projects/{proj}/items?page={page}&per_page=50&sort=-updated_at",
             link=(f'<{items}?page={page + 1}&per_page=50&sort=-updated_at>; rel="next", '
                   f'<{items}?page=7&per_page=50&sort=-updated_at>; rel="last"'))
    for n in range(2):
        call("PATCH", f"/v2/items/itm_{rng.alnum(10)}", body=rng.randint(30, 200))
    call("POST", f"/v2/projects/{proj}/items", body=rng.randint(200, 600), status="201")
    call("DELETE", f"/v2/items/itm_{rng.alnum(10)}", status="204")
    return connection(
        reqs, resps,
        "Requests of one connection: Edge on Windows, a web app on app.example.org calling a "
        "cross-origin API: CORS preflight OPTIONS, then GET/PATCH/POST/DELETE with origin and bearer token",
        "Responses of one connection: a cross-origin API: 204 preflight responses and JSON with "
        "access-control-*, vary: Origin, Accept-Encoding, pagination link headers, weak etags")


def conn_tiles(rng):
    """The long session: 100+ requests on one connection, from a native map app (OkHttp)."""
    host = "tiles.example.org"
    clk = Clock(1716630000)
    reqs, resps = [], []
    ua = "MapsApp/5.12.0 (Android 14; Pixel 7; build 51200) okhttp/4.12.0"
    token = "tk1." + rng.b64url(45) + "." + rng.b64url(16)
    session = rng.uuid()
    sku = "101" + rng.alnum(11, "abcdefghijklmnopqrstuvwxyz0123456789")
    z, cx, cy = 13, 7530, 5014
    tile_etags = {}

    def get(path, accept=None, cond=None):
        h = [(":method", "GET"), (":path", path), (":authority", host), (":scheme", "https"),
             ("x-client-session", session)]
        if accept:
            h.append(("accept", accept))
        h += [("accept-encoding", "gzip"), ("user-agent", ua)]
        if cond:
            h.append(("if-none-match", cond))
        reqs.append(h)

    def tile(layer, zz, x, y):
        if layer == "streets":
            path = f"/v4/streets-v12/{zz}/{x}/{y}.vector.pbf?sku={sku}&access_token={token}"
        else:
            path = f"/v4/satellite/{zz}/{x}/{y}@2x.webp?sku={sku}&access_token={token}"
        key = (layer, zz, x, y)
        get(path, cond=tile_etags.get(key))
        if key in tile_etags:
            resps.append([(":status", "304"), ("date", clk.tick(rng, 0, 1)), ("etag", tile_etags[key]),
                          ("cache-control", "max-age=43200,s-maxage=300"), ("x-cache", "Hit from edge"),
                          ("age", str(rng.randint(60, 40000)))])
            return
        empty = rng.chance(8)
        size = 72 if empty else rng.randint(900, 64000)
        tag = f'"{rng.hex(32)}"'
        tile_etags[key] = tag
        hit = rng.chance(70)
        h = [(":status", "200"), ("date", clk.tick(rng, 0, 1))]
        if layer == "streets":
            h += [("content-type", "application/vnd.mapbox-vector-tile"), ("content-length", str(size)),
                  ("content-encoding", "gzip")]
        else:
            h += [("content-type", "image/webp"), ("content-length", str(size * 3))]
        h += [("last-modified", clk.ago(rng.randint(3600, 900000))), ("etag", tag),
              ("cache-control", "max-age=43200,s-maxage=300"),
              ("x-cache", "Hit from edge" if hit else "Miss from edge"),
              ("age", str(rng.randint(60, 40000) if hit else 0))]
        resps.append(h)

    def poll():
        lon = -0.1278 + (cx / 2 ** (z - 13) - 7530) * 0.044
        lat = 51.5074 - (cy / 2 ** (z - 13) - 5014) * 0.027
        bbox = f"{lon - 0.05:.4f},{lat - 0.03:.4f},{lon + 0.05:.4f},{lat + 0.03:.4f}"
        get(f"/traffic/v1/flow?bbox={bbox}&zoom={z}&ts={clk.t}&access_token={token}", accept="application/json")
        resps.append([(":status", "200"), ("date", clk.tick(rng, 0, 2)), ("content-type", "application/json"),
                      ("content-length", str(rng.randint(2000, 60000))), ("content-encoding", "gzip"),
                      ("cache-control", "no-cache"), ("x-request-id", rng.uuid()),
                      ("server-timing", f"flow;dur={rng.randint(5, 80)}")])

    step = 0
    while len(reqs) < 108:
        if step:
            dx, dy = rng.choice([(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1)])
            cx, cy = cx + dx, cy + dy
        if step in (6, 11):
            z, cx, cy = z + 1, cx * 2, cy * 2
        for x in range(cx - 1, cx + 2):
            for y in range(cy - 1, cy + 2):
                if step and rng.chance(40):
                    continue
                tile("streets", z, x, y)
                if step >= 9 and rng.chance(30):
                    tile("satellite", z, x, y)
        if step % 3 == 0:
            poll()
        step += 1
    # the user pans back to where the last view was: revalidations
    for x in range(cx - 1, cx + 1):
        for y in range(cy - 1, cy + 2):
            tile("streets", z, x, y)
    return connection(
        reqs, resps,
        "Requests of one connection (long session, 100+ requests): a native Android map app "
        "(OkHttp) fetching vector and satellite tiles while the user pans and zooms, traffic "
        "polling, if-none-match revalidation",
        "Responses of one connection (long session, 100+ responses): a map tile server: 200 tiles "
        "with etag/age/x-cache and varying content-length, 304s, JSON polling responses")


def conn_blog(rng):
    b = Safari(iphone=True, lang="en-US,en;q=0.9")
    host = "blog.example.org"
    origin = "https://" + host
    clk = Clock(1716720000)
    jar = Jar([("_pk_id.1." + rng.hex(4), rng.hex(16) + "." + str(1716000000 + rng.randint(0, 700000)) + "."),
               ("theme", "auto")])
    reqs, resps = [], []
    srv = ("server", "Apache/2.4.58 (Debian)")

    def r(status, extra=()):
        resps.append([(":status", status), ("date", clk.tick(rng)), srv] + list(extra))

    reqs.append(b.req("document", host, "/", site="none", jar=jar))
    r("301", [("location", origin + "/en/"), ("content-length", "229"),
              ("content-type", "text/html; charset=iso-8859-1"), ("cache-control", "max-age=3600")])
    reqs.append(b.req("document", host, "/en/", site="none", jar=jar))
    r("200", [("last-modified", clk.ago(5400)), ("etag", '"' + rng.hex(5) + "-" + rng.hex(13) + '-gzip"'),
              ("accept-ranges", "bytes"), ("vary", "Accept-Encoding"), ("content-encoding", "gzip"),
              ("content-length", str(rng.randint(9000, 14000))), ("content-type", "text/html; charset=UTF-8"),
              ("cache-control", "max-age=300")])
    assets = ["/wp-content/themes/plain/style.css?ver=6.5.3", "/wp-includes/js/jquery/jquery.min.js?ver=3.7.1",
              "/wp-content/uploads/2024/05/header-1024x341.jpg", "/favicon.ico"]
    for a in assets:
        tag = '"' + rng.hex(5) + "-" + rng.hex(13) + '"'
        lm = clk.ago(rng.randint(86400, 9000000))
        reqs.append(b.req(kind_of(a), host, a, referer=origin + "/en/", jar=jar,
                          cond=[("if-none-match", tag), ("if-modified-since", lm)]))
        r("304", [("etag", tag), ("expires", clk.ahead(2592000)), ("cache-control", "max-age=2592000")])
    post = "/en/2024/05/hpack-explained/"
    reqs.append(b.req("document", host, "/2019/hpack-explained.html", referer=origin + "/en/", jar=jar))
    r("301", [("location", origin + post), ("content-length", "251"),
              ("content-type", "text/html; charset=iso-8859-1"), ("cache-control", "max-age=31536000")])
    reqs.append(b.req("document", host, post, referer=origin + "/en/", jar=jar))
    r("200", [("link", f'<{origin}/wp-json/>; rel="https://api.w.org/", '
                       f'<{origin}/wp-json/wp/v2/posts/{rng.randint(100, 999)}>; rel="alternate"; '
                       f'type="application/json", <{origin}/?p={rng.randint(100, 999)}>; rel=shortlink'),
              ("vary", "Accept-Encoding"), ("content-encoding", "gzip"),
              ("content-length", str(rng.randint(12000, 19000))), ("content-type", "text/html; charset=UTF-8")])
    for a in ["/wp-content/uploads/2024/05/hpack-table-768x512.png", "/wp-content/uploads/2024/05/wire-format.svg"]:
        reqs.append(b.req("image", host, a, referer=origin + post, jar=jar))
        e = ext_of(a)
        size = rng.randint(*SIZES[e])
        r("200", [("last-modified", clk.ago(rng.randint(3600, 90000))),
                  ("etag", '"' + rng.hex(5) + "-" + rng.hex(13) + '"'),
                  ("accept-ranges", "bytes"), ("content-length", str(size)), ("cache-control", "max-age=2592000"),
                  ("expires", clk.ahead(2592000)), ("content-type", CTYPES[e])])
    reqs.append(b.req("document", host, "/go/hosting?src=sidebar", referer=origin + post, jar=jar))
    r("302", [("location", "https://partner.example.net/landing?utm_source=blog.example.org&utm_medium=referral"
                           "&utm_campaign=spring24&ref=hpack-explained"), ("content-length", "0"),
              ("cache-control", "no-cache, must-revalidate, max-age=0"), ("x-redirect-by", "WordPress")])
    reqs.append(b.req("document", host, "/wp-login.php?redirect_to=%2Fwp-admin%2F", referer=origin + post, jar=jar))
    r("302", [("location",
               "https://login.example.org/sso?client_id=blog&return=https%3A%2F%2Fblog.example.org%2Fwp-admin%2F"),
              ("content-length", "0"), ("cache-control", "no-cache, must-revalidate, max-age=0"),
              ("expires", "Wed, 11 Jan 1984 05:00:00 GMT")])
    reqs.append(b.req("document", host, "/en/2023/old-post-removed/", referer=origin + post, jar=jar))
    r("404", [("vary", "Accept-Encoding"), ("content-encoding", "gzip"),
              ("content-length", str(rng.randint(3000, 4000))),
              ("content-type", "text/html; charset=UTF-8"), ("cache-control", "no-cache, must-revalidate, max-age=0")])
    return connection(
        reqs, resps,
        "Requests of one connection: Safari on iPhone revisiting a blog: redirects, conditional "
        "requests with if-none-match and if-modified-since for cached assets, an outbound link",
        "Responses of one connection: an Apache-served blog: 301 and 302 redirects with location, "
        "304 Not Modified, 200 with link header, a 404")


def conn_curl(rng):
    host = "downloads.example.net"
    clk = Clock(1716800100)
    ua = [("user-agent", "curl/8.7.1"), ("accept", "*/*")]
    base = [(":scheme", "https"), (":authority", host)]
    reqs, resps = [], []

    def get(path, extra=(), method="GET"):
        reqs.append([(":method", method), (":path", path)] + base + ua + list(extra))

    get("/releases/latest/download/tool-linux-amd64.tar.gz")
    resps.append([(":status", "302"), ("date", clk.tick(rng)), ("content-type", "text/html; charset=utf-8"),
                  ("location", f"https://{host}/releases/v2.3.1/tool-linux-amd64.tar.gz"),
                  ("cache-control", "no-cache"), ("content-length", "0")])
    size = 18734512
    get("/releases/v2.3.1/tool-linux-amd64.tar.gz", [("range", "bytes=6291456-")])
    resps.append([(":status", "206"), ("date", clk.tick(rng)), ("content-type", "application/gzip"),
                  ("content-length", str(size - 6291456)), ("content-range", f"bytes 6291456-{size - 1}/{size}"),
                  ("last-modified", clk.ago(1800000)), ("etag", f'"{rng.hex(32)}"'), ("accept-ranges", "bytes"),
                  ("content-disposition", "attachment; filename=\"tool-linux-amd64.tar.gz\"")])
    get("/releases/v2.3.1/SHA256SUMS.asc")
    resps.append([(":status", "200"), ("date", clk.tick(rng)), ("content-type", "text/plain; charset=utf-8"),
                  ("content-length", "1722"), ("last-modified", clk.ago(1800000)), ("accept-ranges", "bytes")])
    # a legacy handler: raw Latin-1 octets in the plain filename parameter (not valid UTF-8)
    get("/docs/handbuch/r%C3%A9sum%C3%A9-2024.pdf", method="HEAD")
    resps.append([(":status", "200"), ("date", clk.tick(rng)), ("content-type", "application/pdf"),
                  ("content-length", "48213"),
                  ("content-disposition",
                   b"attachment; filename=\"r\xe9sum\xe9-2024.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9-2024.pdf"),
                  ("last-modified", clk.ago(9000000))])
    get("/releases/v2.3.1/tool-linux-amd64.tar.gz", [("if-none-match", resps[1][7][1])])
    resps.append([(":status", "304"), ("date", clk.tick(rng)), ("etag", resps[1][7][1]),
                  ("last-modified", resps[1][6][1])])
    return connection(
        reqs, resps,
        "Requests of one connection (short): curl 8 following a download redirect, resuming with "
        "a range request, fetching a checksum file, a HEAD request and a conditional GET",
        "Responses of one connection (short): a download server: 302, 206 with content-range, "
        "content-disposition including a raw Latin-1 (non-UTF-8) filename, 304")


def conn_octets(rng):
    host = "legacy.example.com"
    clk = Clock(1716890000)
    reqs, resps = [], []
    ua = "LegacyClient/4.2 (Java/17.0.11; HttpClient5)"
    cookie = "JSESSIONID=" + rng.hex(32).upper() + ".node" + str(rng.randint(1, 9))
    users = [("José Müller", b"Jos\xe9 M\xfcller"), ("Zoë Ångström", b"Zo\xeb \xc5ngstr\xf6m"),
             ("Łukasz Wróbel", None), ("Renée Dubois", b"Ren\xe9e Dubois")]
    titles = ["東京オフィス 月次報告 2024年5月", "Quarterly report — Q2 “final”", "서울 지사 회의록",
              "Отчёт о продажах", "北京分公司预算", "Ελληνικά έγγραφα"]

    def binary(n):
        # control octets and arbitrary octets 0x80..0xFF (mostly not valid UTF-8)
        return (b"\x00\x01" + bytes(rng.randint(0x80, 0xFF) for _ in range(n)) + b"\x7f" + rng.octets_no_crlf(4)
                + b"\x00")

    for i in range(10):
        name_utf8, name_latin1 = users[i % len(users)]
        h = [(":method", "POST" if i % 3 == 2 else "GET"), (":scheme", "https"), (":authority", host),
             (":path", f"/reports/{i + 100}?lang={'ja' if i % 2 else 'en'}"), ("user-agent", ua),
             ("accept", "application/json, application/xml;q=0.9"), ("accept-encoding", "gzip, x-gzip, deflate"),
             ("cookie", cookie), ("x-user-name", name_utf8)]
        if name_latin1:
            h.append(("x-remote-user", name_latin1))   # set by an old SSO agent, ISO-8859-1
        h.append(("x-title", titles[i % len(titles)]))
        if i % 3 == 1:
            h.append(("x-binary", binary(rng.randint(6, 20))))
        if i % 3 == 2:
            h += [("content-type", "application/xml; charset=ISO-8859-1"),
                  ("content-length", str(rng.randint(300, 3000)))]
        h.append(("x-correlation-id", rng.uuid()))
        reqs.append(h)
        r = [(":status", "200" if i % 5 else "201"), ("date", clk.tick(rng)),
             ("content-type", "application/json;charset=UTF-8"), ("content-length", str(rng.randint(100, 9000))),
             ("x-report-title", titles[(i + 1) % len(titles)])]
        if i % 4 == 0:
            r.append(("content-disposition", f"attachment; filename=\"Bericht_März_{i}.pdf\""))
        if i % 4 == 2:
            r.append(("content-disposition", b"inline; filename=\"Pr\xe9sentation_" + str(i).encode() + b".pdf\""))
        if i % 3 == 0:
            r.append(("x-trace-state", b"\x01st=" + rng.octets_no_crlf(12) + b"\x7f"))
        if i == 7:
            r.append(("location", b"/reports/caf\xe9/" + str(i).encode()))
        r += [("x-correlation-id", h[-1][1]), ("server", "Apache-Coyote/1.1")]
        resps.append(r)
    return connection(
        reqs, resps,
        "Requests of one connection: a legacy Java client behind an old SSO agent: raw UTF-8 values "
        "(accented names, CJK/Cyrillic titles), raw Latin-1 octets, binary values with NUL, 0x01, 0x7f, 0x80-0xFF",
        "Responses of one connection: a legacy server: raw UTF-8 filenames and titles, raw Latin-1 "
        "octets in content-disposition and location, control and high octets in a header value")


def conn_negotiate(rng):
    b = Chrome("Windows", edge=True, lang="de-DE,de;q=0.9,en;q=0.8,en-GB;q=0.7,en-US;q=0.6")
    host = "intranet.example.com"
    clk = Clock(1716979000)
    reqs, resps = [], []
    # A SPNEGO/Kerberos token of a user in very many groups: the value is over 16,000 octets.
    inner = b"\x06\x06\x2b\x06\x01\x05\x05\x02\xa0\x82" + rng.octets(12600)
    spnego = b"\x60\x82" + len(inner).to_bytes(2, "big") + inner
    negotiate = "Negotiate " + base64.b64encode(spnego).decode("ascii")
    path = "/sites/finance/SitePages/Home.aspx"
    reqs.append(b.req("document", host, path, site="none", user=True))
    resps.append([(":status", "401"), ("content-type", "text/html"), ("server", "Microsoft-IIS/10.0"),
                  ("www-authenticate", "Negotiate"), ("www-authenticate", "NTLM"),
                  ("x-powered-by", "ASP.NET"), ("date", clk.tick(rng)), ("content-length", "1293")])
    r = b.req("document", host, path, site="none", user=True)
    r.insert(-1, ("authorization", negotiate))
    reqs.append(r)
    sess = rng.b64(1536)   # SharePoint-style FedAuth: a large session cookie
    resps.append([(":status", "200"), ("cache-control", "private, max-age=0"),
                  ("content-type", "text/html; charset=utf-8"), ("content-encoding", "gzip"),
                  ("vary", "Accept-Encoding"), ("expires", clk.ago(86400)), ("server", "Microsoft-IIS/10.0"),
                  ("www-authenticate", "Negotiate oYG3MIG0oAMKAQChCwYJKoZIgvcSAQICooGfBIGcYIGZBgkqhkiG9xIBAgIC"
                                       "AG+BiTCBhqADAgEFoQMCAQ+iejB4oAMCARKicQRv" + rng.b64(60)),
                  set_cookie("FedAuth", sess, httponly=True, secure=True, samesite=None),
                  ("x-sharepointhealthscore", "0"), ("x-aspnet-version", "4.0.30319"),
                  ("sprequestguid", rng.uuid()), ("request-id", rng.uuid()), ("x-frame-options", "SAMEORIGIN"),
                  ("x-powered-by", "ASP.NET"), ("date", clk.tick(rng))])
    jar = Jar([("FedAuth", sess)])
    for p in ["/_layouts/15/1031/styles/Themable/corev15.css?rev=" + rng.b64url(16),
              "/_layouts/15/init.js?rev=" + rng.b64url(16),
              "/_api/web/lists/getbytitle('Dokumente')/items?$top=30&$select=Title,Modified,Editor/Title"
              "&$expand=Editor"]:
        kind = kind_of(p)
        reqs.append(b.req(kind, host, p, referer=f"https://{host}{path}", jar=jar,
                          accept="application/json;odata=verbose" if kind == "fetch" else None))
        ctype = {"style": "text/css", "script": "application/javascript"}.get(
            kind, "application/json;odata=verbose;charset=utf-8")
        resps.append([(":status", "200"),
                      ("cache-control", "private, max-age=31536000" if kind != "fetch" else "private, max-age=0"),
                      ("content-type", ctype),
                      ("content-encoding", "gzip"), ("server", "Microsoft-IIS/10.0"),
                      ("sprequestguid", rng.uuid()), ("request-id", rng.uuid()), ("date", clk.tick(rng))])
    return connection(
        reqs, resps,
        "Requests of one connection (short): Edge on Windows on an intranet site with Kerberos: "
        "an authorization: Negotiate header over 16,000 octets, then a session cookie",
        "Responses of one connection (short): IIS: 401 with two www-authenticate fields, then a "
        "mutual-auth Negotiate token and a session cookie")


def conn_grpc(rng):
    host = "grpc.example.net:443"
    reqs, resps = [], []
    clk = Clock(1717060000)
    token = "Bearer " + rng.b64url(600)
    calls = [("inventory.v1.InventoryService", "GetItem"), ("inventory.v1.InventoryService", "ListItems"),
             ("inventory.v1.InventoryService", "BatchGetItems"), ("pricing.v2.PricingService", "Quote"),
             ("inventory.v1.InventoryService", "WatchStock")]
    for i in range(14):
        svc, m = calls[rng.below(len(calls))] if i else calls[0]
        h = [(":method", "POST"), (":scheme", "https"), (":path", f"/{svc}/{m}"), (":authority", host),
             ("content-type", "application/grpc"), ("user-agent", "grpc-go/1.63.2"), ("te", "trailers"),
             ("grpc-accept-encoding", "gzip"), ("grpc-timeout", f"{rng.randint(900000, 4999999)}u"),
             ("authorization", token), ("x-tenant-id", "tnt-0042"),
             ("grpc-trace-bin", base64.b64encode(b"\x00\x00" + rng.octets(16) + b"\x01" + rng.octets(8) +
                                                 b"\x02\x01").decode("ascii").rstrip("=")),
             ("x-request-id", rng.uuid())]
        if m == "WatchStock":
            del h[8]   # a long-lived stream: no deadline
        reqs.append(h)
        if rng.chance(15):
            code, msg = rng.choice([("5", "item%20not%20found"), ("7", "permission%20denied%3A%20tenant%20tnt-0042"),
                                    ("3", "page_size%20must%20be%20%3C%3D%201000")])
            resps.append([(":status", "200"), ("content-type", "application/grpc"), ("grpc-status", code),
                          ("grpc-message", msg), ("date", clk.tick(rng, 0, 1)), ("server", "envoy"),
                          ("x-envoy-upstream-service-time", str(rng.randint(1, 40)))])
        else:
            resps.append([(":status", "200"), ("content-type", "application/grpc"), ("grpc-encoding", "identity"),
                          ("grpc-accept-encoding", "gzip"), ("date", clk.tick(rng, 0, 1)), ("server", "envoy"),
                          ("x-envoy-upstream-service-time", str(rng.randint(1, 90)))])
    return connection(
        reqs, resps,
        "Requests of one connection: a gRPC client (grpc-go) through a proxy: POST with te: trailers, "
        "grpc-timeout that changes every call, bearer token, binary trace metadata",
        "Responses of one connection: gRPC response headers (trailer blocks not included) and "
        "Trailers-Only error responses with grpc-status and percent-encoded grpc-message")


def conn_forum(rng):
    b = Firefox(os_part="X11; Linux x86_64", lang="de,en-US;q=0.7,en;q=0.3", dnt=True, gpc=True)
    host = "forum.example.org"
    origin = "https://" + host
    clk = Clock(1717150000)
    jar = Jar([("forum_lastvisit", str(1717000000 + rng.randint(0, 99999))), ("forum_track", "%7B%7D"),
               ("cookieconsent_status", "dismiss")])
    reqs, resps = [], []

    def page(path, ref, method="GET", body=None, status="200", location=None, cookies=()):
        reqs.append(b.req("document", host, path, method=method, referer=ref, jar=jar, user=True, body=body,
                          ctype="application/x-www-form-urlencoded" if body else None,
                          origin=origin if body else None))
        h = [(":status", status), ("server", "nginx/1.24.0"), ("date", clk.tick(rng, 1, 5))]
        if location:
            h += [("location", location), ("content-length", "0")]
        else:
            h += [("content-type", "text/html; charset=UTF-8"), ("content-encoding", "gzip"),
                  ("vary", "Accept-Encoding")]
        h += [("cache-control", "private, no-cache=\"set-cookie\""), ("expires", "0"), ("pragma", "no-cache")]
        h += list(cookies)
        h += [("x-content-type-options", "nosniff"), ("x-frame-options", "SAMEORIGIN")]
        resps.append(h)

    def res(path, ref):
        e = ext_of(path)
        reqs.append(b.req(kind_of(path), host, path, referer=ref, jar=jar))
        size = rng.randint(*SIZES[e])
        resps.append([(":status", "200"), ("server", "nginx/1.24.0"), ("date", clk.tick(rng, 0, 0)),
                      ("content-type", CTYPES[e]), ("content-length", str(size)),
                      ("last-modified", clk.ago(rng.randint(90000, 9000000))), ("etag", etag_nginx(rng, size)),
                      ("expires", clk.ahead(604800)), ("cache-control", "max-age=604800"), ("accept-ranges", "bytes")])

    sid = rng.hex(32)
    page("/index.php", None, cookies=[set_cookie("forum_sid", sid, expires=clk.ahead(31536000), httponly=True,
                                                  samesite="Lax")])
    jar.set("forum_sid", sid)
    for p in ["/styles/prosilver/theme/stylesheet.css?assets_version=118",
              "/assets/javascript/core.js?assets_version=118", "/styles/prosilver/theme/images/site_logo.svg"]:
        res(p, origin + "/index.php")
    t = "/viewtopic.php?t=" + rng.digits(5)
    page("/viewforum.php?f=12", origin + "/index.php")
    page(f"/thema/{rng.digits(5)}-m%C3%BCnchen-stammtisch-im-juni-%C3%BCberblick", origin + "/viewforum.php?f=12")
    form = (f"username=heinz_k&password=********&autologin=on&redirect=.%2Findex.php&creation_time={clk.t}"
            f"&form_token={rng.hex(40)}&login=Anmelden")
    new_sid = rng.hex(32)
    page("/ucp.php?mode=login", origin + t, method="POST", body=len(form), status="303", location=origin + "/index.php",
         cookies=[set_cookie("forum_u", rng.digits(5), expires=clk.ahead(31536000), httponly=True, samesite="Lax"),
                  set_cookie("forum_k", rng.hex(16), expires=clk.ahead(31536000), httponly=True, samesite="Lax"),
                  set_cookie("forum_sid", new_sid, expires=clk.ahead(31536000), httponly=True, samesite="Lax")])
    jar.set("forum_sid", new_sid)
    jar.set("forum_u", resps[-1][-5][1].split(";")[0].split("=")[1])
    jar.set("forum_k", resps[-1][-4][1].split(";")[0].split("=")[1])
    page("/index.php", origin + t)
    page(t + "&start=25", origin + "/index.php")
    reply = rng.randint(400, 2000)
    page(f"/posting.php?mode=reply&t={t.rsplit('=', 1)[1]}", origin + t, method="POST", body=reply, status="302",
         location=origin + t + "&p=" + rng.digits(6) + "#p" + rng.digits(6))
    page(t + "&start=50", origin + t)
    # an attachment whose name the server sends as raw UTF-8 (plus the RFC 8187 form)
    reqs.append(b.req("document", host, f"/download/file.php?id={rng.digits(4)}", referer=origin + t, jar=jar,
                      user=True))
    resps.append([(":status", "200"), ("server", "nginx/1.24.0"), ("date", clk.tick(rng, 2, 6)),
                  ("content-type", "application/pdf"), ("content-length", str(rng.randint(90000, 400000))),
                  ("content-disposition", "attachment; filename=\"Stammtisch_Übersicht_Juni_2024.pdf\"; "
                                          "filename*=UTF-8''Stammtisch_%C3%9Cbersicht_Juni_2024.pdf"),
                  ("cache-control", "private"), ("x-content-type-options", "nosniff")])
    return connection(
        reqs, resps,
        "Requests of one connection: Firefox on Linux (German, DNT and GPC) on a forum: browsing "
        "with cookie crumbs (one cookie field per cookie), percent-encoded UTF-8 paths, login and reply "
        "POSTs, an attachment download",
        "Responses of one connection: an nginx/PHP forum: session cookie rotated at login, 303 and "
        "302 redirects, static files with expires, a raw UTF-8 filename in content-disposition")


def conn_weather(rng):
    b = Safari(iphone=True, lang="en-US,en;q=0.9")
    host = "weather.example.com"
    origin = "https://" + host
    clk = Clock(1717240000)
    reqs, resps = [], []
    reqs.append(b.req("document", host, "/", site="none"))
    resps.append([(":status", "200"), ("content-type", "text/html; charset=utf-8"), ("content-encoding", "br"),
                  ("date", clk.tick(rng)), ("cache-control", "public, max-age=120"), ("age", "37"),
                  ("vary", "Accept-Encoding"), ("x-cache", "Hit from cloudfront-ish edge")])
    reqs.append(b.req("style", host, hashed(rng, "/assets/app", "css"), referer=origin + "/"))
    resps.append([(":status", "200"), ("content-type", "text/css"), ("content-encoding", "br"),
                  ("date", clk.tick(rng, 0, 0)), ("cache-control", "public, max-age=31536000, immutable"),
                  ("content-length", str(rng.randint(9000, 14000)))])
    reqs.append(b.req("fetch", host, "/api/forecast?lat=-33.8688&lon=151.2093&units=metric&days=7&hourly=true",
                      referer=origin + "/", accept="application/json"))
    resps.append([(":status", "200"), ("content-type", "application/json"), ("date", clk.tick(rng)),
                  ("cache-control", "public, max-age=600"), ("content-length", str(rng.randint(9000, 14000))),
                  ("vary", "Accept-Encoding"), ("x-request-id", rng.uuid())])
    reqs.append(b.req("image", host, "/apple-touch-icon.png", referer=origin + "/"))
    resps.append([(":status", "200"), ("content-type", "image/png"), ("date", clk.tick(rng, 0, 0)),
                  ("cache-control", "public, max-age=86400"), ("content-length", "7461")])
    reqs.append(b.req("fetch", host, "/api/radar/frames?region=nsw&count=12", referer=origin + "/",
                      accept="application/json"))
    resps.append([(":status", "200"), ("content-type", "application/json"), ("date", clk.tick(rng)),
                  ("cache-control", "public, max-age=300"), ("content-length", str(rng.randint(900, 1400))),
                  ("vary", "Accept-Encoding"), ("x-request-id", rng.uuid())])
    return connection(
        reqs, resps,
        "Requests of one connection (short): Safari on iPhone opens a weather site: page, CSS, "
        "forecast and radar JSON, touch icon",
        "Responses of one connection (short): a weather site: HTML, CSS, JSON and an icon")


def conn_beacon(rng):
    b = Chrome("Android", lang="es-ES,es;q=0.9,en;q=0.8")
    host = "collect.example.net"
    clk = Clock(1717330000)
    cid = f"{rng.digits(10)}.{1717000000 + rng.randint(0, 300000)}"
    reqs, resps = [], []
    sites = [("https://www.tienda.example.com", ["/", "/ofertas/verano", "/p/zapatillas-trail-azul-42", "/carrito"]),
             ("https://recetas.example.org", ["/receta/paella-valenciana"])]
    n = 0
    for origin, paths in sites:
        tid = "G-" + rng.alnum(10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        sid = str(1717330000 + rng.randint(0, 100))
        for p in paths:
            events = ["page_view", "user_engagement"]
            if p == "/ofertas/verano":
                events.insert(1, "scroll")
            for ev in events:
                n += 1
                dl = origin + p
                if p == "/ofertas/verano":
                    dl += "?utm_source=newsletter&utm_medium=email&utm_campaign=verano24"
                path = (f"/g/collect?v=2&tid={tid}&gtm=45je45f0v9{rng.digits(9)}&_p={rng.digits(13)}&gcd=13l3l3l3l1"
                        f"&npa=0&dma=0&cid={cid}&ul=es-es&sr=412x915&uaa=&uab=64&uafvl={q(b.full_list)}&uamb=1"
                        f"&uam=K&uap=Android&uapv=10.0.0&uaw=0&are=1&frm=0&pscdl=noapi&_s={n}"
                        f"&sid={sid}&sct=3&seg=1&dl={q(dl)}&dr={q(origin + '/')}&dt={q('Tienda ' + p.strip('/'))}"
                        f"&en={ev}" + ("&epn.percent_scrolled=90" if ev == "scroll" else "") +
                        (f"&_et={rng.randint(200, 30000)}" if ev == "user_engagement" else "") +
                        f"&tfd={rng.randint(500, 90000)}")
                body = rng.randint(0, 1) * rng.randint(100, 900)
                reqs.append(b.req("beacon", host, path, method="POST", site="cross-site", referer=origin + "/",
                                  origin=origin, body=body, ctype="text/plain;charset=UTF-8" if body else None))
                resps.append([(":status", "204"), ("access-control-allow-origin", origin),
                              ("access-control-allow-credentials", "true"), ("date", clk.tick(rng, 0, 6)),
                              ("pragma", "no-cache"), ("expires", "Fri, 01 Jan 1990 00:00:00 GMT"),
                              ("cache-control", "no-cache, no-store, must-revalidate"),
                              ("content-type", "text/plain"), ("cross-origin-resource-policy", "cross-origin"),
                              ("server", "collect"), ("content-length", "0"), ("alt-svc", ALT_SVC)])
    return connection(
        reqs, resps,
        "Requests of one connection: Chrome on Android sending analytics beacons from two sites: "
        "POSTs with very long, slowly changing query strings, changing origin and referer",
        "Responses of one connection: an analytics collector: near-identical 204 No Content responses "
        "with CORS headers and an advancing date")


def conn_docs(rng):
    b = Chrome("macOS", lang="fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7")
    host = "docs.example.com"
    origin = "https://" + host
    clk = Clock(1717420000)
    # An account-wide cookie set of a big web-app suite: one cookie field of about 4 KB.
    sid = "g.a000" + rng.b64url(108)
    jar = Jar([("OTZ", f"{rng.digits(7)}_24_24__24_"), ("SID", sid), ("__Secure-1PSID", sid[:6] + rng.b64url(108)),
               ("__Secure-3PSID", sid[:6] + rng.b64url(108)), ("HSID", rng.alnum(17)), ("SSID", rng.alnum(17)),
               ("APISID", rng.alnum(16) + "/" + rng.alnum(17)), ("SAPISID", rng.alnum(16) + "/" + rng.alnum(17)),
               ("__Secure-1PAPISID", rng.alnum(16) + "/" + rng.alnum(17)),
               ("__Secure-3PAPISID", rng.alnum(16) + "/" + rng.alnum(17)),
               ("NID", "514=" + rng.b64url(420)), ("AEC", rng.b64url(48)),
               ("__Secure-ENID", "19.SE=" + rng.b64url(560)),
               ("COMPASS", "docs=" + rng.b64url(140) + ":editors=" + rng.b64url(140)),
               ("OSID", rng.b64url(110)), ("__Secure-OSID", rng.b64url(110)),
               ("__Secure-1PSIDTS", "sidts-" + rng.b64url(120)), ("__Secure-3PSIDTS", "sidts-" + rng.b64url(120)),
               ("SIDCC", rng.b64url(64)), ("__Secure-1PSIDCC", rng.b64url(64)), ("__Secure-3PSIDCC", rng.b64url(64)),
               ("S", "docs=" + rng.b64url(30)), ("1P_JAR", "2024-06-03-13")])
    doc = rng.b64url(33)
    edit = f"/document/d/{doc}/edit"
    reqs, resps = [], []
    reqs.append(b.req("document", host, edit + "?usp=sharing", site="cross-site", referer="https://mail.example.org/",
                      jar=jar, user=True))
    nonce = rng.b64url(16)
    resps.append([(":status", "200"), ("content-type", "text/html; charset=utf-8"),
                  ("cache-control", "no-cache, no-store, max-age=0, must-revalidate"), ("pragma", "no-cache"),
                  ("expires", "Mon, 01 Jan 1990 00:00:00 GMT"), ("date", clk.tick(rng)),
                  ("content-security-policy",
                   f"script-src 'report-sample' 'nonce-{nonce}' 'unsafe-inline' 'unsafe-eval';"
                   "object-src 'none';base-uri 'self';report-uri /document/cspreport"),
                  ("cross-origin-opener-policy", "same-origin-allow-popups"), ("x-content-type-options", "nosniff"),
                  ("x-frame-options", "SAMEORIGIN"), ("content-encoding", "gzip"), ("server", "docs-fe"),
                  ("alt-svc", ALT_SVC)])
    rev = rng.randint(1000, 2000)
    ref = origin + edit + "?usp=sharing"
    for n in range(8):
        rev += rng.randint(1, 4)
        if n in (3, 6):
            reqs.append(b.req("fetch", host, f"/document/d/{doc}/bind?id={doc}&sid={rng.hex(16)}&VER=8&lsq={rev}"
                                             f"&u=AI{rng.b64url(9)}&token={rng.b64url(30)}&ouid=1"
                                             "&includes_info_params=true"
                                             f"&cros_files=false&tab=t.0&nded=false&gsi&RID=rpc&SID={rng.b64url(12)}"
                                             f"&AID={rev}&CI=0&TYPE=xmlhttp&zx={rng.alnum(12)}&t=1",
                              referer=ref, jar=jar, accept="text/event-stream",
                              extra=[("x-same-domain", "1"), ("x-build", "editors.docs-frontend_20240521.02_p0")]))
            resps.append([(":status", "200"), ("content-type", "text/event-stream; charset=utf-8"),
                          ("cache-control", "no-cache, no-store, max-age=0, must-revalidate"), ("date", clk.tick(rng)),
                          ("x-content-type-options", "nosniff"), ("server", "docs-fe"), ("x-accel-buffering", "no")])
            continue
        rotated = []
        if n == 4:
            for c in ("SIDCC", "__Secure-1PSIDCC", "__Secure-3PSIDCC"):
                v = rng.b64url(64)
                jar.set(c, v)
                rotated.append(set_cookie(c, v, domain=".example.com", expires=clk.ahead(31536000),
                                          httponly=c != "SIDCC", secure=c != "SIDCC", lower=True,
                                          samesite="lax" if c == "SIDCC" else ("none" if "3P" in c else None)))
        body = rng.randint(180, 2400) + n * 40
        reqs.append(b.req("fetch", host, f"/document/d/{doc}/save?id={doc}&sid={rng.hex(16)}&vc=1&c=1&w=1"
                                         "&flr=0&smv=2147483647&smb=%5B2147483647%2C%20oAM%3D%5D"
                                         f"&token={rng.b64url(30)}"
                                         f"&ouid=1&includes_info_params=true&cros_files=false&tab=t.0",
                          method="POST", referer=ref, jar=jar, origin=origin, body=body,
                          ctype="application/x-www-form-urlencoded;charset=UTF-8",
                          extra=[("x-same-domain", "1"), ("x-build", "editors.docs-frontend_20240521.02_p0"),
                                 ("x-rel-id", rng.hex(8) + "." + rng.hex(8) + "." + str(n + 1))]))
        resps.append([(":status", "200"), ("content-type", "application/json; charset=utf-8"),
                      ("cache-control", "no-cache, no-store, max-age=0, must-revalidate"), ("pragma", "no-cache"),
                      ("expires", "Mon, 01 Jan 1990 00:00:00 GMT"), ("date", clk.tick(rng, 1, 3)),
                      ("content-disposition", 'attachment; filename="response.bin"; filename*=UTF-8\'\'response.bin'),
                      ("x-content-type-options", "nosniff"), ("server-timing", f"gfet4t7; dur={rng.randint(30, 250)}")]
                     + rotated + [("content-encoding", "gzip"), ("server", "docs-fe")])
    return connection(
        reqs, resps,
        "Requests of one connection: Chrome on macOS (French) in a collaborative document editor: "
        "a 4 KB cookie (rotated in part mid-session), autosave POSTs with varying content-length, "
        "an event-stream bind request",
        "Responses of one connection: a document editor backend: JSON save acknowledgements, "
        "text/event-stream, no-cache headers, server-timing, rotated cookies")


def conn_boundaries(rng):
    """Synthetic, for encoders: every integer an encoder writes lands on a prefix boundary
    somewhere (RFC 7541 5.1): string lengths around 127, 255 and 16511, names of 126 to 128
    octets, and enough distinct fields that dynamic indices pass 126, 127, 128, 190, 191 and
    254, 255 (as indexed fields and as name references). Then every field of the static
    table (Appendix A; :authority only with a value, transfer-encoding not at all), and
    :status values one off a static one, so that an encoder's every static index, and its static matching, meets a decoder."""
    reqs = []
    lengths = (0, 1, 2, 126, 127, 128, 129, 254, 255, 256, 257, 382, 383, 384)
    base = [(":method", "GET"), (":scheme", "https"), (":authority", "edge.example.com")]
    reqs.append(base + [(":path", "/lengths")] +
                [("x-len-%d" % n, "v" * n) for n in lengths])
    reqs.append(base + [(":path", "/names")] +
                [("n" * n, str(n)) for n in (126, 127, 128, 129, 254, 255)])
    for n in (16510, 16511, 16512):
        reqs.append(base + [(":path", "/long-%d" % n), ("x-long", rng.hex(n // 2 + 1)[:n])])
    # ~200 distinct small fields (30-40 octets of table space each), then all again: the
    # second time they are dynamic references at every index the table reaches.
    fields = [("x-f%03d" % i, "%03d" % i) for i in range(200)]
    for chunk in range(0, 200, 50):
        reqs.append(base + [(":path", "/fill-%d" % chunk)] + fields[chunk:chunk + 50])
    for chunk in range(0, 200, 50):
        reqs.append(base + [(":path", "/again-%d" % chunk)] + fields[chunk:chunk + 50])
    # Same names, new values: name references into the dynamic table.
    reqs.append(base + [(":path", "/names-again")] + [(n, v + "-b") for n, v in fields[::-1]])
    # Static names around the 4-bit and 6-bit prefix boundaries, with new values.
    reqs.append(base + [(":path", "/static")] +
                [("accept-charset", "utf-8"), ("accept-encoding", "zstd"), ("accept-language", "fr"),
                 ("www-authenticate", "Basic"), ("via", "1.1 edge"), ("vary", "accept")])
    resps = [[(":status", "200"), ("content-length", str(17 + i))] for i in range(len(reqs))]
    # Every static field: the regular ones in one request, the pseudo-header ones spread over
    # requests (one of each per request) and responses.
    static = read_static_table()
    # (transfer-encoding is connection-specific: HTTP/2 forbids it, RFC 9113 8.2.2)
    regular = [(n.decode(), v.decode()) for n, v in static[1:]
               if not n.startswith(b":") and n != b"transfer-encoding"]
    reqs.append([(":method", "GET"), (":scheme", "http"), (":authority", "edge.example.com"),
                 (":path", "/")] + regular)
    resps.append([(":status", "200")])
    reqs.append([(":method", "POST"), (":scheme", "https"), (":authority", "edge.example.com"),
                 (":path", "/index.html"), ("content-length", "0")])
    resps.append([(":status", "201")])
    static_status = [v.decode() for n, v in static[1:] if n == b":status"]
    for status in sorted(set(static_status) | {"203", "205", "401", "501"}):
        reqs.append(base + [(":path", "/status/%s" % status)])
        resps.append([(":status", status), ("content-length", "0")])
    return connection(
        reqs, resps,
        "Synthetic requests for encoders: string lengths 0..384 and 16510..16512, names of "
        "126..255 octets, 200 distinct fields sent twice so that dynamic indices and name "
        "references cross every prefix boundary the table reaches; every static table field",
        "Synthetic responses to the boundary requests: every static :status and values one "
        "off them")


CONNECTIONS = [
    ("news", conn_news), ("cdn", conn_cdn), ("shop", conn_shop), ("webmail", conn_webmail),
    ("video", conn_video), ("rest", conn_rest), ("search", conn_search), ("social", conn_social),
    ("secure", conn_secure), ("cors", conn_cors), ("tiles", conn_tiles), ("blog", conn_blog),
    ("curl", conn_curl), ("octets", conn_octets), ("negotiate", conn_negotiate), ("grpc", conn_grpc),
    ("forum", conn_forum), ("weather", conn_weather), ("beacon", conn_beacon), ("docs", conn_docs),
    ("boundaries", conn_boundaries),
]


# ---------------------------------------------------------------------------------------
# Checking and writing

REQUEST_PSEUDO = (":method", ":scheme", ":authority", ":path")


def octets(v):
    if isinstance(v, bytes):
        return v
    if isinstance(v, str):
        return v.encode("utf-8")   # raises on lone surrogates: a bug in this script
    raise TypeError(f"header value {v!r}")


def validate(name, cases):
    requests = cases[0][0][0] == b":method"
    for i, case in enumerate(cases):
        where = f"{name} case {i}"
        names = [n for n, _ in case]
        pseudo = [n for n in names if n.startswith(b":")]
        if names[:len(pseudo)] != pseudo:
            raise SystemExit(f"{where}: pseudo-header after a regular field")
        if requests:
            if sorted(pseudo) != sorted(p.encode() for p in REQUEST_PSEUDO):
                raise SystemExit(f"{where}: request pseudo-headers {pseudo}")
        elif names[0] != b":status" or len(pseudo) != 1:
            raise SystemExit(f"{where}: response must start with :status only")
        for n, v in case:
            if not n or n != n.lower() or any(c <= 0x20 or c >= 0x7f for c in n):
                raise SystemExit(f"{where}: bad name {n!r}")
            if n in (b"connection", b"keep-alive", b"transfer-encoding", b"upgrade", b"proxy-connection"):
                raise SystemExit(f"{where}: connection-specific field {n!r}")
            if n == b"te" and v != b"trailers":
                raise SystemExit(f"{where}: te other than trailers")


def table_size_plan(index, count, description=""):
    """SETTINGS_HEADER_TABLE_SIZE changes for story `index` with `count` cases: {case: size}.
    Down, to 0 and back up in every story; the odd ones also go above 4096 and down again;
    the synthetic boundary stories use sizes whose size updates cross the 5-bit prefix."""
    if description.startswith("Synthetic") and count >= 8:
        return {1: 158, 2: 159, 3: 160, 4: 30, 5: 31, 6: 0, 7: 16511 if index % 2 else 4096}
    if count < 4:
        return {max(1, count - 1): 0} if count > 1 else {}
    if index % 2 == 0:
        return {count // 4: 1024, count // 2: 0, 3 * count // 4: 4096}
    plan = {count // 5: 2048, 2 * count // 5: 256, 3 * count // 5: 0, 4 * count // 5: 8192}
    if count >= 6:
        plan[count - 1] = 512
    return plan


def render(description, cases, sizes=None):
    def s(o):
        text = o.decode("utf-8", "surrogateescape") if isinstance(o, bytes) else o
        return json.dumps(text, ensure_ascii=True)

    out = ["{", '  "cases": [']
    for i, case in enumerate(cases):
        out += ["    {", f'      "seqno": {i},']
        if sizes and i in sizes:
            out.append(f'      "header_table_size": {sizes[i]},')
        out.append('      "headers": [')
        for k, (n, v) in enumerate(case):
            out.append(f"        {{{s(n)}: {s(v)}}}" + ("," if k + 1 < len(case) else ""))
        never = [k for k, (n, _) in enumerate(case) if n in SENSITIVE]
        if never:
            out += ["      ],", f'      "never_indexed": [{", ".join(map(str, never))}]']
        else:
            out.append("      ]")
        out.append("    }" + ("," if i + 1 < len(cases) else ""))
    out += ["  ],", f'  "description": {s(description)}', "}"]
    return "\n".join(out) + "\n"


def build():
    stories = []
    for key, fn in CONNECTIONS:
        for description, cases in fn(Rng(key)):
            stories.append((description, [[(octets(n), octets(v)) for n, v in case] for case in cases]))
    files = {}
    for idx, (description, cases) in enumerate(stories):
        name = f"story_{idx:02d}.json"
        validate(name, cases)
        text = render(description, cases)
        # the text must read back to exactly these octets
        back = json.loads(text)
        got = [[(k.encode("utf-8", "surrogateescape"), v.encode("utf-8", "surrogateescape"))
                for h in c["headers"] for k, v in h.items()] for c in back["cases"]]
        if got != cases or [c["seqno"] for c in back["cases"]] != list(range(len(cases))):
            raise SystemExit(f"{name}: does not round-trip through JSON")
        files[os.path.join(OUT_DIR, name)] = (text, cases)
        sizes = table_size_plan(idx, len(cases), description)
        resized = render(description + "; SETTINGS_HEADER_TABLE_SIZE changes at cases " +
                         ", ".join(f"{c} (to {v})" for c, v in sorted(sizes.items())),
                         cases, sizes)
        files[os.path.join(RESIZE_DIR, name)] = (resized, cases)
    return files


def summary(files):
    cases = [c for _, cs in files.values() for c in cs]
    fields = [f for c in cases for f in c]
    values = [v for _, v in fields]

    def utf8(v):
        try:
            v.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return False

    return (f"{len(files)} stories, {len(cases)} cases, {len(fields)} header fields, "
            f"{sum(len(n) + len(v) for n, v in fields)} octets of names and values, "
            f"largest value {max(len(v) for v in values)} octets, "
            f"{sum(1 for v in values if not utf8(v))} values not valid UTF-8")


def main():
    check = "--check" in sys.argv[1:]
    files = build()
    stale = []
    for path, (text, _) in sorted(files.items()):
        name = os.path.relpath(path, ROOT)
        try:
            with open(path, encoding="ascii", newline="") as f:
                current = f.read()
        except (FileNotFoundError, UnicodeDecodeError):
            current = None
        if current != text:
            stale.append(name)
            if not check:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="ascii", newline="\n") as f:
                    f.write(text)
    extra = sorted(os.path.join(d, n) for d in (OUT_DIR, RESIZE_DIR)
                   for n in (os.listdir(d) if os.path.isdir(d) else [])
                   if n.startswith("story_") and n.endswith(".json")
                   and os.path.join(d, n) not in files)
    if not check:
        for path in extra:
            os.remove(path)
    extra = [os.path.relpath(p, ROOT) for p in extra]
    if check:
        if stale or extra:
            print("out of date (run tools/gen_raw_stories.py): " +
                  ", ".join(stale + [n + " (not generated)" for n in extra]))
            return 1
        return 0
    done = ([f"wrote {len(stale)} files"] if stale else []) + ([f"removed {', '.join(extra)}"] if extra else [])
    print("raw stories: " + ("; ".join(done) if done else "up to date"))
    print(summary({k: v for k, v in files.items() if k.startswith(OUT_DIR)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
