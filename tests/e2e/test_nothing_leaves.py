"""Nothing leaves the machine: the server, started as `make run` starts it, tries no address but loopback.

The whole room (server, phone and laptop) runs in a network namespace with only loopback
(`unshare -n`), so the app must work with no network at all, and the server runs under
`strace -f -e trace=connect`, so every address it tries to reach is recorded.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import TEST_PASSCODE, need
from tests.e2e.conftest import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
# `links.guess_lan_address` asks the kernel which local address would route to TEST-NET-1
# (a UDP connect sends no packet; the address is never routed).
ROUTE_PROBE = ("192.0.2.1", 9)
CONNECT = re.compile(r"connect\(\d+, \{sa_family=(?P<family>AF_\w+)(?P<rest>.*?)\}")
PORT = re.compile(r"htons\((\d+)\)")
INET4 = re.compile(r'inet_addr\("([^"]+)"\)')
INET6 = re.compile(r'inet_pton\(AF_INET6, "([^"]+)"')


def outside_addresses(log: str) -> list[str]:
    """Every connect() in an strace log to anything but loopback, a local socket or the route probe."""
    found = []
    for match in CONNECT.finditer(log):
        family, rest = match["family"], match["rest"]
        if family in {"AF_UNIX", "AF_NETLINK", "AF_UNSPEC"}:
            continue
        port_match = PORT.search(rest)
        port = int(port_match[1]) if port_match else -1
        address = (INET4.search(rest) or INET6.search(rest) or re.match("(.*)", rest))[1]  # type: ignore[index]
        loopback = address.startswith("127.") or address in {"::1", "::ffff:127.0.0.1"}
        if port == 53 or not (loopback or (address, port) == ROUTE_PROBE):
            found.append(f"{family} {address}:{port}")
    return found


def test_the_log_parser_sees_outside_addresses() -> None:
    log = (
        '1 connect(7, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("8.8.8.8")}, 16) = 0\n'
        '1 connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0\n'
        '1 connect(7, {sa_family=AF_INET, sin_port=htons(8501), sin_addr=inet_addr("127.0.0.1")}, 16) = 0\n'
        '1 connect(7, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("192.0.2.1")}, 16) = 0\n'
        "1 connect(8, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
        'inet_pton(AF_INET6, "2600::1", &sin6_addr), sin6_scope_id=0}, 28) = -1\n'
        '1 connect(9, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0\n'
    )
    assert outside_addresses(log) == ["AF_INET 8.8.8.8:1", "AF_INET 127.0.0.53:53", "AF_INET6 2600::1:443"]


def test_a_room_runs_with_only_loopback_and_the_server_tries_no_other_address(tmp_path: Path) -> None:
    need(shutil.which("unshare") is not None and hasattr(os, "geteuid") and os.geteuid() == 0,
         "unshare -n needs util-linux and root")  # fmt: skip
    need(shutil.which("strace") is not None, "strace is not installed")
    need(shutil.which("ip") is not None, "ip (iproute2) is needed to bring loopback up in the namespace")
    need(Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM}")
    command = f"ip link set lo up && exec {sys.executable} -m tests.e2e.offline_room {tmp_path} {TEST_PASSCODE}"
    run = subprocess.run(
        ["unshare", "-n", "sh", "-c", command],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])},
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    server_log = (tmp_path / "server.log").read_text(errors="replace")
    assert result["started"], server_log[-2000:]
    # The app really ran: a phone joined and a facilitator signed in and moderated.
    assert "Offline room" in result["phone"]
    assert "Moderation" in result["laptop"]
    # Streamlit's start no longer asks for the public address (it prints "External URL" when it does).
    assert "External URL" not in server_log
    # /_stcore/metrics (session counts) is not served: the address answers with the app's page.
    status, body = result["metrics"]
    assert "session_events" not in body and "# TYPE" not in body, (status, body[:200])
    connects = (tmp_path / "connect.log").read_text(errors="replace")
    assert "connect(" in connects  # strace saw the server's own loopback connections
    assert outside_addresses(connects) == []
