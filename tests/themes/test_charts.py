"""Theme figures: the right cells, and participant words never read as Plotly markup."""

from __future__ import annotations

from sqlalchemy import Engine

from codesign.charts.themes import safe_label, theme_lens_chart, theme_stage_heatmap
from codesign.models import Workshop
from codesign.storage import themes as repo
from codesign.storage.stories import list_stories
from codesign.storage.workshops import list_lenses, list_stages
from codesign.themes.board import summarise_board
from codesign.themes.service import find_themes


def test_labels_lose_their_markup_and_length() -> None:
    assert safe_label('<a href="http://x">click</a><br>me') == '‹a href="http://x"›click‹/a›‹br›me'
    assert len(safe_label("word " * 40)) == 40 and safe_label("word " * 40).endswith("…")


def test_heat_map_and_lens_chart(engine: Engine, demo_workshop: Workshop) -> None:
    find_themes(engine, demo_workshop, k=4)
    board = repo.list_board(engine, demo_workshop.id)
    repo.rename_theme(engine, demo_workshop.id, board[0].id, "<b>Bold</b> claim")
    stages = list_stages(engine, demo_workshop.id)
    lenses = list_lenses(engine, demo_workshop.id)
    summaries = summarise_board(
        repo.list_board(engine, demo_workshop.id),
        list_stories(engine, demo_workshop.id, statuses=["approved"]),
        stages,
        lenses,
        ["anonymous_quote"],
    )
    heat = theme_stage_heatmap(summaries, stages).data[0]
    assert len(heat.z) == 4 and len(heat.z[0]) == len(stages)
    assert sum(map(sum, heat.z)) == sum(s.size for s in summaries)
    assert heat.y[0] == "1. ‹b›Bold‹/b› claim"
    bars = theme_lens_chart(summaries, lenses).data
    assert sum(sum(bar.x) for bar in bars) == sum(s.size for s in summaries)
