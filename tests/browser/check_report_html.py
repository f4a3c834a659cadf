#!/usr/bin/env python3
"""Open report.html in a real browser (headless Chromium) and check it as a reader meets it.

Usage: python3 tests/browser/check_report_html.py DIR/report.html [--screenshot OUT.png]

Checks:
- the page loads with no console message (errors, uncaught exceptions: the page logs nothing);
- the page makes no network request: Chromium's net log (--log-net-log) holds no http(s) or
  ws(s) request started by the page (the browser's own update and account pings are told apart:
  they start from "not an origin" and carry other traffic annotations), and the file names no
  outside resource;
- the interactive map is drawn: with `#scenario=<id>` the script applies that scenario (the page
  writes its state into `#map-state`), a different scenario draws other routes or closes other
  links, and `&route=<id>` highlights that route's best path;
- the report's content is there: its first table, the charts (inline SVG), the map;
- a screenshot is taken (--screenshot, default beside the page) and is not blank.
Stdlib only; needs `chromium` (Debian's package; tools/test installs it). Exit status 0 when
every check passes, 1 otherwise.
"""

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    print("FAIL: no chromium on PATH (apt-get install -y chromium; tools/test does it)", file=sys.stderr)
    sys.exit(1)


BASE_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]


def run(url, extra, tmp):
    """Runs the browser on `url`; returns (stdout, stderr, net log events)."""
    profile = tempfile.mkdtemp(dir=tmp)
    netlog = os.path.join(tmp, f"net-{len(os.listdir(tmp))}.json")
    cmd = [browser(), *BASE_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           f"--log-net-log={netlog}", "--virtual-time-budget=5000", *extra, url]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    events = []
    constants = {}
    if os.path.exists(netlog):
        try:
            with open(netlog) as f:
                log = json.load(f)
        except json.JSONDecodeError:
            # A net log cut short (the browser ends abruptly) lacks its closing brackets.
            with open(netlog) as f:
                text = f.read().rstrip().rstrip(",")
            log = json.loads(text + "]}")
        events = log.get("events", [])
        constants = log.get("constants", {})
    return p.stdout, p.stderr, events, constants


def page_requests(events):
    """URLs of network requests the page made (not the browser's own pings)."""
    by_source = {}
    for e in events:
        p = e.get("params") or {}
        s = by_source.setdefault(e.get("source", {}).get("id"), {"urls": set(), "page": False})
        url = p.get("url")
        if isinstance(url, str) and re.match(r"(https?|wss?|ftp)://", url):
            s["urls"].add(url)
        init = p.get("initiator")
        if init is not None and init != "not an origin":
            s["page"] = True
        if p.get("traffic_annotation") == 101845102:  # blink_resource_loader
            s["page"] = True
    return sorted(u for s in by_source.values() if s["page"] for u in s["urls"])


def console_lines(stderr):
    return [l for l in stderr.splitlines() if ":CONSOLE" in l or "Uncaught" in l]


def state_of(dom):
    m = re.search(r'<output id="map-state">([^<]*)</output>', dom)
    if not m:
        return {}
    return dict(part.split("=", 1) for part in m.group(1).split("; ") if "=" in part)


