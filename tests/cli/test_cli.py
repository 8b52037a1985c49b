"""The CLI, through click's runner and as a real process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from codesign.cli.main import cli
from codesign.workshops.kits import builtin_kit_paths

README = Path(__file__).resolve().parents[2] / "README.md"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_help_lists_the_commands() -> None:
    result = subprocess.run([sys.executable, "-m", "codesign", "--help"], capture_output=True, text=True, check=True)
    for command in ("demo", "workshops", "kits", "setup", "db", "passcode"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M), command


def test_demo_creates_then_keeps_then_resets(sqlite_url: str) -> None:
    first = run("demo", "--db", sqlite_url)
    assert first.exit_code == 0 and first.output.startswith("Created demo workshop")
    code = re.search(r"code (\w+)", first.output).group(1)  # type: ignore[union-attr]
    again = run("demo", "--db", sqlite_url)
    assert again.output.startswith("Kept the existing demo workshop") and code in again.output
    reset = run("demo", "--reset", "--db", sqlite_url)
    assert reset.output.startswith("Created demo workshop") and code not in reset.output
    listed = run("workshops", "list", "--db", sqlite_url)
    assert len(listed.output.strip().splitlines()) == 2  # header + the one demo workshop


def test_workshops_list_when_empty(sqlite_url: str) -> None:
    assert "No workshops yet" in run("workshops", "list", "--db", sqlite_url).output


def test_kits_list(sqlite_url: str) -> None:
    output = run("kits", "list", "--db", sqlite_url).output
    assert {"adult-community-ebcd", "living-well", "cyp-thrive"} <= {line.split()[0] for line in output.splitlines()}


def test_kits_validate_passes_the_shipped_kits() -> None:
    result = run("kits", "validate", *map(str, builtin_kit_paths()))
    assert result.exit_code == 0
    assert all(line.endswith(")") and ": ok (" in line for line in result.output.splitlines())


def test_kits_validate_fails_with_one_line_per_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Not-Valid\ntitle: x\n", encoding="utf-8")
    good = builtin_kit_paths()[0]
    result = run("kits", "validate", str(good), str(bad))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].endswith("ok (" + lines[0].split("ok (")[1])
    problems = [line for line in lines if line.startswith(f"{bad}: ")]
    assert any("id: " in p for p in problems)
    assert any("stages: this field is required" in p for p in problems)


def test_unreachable_database_is_one_clear_line() -> None:
    result = CliRunner().invoke(cli, ["workshops", "list", "--db", "postgresql+psycopg://u:hunter2@127.0.0.1:1/x"])
    assert result.exit_code == 2
    assert "hunter2" not in result.output
    assert result.output.startswith("Error: Cannot open the database at postgresql+psycopg://u:***@127.0.0.1:1/x")
    assert "Traceback" not in result.output


def test_setup_prints_the_passcode_once(sqlite_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CODESIGN_FACILITATOR_PASSCODE", raising=False)
    monkeypatch.chdir(Path(sqlite_url.removeprefix("sqlite:///")).parent)
    first = run("setup", "--db", sqlite_url)
    assert first.output.startswith("Creating the database… codesign.db\n")
    assert "Facilitator passcode:" in first.output and "Loading the demo… done" in first.output
    second = run("setup", "--db", sqlite_url)
    assert second.output.startswith("Opening the database… codesign.db\n")
    assert "Facilitator passcode:" not in second.output and "Loading the demo" not in second.output


def test_setup_tells_how_to_reset_the_passcode_with_a_command_that_runs(sqlite_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Printed commands work in a fresh shell: the console script by its path when it is not on PATH."""
    monkeypatch.delenv("CODESIGN_FACILITATOR_PASSCODE", raising=False)
    monkeypatch.delenv("CODESIGN_SERVE_NEXT", raising=False)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.chdir(Path(sqlite_url.removeprefix("sqlite:///")).parent)
    output = run("setup", "--db", sqlite_url, "--no-demo").output
    hint = re.search(r"for a new one: (\S+) passcode reset\)", output)
    assert hint, output
    script = Path(hint.group(1))
    # The console script installed beside this Python (.venv/bin/codesign under make).
    assert script == Path(sys.executable).parent / "codesign"
    assert script.is_file() and os.access(script, os.X_OK)


