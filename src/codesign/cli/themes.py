"""``codesign themes INPUT.csv``: group any CSV of texts, with no database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from codesign.errors import ValidationFailed
from codesign.themes.csvfile import read_text_table, write_themed_csv
from codesign.themes.methods import DEFAULT_METHOD, METHODS
from codesign.themes.pipeline import auto_k_range, cluster_stories


@click.command("themes")
@click.argument("input_csv", metavar="INPUT.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--text-column", default="text", show_default=True, help="The column holding the texts.")
@click.option("--k", "k", type=click.IntRange(min=1), default=None, help="Number of themes (default: chosen).")
@click.option(
    "--method",
    type=click.Choice(sorted(METHODS)),
    default=DEFAULT_METHOD,
    show_default=True,
    help="How to group.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed: the same input gives the same themes.")
@click.option("--encoding", default="utf-8", show_default=True, help="The input file's text encoding.")
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the input rows plus theme_id and theme_label.",
)
def themes_command(
    input_csv: Path, text_column: str, k: int | None, method: str, seed: int, encoding: str, out_path: Path
) -> None:
    """Group the texts of a CSV into themes; write each row's theme and print the themes."""
    try:
        data = input_csv.read_bytes()
    except OSError as exc:
        click.echo(f"Error: cannot read {input_csv}: {exc.strerror}.", err=True)
        sys.exit(2)
    try:
        table = read_text_table(data, text_column, encoding=encoding, name=str(input_csv))
        result = cluster_stories(table.texts, k=k, method=method, seed=seed)
    except ValidationFailed as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    try:
        out_path.write_bytes(write_themed_csv(table, result))
    except OSError as exc:
        click.echo(f"Error: cannot write {out_path}: {exc.strerror}.", err=True)
        sys.exit(2)
    n = len(table.texts)
    if not n:
        click.echo(f"{input_csv} has no rows to group; wrote the header to {out_path}.")
        return
    how = (
        f"chosen from {auto_k_range(n).start}..{auto_k_range(n).stop - 1} by silhouette"
        if result.k_chosen_automatically
        else "as asked"
    )
    quality = "n/a" if result.quality is None else f"{result.quality:.3f}"
    click.echo(f"{len(result.themes)} themes in {n:,} texts (method {result.method}, seed {seed}, k {how}).")
    click.echo(f"Quality (silhouette, -1..1): {quality}")
    if result.message:
        click.echo(result.message)
    if table.formula_cells:
        click.echo(
            f"{table.formula_cells} cells began with =, +, - or @; they are written with a leading apostrophe "
            "so spreadsheets show them as text instead of running them."
        )
    click.echo(f"{'THEME':>5} {'SIZE':>6}  LABEL")
    for number, theme in enumerate(result.themes, start=1):
        click.echo(f"{number:>5} {theme.size:>6}  {theme.label}")
    click.echo(f"Wrote {out_path}")
