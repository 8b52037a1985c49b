"""A phone without a browser: Streamlit's own protocol (BackMsg / ForwardMsg protobufs over
``/_stcore/stream``), enough to join a workshop, fill the story form, preview and share.

Used by ``bench/bench_ws_phones.py`` (room-scale load) and by the deployment test, which sends
many such phones through Caddy to two app processes.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

CONFIRMED = "Thank you. Your story has been shared"


@dataclass
class PhoneResult:
    """What one phone saw, with times in seconds."""

    marker: str
    interactive_s: float | None = None
    """From opening the connection to the story form drawn (the page is usable)."""
    confirm_s: float | None = None
    """From pressing Share to the confirmation drawn."""
    error: str = ""
    taps: int = 1


@dataclass
class _Page:
    widgets: dict[str, tuple[str, str]] = field(default_factory=dict)
    """label -> (element type, widget id)"""
    fragments: dict[str, str] = field(default_factory=dict)
    """widget id -> the fragment it was drawn in (a tap there reruns only that fragment)"""
    texts: list[str] = field(default_factory=list)


def _widget(element: Any) -> tuple[str, str, str] | None:
    kind = element.WhichOneof("type")
    if kind is None:
        return None
    inner = getattr(element, kind)
    widget_id = getattr(inner, "id", "")
    label = getattr(inner, "label", "")
    if widget_id and label:
        return kind, label, widget_id
    return None


class Phone:
    """One phone's websocket session with the app.

    It behaves as the browser does where that costs the server: a tap in a fragment asks for
    that fragment only, and a fragment with ``run_every`` (the room banner) is asked for again
    on its timer, with the phone's current widget values, for as long as the page is open.
    """

    def __init__(
        self,
        base_url: str,
        *,
        cookie: str | None = None,
        timeout: float = 180.0,
        timers: bool = True,
        headers: dict[str, str] | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws_url = f"{scheme}://{parts.netloc}/_stcore/stream"
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.cookie = cookie
        self.timeout = timeout
        self.ws: Any = None
        self.page = _Page()
        self.page_hash = ""
        self.query: dict[str, str] = {}
        self.states: list[WidgetState] = []
        self.timers: dict[str, asyncio.Task[None]] = {}
        self.timers_on = timers
        self.extra_headers = dict(headers or {})
        self.page_name = ""

    async def __aenter__(self) -> Phone:
        headers = {"Origin": self.origin, **self.extra_headers}
        if self.cookie:
            headers["Cookie"] = self.cookie
        ssl_context = None
        if self.ws_url.startswith("wss"):
            import ssl

            ssl_context = ssl.create_default_context()
            ssl_context.check_hostname = False
            ssl_context.verify_mode = ssl.CERT_NONE  # the test's own Caddy CA
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers=headers,
            ssl=ssl_context,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
        )
        return self

    async def __aexit__(self, *_exc: object) -> None:
        for timer in self.timers.values():
            timer.cancel()
        await self.ws.close()

    async def rerun(
        self, query: dict[str, str], states: list[WidgetState], *, fragment_id: str = "", page: str | None = None
    ) -> None:
        """Ask for a run, as a tap does: of the fragment the tapped widget is in, else of the page.

        ``page`` opens another page by its address (``"workshops"`` for ``/workshops``).
        """
        if page is not None:
            self.page_name, self.page_hash = page, ""
        self.query = query
        # The browser keeps sending what is in the boxes; a tap (trigger) is sent once.
        self.states = [state for state in states if state.WhichOneof("value") != "trigger_value"]
        await self._send(states, fragment_id=fragment_id)

    async def _send(self, states: list[WidgetState], *, fragment_id: str = "", auto: bool = False) -> None:
        msg = BackMsg()
        msg.rerun_script.query_string = urlencode(self.query)
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.page_name = self.page_name
        msg.rerun_script.widget_states.widgets.extend(states)
        msg.rerun_script.fragment_id = fragment_id
        msg.rerun_script.is_auto_rerun = auto
        await self.ws.send(msg.SerializeToString())

    async def _every(self, fragment_id: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self._send(list(self.states), fragment_id=fragment_id, auto=True)

    def fragment_of(self, label: str) -> str:
        """The fragment a widget was drawn in ("" for the page itself)."""
        return self.page.fragments.get(self.widget_id(label), "")

    async def until(self, *, text: str | tuple[str, ...] | None = None, widget: str | None = None) -> str:
        """Read messages until the page shows ``text`` (or one of several) or a widget labelled ``widget``.

        Returns the text or widget label that was seen.
        """
        texts = (text,) if isinstance(text, str) else tuple(text or ())
        deadline = time.monotonic() + self.timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.monotonic()))
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page = _Page()
            elif kind == "navigation" and msg.navigation.page_script_hash:
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "auto_rerun" and msg.auto_rerun.fragment_id not in self.timers and self.timers_on:
                timer = asyncio.create_task(self._every(msg.auto_rerun.fragment_id, msg.auto_rerun.interval))
                self.timers[msg.auto_rerun.fragment_id] = timer
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                found = _widget(element)
                if found:
                    self.page.widgets[found[1]] = (found[0], found[2])
                    if msg.delta.fragment_id:
                        self.page.fragments[found[2]] = msg.delta.fragment_id
                self.page.texts.append(str(element))
            for wanted in texts:
                if any(wanted in t for t in self.page.texts):
                    return wanted
            if widget is not None and widget in self.page.widgets:
                return widget

    def widget_id(self, label: str) -> str:
        return self.page.widgets[label][1]

    def fresh_page(self) -> None:
        self.page = _Page()


def text_state(widget_id: str, value: str) -> WidgetState:
    """A box's value, as the browser sends it."""
    state = WidgetState(id=widget_id)
    state.string_value = value
    return state


def tap(widget_id: str) -> WidgetState:
    """A button press, as the browser sends it (once)."""
    state = WidgetState(id=widget_id)
    state.trigger_value = True
    return state


async def share_story(
    base_url: str,
    code: str,
    story: str,
    *,
    double_tap: bool = False,
    cookie: str | None = None,
    timeout: float = 180,
    timers: bool = True,
) -> PhoneResult:
    """Join with the code, write the story, preview it, press Share (twice if asked) and wait for the thanks."""
    result = PhoneResult(marker=story, taps=2 if double_tap else 1)
    query = {"code": code}
    started = time.monotonic()
    step = "connecting"
    try:
        async with Phone(base_url, cookie=cookie, timeout=timeout, timers=timers) as phone:
            step = "joining"
            await phone.rerun(query, [])
            await phone.until(widget="Preview my story")
            result.interactive_s = time.monotonic() - started
            text_id, preview_id = phone.widget_id("Your story"), phone.widget_id("Preview my story")
            in_form = phone.fragment_of("Preview my story")
            phone.fresh_page()
            step = "preview"
            await phone.rerun(query, [text_state(text_id, story), tap(preview_id)], fragment_id=in_form)
            await phone.until(widget="Share my story")
            share_id, in_form = phone.widget_id("Share my story"), phone.fragment_of("Share my story")
            phone.fresh_page()
            pressed = time.monotonic()
            step = "share"
            await phone.rerun(query, [text_state(text_id, story), tap(share_id)], fragment_id=in_form)
            if double_tap:
                await phone.rerun(query, [text_state(text_id, story), tap(share_id)], fragment_id=in_form)
            await phone.until(text=CONFIRMED)
            result.confirm_s = time.monotonic() - pressed
    except Exception as exc:
        result.error = f"{type(exc).__name__} at {step}: {exc}"[:300]
    return result
