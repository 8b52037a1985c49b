"""Figures for the journey map and blueprint: the right traces, the right values, text shown literally."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codesign import journeys
from codesign.charts import journey as charts
from codesign.models import BlueprintItem
from tests.journeys.test_blueprint import item
from tests.journeys.test_journey import LENSES, QUOTABLE, STAGES, make_story


def test_emotion_curve_has_one_trace_per_lens_with_the_right_values() -> None:
    stories = [make_story(stage_key="waiting", lens_key="carer_family", emotion=e) for e in (1, 2, 3)]
    stories += [make_story(stage_key="asking", lens_key="staff", emotion=4)]
    stories += [make_story(stage_key="support", lens_key=None, emotion=5)]
    curve = journeys.emotion_curve(stories, STAGES, LENSES, scale_labels=["Awful", "Bad", "OK", "Good", "Great"])
    fig = charts.emotion_curve_figure(curve)
    assert [t.name for t in fig.data] == [
        "Lived experience (no ratings yet)",
        "Carers",
        "Staff",
        journeys.UNKNOWN_LENS_NAME,
    ]
    means = {t.name: list(t.y) for t in fig.data}
    assert means["Carers"] == [None, 2.0, None]
    assert means["Staff"] == [4.0, None, None]
    assert means[journeys.UNKNOWN_LENS_NAME] == [None, None, 5.0]
    assert means["Lived experience (no ratings yet)"] == [None, None, None]
    carers = fig.data[1]
    assert list(carers.error_y.array) == [0.0, 1.0, 0.0] and list(carers.error_y.arrayminus) == [0.0, 1.0, 0.0]
    assert list(fig.data[2].marker.symbol) == ["diamond-open", "diamond", "diamond"]  # one rating: thin
    # Each lens has its own dash and marker besides its colour: the lines stay apart in greyscale.
    assert len({t.line.dash for t in fig.data[:3]}) == 3
    assert len({t.marker.symbol[1] for t in fig.data[:3]}) == 3
    assert [round(x) for x in carers.x] == [0, 1, 2]
    ticks = list(fig.layout.xaxis.ticktext)
    assert ticks[0].endswith("<i>n=1 · thin</i>") and ticks[1].endswith("n=3")
    assert list(fig.layout.yaxis.ticktext) == ["1 Awful", "2 Bad", "3 OK", "4 Good", "5 Great"]
    assert len([s for s in fig.layout.shapes if s.type == "rect"]) == 2  # the thin stages are shaded


def test_error_bars_are_clipped_to_the_scale() -> None:
    curve = journeys.emotion_curve([make_story(emotion=e) for e in (1, 1, 1, 5)], STAGES, LENSES)
    bar = charts.emotion_curve_figure(curve).data[0]
    assert bar.y[1] == 2.0 and bar.error_y.array[1] == pytest.approx(2.0) and bar.error_y.arrayminus[1] == 1.0


def test_participant_text_is_shown_literally_not_as_markup() -> None:
    story = make_story(text='<a href="http://evil.example">click</a> <b>bold</b>')
    jmap = journeys.journey_map(STAGES, [], [story], LENSES, quote_consents=QUOTABLE)
    fig = charts.journey_map_figure(jmap)
    table = next(t for t in fig.data if t.type == "table")
    cells = "".join(str(v) for column in table.cells["values"] for v in column)
    assert "&lt;a href" in cells and "<a href" not in cells and "&lt;b&gt;bold" in cells


def test_journey_map_figure_is_16_by_9_with_every_stage_and_lane() -> None:
    stages = [s.__class__(s.id, s.key, s.name, s.prompt, s.position, "thriving") for s in STAGES]
    jmap = journeys.journey_map(stages, [], [make_story(emotion=2)], LENSES, quote_consents=QUOTABLE)
    fig = charts.journey_map_figure(jmap)
    assert (fig.layout.width, fig.layout.height) == charts.WIDE and charts.WIDE[0] * 9 == charts.WIDE[1] * 16
    table = next(t for t in fig.data if t.type == "table")
    assert len(table.header["values"]) == len(STAGES) + 1
    assert "Thriving" in table.header["values"][1]
    assert len(table.cells["values"][0]) == len(journeys.LANES)
    assert len([t for t in fig.data if t.type == "scatter"]) == len(LENSES)


def test_blueprint_figure_draws_three_lines_and_marks_points() -> None:
    items = [
        BlueprintItem(1, "as_is", 2, "frontstage", "Referral <letter>", 0, True, False, "", "accepted"),
        BlueprintItem(2, "as_is", 2, "backstage", "Triage", 1, False, True, "6 weeks", "proposed"),
    ]
    fig = charts.blueprint_figure(journeys.assemble_blueprint("as_is", STAGES, items))
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert [s.line.dash for s in lines] == ["solid", "dash", "dot"]
    # interaction sits between person's actions (2nd lane) and frontstage, and so on down.
    tops = sorted({s.y1 for s in fig.layout.shapes if s.type == "rect" and s.x0 < 0}, reverse=True)
    assert [s.y0 for s in lines] == pytest.approx(tops[2:5])
    texts = [a.text for a in fig.layout.annotations]
    assert any("Referral &lt;letter&gt;" in t and "FAIL POINT" in t for t in texts)
    assert any("Triage" in t and "WAIT: 6 weeks" in t and charts.PROPOSED_NOTE in t for t in texts)
    assert {"<i>Line of interaction</i>", "<i>Line of visibility</i>", "<i>Line of internal interaction</i>"} <= set(
        texts
    )


def test_empty_blueprint_and_empty_curve_say_so() -> None:
    empty = journeys.assemble_blueprint("to_be", STAGES, [])
    assert any("No items yet" in a.text for a in charts.blueprint_figure(empty).layout.annotations)
    curve = journeys.emotion_curve([], STAGES, LENSES)
    assert any("No ratings yet" in a.text for a in charts.emotion_curve_figure(curve).layout.annotations)


def test_blueprint_text_fits_its_cell_at_every_size() -> None:
    long = "A very long item about the referral letter that never came and the phone calls that nobody returned " * 3
    items = [
        item(1, 2, "frontstage", long, fail_point=True, status="proposed"),
        *(item(10 + k, 2, "frontstage", f"Another thing that went wrong, number {k}") for k in range(8)),
        item(3, 1, "person_actions", "Rings the GP"),
    ]
    bp = journeys.assemble_blueprint("as_is", STAGES, items)
    for width, height in [(1100, 760), (1520, 900), (1123, 794), (1587, 1123), (960, 540)]:
        fig = charts.blueprint_figure(bp, width=width, height=height)
        meta = fig.layout.meta
        assert (fig.layout.width, fig.layout.height) == (width, height)
        for a in fig.layout.annotations:
            if not (a.name or "").startswith("cell:"):
                continue
            lines = a.text.split("<br>")
            plain = [re.sub(r"<[^>]+>", "", line).replace("&lt;", "<").replace("&gt;", ">") for line in lines]
            assert len(lines) <= meta["lane_lines"][int(a.name.split(":")[2])], (width, a.name)
            assert max(len(line) for line in plain) <= meta["chars"], (width, a.name)
        crowded = next(a.text for a in fig.layout.annotations if a.name == "cell:1:2")
        # Still marked as a proposed fail point, however small; shortened where it had to be.
        assert "FAIL POINT" in crowded and charts.PROPOSED_MARK in crowded and charts.PROPOSED_NOTE in crowded
        if width < 1000:
            assert "more (see the table)" in crowded


@given(
    texts=st.lists(st.text(min_size=0, max_size=300), min_size=1, max_size=12),
    chars=st.integers(4, 60),
    lines=st.integers(1, 30),
)
def test_a_cell_never_takes_more_lines_or_characters_than_it_has(texts: list[str], chars: int, lines: int) -> None:
    items = [item(k, 1, "frontstage", t, fail_point=k % 2 == 0, status="proposed") for k, t in enumerate(texts)]
    fitted = charts.fit_cell(items, chars, lines)
    assert fitted.lines <= lines
    assert fitted.widest <= max(4, chars)


def _print_map(texts: dict[tuple[int, str], list[str]], stories: list | None = None) -> journeys.JourneyMap:
    from codesign.models import JourneyCell

    cells = [
        JourneyCell(100 * stage + n, stage, lane, text, n, "accepted")
        for (stage, lane), items in texts.items()
        for n, text in enumerate(items)
    ]
    return journeys.journey_map(STAGES, cells, stories or [], LENSES, quote_consents=QUOTABLE)


def _label_lines(label: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in label.split("<br>")]


def test_the_printed_journey_map_wraps_and_shortens_every_cell_to_fit_and_leaves_empty_lanes_out() -> None:
    long = "Waited eleven weeks for a letter that never came, rang twice and was told to keep waiting. " * 3
    jmap = _print_map(
        {
            (1, "doing"): ["Rings the GP at 8am", long, "Asks a friend"],
            (2, "doing"): ["Waits"],
            (2, "pain_points"): [long],
            (3, "opportunities"): ["<b>A named contact</b>"],
        },
        [make_story(stage_key="waiting", emotion=2, consent="report_quote", text="I felt forgotten " * 20)],
    )
    fig = charts.journey_map_print_figure(jmap, size=(945, 480))
    meta = fig.layout.meta
    # Touchpoints hold nothing: they are left out, not drawn as an empty band.
    assert meta["lanes"] == ["What people do", "Thoughts and feelings", "Pain points", "Opportunities"]
    cells = [a for a in fig.layout.annotations if (a.name or "").startswith("cell:")]
    assert cells
    for annotation in cells:
        lane = int(annotation.name.split(":")[2])
        lines = _label_lines(annotation.text)
        assert len(lines) <= meta["lane_lines"][lane]
        assert all(len(line) <= meta["chars"] for line in lines), lines
        # Participant text is shown as typed, never as markup.
        assert "<b>A named" not in annotation.text
        assert all(a.font.size >= 11 for a in fig.layout.annotations)
    assert meta["shortened"] and any("…" in a.text for a in cells)
    stage_heads = [a for a in fig.layout.annotations if (a.name or "").startswith("stage:")]
    assert len(stage_heads) == len(STAGES) and "2.0/5, n=1" in stage_heads[1].text


def test_the_printed_journey_map_shows_short_text_whole() -> None:
    jmap = _print_map({(1, "doing"): ["Rings the GP"], (3, "touchpoints"): ["Duty line"]})
    fig = charts.journey_map_print_figure(jmap, size=(1587, 1123), title="Poster", font_size=14)
    texts = {a.name: "".join(_label_lines(a.text)) for a in fig.layout.annotations if a.name}
    assert "• Rings the GP" in texts.values() and "• Duty line" in texts.values()
    assert not fig.layout.meta["shortened"]
