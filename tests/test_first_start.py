"""A newcomer's first start: clone, `make run`, and the app answers with a short, true start-up text.

This installs everything from the package registry into a new clone, so it takes a minute or
more: it runs in CI (CI=true) and when CODESIGN_TEST_FIRST_START=1, and skips otherwise.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.e2e.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
# Install, database, demo and server start; generous, as the machine may be busy.
FIRST_START_TIMEOUT_S = 900

pytestmark = pytest.mark.slow


def _reader(stream, lines: queue.Queue[str | None]) -> None:  # type: ignore[no-untyped-def]
    for line in iter(stream.readline, ""):
        lines.put(line.rstrip("\n"))
    lines.put(None)


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Path:
    if not (IN_CI or os.environ.get("CODESIGN_TEST_FIRST_START") == "1"):
        pytest.skip("installs a new clone from the package registry: set CODESIGN_TEST_FIRST_START=1 (on in CI)")
    for tool in ("git", "make"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is needed to test the first start")
    clone = tmp_path / "codesign"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    return clone


def test_make_run_on_a_fresh_clone(fresh_clone: Path) -> None:
    port = free_port()
    # A fresh shell: none of the test run's own settings or virtualenv.
    # (MAKEFLAGS and MAKELEVEL too: run under `make test`, an inner make would announce its directory.)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CODESIGN_", "VIRTUAL_ENV", "PYTHON", "MAKE", "MFLAGS"))
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if "/.venv/" not in p and not p.endswith("/.venv/bin")
    )
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}", "ADDRESS=127.0.0.1"],
        cwd=fresh_clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True).start()
    output: list[str] = []
    try:
        deadline = time.monotonic() + FIRST_START_TIMEOUT_S
        while not any(line.startswith("Open http://") for line in output):
            remaining = deadline - time.monotonic()
            assert remaining > 0, "no 'Open http://' line in time:\n" + "\n".join(output)
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                continue
            assert line is not None, "make run stopped:\n" + "\n".join(output)
            output.append(line)
        # The lines after "Open" come at once.
        while len(output) < 40:
            try:
                line = lines.get(timeout=3)
            except queue.Empty:
                break
            if line is None:
                break
            output.append(line)

        text = "\n".join(output)
        # One short progress line per step, in order.
        steps = [
            r"^Installing the app into \.venv… done with (uv|pip) in \d+ s$",
            r"^Creating the database… data/codesign\.db$",
            r"^Loading the demo… done: '.+', join code [A-Z0-9]{6}, \d+ stories\.$",
            r"^  Facilitator passcode: \S+$",
            r"^  Write it down now: it is shown only this once \(for a new one: make passcode-reset\)\.$",
            r"^Starting the app…$",
            rf"^Open http://localhost:{port}/workshops  \(facilitators, on this machine\)$",
            r"^  Data: data/codesign\.db   Log: data/codesign\.log$",
            r"^  Stop: press Ctrl\+C \(the data stays\)$",
        ]
        at = 0
        for step in steps:
            found = next((i for i in range(at, len(output)) if re.match(step, output[i])), None)
            assert found is not None, f"missing {step!r} in:\n{text}"
            at = found + 1
        # Quiet: nothing else but blank lines; no library noise.
        assert len([line for line in output if line.strip()]) == len(steps), text
        for noise in ("WARNING", "Warning", "Traceback", "You can now view", "external IP", "Inotify", "pip"):
            assert noise not in text, f"{noise!r} in the start-up text:\n{text}"

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10) as response:
            assert response.status == 200
        assert (fresh_clone / "data" / "codesign.log").stat().st_size > 0  # the noise went here

        # The command the start-up text prints works as printed.
        reset = subprocess.run(
            ["make", "passcode-reset"], cwd=fresh_clone, env=env, capture_output=True, text=True, timeout=120
        )
        assert reset.returncode == 0 and reset.stdout.startswith("New facilitator passcode: "), reset.stdout

        # Ctrl+C (SIGINT to the terminal's process group) stops it cleanly: make itself dies of the
        # signal, as it does for any Ctrl+C, but the app says it stopped and prints no traceback.
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=60) in (0, -signal.SIGINT)
        rest: list[str] = []
        while (line := lines.get(timeout=10)) is not None:
            rest.append(line)
        assert rest[-1:] == ["Stopped. The data stays; start again with: make run"], rest
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
