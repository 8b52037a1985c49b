"""Start the app quietly: ``python -m codesign.ui.serve [--port N] [--address A] [streamlit options]``.

This is what ``make run`` does after ``codesign setup``. It runs ``streamlit run app.py`` in
this process, with the settings a workshop laptop needs, and prints only what a facilitator
needs: the addresses, where the data and the log are, and how to stop. Streamlit's own
messages, warnings and tracebacks go to the log file beside the database.

To add a start-up step (a route, a setting), add one line to :func:`before_start`.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from streamlit.web import cli as streamlit_cli

from codesign import workshops
from codesign.ui import routing, signin_route
from codesign.workshops import links

ROOT = Path(__file__).resolve().parents[3]
APP = ROOT / "app.py"
LOG_NAME = "codesign.log"
# How long to wait for the server's health check before saying it did not start.
START_TIMEOUT_S = 120.0

# Streamlit settings for a workshop laptop, on top of .streamlit/config.toml. Command-line
# options given to this module come after these, so they win.
STREAMLIT_OPTIONS = [
    "--server.headless", "true",
    # serve prints the addresses itself (and Streamlit's own banner looks up the external IP).
    "--logger.hideWelcomeMessage", "true",
    # Nobody edits the code during a workshop: no file watcher, no reloads, no inotify noise.
    "--server.fileWatcherType", "none",
    "--browser.gatherUsageStats", "false",
]  # fmt: skip


def before_start() -> None:
    """Start-up steps that must run before the server takes its first request; one line each."""
    routing.disable_pages_folder_mode()
    signin_route.install()
    keep_to_this_machine()


def data_folder(database_url: str) -> Path:
    """The folder of the SQLite file, or ``data/`` for a server database: the log goes there."""
    if database_url.startswith("sqlite:///"):
        return Path(database_url.removeprefix("sqlite:///")).resolve().parent
    return Path(os.environ.get("CODESIGN_DATA_DIR", ROOT / "data")).resolve()


def shown(path: Path) -> str:
    """A path as the person typing in the clone would type it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def banner(*, port: int, address: str, database_url: str, log_path: Path) -> list[str]:
    """What a facilitator needs once the app answers."""
    lines = [f"Open http://localhost:{port}/workshops  (facilitators, on this machine)"]
    if address not in {"127.0.0.1", "localhost"}:
        base = os.environ.get("CODESIGN_BASE_URL") or (
            f"http://{lan}:{port}" if (lan := links.guess_lan_address()) else None
        )
        if base:
            lines.append(f"  Phones on the same network: {base}  (the QR codes use it; set CODESIGN_BASE_URL)")
    if database_url.startswith("sqlite:///"):
        where = shown(Path(database_url.removeprefix("sqlite:///")))
    else:
        where = workshops.masked_url(database_url)
    lines.append(f"  Data: {where}   Log: {shown(log_path)}")
    lines.append("  Stop: press Ctrl+C (the data stays)")
    return lines


def wait_then_print(url: str, lines: list[str], out: TextIO, log_path: Path) -> None:
    """Print the banner once the server answers its health check."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    out.write("\n".join(lines) + "\n")
                    out.flush()
                    return
        except OSError:
            time.sleep(0.2)
    out.write(f"The app has not answered after {START_TIMEOUT_S:.0f} s: see {shown(log_path)}\n")
    out.flush()


def port_in_use(address: str, port: int) -> bool:
    """Whether another program already listens there (then the health check would be its, not ours)."""
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is no clash
        try:
            sock.bind((address, port))
        except OSError:
            return True
    return False


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="python -m codesign.ui.serve", add_help=True)
    parser.add_argument("--port", "--server.port", dest="port", type=int, default=links.DEFAULT_PORT)
    parser.add_argument("--address", "--server.address", dest="address", default="0.0.0.0")  # noqa: S104
    return parser.parse_known_args(argv)


TRUSTED_PROXIES_ENV = "CODESIGN_TRUSTED_PROXIES"


def keep_to_this_machine() -> None:
    """Start Streamlit so that it asks no other host anything and tells no one its numbers.

    - Started headless on 0.0.0.0, Streamlit asks ``checkip.amazonaws.com`` for the machine's
      public address to print it; that look-up is switched off. Its "Network URL" probe (a UDP
      ``connect`` to 8.8.8.8, no packet sent) is replaced by ours, which names a never-routed
      test address instead.
    - ``/_stcore/metrics`` (session counts, memory) answers anyone who asks, so it is not served.
    - The web server (uvicorn) believes ``X-Forwarded-For`` only from the proxies named in
      ``CODESIGN_TRUSTED_PROXIES`` (none by default), so no one can pick the address that
      throttling counts them under.
    """
    from streamlit import net_util
    from streamlit.web.server.starlette import starlette_app

    from codesign.workshops import links

    def no_external_ip() -> None:
        return None

    def no_metrics(*_args: Any, **_kwargs: Any) -> list[Any]:
        return []

    net_util.get_external_ip = no_external_ip
    net_util.get_internal_ip = links.guess_lan_address
    starlette_app.create_metrics_routes = no_metrics  # type: ignore[attr-defined]
    os.environ["FORWARDED_ALLOW_IPS"] = os.environ.get(TRUSTED_PROXIES_ENV, "").strip()


def main(argv: list[str] | None = None) -> None:
    options, extra = parse(sys.argv[1:] if argv is None else argv)
    database_url = workshops.database_url()
    folder = data_folder(database_url)
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / LOG_NAME
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    if port_in_use(options.address, options.port):
        print(f"Port {options.port} is already in use (is the app running already?). Another port: make run PORT=8502",
              file=out, flush=True)  # fmt: skip
        sys.exit(1)
    before_start()
    print("Starting the app…", file=out, flush=True)

    # From here on, everything Streamlit and the libraries print goes to the log file.
    log = log_path.open("a", encoding="utf-8")
    log.write(f"\n=== codesign started {datetime.now(UTC).isoformat(timespec='seconds')} on port {options.port}\n")
    log.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(log.fileno(), sys.stdout.fileno())
    os.dup2(log.fileno(), sys.stderr.fileno())

    host = "127.0.0.1" if options.address in {"0.0.0.0", "::", ""} else options.address  # noqa: S104
    lines = banner(port=options.port, address=options.address, database_url=database_url, log_path=log_path)
    threading.Thread(
        target=wait_then_print, args=(f"http://{host}:{options.port}", lines, out, log_path), daemon=True
    ).start()

    sys.argv = [
        "streamlit", "run", str(APP), *STREAMLIT_OPTIONS,
        "--server.address", options.address, "--server.port", str(options.port), *extra,
    ]  # fmt: skip
    code: int | str | None = 0
    try:
        streamlit_cli.main()
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:
        code = 0
    if code not in (0, None):
        print(f"The app stopped with an error: see {shown(log_path)}", file=out, flush=True)
    else:
        print("Stopped. The data stays; start again with: make run", file=out, flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
