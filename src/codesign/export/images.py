"""Plotly figures as PNG images at print resolution, with kaleido and a local Chromium.

Kaleido drives a headless Chrome or Chromium. Starting one costs 2.6 to 4.1 s per image
when every call starts its own browser, so the first image starts kaleido's sync server
once per process and later images take 0.3 to 0.8 s. If there is no browser, or the
browser fails, ``render_png`` returns ``None`` and says why in ``unavailable_reason``:
the report then shows the data as tables with a note, and never fails because of a chart.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from codesign.sanitiser import clean_value

# Where Debian and most Linux installs put Chromium or Chrome; kaleido is told explicitly
# through BROWSER_PATH so it never tries to download one.
BROWSER_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# 6.5 inches (a portrait A4 page's text width) at 300 dpi needs about 1,950 pixels:
# 900 x 2.4 gives 2,160, sharp when printed, and about 150 KB per chart.
WIDTH_PX = 900
HEIGHT_PX = 520
SCALE = 2.4
# The first image starts the browser; later ones take under a second. A browser that
# hangs longer than this is given up on, and the report uses tables instead.
FIRST_TIMEOUT_S = 60.0
TIMEOUT_S = 30.0

# Pictures already drawn, by what was drawn: the PDF made after the Word report, or a report made
# again with nothing changed, reuses them (a changed chart is a different key). About 0.2 to 1 MB each.
KEEP_PICTURES = 40

_lock = threading.Lock()
_state: dict[str, Any] = {"started": False, "warming": False, "broken": ""}
_made: OrderedDict[str, bytes] = OrderedDict()
_drawing: dict[str, Future[bytes]] = {}
# One worker: kaleido's sync server answers one request at a time, in order.
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="codesign-kaleido")


def browser_path() -> str | None:
    """The Chrome or Chromium kaleido would use, or None if there is none on this machine."""
    named = os.environ.get("BROWSER_PATH", "").strip()
    if named:
        return named if Path(named).is_file() and os.access(named, os.X_OK) else None
    for name in BROWSER_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def unavailable_reason() -> str:
    """Why chart images cannot be made here, or an empty string if they can."""
    if _state["broken"]:
        return str(_state["broken"])
    if browser_path() is None:
        return (
            "no Chrome or Chromium browser was found on this machine (install Debian's chromium package, "
            "or set BROWSER_PATH)"
        )
    return ""


def render_png(figure: Any, *, width: int = WIDTH_PX, height: int = HEIGHT_PX, scale: float = SCALE) -> bytes | None:
    """Render one Plotly figure to PNG bytes.

    Args:
        figure: A plotly Figure (or figure dict).
        width: Width in CSS pixels before scaling.
        height: Height in CSS pixels before scaling.
        scale: Pixel multiplier; the defaults give print resolution on a portrait page.

    Returns:
        The PNG bytes, or None if no browser is available or rendering failed (see
        ``unavailable_reason``).
    """
    if unavailable_reason():
        return None
    return _draw(figure, width, height, scale, "png", b"\x89PNG")


def render_pdf(figure: Any, *, width: int, height: int) -> bytes | None:
    """Render one Plotly figure as a one-page vector PDF, its page ``width`` x ``height`` CSS pixels.

    1587 x 1123 pixels is an A3 landscape sheet. Returns None when no browser can draw it
    (see ``unavailable_reason``).
    """
    if unavailable_reason():
        return None
    return _draw(figure, width, height, 1.0, "pdf", b"%PDF")


def prefetch(figure: Any, *, width: int, height: int, scale: float = SCALE) -> None:
    """Start drawing a picture now, without waiting: a later ``render_png`` with the same arguments gets it.

    The report asks for every chart before it lays out its text, so the browser draws while
    python-docx writes the document.
    """
    if unavailable_reason():
        return
    _submit(figure, width, height, scale, "png")


def forget_pictures() -> None:
    """Drop the pictures kept from earlier reports (the next report draws every chart afresh)."""
    with _lock:
        _made.clear()


def _submit(figure: Any, width: int, height: int, scale: float, fmt: str) -> Future[bytes]:
    """The picture's drawing: already made (kept from an earlier report), under way, or queued now."""
    # plotly.js fails on control characters (a bell in a story stops the whole chart), so
    # every string of the figure is cleaned, whichever builder made it.
    fig = clean_value(figure.to_dict() if hasattr(figure, "to_dict") else figure)
    key = hashlib.sha256(
        json.dumps([fig, width, height, scale, fmt], sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()
    with _lock:
        if key in _made:
            _made.move_to_end(key)
            done: Future[bytes] = Future()
            done.set_result(_made[key])
            return done
        if key not in _drawing:
            _drawing[key] = _pool.submit(_render_and_keep, key, fig, width, height, scale, fmt)
        return _drawing[key]


def _render_and_keep(key: str, fig: Any, width: int, height: int, scale: float, fmt: str) -> bytes:
    try:
        data = _render(fig, width, height, scale, fmt)
        with _lock:
            _made[key] = data
            while len(_made) > KEEP_PICTURES:
                _made.popitem(last=False)
        return data
    finally:
        with _lock:
            _drawing.pop(key, None)


def _draw(figure: Any, width: int, height: int, scale: float, fmt: str, magic: bytes) -> bytes | None:
    """Draw in the one shared browser; a first failure marks the browser broken for this process."""
    first = not _state["started"]
    with _lock:
        queued = len(_drawing)
    future = _submit(figure, width, height, scale, fmt)
    # Pictures asked for ahead (``prefetch``) are drawn in turn: each one queued before this one has its time.
    timeout = (FIRST_TIMEOUT_S if first else TIMEOUT_S) + TIMEOUT_S * queued
    try:
        data = future.result(timeout=timeout)
    except FutureTimeout:
        _state["broken"] = "the browser that draws the charts did not answer in time"
        return None
    except Exception as exc:  # kaleido and the browser raise many kinds
        if first:
            _state["broken"] = f"the browser that draws the charts could not start ({_first_line(exc)})"
        return None
    return data if isinstance(data, bytes) and data.startswith(magic) else None


def start_in_background() -> None:
    """Start the browser now, without waiting, so the first chart of a report is already quick.

    The Export screen calls this when it opens: by the time someone clicks, the
    2.6 to 4.1 s browser start has usually passed.
    """
    if unavailable_reason() or _state["started"] or _state["warming"]:
        return
    _state["warming"] = True
    _pool.submit(_start_quietly)


def _start_quietly() -> None:
    try:
        # A tiny chart, so plotly.js is loaded in the browser's page before the first real one.
        _render({"data": [], "layout": {}}, 10, 10, 1.0)
    except Exception as exc:  # the next render reports it; a warm-up must never raise
        _state["broken"] = f"the browser that draws the charts could not start ({_first_line(exc)})"


def _ensure_started() -> None:
    import kaleido

    if _state["started"]:
        return
    path = browser_path()
    if path:
        os.environ["BROWSER_PATH"] = path
    # mathjax=False: the default fetches MathJax from a CDN, which a workshop laptop
    # may not reach and which the report does not need.
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    _state["started"] = True


def _render(fig: Any, width: int, height: int, scale: float, fmt: str = "png") -> bytes:
    import kaleido

    _ensure_started()
    result = kaleido.calc_fig_sync(fig, opts={"format": fmt, "width": width, "height": height, "scale": scale})
    return bytes(result)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__
