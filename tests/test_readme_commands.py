"""Every command the README and CONTRIBUTING.md print works as printed, in a fresh shell in the clone.

A fresh shell has no virtualenv on its PATH, so shell blocks use `make` targets or the full
`.venv/bin/...` path, never a bare `codesign` or `python`. Each `make` target must exist, each
`codesign` command must be a real command, each script or module must be there.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import click
import pytest

from codesign.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
# Programs a fresh shell has, which the docs may name in their shell blocks.
SYSTEM = {"apt-get", "sqlite3", "pg_dump", "git", "cd", "export", "npm", "curl", "su", "mkdir", "cat"}
FENCE = re.compile(r"^```(?:sh|bash|console|shell)\n(.*?)^```", re.M | re.S)
INLINE = re.compile(r"`((?:make|\.venv/bin/\S+|codesign|python -m codesign\S*)(?= |`)[^`]*)`")


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^([a-z][a-z0-9-]*):", text, re.M)}


def shell_lines(doc: Path) -> list[str]:
    lines = []
    for block in FENCE.findall(doc.read_text(encoding="utf-8")):
        for line in block.splitlines():
            line = line.split(" # ", 1)[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def inline_commands(doc: Path) -> list[str]:
    return [m.group(1) for m in INLINE.finditer(doc.read_text(encoding="utf-8"))]


def words_of(command: str) -> list[str]:
    words = shlex.split(command.replace("…", "X").replace("\\|", "|"))
    while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):  # VAR=value make run
        words.pop(0)
    return words


def check_codesign(args: list[str], command: str) -> None:
    group: click.Command = cli
    for word in args:
        if word.startswith("-") or not isinstance(group, click.Group):
            return
        if word.isupper() or "|" in word or word.endswith((".csv", ".json", ".yaml", "...")):
            return  # a placeholder: CODE, FILE.json, PATH...
        sub = group.commands.get(word)
        assert sub is not None, f"`{command}`: codesign has no command {word!r}"
        group = sub


def check(command: str, *, fresh_shell: bool) -> None:
    words = words_of(command)
    assert words, command
    first, rest = words[0], words[1:]
    if first == "make":
        targets = [w for w in rest if not re.match(r"^[A-Z_]+=", w) and not w.startswith("-")]
        for target in targets or ["help"]:  # plain `make` runs the first target
            assert target in make_targets(), f"`{command}`: the Makefile has no target {target!r}"
    elif first in {".venv/bin/codesign", "codesign"}:
        assert not (fresh_shell and first == "codesign"), f"`{command}`: write .venv/bin/codesign (fresh shell)"
        check_codesign(rest, command)
    elif first in {".venv/bin/python", "python", "python3"}:
        assert not (fresh_shell and first != ".venv/bin/python"), f"`{command}`: write .venv/bin/python"
        if rest[:1] == ["-m"]:
            module = rest[1]
            if module == "codesign":
                check_codesign(rest[2:], command)
            elif module != "pytest":
                assert importlib.util.find_spec(module) is not None, f"`{command}`: no module {module}"
        else:
            assert (ROOT / rest[0]).is_file(), f"`{command}`: no file {rest[0]}"
    elif first.startswith(".venv/bin/"):
        assert first.removeprefix(".venv/bin/") in {"pytest", "ruff", "mypy", "lint-imports", "streamlit", "pip"}, (
            f"`{command}`: {first} is not installed by make"
        )
    elif first in {"bash", "sh"}:
        assert (ROOT / rest[0]).is_file(), f"`{command}`: no file {rest[0]}"
    else:
        assert first in SYSTEM, f"`{command}`: unknown program {first!r} (add it to SYSTEM if a fresh shell has it)"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_shell_blocks_work_in_a_fresh_shell(doc: Path) -> None:
    lines = shell_lines(doc)
    assert lines, f"{doc.name} has no shell blocks"
    for line in lines:
        check(line, fresh_shell=True)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_commands_named_in_the_text_exist(doc: Path) -> None:
    for command in inline_commands(doc):
        check(command, fresh_shell=False)


def test_the_checker_catches_what_would_not_work() -> None:
    for wrong in ("make no-such-target", "codesign no-such-command", ".venv/bin/codesign passcode forget"):
        with pytest.raises(AssertionError):
            check(wrong, fresh_shell=False)
    with pytest.raises(AssertionError):
        check("codesign passcode reset", fresh_shell=True)  # not on PATH in a fresh shell
    check("make display-link CODE=ABC123", fresh_shell=True)
    check(".venv/bin/codesign export CODE --format docx", fresh_shell=True)
