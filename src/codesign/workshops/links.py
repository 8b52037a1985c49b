"""Join links and QR codes that phones in the room can open."""

from __future__ import annotations

import io
import os
import socket
from urllib.parse import urlencode

import segno

DEFAULT_PORT = 8501


def guess_lan_address() -> str | None:
    """This machine's address on the local network, or None if it has none.

    Connecting a UDP socket sends no packet: it only asks the kernel which local
    address it would route from.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, never contacted
            address = str(sock.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address  # noqa: S104


def base_url(port: int | None = None) -> str:
    """Where phones reach the app: ``CODESIGN_BASE_URL``, else the LAN address on Streamlit's port.

    Args:
        port: The port Streamlit is serving on, if the caller knows it.
    """
    configured = os.environ.get("CODESIGN_BASE_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    port = port or int(os.environ.get("STREAMLIT_SERVER_PORT", DEFAULT_PORT))
    host = guess_lan_address() or "localhost"
    return f"http://{host}:{port}"


def join_url(code: str, base: str | None = None) -> str:
    """The link a phone follows. It lands on the app's default page (``/?code=...``):
    Streamlit serves the default page only at the root, and a link to another page's
    path shows a "page not found" dialog that freezes the form."""
    return f"{(base or base_url()).rstrip('/')}/?{urlencode({'code': code})}"


def qr_svg(url: str, scale: int = 8) -> bytes:
    """A QR code for url as SVG bytes, dark on white for projectors."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=scale, border=2, dark="#000000", light="#ffffff")
    return buf.getvalue()


def qr_png(url: str, scale: int = 10) -> bytes:
    """A QR code for url as PNG bytes."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()
