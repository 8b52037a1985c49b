"""``python -m codesign.tools.screenshot URL OUT.png``: a picture of a page once the app has drawn it.

``chromium --headless --screenshot`` takes its picture as soon as the page loads, before
Streamlit has connected and drawn anything, so it is blank. This waits until Streamlit has
finished running the page (no "running" indicator, no skeleton) and the fonts are in, then
takes the picture with Debian's Chromium driven by Playwright (no browser download).

Examples::

    python -m codesign.tools.screenshot http://localhost:8501/ phone.png --phone
    python -m codesign.tools.screenshot http://localhost:8501/workshops laptop.png --passcode "$PASSCODE" --full-page
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

CHROMIUM = os.environ.get("CODESIGN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]  # fmt: skip
PHONE = (390, 844)
LAPTOP = (1920, 1080)
# Streamlit's root element says whether the script is running and whether it is connected.
DRAWN = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
SKELETON = '[data-testid="stAppSkeleton"], [data-testid="stSkeleton"], [data-stale="true"]'


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m codesign.tools.screenshot", description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("out", type=Path)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--phone", action="store_true", help=f"a {PHONE[0]}x{PHONE[1]} phone (default: 1920x1080)")
    size.add_argument("--size", metavar="WxH", help="any window size, such as 1280x800")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not only the window")
    parser.add_argument("--passcode", help="sign in as the facilitator first, if the page asks")
    parser.add_argument("--wait-for", metavar="TEXT", help="also wait until this text is on the page")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for the app (default 60)")
    return parser.parse_args(argv)


def window(args: argparse.Namespace) -> tuple[int, int]:
    if args.phone:
        return PHONE
    if args.size:
        width, _, height = args.size.lower().partition("x")
        return int(width), int(height)
    return LAPTOP


def wait_until_drawn(page: object, timeout_ms: float) -> None:
    """Until Streamlit has run the page, nothing is stale or a placeholder, and the fonts are in."""
    page.wait_for_function(  # type: ignore[attr-defined]
        """([drawn, skeleton]) => document.fonts.status === "loaded"
            && document.querySelector(drawn) && !document.querySelector(skeleton)
            && (document.querySelector('[data-testid="stMain"]')?.innerText || "").trim().length > 0""",
        arg=[DRAWN, SKELETON],
        timeout=timeout_ms,
    )
    page.wait_for_timeout(500)  # type: ignore[attr-defined]  # charts and images paint after the run ends


def take(args: argparse.Namespace) -> Path:
    out: Path = args.out
    from playwright.sync_api import sync_playwright

    width, height = window(args)
    timeout_ms = args.timeout * 1000
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(
                viewport={"width": width, "height": height}, is_mobile=args.phone, has_touch=args.phone
            )
            page = context.new_page()
            page.goto(args.url, timeout=timeout_ms)
            wait_until_drawn(page, timeout_ms)
            if args.passcode and page.get_by_label("Facilitator passcode").count():
                page.get_by_label("Facilitator passcode").fill(args.passcode)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_label("Facilitator passcode").wait_for(state="detached", timeout=timeout_ms)
                wait_until_drawn(page, timeout_ms)
            if args.wait_for:
                page.get_by_text(args.wait_for).first.wait_for(timeout=timeout_ms)
                wait_until_drawn(page, timeout_ms)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=args.full_page)
        finally:
            browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if not Path(CHROMIUM).exists():
        print(f"Chromium is not at {CHROMIUM}: apt-get install chromium, or set CODESIGN_CHROMIUM.", file=sys.stderr)
        return 2
    print(take(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
