"""The house's import rules, for the files import-linter cannot see (pages/ and app.py are not a package).

The rules for src/codesign are import-linter contracts in pyproject.toml, run by `make lint`;
this test runs them too, so a broken contract also fails `pytest`.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FRONT_ENDS = [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", FRONT_ENDS, ids=lambda p: p.name)
def test_front_ends_talk_to_services_never_to_storage(path: Path) -> None:
    reached = {m for m in imported_modules(path) if m == "codesign.storage" or m.startswith("codesign.storage.")}
    assert not reached, f"{path.name} imports {sorted(reached)}: call the capability's service instead"


def test_every_capability_is_a_package_with_one_service() -> None:
    core = ROOT / "src" / "codesign"
    for name in ("workshops", "stories", "themes", "network", "journeys", "voting", "actions", "export", "demo"):
        assert (core / name / "service.py").is_file(), f"{name}/ has no service module"
    loose = sorted(p.name for p in core.glob("*.py") if p.name not in {"__init__.py", "__main__.py"})
    assert loose == ["errors.py", "models.py", "sanitiser.py"], "only shared values live at the top of the core"


def test_import_contracts_hold() -> None:
    linter = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert linter, "import-linter is in requirements-dev.txt"
    result = subprocess.run([linter], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
