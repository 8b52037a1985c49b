"""``codesign themes INPUT.csv``: any CSV of texts in, the same rows with their themes out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from codesign.cli.main import cli
from tests.themes.test_pipeline import STORIES


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_groups_a_csv_and_writes_rows_with_their_themes(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [["id", "text"]] + [[str(i), t] for i, t in enumerate(STORIES)])
    out = tmp_path / "out.csv"
    result = run("themes", str(source), "--text-column", "text", "--k", "3", "--seed", "1", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["id", "text", "theme_id", "theme_label"]
    assert [r[:2] for r in rows[1:]] == [[str(i), t] for i, t in enumerate(STORIES)]
    assert {r[2] for r in rows[1:]} == {"1", "2", "3"}
    lines = result.output.splitlines()
    assert lines[0] == "3 themes in 12 texts (method static-minilm, seed 1, k as asked)."
    table = lines[lines.index(next(line for line in lines if line.strip().startswith("THEME"))) + 1 :][:3]
    labels = {r[2]: r[3] for r in rows[1:]}
    for line in table:
        number, size, label = line.split(maxsplit=2)
        assert labels[number] == label and int(size) == sum(r[2] == number for r in rows[1:])
    again = tmp_path / "again.csv"
    run("themes", str(source), "--k", "3", "--seed", "1", "--out", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_k_omitted_chooses_and_says_so(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [["text"]] + [[t] for t in STORIES])
    result = run("themes", str(source), "--out", str(tmp_path / "o.csv"))
    assert "chosen from 2..3 by silhouette" in result.output
    assert "Quality (silhouette, -1..1): " in result.output


@pytest.mark.parametrize("method", ["tfidf-kmeans", "tfidf-nmf", "lsa-kmeans"])
def test_other_methods_by_name(tmp_path: Path, method: str) -> None:
    source = write_csv(tmp_path / "in.csv", [["text"]] + [[t] for t in STORIES])
    result = run("themes", str(source), "--method", method, "--k", "3", "--out", str(tmp_path / "o.csv"))
    assert result.exit_code == 0 and f"method {method}" in result.output


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "bom.csv", [["text"]] + [[t] for t in STORIES], encoding="utf-8-sig")
    result = run("themes", str(source), "--k", "2", "--out", str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").startswith("text,theme_id,theme_label\n")


def test_formula_cells_are_written_as_text(tmp_path: Path) -> None:
    rows = [["text", "note"], ['=HYPERLINK("http://x")', "+1"], *[[t, "@me"] for t in STORIES]]
    source = write_csv(tmp_path / "f.csv", rows)
    result = run("themes", str(source), "--k", "2", "--out", str(tmp_path / "o.csv"))
    assert f"{2 + len(STORIES)} cells began with =, +, - or @" in result.output
    out = list(csv.reader((tmp_path / "o.csv").read_text(encoding="utf-8").splitlines()))
    assert out[1][:2] == ['\'=HYPERLINK("http://x")', "'+1"] and out[2][1] == "'@me"


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"id,body\n1,hello\n", [], "has no column 'text'. Its columns are: 'id', 'body'. Use --text-column."),
        ("text\nCaf\xe9 staff were kind\n".encode("cp1252"), [], "is not utf-8 text (byte 0xe9 at position 8)"),
        (b"", [], "is empty"),
        ("text\nhello\n".encode("utf-16"), [], "not utf-8 text"),
        (b"text\nhello\n", ["--encoding", "klingon"], "'klingon' is not an encoding"),
    ],
    ids=["missing-column", "wrong-encoding", "empty-file", "utf-16", "unknown-encoding"],
)
def test_bad_files_get_one_clear_message(tmp_path: Path, content: bytes, args: list[str], message: str) -> None:
    source = tmp_path / "bad.csv"
    source.write_bytes(content)
    result = CliRunner().invoke(cli, ["themes", str(source), *args, "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output and not (tmp_path / "o.csv").exists()


def test_wrong_encoding_can_be_named(tmp_path: Path) -> None:
    source = tmp_path / "old.csv"
    source.write_bytes("text\nCafé staff were kind\nLong wait\n".encode("cp1252"))
    result = run("themes", str(source), "--encoding", "cp1252", "--k", "2", "--out", str(tmp_path / "o.csv"))
    assert result.exit_code == 0 and "Café" in (tmp_path / "o.csv").read_text(encoding="utf-8")


def test_missing_input_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["themes", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "cannot read" in result.output


def test_header_only_file_writes_the_header(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "h.csv", [["text", "x"]])
    result = run("themes", str(source), "--out", str(tmp_path / "o.csv"))
    assert "no rows to group" in result.output
    assert (tmp_path / "o.csv").read_text(encoding="utf-8") == "text,x,theme_id,theme_label\n"


def test_real_process_takes_the_fast_path_and_the_full_cli_still_lists_themes(tmp_path: Path) -> None:
    import subprocess
    import sys

    source = write_csv(tmp_path / "in.csv", [["text"]] + [[t] for t in STORIES])
    out = tmp_path / "o.csv"
    done = subprocess.run(
        [sys.executable, "-m", "codesign", "themes", str(source), "--k", "3", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("3 themes in 12 texts") and out.is_file()
    missing = subprocess.run(
        [sys.executable, "-m", "codesign", "themes", str(source), "--text-column", "body", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2 and "has no column 'body'" in missing.stderr and "Traceback" not in missing.stderr
    listed = subprocess.run([sys.executable, "-m", "codesign", "--help"], capture_output=True, text=True, check=True)
    assert " themes " in listed.stdout
