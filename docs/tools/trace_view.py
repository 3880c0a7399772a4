#!/usr/bin/env python3
"""Draws a goc trace (GOC_TRACE's JSON, format goc-trace-1) as one HTML page.

    trace_view.py TRACE.json [-o TRACE.html] [--title TEXT]

The page stands alone: no network, its CSS and script inline, the trace itself
embedded, so it opens from file:// and can be mailed around. The timeline is
an SVG drawn here, not by the page's script, so a browser without JavaScript
still shows it:
- one lane per goroutine, labelled with where it was started;
- a bar for each stretch it ran, for each time it was blocked, coloured by
  why (legend above the drawing), and for each wait for a thread after a
  goc::yield() (runnable);
- arrows from a send to the receive that took its value, and from go() to the
  child's first moment;
- marks for closes, selects and the sync operations.
Every bar, mark and arrow carries its source line (file:line) and details: as
a tooltip on hover, and in the panel under the drawing on a click or tap. The
script only adds that panel and the zoom buttons; the drawing scrolls sideways
inside its own box, so a phone-wide page never does. Opened as
NAME.html#compact (in a frame of another page) it leaves out its heading.

The time axis is compressed where nothing happens for a long while (a sleep of
10 ms among events a microsecond apart): such a gap is drawn short and marked
with a zigzag, and the tick labels keep the real times.
"""

from __future__ import annotations

import argparse
import bisect
import html
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = "goc-trace-1"
LANE_H = 30          # px per goroutine lane
BAR_Y, BAR_H = 8, 14  # the bars inside a lane
AXIS_H = 24          # the time axis above the lanes
STEP_PX = 10         # px for the typical gap between two events
LONG_GAP = 4         # gaps longer than this many typical ones are compressed
MAX_WIDTH = 30000    # px: a longer drawing is scaled down to it (the zoom buttons bring detail back)

# Why a goroutine waited (blocked, or runnable after a yield) -> its colour class; the legend's order.
BLOCK_REASONS = ["chan send", "chan receive", "select", "Mutex.Lock", "WaitGroup.Wait", "sleep", "runnable"]
INSTANT_KINDS = {"close": "close", "select": "select", "WaitGroup.Add": "sync", "WaitGroup.Done": "sync",
                 "WaitGroup.Wait": "sync", "Mutex.Lock": "sync", "Mutex.Unlock": "sync",
                 "timer set": "timer", "timer fired": "timer", "sleep": "timer", "go": "go"}


class TraceError(Exception):
    """The file is not a goc trace this tool can draw; the message says what to do."""


def css_name(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text).lower()


def where(args: dict) -> str:
    f, line = args.get("file"), args.get("line")
    if not f:
        return ""
    return f"{f}:{line}" if line is not None else str(f)


@dataclass
class Lane:
    tid: int
    name: str
    order: float

    @property
    def short(self) -> str:
        """"g3" of "g3 started at pool.cpp:21"."""
        return self.name.partition(" started at ")[0]


@dataclass
class Mark:
    """Something drawn: a bar (t0 < t1 or a span), an instant (t1 None) or an arrow."""
    kind: str               # "span", "instant", "flow"
    css: str                # classes
    tid: int
    t0: float
    t1: float | None = None
    tid_to: int | None = None
    tip: str = ""           # one line: the tooltip
    details: list[str] = field(default_factory=list)


@dataclass
class Timeline:
    lanes: list[Lane]
    marks: list[Mark]
    clock: str
    schedule: str
    t_start: float
    t_end: float

    def count(self, kind: str) -> int:
        return sum(1 for m in self.marks if m.kind == kind)