def png_ink(path):
    """Share of pixels that are not white in an 8-bit RGB(A) PNG (stdlib decoder)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return 0.0
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            channels = {2: 3, 6: 4}.get(colour)
            if depth != 8 or channels is None:
                return 1.0  # another format: trust the size check
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    prev = bytearray(stride)
    inked = total = 0
    i = 0
    for _ in range(height):
        ftype = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        for x in range(0, stride, channels * 8):
            total += 1
            if line[x] < 240 or line[x + 1] < 240 or line[x + 2] < 240:
                inked += 1
        prev = line
    return inked / max(total, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="path to report.html")
    parser.add_argument("--screenshot", help="where to save the screenshot [default: beside the page]")
    args = parser.parse_args()
    page = os.path.abspath(args.page)
    shot = os.path.abspath(args.screenshot or os.path.join(os.path.dirname(page), "report-screenshot.png"))
    html = open(page, encoding="utf-8").read()

    # The file itself names nothing outside it.
    outside = re.findall(r'(?:src|href|action|poster|srcset)\s*=\s*"(?!#|data:)([^"]*)"', html)
    outside += re.findall(r"url\((?!['\"]?(?:#|data:))[^)]*\)", html)
    outside += re.findall(r"\b(?:fetch|XMLHttpRequest|WebSocket|importScripts|sendBeacon)\b", html)
    if outside:
        fail(f"the page names outside resources or network calls: {outside[:5]}")
    for what, pattern in [("a table", "<table>"), ("an inline chart", '<svg class="chart"'), ("the map", '<svg id="map"')]:
        if pattern not in html:
            fail(f"the page has no {what}")
    scenarios = re.findall(r'<g class="scn" data-scenario="([^"]+)"', html)
    routes = re.findall(r'<button type="button" class="rt" data-route="([^"]+)"', html)
    if len(scenarios) < 2 or not routes:
        fail(f"the map has {len(scenarios)} scenarios and {len(routes)} routes")
        return finish()

    url = "file://" + page
    with tempfile.TemporaryDirectory() as tmp:
        dom0, err0, net0, _ = run(url, ["--dump-dom"], tmp)
        s0 = state_of(dom0)
        if not s0:
            fail("the script did not run: no #map-state in the DOM")
            return finish()
        print(f"ok: opened on {s0}")
        # Another scenario, from the address, and a highlighted route.
        other = next(s for s in scenarios if s != s0.get("scenario"))
        route = routes[0]
        dom1, err1, net1, _ = run(f"{url}#scenario={other}&route={route}", ["--dump-dom"], tmp)
        s1 = state_of(dom1)
        if s1.get("scenario") != other:
            fail(f"#scenario={other} was not applied: {s1}")
        if (s1.get("routes"), s1.get("closed_links")) == (s0.get("routes"), s0.get("closed_links")):
            # Compare the drawn paths themselves: a scenario may keep every route's count.
            drawn0 = re.findall(r'<g class="scn on" data-scenario="([^"]+)"', dom0)
            drawn1 = re.findall(r'<g class="scn on" data-scenario="([^"]+)"', dom1)
            if drawn0 == drawn1:
                fail(f"switching to {other} changed nothing drawn: {s0} vs {s1}")
        on = re.findall(r'<g class="scn on" data-scenario="([^"]+)"', dom1)
        if on != [other]:
            fail(f"the routes drawn are those of {on}, not {other}")
        if s1.get("highlighted") != route:
            fail(f"&route={route} was not highlighted: {s1}")
        hl = len(re.findall(r'class="route hl" data-route="' + re.escape(route) + '"', dom1))
        print(f"ok: switched to {s1} ({hl} path(s) of {route} highlighted)")
        os.makedirs(os.path.dirname(shot), exist_ok=True)
        _, err2, net2, _ = run(f"{url}#scenario={other}", ["--window-size=1300,2000", f"--screenshot={shot}"], tmp)
        for name, err, net in [("default", err0, net0), ("switched", err1, net1), ("screenshot", err2, net2)]:
            lines = console_lines(err)
            if lines:
                fail(f"{name} load: console messages: {lines[:3]}")
            if not net:
                fail(f"{name} load: no net log was written")
            requests = page_requests(net)
            if requests:
                fail(f"{name} load: the page made network requests: {requests[:5]}")
    if not os.path.exists(shot):
        fail(f"no screenshot at {shot}")
    else:
        ink = png_ink(shot)
        if ink < 0.05:
            fail(f"screenshot {shot} is blank ({ink:.1%} inked)")
        print(f"ok: screenshot {shot} ({ink:.1%} of sampled pixels inked)")
    return finish()


def finish():
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
