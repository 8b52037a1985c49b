"""The facilitator passcode, join codes and links."""

from __future__ import annotations

import pytest
import segno
from sqlalchemy import Engine

from codesign import workshops
from codesign.errors import ThrottledError
from codesign.storage import workshops as repo
from codesign.workshops import links


def test_generated_passcode_is_stored_only_as_a_hash(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(workshops.PASSCODE_ENV, raising=False)
    passcode = workshops.ensure_passcode(engine)
    assert passcode
    stored = repo.get_app_setting(engine, workshops.PASSCODE_SETTING)
    assert stored and passcode not in stored and stored.startswith("scrypt$")
    assert workshops.ensure_passcode(engine) is None  # printed once only
    assert workshops.check_passcode(engine, passcode, client_key="a")
    assert not workshops.check_passcode(engine, passcode + "x", client_key="a")


def test_configured_passcode_wins_and_nothing_is_stored(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workshops.PASSCODE_ENV, "from-env")
    assert workshops.ensure_passcode(engine) is None
    assert repo.get_app_setting(engine, workshops.PASSCODE_SETTING) is None
    assert workshops.check_passcode(engine, "from-env", client_key="a")
    monkeypatch.delenv(workshops.PASSCODE_ENV)
    assert workshops.check_passcode(engine, "from-secrets", client_key="a", secrets_value="from-secrets")


def test_failures_are_throttled_per_client(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workshops.PASSCODE_ENV, "right")
    for _ in range(workshops.PASSCODE.scopes[0].free):
        assert not workshops.check_passcode(engine, "wrong", client_key="laptop")
    with pytest.raises(ThrottledError):
        workshops.check_passcode(engine, "right", client_key="laptop")
    assert workshops.check_passcode(engine, "right", client_key="other")


def test_join_url_lands_on_the_default_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODESIGN_BASE_URL", "http://192.168.1.20:8501/")
    assert links.join_url("K7QX3M") == "http://192.168.1.20:8501/?code=K7QX3M"


def test_base_url_guess_uses_streamlits_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODESIGN_BASE_URL", raising=False)
    assert links.base_url().endswith(":8501")
    assert links.base_url().startswith("http://")


def test_qr_code_encodes_the_join_link() -> None:
    url = "http://10.0.0.5:8501/?code=K7QX3M"
    svg = links.qr_svg(url)
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert links.qr_png(url).startswith(b"\x89PNG")
    # A small symbol (large modules) scans from the back of the room.
    assert segno.make(url, error="m").version <= 4