def load(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise TraceError(f"cannot read {path}: {e.strerror}. Write one with GOC_TRACE={path} "
                         "or `./course trace EXERCISE`.") from e
    try:
        trace = json.loads(text)
    except json.JSONDecodeError as e:
        raise TraceError(f"{path} is not JSON ({e.msg} at line {e.lineno}); was the program "
                         "stopped while writing it? Run it again with GOC_TRACE set.") from e
    check(trace, str(path))
    return trace


def check(trace, name: str) -> None:
    if not isinstance(trace, dict) or not isinstance(trace.get("traceEvents"), list):
        raise TraceError(f"{name} has no traceEvents list: it is not a trace written by GOC_TRACE")
    other = trace.get("otherData") or {}
    if other.get("format") not in (None, FORMAT):
        raise TraceError(f"{name} is in format {other.get('format')!r}; this tool draws {FORMAT}")
    for n, e in enumerate(trace["traceEvents"]):
        if not isinstance(e, dict) or "ph" not in e:
            raise TraceError(f"{name}: event {n} is not an object with a 'ph' field")
        if e["ph"] in ("X", "i", "s", "f") and not isinstance(e.get("ts"), (int, float)):
            raise TraceError(f"{name}: event {n} ({e.get('name')}) has no numeric 'ts'")


def _lane_of(lanes: dict[int, Lane], tid) -> Lane:
    tid = int(tid)
    if tid not in lanes:
        lanes[tid] = Lane(tid, f"g{tid}", tid)
    return lanes[tid]


def _us(t: float) -> str:
    return f"{t:g} µs" if abs(t) < 1000 else f"{t / 1000:g} ms"


def build(trace: dict) -> Timeline:
    """The lanes and marks of a trace (checked by check())."""
    events = trace["traceEvents"]
    other = trace.get("otherData") or {}
    lanes: dict[int, Lane] = {}
    for e in events:
        if e["ph"] == "M" and "tid" in e:
            lane = _lane_of(lanes, e["tid"])
            args = e.get("args") or {}
            if e.get("name") == "thread_name" and args.get("name"):
                lane.name = str(args["name"])
            elif e.get("name") == "thread_sort_index" and isinstance(args.get("sort_index"), (int, float)):
                lane.order = args["sort_index"]

    marks: list[Mark] = []
    chan_ops: dict[tuple, dict] = {}   # (chan, pos, name) -> args of the send/recv instant
    go_sites: dict[str, dict] = {}     # "g<child>" -> args of the go instant
    flows: dict[tuple, dict] = {}      # (cat, id) -> {"s": event, "f": event}
    times: list[float] = []
    for e in events:
        ph = e["ph"]
        if ph not in ("X", "i", "s", "f"):
            continue
        lane = _lane_of(lanes, e.get("tid", 0))
        args = e.get("args") or {}
        ts = float(e["ts"])
        times.append(ts)
        if ph == "X":
            dur = float(e.get("dur") or 0)
            times.append(ts + dur)
            name = str(e.get("name", ""))
            if e.get("cat") == "block":
                reason = str(args.get("reason") or name.removeprefix("blocked: "))
                css = f"span block reason-{css_name(reason)}"
                if reason == "runnable":   # goc::yield(): waiting for a thread, not blocked
                    details = [f"{lane.short}: runnable, waiting for a thread after goc::yield()"]
                else:
                    details = [f"{lane.short}: blocked on {reason}"
                               + (f" ({args['chan']})" if args.get("chan") else "")]
            else:
                css = "span run"
                details = [f"{lane.short}: running"]
            details.append(f"from {_us(ts)} for {_us(dur)}")
            if where(args):
                details.insert(0, where(args))
            marks.append(Mark("span", css, lane.tid, ts, ts + dur, tip=" - ".join(details), details=details))
        elif ph == "i":
            name = str(e.get("name", ""))
            op = name if name in ("send", "recv") else args.get("op")   # a select says which it did
            if e.get("cat") == "chan" and op in ("send", "recv") and "pos" in args:
                chan_ops[(args.get("chan"), args.get("pos"), op)] = args
            if e.get("cat") == "go" and name == "go" and "child" in args:
                go_sites[f"g{args['child']}"] = args
            kind = INSTANT_KINDS.get(name)
            if kind is None:
                continue   # send/recv show as arrows, start/end as the lane's first and last bars
            details = [where(args)] if where(args) else []
            what = f"{lane.short}: {name}"
            if args.get("chan"):
                what += f" {args['chan']}"
                if args.get("made"):
                    what += f" (made at {args['made']}, capacity {args.get('cap', '?')})"
            if args.get("object"):
                what += f" {args['object']}"
            if name == "select" and "case" in args:
                what += " -> default" if args["case"] == -1 else f" -> case {args['case']}"
                if args.get("op"):
                    what += f" ({args['op']}{' of a closed channel' if args.get('closed') else ''})"
            if name == "go" and "child" in args:
                what += f" g{args['child']}"
            details += [what, f"at {_us(ts)}"]
            marks.append(Mark("instant", f"instant kind-{kind} op-{css_name(name)}", lane.tid, ts,
                              tip=" - ".join(details), details=details))
        else:
            flows.setdefault((e.get("cat"), str(e.get("id", e.get("name")))), {})[ph] = e

    for (cat, fid), ends in flows.items():
        if "s" not in ends or "f" not in ends:
            continue   # a value still in its channel's buffer when the program ended
        s, f = ends["s"], ends["f"]
        src, dst = _lane_of(lanes, s.get("tid", 0)), _lane_of(lanes, f.get("tid", 0))
        if cat == "spawn":
            site = go_sites.get(fid, {})
            details = [where(site)] if where(site) else []
            details.append(f"{src.short} started {dst.name}")
        else:
            chan, _, pos = fid.partition("#")
            pos_key = int(pos) if pos.isdigit() else pos
            sent, taken = chan_ops.get((chan, pos_key, "send"), {}), chan_ops.get((chan, pos_key, "recv"), {})
            value = sent.get("value", taken.get("value"))
            details = []
            if where(sent):
                details.append(f"sent at {where(sent)}")
            if where(taken):
                details.append(f"received at {where(taken)}")
            details.append(f"{src.short} handed value {pos} of {chan} to {dst.short}"
                           + (f": {value}" if value is not None else ""))
        details.append(f"{_us(float(s['ts']))} -> {_us(float(f['ts']))}")
        marks.append(Mark("flow", f"flow {css_name(str(cat))}", src.tid, float(s["ts"]), float(f["ts"]),
                          tid_to=dst.tid, tip=" - ".join(details), details=details))

    ordered = sorted(lanes.values(), key=lambda l: (l.order, l.tid))
    return Timeline(ordered, marks, str(other.get("clock", "")), str(other.get("schedule", "")),
                    min(times, default=0.0), max(times, default=0.0))


class Axis:
    """Time -> x. Steps between consecutive event times are drawn in proportion
    up to LONG_GAP typical steps, and logarithmically beyond (a broken axis)."""

    def __init__(self, times: list[float], max_width: float = MAX_WIDTH):
        self.times = sorted(set(times)) or [0.0]
        gaps = sorted(b - a for a, b in zip(self.times, self.times[1:]) if b > a)
        self.typical = gaps[len(gaps) // 2] if gaps else 1.0
        self.xs = [0.0]
        self.breaks: list[float] = []
        for a, b in zip(self.times, self.times[1:]):
            steps = (b - a) / self.typical
            if steps > LONG_GAP:
                self.breaks.append(self.xs[-1] + STEP_PX * (LONG_GAP + math.log2(steps / LONG_GAP)) / 2)
                steps = LONG_GAP + math.log2(steps / LONG_GAP)
            self.xs.append(self.xs[-1] + steps * STEP_PX)
        if self.xs[-1] > max_width:
            scale = max_width / self.xs[-1]
            self.xs = [x * scale for x in self.xs]
            self.breaks = [x * scale for x in self.breaks]

    @property
    def width(self) -> float:
        return self.xs[-1]

    def x(self, t: float) -> float:
        i = bisect.bisect_left(self.times, t)
        if i < len(self.times) and self.times[i] == t:
            return self.xs[i]
        if i == 0:
            return self.xs[0]
        if i >= len(self.times):
            return self.xs[-1]
        a, b = self.times[i - 1], self.times[i]
        return self.xs[i - 1] + (self.xs[i] - self.xs[i - 1]) * (t - a) / (b - a)

    def ticks(self, every_px: float = 90) -> list[tuple[float, float]]:
        out, last = [], -every_px
        for t, x in zip(self.times, self.xs):
            if x - last >= every_px:
                out.append((x, t))
                last = x
        return out


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def svg(tl: Timeline) -> str:
    times = [m.t0 for m in tl.marks] + [m.t1 for m in tl.marks if m.t1 is not None]
    axis = Axis(times or [tl.t_start, tl.t_end])
    pad = 12
    width = axis.width + 2 * pad
    height = AXIS_H + LANE_H * len(tl.lanes) + 4
    row = {lane.tid: n for n, lane in enumerate(tl.lanes)}

    def lane_y(tid: int) -> float:
        return AXIS_H + LANE_H * row[tid]

    def xa(t: float) -> float:
        return round(pad + axis.x(t), 2)

    out = [f'<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height}" '
           f'data-base-width="{width:.0f}" role="img" aria-label="timeline of {len(tl.lanes)} goroutines">',
           '<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" class="arrowhead"/></marker></defs>']
    out.append('<g class="axis">')
    for x, t in axis.ticks():
        out.append(f'<line class="tick" data-x="{x + pad:.2f}" x1="{x + pad:.2f}" x2="{x + pad:.2f}" y1="{AXIS_H - 6}" '
                   f'y2="{height}"/><text data-x="{x + pad:.2f}" x="{x + pad:.2f}" y="{AXIS_H - 9}">'
                   f"{_attr(_us(t - tl.t_start))}</text>")
    for x in axis.breaks:
        out.append(f'<path class="gap" data-x="{x + pad:.2f}" transform="translate({x + pad:.2f},0)" '
                   f'd="M-5,{AXIS_H - 3} l4,-9 m3,9 l4,-9"><title>a long stretch with no events, drawn short'
                   f"</title></path>")
    out.append("</g>")
    by_lane: dict[int, list[Mark]] = {}
    for m in tl.marks:
        if m.kind != "flow":
            by_lane.setdefault(m.tid, []).append(m)
    for n, lane in enumerate(tl.lanes):
        y = lane_y(lane.tid)
        out.append(f'<g class="lane{" alt" if n % 2 else ""}" data-tid="{lane.tid}" data-name="{_attr(lane.name)}">'
                   f'<rect class="lane-bg" x="0" y="{y}" width="{width:.0f}" height="{LANE_H}"/>')
        for m in by_lane.get(lane.tid, []):
            data = f'data-t0="{xa(m.t0)}" data-detail="{_attr(chr(10).join(m.details))}" tabindex="0"'
            if m.kind == "span":
                x0, x1 = xa(m.t0), xa(m.t1)
                out.append(f'<rect class="{m.css}" {data} data-t1="{x1}" x="{x0}" y="{y + BAR_Y}" '
                           f'width="{max(x1 - x0, 1.5):.2f}" height="{BAR_H}"><title>{_attr(m.tip)}</title></rect>')
            else:
                x0 = xa(m.t0)
                cy = y + BAR_Y + BAR_H / 2
                out.append(f'<path class="{m.css}" {data} transform="translate({x0},{cy})" d="M0,-7 L5,0 L0,7 L-5,0 z">'
                           f"<title>{_attr(m.tip)}</title></path>")
        out.append("</g>")
    out.append('<g class="flows">')
    for m in tl.marks:
        if m.kind != "flow":
            continue
        x0, x1 = xa(m.t0), xa(m.t1)
        y0, y1 = lane_y(m.tid) + BAR_Y + BAR_H / 2, lane_y(m.tid_to) + BAR_Y + BAR_H / 2
        out.append(f'<line class="{m.css}" data-t0="{x0}" data-t1="{x1}" x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" '
                   f'marker-end="url(#arrow)" data-detail="{_attr(chr(10).join(m.details))}" tabindex="0">'
                   f"<title>{_attr(m.tip)}</title></line>")
    out.append("</g></svg>")
    return "\n".join(out)


STYLE = """
:root { --run: #2e8540; --send: #d9822b; --recv: #2f6fd6; --select: #8a4fc4; --lock: #c0392b;
        --wait: #8d6e3f; --sleep: #8a8f98; --runnable: #d4b106; --line: #d0d7de; --text: #1f2328; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; padding: 12px; font: 14px/1.4 system-ui, sans-serif; color: var(--text); }
#compact:target ~ h1, #compact:target ~ .meta { display: none; }  /* page.html#compact: in a frame */
h1 { font-size: 1.15rem; margin: 0 0 4px; overflow-wrap: anywhere; }
.meta { color: var(--muted); margin: 0 0 8px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 0 0 8px; padding: 0; list-style: none; }
.legend li { display: flex; align-items: center; gap: 4px; white-space: nowrap; }
.swatch { display: inline-block; width: 14px; height: 10px; border-radius: 2px; }
.tools { margin: 0 0 6px; display: flex; gap: 6px; align-items: center; }
.tools button { font: inherit; min-width: 36px; min-height: 32px; }
.frame { display: flex; border: 1px solid var(--line); max-width: 100%; }
.names { flex: 0 0 auto; width: clamp(112px, 36vw, 260px); border-right: 1px solid var(--line); padding-top: %(axis)spx; }
.names div { height: %(lane)spx; padding: 1px 6px; font-size: 11px; line-height: 13px;
             display: flex; flex-direction: column; justify-content: center; overflow: hidden; }
.names span { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.names .site { color: var(--muted); direction: rtl; text-align: left; }  /* cut at the left: the line shows */
.names .site bdi { direction: ltr; }
.names div.alt { background: #f6f8fa; } .lane.alt .lane-bg { fill: #f6f8fa; }
.scroll { flex: 1 1 auto; min-width: 0; overflow-x: auto; overflow-y: hidden; }
svg { display: block; }
.lane-bg { fill: #fff; }
.axis text { font-size: 10px; fill: var(--muted); }
.tick { stroke: #eaeef2; }
.gap { fill: none; stroke: var(--muted); stroke-width: 1.5; }
.span, .instant, .flow { cursor: pointer; }
.span.run { fill: var(--run); }
.reason-chan-send { fill: var(--send); } .reason-chan-receive { fill: var(--recv); }
.reason-select { fill: var(--select); } .reason-mutex-lock { fill: var(--lock); }
.reason-waitgroup-wait { fill: var(--wait); } .reason-sleep { fill: var(--sleep); }
.reason-runnable { fill: var(--runnable); }
.span.block { fill-opacity: .45; }
.instant { stroke: #fff; stroke-width: 1; }
.kind-close { fill: #111; } .kind-select { fill: var(--select); } .kind-sync { fill: var(--wait); }
.kind-timer { fill: var(--sleep); } .kind-go { fill: var(--run); }
.flow { stroke: #222; stroke-width: 1.4; }
.flow.spawn { stroke: var(--run); stroke-dasharray: 4 3; }
.arrowhead { fill: #222; }
.selected { stroke: #ffbf00 !important; stroke-width: 3 !important; }
#details { margin-top: 8px; padding: 8px; border: 1px solid var(--line); min-height: 3.2em;
           white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, monospace; font-size: 13px; }
""".replace("%(axis)s", str(AXIS_H)).replace("%(lane)s", str(LANE_H))

# Click or tap: details in the panel. +/-: zoom the time axis only (bars get
# longer, lanes keep their height), by moving x positions the writer stored.
SCRIPT = """
(function () {
  var svg = document.getElementById('timeline'), panel = document.getElementById('details');
  var base = +svg.getAttribute('data-base-width'), zoom = 1, chosen = null;
  function pick(el) {
    if (chosen) chosen.classList.remove('selected');
    chosen = el; el.classList.add('selected');
    panel.textContent = el.getAttribute('data-detail');
  }
  svg.addEventListener('click', function (e) {
    var el = e.target.closest('[data-detail]'); if (el) pick(el);
  });
  svg.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && e.target.hasAttribute('data-detail')) pick(e.target);
  });
  function place() {
    svg.setAttribute('width', Math.round(base * zoom));
    svg.querySelectorAll('.lane-bg').forEach(function (r) { r.setAttribute('width', Math.round(base * zoom)); });
    svg.querySelectorAll('[data-t0]').forEach(function (el) {
      var x0 = el.getAttribute('data-t0') * zoom, t1 = el.getAttribute('data-t1');
      if (el.tagName === 'line') { el.setAttribute('x1', x0); el.setAttribute('x2', t1 * zoom); }
      else if (el.tagName === 'rect') { el.setAttribute('x', x0); el.setAttribute('width', Math.max(t1 * zoom - x0, 1.5)); }
      else { el.setAttribute('transform', el.getAttribute('transform').replace(/translate\\([^,]*,/, 'translate(' + x0 + ',')); }
    });
    svg.querySelectorAll('.axis [data-x]').forEach(function (el) {
      var x = el.getAttribute('data-x') * zoom;
      if (el.tagName === 'line') { el.setAttribute('x1', x); el.setAttribute('x2', x); }
      else if (el.tagName === 'text') el.setAttribute('x', x);
      else el.setAttribute('transform', 'translate(' + x + ',0)');
    });
    document.getElementById('zoom-level').textContent = Math.round(zoom * 100) + '%';
  }
  document.getElementById('zoom-in').onclick = function () { zoom = Math.min(zoom * 1.5, 20); place(); };
  document.getElementById('zoom-out').onclick = function () { zoom = Math.max(zoom / 1.5, 0.05); place(); };
  document.getElementById('zoom-fit').onclick = function () {
    var box = document.querySelector('.scroll').clientWidth;
    zoom = Math.min(1, box / base); place();
  };
})();
"""


def legend() -> str:
    items = [("var(--run)", "running", "")]
    colours = {"chan send": "--send", "chan receive": "--recv", "select": "--select",
               "Mutex.Lock": "--lock", "WaitGroup.Wait": "--wait", "sleep": "--sleep",
               "runnable": "--runnable"}
    items += [(f"var({colours[r]})", "runnable (after goc::yield())" if r == "runnable" else f"blocked: {r}",
               "opacity:.45") for r in BLOCK_REASONS]
    out = ['<ul class="legend">']
    for colour, label, extra in items:
        out.append(f'<li><span class="swatch" style="background:{colour};{extra}"></span>{label}</li>')
    out.append('<li><svg width="22" height="10"><line x1="1" y1="5" x2="20" y2="5" stroke="#222" stroke-width="1.4"/>'
               '</svg>send &#8594; the receive that took it</li>')
    out.append('<li><svg width="22" height="10"><line x1="1" y1="5" x2="20" y2="5" stroke="#2e8540" '
               'stroke-dasharray="4 3" stroke-width="1.4"/></svg>go() &#8594; the new goroutine</li>')
    for css, label in (("#111", "close"), ("#8a4fc4", "select"), ("#8d6e3f", "WaitGroup / Mutex"),
                       ("#8a8f98", "timer")):
        out.append(f'<li><svg width="12" height="14"><path d="M6,0 L11,7 L6,14 L1,7 z" fill="{css}"/></svg>{label}</li>')
    out.append('<li><svg width="14" height="12"><path d="M1,11 l4,-9 m3,9 l4,-9" stroke="#57606a" stroke-width="1.5" '
               'fill="none"/></svg>a long quiet stretch, drawn short</li>')
    out.append("</ul>")
    return "".join(out)


def lane_label(name: str) -> str:
    """"g3 started at pool.cpp:21" on two lines, the goroutine over where it started."""
    who, sep, site = name.partition(" started at ")
    if not sep:
        return f"<span>{html.escape(name)}</span>"
    return f'<span>{html.escape(who)}</span><span class="site"><bdi>{html.escape(site)}</bdi></span>'


def embedded_json(trace: dict) -> str:
    """The trace as JSON that cannot end the <script> element it sits in."""
    return (json.dumps(trace, separators=(",", ":"), ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def page(trace: dict, title: str, timeline: Timeline | None = None) -> str:
    tl = timeline or build(trace)
    clock = {"virtual": "logical clock (a seeded schedule: 1 µs per event, sleeps at their length)",
             "real": "real time since the program started"}.get(tl.clock, tl.clock or "unknown clock")
    meta = f"{len(tl.lanes)} goroutines, {tl.count('flow')} arrows, {clock}"
    if tl.schedule:
        meta += f", GOC_SCHEDULE={tl.schedule}"
    names = "".join(f'<div class="lane-label{" alt" if n % 2 else ""}" title="{_attr(l.name)}">{lane_label(l.name)}</div>'
                    for n, l in enumerate(tl.lanes))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{STYLE}</style></head>
<body><span id="compact"></span>
<h1>{html.escape(title)}</h1>
<p class="meta">{html.escape(meta)}. Tap or hover a bar, mark or arrow for its source line.</p>
{legend()}
<div class="tools"><button id="zoom-out" type="button" aria-label="zoom out">&#8722;</button>
<button id="zoom-in" type="button" aria-label="zoom in">+</button>
<button id="zoom-fit" type="button">fit</button> <span id="zoom-level">100%</span></div>
<div class="frame"><div class="names">{names}</div>
<div class="scroll">{svg(tl)}</div></div>
<div id="details" aria-live="polite">Nothing chosen yet.</div>
<script type="application/json" id="trace-data">{embedded_json(trace)}</script>
<script>{SCRIPT}</script>
</body></html>
"""


def write_page(trace_path: Path, out: Path, title: str | None = None) -> Timeline:
    trace = load(trace_path)
    timeline = build(trace)
    out.write_text(page(trace, title or f"goc trace: {trace_path.name}", timeline), encoding="utf-8")
    return timeline


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("trace", type=Path, help="the JSON file GOC_TRACE wrote")
    ap.add_argument("-o", "--out", type=Path, help="the HTML page (default: beside the trace, .html)")
    ap.add_argument("--title", help="the page's heading")
    args = ap.parse_args()
    out = args.out or args.trace.with_suffix(".html")
    try:
        tl = write_page(args.trace, out, args.title)
    except TraceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"{out}: {len(tl.lanes)} goroutines, {tl.count('flow')} arrows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