def test_make_run_prints_the_make_target_for_a_new_passcode(sqlite_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CODESIGN_FACILITATOR_PASSCODE", raising=False)
    monkeypatch.setenv("CODESIGN_SERVE_NEXT", "1")
    monkeypatch.chdir(Path(sqlite_url.removeprefix("sqlite:///")).parent)
    output = run("setup", "--db", sqlite_url, "--no-demo").output
    assert "for a new one: make passcode-reset)" in output
    assert "http://" not in output  # serve prints the addresses once the app answers


def test_every_command_is_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for sub in subcommands:
                assert f"codesign {name} {sub}" in readme, f"codesign {name} {sub}"
        else:
            assert f"codesign {name}" in readme, f"codesign {name}"


def test_display_link_prints_the_link_and_revoke_replaces_it(sqlite_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from codesign import workshops

    monkeypatch.setenv("CODESIGN_BASE_URL", "http://room.test:8501")
    run("demo", "--db", sqlite_url)
    engine = workshops.open_database(sqlite_url)
    workshop = workshops.list_workshops(engine)[0]
    first = run("display-link", workshop.code.lower(), "--db", sqlite_url)
    assert first.exit_code == 0
    link = first.output.strip()
    assert link.startswith("http://room.test:8501/?key=")
    assert run("display-link", workshop.code, "--db", sqlite_url).output.strip() == link  # kept
    key = link.split("key=", 1)[1]
    assert workshops.open_display(engine, key).id == workshop.id
    revoked = CliRunner().invoke(cli, ["display-link", workshop.code, "--revoke", "--db", sqlite_url])
    assert revoked.exit_code == 0 and "old one no longer works" in revoked.output
    new_link = revoked.output.strip().splitlines()[-1]
    assert new_link != link and new_link.startswith("http://room.test:8501/?key=")
    import pytest

    from codesign.errors import NotFoundError

    with pytest.raises(NotFoundError):
        workshops.open_display(engine, key)
    unknown = run("display-link", "ZZZZZZ", "--db", sqlite_url)
    assert unknown.exit_code == 2


def test_purge_deletes_only_workshops_past_the_retention_period(sqlite_url: str) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from codesign import workshops
    from codesign.storage.schema import WorkshopRow
    from codesign.workshops.kits import get_builtin_kit

    engine = workshops.open_database(sqlite_url)
    old = workshops.create_workshop(engine, "Last year's series", get_builtin_kit("living-well"))
    new = workshops.create_workshop(engine, "This month", get_builtin_kit("living-well"))
    with engine.begin() as conn:
        conn.execute(
            update(WorkshopRow)
            .where(WorkshopRow.id == old.id)
            .values(created_at=datetime.now(UTC) - timedelta(days=400))
        )
    dry = run("purge", "--db", sqlite_url, "--dry-run")
    assert dry.exit_code == 0 and f"Would delete {old.code}" in dry.output and new.code not in dry.output
    assert {w.id for w in workshops.list_workshops(engine)} == {old.id, new.id}
    result = run("purge", "--db", sqlite_url)
    assert result.exit_code == 0, result.output
    assert "Deleted 1 workshop older than 180 days" in result.output
    assert [w.id for w in workshops.list_workshops(engine)] == [new.id]
    assert workshops.list_audit(engine, old.id)[0].action == "workshop_deleted"


def test_passcode_reset_forgets_wrong_tries_even_when_the_passcode_is_configured(sqlite_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from codesign import workshops

    monkeypatch.setenv(workshops.PASSCODE_ENV, "set-by-the-trust")
    engine = workshops.open_database(sqlite_url)
    for guess in range(workshops.PASSCODE.scopes[1].free + 2):
        workshops.record_failure(engine, workshops.PASSCODE, f"session:{guess}")
    result = run("passcode", "reset", "--db", sqlite_url)
    assert "change it there" in result.output and "forgotten" in result.output
    assert workshops.check_passcode(engine, "set-by-the-trust", client_key="ip:facilitator")
