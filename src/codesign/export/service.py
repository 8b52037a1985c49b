"""The export capability's use cases: load a workshop through the other capabilities' services and
storage, then hand the values to the pure builders (report data, docx, tables, backup).

The builders take data and return data or bytes; only this module opens the database."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from codesign import actions, journeys, network, voting, workshops
from codesign.charts import journey as journey_charts
from codesign.charts import voting as voting_charts
from codesign.errors import NotFoundError
from codesign.export import images, pdf
from codesign.export.docx import (
    build_report,
)
from codesign.export.report_data import (
    A3_LANDSCAPE_PX,
    QUOTABLE_CONSENTS,
    QUOTES_PER_THEME,
    AgendaLine,
    Block,
    BlueprintSection,
    DataProtection,
    Figure,
    Grid,
    LeakGuard,
    PersonaLine,
    Quote,
    ReportData,
    StakeholderLine,
    ThemeSection,
    _emotion_grid,
    _grid,
    _name,
    _NetworkView,
    _rows_grid,
    _with_figures,
    drawn_lanes,
    is_quotable,
    is_reported,
    quote_consents,
)
from codesign.export.summary import (
    THIN_EVIDENCE,
    ActionLine,
    Finding,
    Summary,
    SupportedIdea,
    missing_lenses,
    people_by_lens,
    top_findings,
    you_said,
)
from codesign.export.tables import (
    TABLE_NAMES,
    WITHHELD,
    WITHHELD_WORKSHOP_ONLY,
    Cell,
    DataTables,
    build_csv,
    build_workbook,
)
from codesign.journeys import EmotionCurve
from codesign.models import CONSENT_LABELS, BlueprintVersion, BoardTheme, Lens, Stage, Story, Workshop
from codesign.privacy import prepare_text
from codesign.sanitiser import storable
from codesign.storage import journeys as journey_repo
from codesign.storage import migrate
from codesign.storage import stakeholders as stakeholder_repo
from codesign.storage import themes as theme_repo
from codesign.storage import workshops as repo
from codesign.storage.backup import (
    BY_WORKSHOP,
    FORMAT,
    FORMAT_VERSION,
    OWNERSHIP,
    insert_rows,
    migrate_document,
    original_code,
    read_document,
    refuse_duplicates,
    restored_summary,
    to_json,
    workshop_tables,
)
from codesign.storage.db import read_session, write_session
from codesign.storage.schema import (
    AuditRow,
    BlueprintCellRow,
    BlueprintEvidenceRow,
    IdeaRow,
    JourneyCellRow,
    JourneyEvidenceRow,
    RelationshipRow,
    RoundRow,
    StakeholderRow,
    StoryRow,
    StoryThemeRow,
    ThemeRow,
    VoteRow,
)
from codesign.storage.stories import list_stories
from codesign.themes import board as theme_board
from codesign.workshops.codes import new_join_code
from codesign.workshops.kits import SECTORS, STAKEHOLDER_KINDS, Kit

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "OWNERSHIP",
    "Poster",
    "StoryCounts",
    "build_backup",
    "build_csv_zip",
    "build_poster",
    "build_workshop_pdf",
    "build_workshop_report",
    "build_xlsx",
    "count_stories",
    "dump_workshop",
    "gather_report_data",
    "gather_tables",
    "list_posters",
    "original_code",
    "restore_backup",
    "restored_summary",
]


def _personas(
    engine: Engine,
    workshop_id: int,
    reported: Sequence[Story],
    stages: Sequence[Stage],
    lenses: Sequence[Lens],
    everyone: EmotionCurve,
    leak_guard: LeakGuard,
) -> tuple[tuple[PersonaLine, ...], Grid]:
    """The room's personas and how each stage felt through each one's reported stories.

    A description that repeats a withheld story's words is left out, like any text a
    facilitator typed; the curve counts only the persona's stories the report counts.
    """
    lines: list[PersonaLine] = []
    columns: list[tuple[str, EmotionCurve]] = []
    for persona in journeys.list_personas(engine, workshop_id):
        own = journeys.persona_stories(persona, reported)
        if not leak_guard.allows(persona.name):
            continue
        description = persona.description if leak_guard.allows(persona.description) else ""
        lines.append(PersonaLine(persona.name, description, len(own)))
        curve = journeys.emotion_curve(own, stages, lenses)
        if curve.rated:  # a persona with no rated story has nothing to compare
            columns.append((persona.name, curve))
    if not columns:
        return tuple(lines), ()
    grid = journeys.comparison_grid(stages, [*columns, ("Everyone", everyone)])
    return tuple(lines), tuple(tuple(row) for row in grid)


def gather_report_data(engine: Engine, workshop_id: int, *, with_figures: bool = True) -> ReportData:
    """Read one workshop and work out everything the report shows.

    Args:
        engine: The database.
        workshop_id: Which workshop.
        with_figures: Build the Plotly figures too (the bench and tests of text turn them off).

    Returns:
        The report's content, with privacy rules already applied.

    Raises:
        NotFoundError: If the workshop does not exist.
    """
    workshop = repo.get_workshop(engine, workshop_id)
    kit = workshops.kit_of(engine, workshop)
    stages = repo.list_stages(engine, workshop_id)
    lenses = repo.list_lenses(engine, workshop_id)
    all_stories = list_stories(engine, workshop_id)
    consents = quote_consents(workshop)
    reported = [s for s in all_stories if is_reported(s)]
    withheld = tuple(s.text for s in all_stories if not is_quotable(s, consents))
    leak_guard = LeakGuard(withheld)

    device_of = _device_hashes(engine, workshop_id)
    lenses_of_device: dict[str, list[str | None]] = defaultdict(list)
    for story in all_stories:
        device = device_of.get(story.id)
        if device:
            lenses_of_device[device].append(story.lens_key)
    lens_pairs = [(lens.key, lens.name) for lens in lenses]
    participants_by_lens = people_by_lens(lenses_of_device, lens_pairs)

    themes, theme_summaries = _themes(engine, workshop, kit, reported, consents, stages, lenses, leak_guard)
    jmap = journeys.journey_map(
        stages,
        [c for c in journey_repo.list_journey_cells(engine, workshop_id) if leak_guard.allows(c.text)],
        all_stories,
        lenses,
        quote_consents=consents,
        scale_labels=[p.label for p in kit.emotion_scale],
    )
    has_items = any(items for js in jmap.stages for items in js.items.values())
    personas, persona_emotion = _personas(engine, workshop_id, reported, stages, lenses, jmap.curve, leak_guard)
    plans = [_blueprint(engine, workshop, version, leak_guard) for version in ("as_is", "to_be")]
    plans = [(section, plan) for section, plan in plans if plan.items]
    stakeholders, relationship_count, findings, network_terms, graph = _stakeholders(engine, workshop_id, kit)
    ideas, vote_figures = _votes(engine, workshop_id, leak_guard)
    findings_ranked = top_findings([*_theme_findings(themes), *_pain_findings(jmap, {s.id for s in reported})])
    action_lines, answers = _actions(engine, workshop_id, leak_guard)
    supported, common = _support(engine, workshop_id, leak_guard)
    summary = Summary(
        participants=len(lenses_of_device),
        by_lens=participants_by_lens,
        stories=len(reported),
        findings=findings_ranked,
        ideas=supported,
        common_ground=common,
        missing_lenses=missing_lenses(lens_pairs, participants_by_lens),
    )

    data = ReportData(
        title=workshop.title,
        code=workshop.code,
        kit_title=kit.title,
        kit_summary=kit.summary,
        programme=kit.programme,
        workshop_date=workshop.created_at,
        generated_at=datetime.now(UTC),
        stages=tuple(s.name for s in stages),
        lenses=tuple(lens.name for lens in lenses),
        participants_by_lens=participants_by_lens,
        participants=len(lenses_of_device),
        stories_reported=len(reported),
        themes=themes,
        emotion=_emotion_grid(jmap.curve) if jmap.curve.rated else (),
        lens_gaps=journeys.lens_gaps(jmap.curve),
        personas=personas,
        persona_emotion=persona_emotion,
        journey=_grid(jmap.table()) if has_items else (),
        stakeholders=stakeholders,
        relationships=relationship_count,
        network_findings=findings,
        blueprints=tuple(section for section, _plan in plans),
        ideas=ideas,
        data_protection=_data_protection(engine, workshop, all_stories, consents),
        agenda=tuple(
            AgendaLine(a.minutes, a.title, a.activity) for a in workshops.workshop_agenda(engine, workshop).items
        ),
        withheld_texts=withheld,
        summary=summary,
        actions=action_lines,
        you_said=you_said(findings_ranked, answers),
        limitations=_limitations(summary, jmap, themes, len(reported)),
        next_steps=_next_steps(action_lines, summary),
        network_terms=network_terms,
    )
    if not with_figures:
        return data
    return _with_figures(
        data, graph, jmap, [plan for _section, plan in plans], vote_figures, theme_summaries, stages, lenses
    )


def _device_hashes(engine: Engine, workshop_id: int) -> dict[int, str]:
    with read_session(engine) as s:
        rows = s.execute(
            select(StoryRow.id, StoryRow.device_hash).where(
                StoryRow.workshop_id == workshop_id, StoryRow.device_hash.is_not(None)
            )
        ).all()
        return {story_id: device for story_id, device in rows if device}


def _themes(
    engine: Engine,
    workshop: Workshop,
    kit: Kit,
    reported: Sequence[Story],
    consents: Sequence[str],
    stages: Sequence[Stage],
    lenses: Sequence[Lens],
    guard: LeakGuard,
) -> tuple[tuple[ThemeSection, ...], list[theme_board.ThemeSummary]]:
    """The theme board as the Themes screen summarises it, counting only reported stories, biggest first."""
    board = theme_repo.list_board(engine, workshop.id)
    summaries = [t for t in theme_board.summarise_board(board, reported, stages, lenses, consents) if t.size]
    summaries.sort(key=lambda t: -t.size)
    stage_name = {stage.key: stage.name for stage in stages}
    lens_name = {lens.key: lens.name for lens in lenses}
    sections = []
    shown = []
    for number, summary in enumerate(summaries, start=1):
        # A label that copies a story that may not be quoted would quote it.
        if not guard.allows(summary.theme.label):
            summary = replace(summary, theme=replace(summary.theme, label=f"Theme {number}"))
        shown.append(summary)
        lens_mix = Counter(_name(lens_name, s.lens_key) for s in summary.stories)
        stage_mix = Counter(_name(stage_name, s.stage_key) for s in summary.stories)
        quotes = tuple(
            Quote(
                # Stored text was de-identified when it was shared; the newest rules run once more.
                text=prepare_text(s.text, kit.vocabulary).text,
                lens=_name(lens_name, s.lens_key),
                stage=_name(stage_name, s.stage_key),
            )
            for s in islice((s for s in summary.stories if theme_board.quotable(s, consents)), QUOTES_PER_THEME)
        )
        sections.append(
            ThemeSection(
                label=summary.theme.label,
                description="",
                size=summary.size,
                lens_mix=tuple(lens_mix.most_common()),
                stages=tuple(
                    (name, stage_mix[name]) for name in [*stage_name.values(), "Not given"] if stage_mix.get(name)
                ),
                quotes=quotes,
                theme_id=summary.theme.id,
                insight=_insight(summary.theme, guard),
            )
        )
    return tuple(sections), shown


def _blueprint(
    engine: Engine, workshop: Workshop, version: BlueprintVersion, guard: LeakGuard
) -> tuple[BlueprintSection, journeys.Blueprint]:
    """One version of the blueprint as the room agreed it: accepted items only, guarded against leaks."""
    stored = journeys.load_blueprint(engine, workshop, version)
    accepted = [i for i in stored.items if i.status == "accepted" and guard.allows(i.text)]
    plan = journeys.assemble_blueprint(version, stored.stages, accepted, stored.lanes)
    section = BlueprintSection(
        key=version,
        title=plan.title,
        grid=_grid(plan.table()),
        fail_points=len(plan.fail_points),
        wait_points=len(plan.wait_points),
        left_out=sum(1 for i in stored.items if i.status == "proposed"),
    )
    return section, plan


def _stakeholders(
    engine: Engine, workshop_id: int, kit: Kit
) -> tuple[
    tuple[StakeholderLine, ...], int, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], _NetworkView | None
]:
    """The map's people, the three most important findings in plain words, and the network terms for the appendix."""
    people, links = stakeholder_repo.load_network(engine, workshop_id)
    if not people:
        return (), 0, (), (), None
    try:
        graph = network.build_graph(people, links)
    except network.NetworkTooLarge:
        graph = None
    analysis = (
        network.analyse_network(graph, expected_links=kit.expected_links, seed=network.DEFAULT_SEED)
        if graph is not None
        else None
    )
    degree = {m.id: m.degree for m in analysis.metrics.values()} if analysis else {}
    lines = tuple(
        StakeholderLine(
            p.name,
            STAKEHOLDER_KINDS.get(p.kind, p.kind),
            SECTORS.get(p.sector, p.sector),
            p.influence,
            p.interest,
            degree.get(p.id, 0),
        )
        for p in network.sorted_by_name(people)
    )
    findings = [(f"{len(people)} stakeholders and {len(links)} relationships between them were mapped.", "")]
    terms: list[tuple[str, str]] = []
    if analysis is not None:
        findings += [(_sentence(f.title), f.why) for f in analysis.findings[:3]]
        terms = [(_sentence(f.title), f.term) for f in analysis.findings]
    if graph is None or analysis is None:
        return lines, len(links), tuple(findings), tuple(terms), None
    view = _NetworkView(
        graph=graph,
        positions=dict(
            network.layout_positions(
                graph, seed=network.DEFAULT_SEED, previous=stakeholder_repo.load_layout(engine, workshop_id)
            )
        ),
        analysis=analysis,
        type_names={t.key: t.name for t in kit.relationship_types},
    )
    return lines, len(links), tuple(findings), tuple(terms), view


def _votes(engine: Engine, workshop_id: int, guard: LeakGuard) -> tuple[tuple[Block, ...], tuple[Figure, ...]]:
    """Ideas and agreement rounds as the voting capability reports them: revealed results only."""
    report = voting.load_report(engine, workshop_id)
    lens_names = dict(report.lens_names)
    blocks: list[Block] = []
    charts: list[Figure] = []
    for rnd in report.rounds:
        title = rnd.prompt
        if rnd.kind == "ideas":
            results = report.results.get(rnd.id)
            if results is None:
                ideas = [i for i in voting.list_ideas(engine, rnd.id) if i.on_wall and guard.allows(i.text)]
                if ideas:
                    blocks.append(
                        Block(
                            title,
                            ("The votes of this round were not revealed in the room, so they are not reported.",),
                            table=(("Idea",), *((i.text,) for i in ideas)),
                            caption="Ideas (votes not revealed)",
                        )
                    )
                continue
            kept = replace(results, ideas=tuple(i for i in results.ideas if guard.allows(i.text)))
            if not kept.ideas:
                continue
            key = f"votes_{rnd.id}"
            charts.append(
                _print_figure(
                    key,
                    voting_charts.results_bar(kept, lens_names, top=15),
                    alt_text=f"Bar chart of dots per idea, split by lens, from {kept.voters} phones: "
                    + "; ".join(f"“{i.text}” {i.dots} dots" for i in kept.ideas[:15])
                    + ".",
                    caption=f"Dot votes, by lens: {title}",
                )
            )
            rows = voting.results_table(kept, lens_names)
            blocks.append(
                Block(
                    title,
                    (
                        f"{voting.counted(kept.voters, 'phone')} gave {kept.total_dots} dots "
                        f"({kept.budget} each) to {len(kept.ideas)} ideas.",
                    ),
                    figure=key,
                    table=_rows_grid(rows),
                    caption="Ideas and their votes",
                )
            )
        else:
            agreed = report.consensus.get(rnd.id)
            if agreed is None:
                continue
            statements = tuple(st for st in agreed.statements if guard.allows(st.text))
            if not statements:
                continue
            agreed = replace(agreed, statements=statements)
            key = f"consensus_{rnd.id}"
            charts.append(
                _print_figure(
                    key,
                    voting_charts.consensus_chart(agreed),
                    alt_text="Heat map of agreement by lens for each statement: "
                    + "; ".join(f"“{st.text}”: {st.summary.rstrip('.')}" for st in statements[:8])
                    + ".",
                    caption=f"Agreement across lenses: {title}",
                )
            )
            header = ("Statement", "Where the groups stand", *(name for _key, name in agreed.lenses))
            rows_ = [
                (
                    st.text,
                    st.summary,
                    *(f"{la.agree} / {la.disagree} / {la.passed}" for la in st.by_lens),
                )
                for st in statements
            ]
            blocks.append(
                Block(
                    title,
                    (
                        "Common ground first, then statements that divide the groups. Each lens column gives "
                        "agree / disagree / pass.",
                    ),
                    figure=key,
                    table=(header, *rows_),
                    caption="Agreement across lenses",
                )
            )
    grid = tuple(p for p in report.grid if guard.allows(p.text))
    if grid:
        charts.append(
            _print_figure(
                "impact_effort",
                voting_charts.impact_effort_grid(grid, numbered=True),
                alt_text="Ideas placed on a grid of impact (up) against effort (across): "
                + "; ".join(f"“{p.text}” is {p.quadrant.lower()}" for p in grid[:10])
                + ".",
                caption="Ideas by impact and effort",
            )
        )
        blocks.append(
            Block(
                "Impact and effort",
                (
                    "Where the room placed the ideas: how much difference each would make, and how hard it would "
                    "be. Each circle carries the number of its idea in the table below.",
                ),
                figure="impact_effort",
                table=(
                    ("#", "Idea", "Impact (1-5)", "Effort (1-5)", "Where it sits"),
                    *(
                        (str(n), p.text, f"{p.impact:g}", f"{p.effort:g}", p.quadrant)
                        for n, p in enumerate(grid, start=1)
                    ),
                ),
                caption="Ideas by impact and effort",
            )
        )
    return tuple(blocks), tuple(charts)


def _data_protection(
    engine: Engine, workshop: Workshop, stories: Sequence[Story], consents: Sequence[str]
) -> DataProtection:
    workshop_id = workshop.id
    with read_session(engine) as s:
        actions = s.scalars(select(AuditRow.action).where(AuditRow.workshop_id == workshop_id)).all()
    withdrawals = sum(1 for action in actions if "withdraw" in action)
    consent_counts: Counter[str] = Counter(str(s.consent) for s in stories)
    moderation: Counter[str] = Counter(str(s.moderation_status) for s in stories)
    return DataProtection(
        stories_received=len(stories),
        by_consent=tuple((label, consent_counts.get(key, 0)) for key, label in CONSENT_LABELS.items()),
        by_moderation=tuple(
            (label, moderation.get(key, 0))
            for key, label in (
                ("approved", "Approved"),
                ("pending", "Waiting for moderation"),
                ("hidden", "Hidden by a facilitator"),
            )
        ),
        flagged_unreviewed=sum(1 for s in stories if s.is_flagged),
        flagged_reviewed=sum(1 for s in stories if s.risk_flags and s.risk_reviewed),
        withdrawals=withdrawals,
        quote_consents=tuple(CONSENT_LABELS.get(c, c) for c in consents),
        data_controller=str(workshop.setting("data_controller") or "").strip(),
        lawful_basis=str(workshop.setting("lawful_basis") or "").strip(),
        retention=str(workshop.setting("retention") or "").strip(),
    )


def _print_figure(key: str, figure: Any, *, alt_text: str, caption: str) -> Figure:
    """A screen figure made ready for an A4 page: no title (the caption says it), smaller type, its own height."""
    figure.update_layout(
        title=None,
        font={"size": 11},
        margin={"t": 40, "l": 10, "r": 10, "b": 40},
        legend={"font": {"size": 11}},
    )
    return Figure(key, figure, alt_text=alt_text, caption=caption, height_px=int(figure.layout.height or 420))


def _counted(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _insight(theme: BoardTheme, guard: LeakGuard) -> str:
    """The room's insight statement for a theme, if the room wrote one (and it quotes no withheld story)."""
    text = theme.insight.strip()
    return text if text and guard.allows(text) else ""


def _theme_findings(themes: Sequence[ThemeSection]) -> list[Finding]:
    return [
        Finding("theme", t.theme_id, f"{t.label}: {t.insight}" if t.insight else t.label, t.size)
        for t in themes
        if t.theme_id
    ]


def _pain_findings(jmap: journeys.JourneyMap, reported: set[int]) -> list[Finding]:
    """Accepted pain points on the journey map, with the reported stories that evidence them."""
    found = []
    for js in jmap.stages:
        for cell in js.items.get("pain_points", ()):
            if cell.status != "accepted":
                continue
            evidence = sum(1 for i in cell.story_ids if i in reported)
            found.append(Finding("pain_point", cell.id, f"{js.stage.name}: {cell.text}", evidence))
    return found


def _actions(
    engine: Engine, workshop_id: int, guard: LeakGuard
) -> tuple[tuple[ActionLine, ...], dict[tuple[str, int], list[str]]]:
    """The agreed actions for the report, and for each thing they answer (by kind and id) the actions answering it."""
    options = actions.link_options(engine, workshop_id)
    kept_options = [o for o in options if guard.allows(o.label)]
    lines: list[ActionLine] = []
    answers: dict[tuple[str, int], list[str]] = defaultdict(list)
    number = 0
    for action in actions.list_actions(engine, workshop_id):
        if not guard.allows(action.text) or not guard.allows(action.measure):
            continue
        number += 1
        lines.append(
            ActionLine(
                number=number,
                text=action.text,
                owner=actions.owner_text(action.owner),
                due=actions.due_text(action.due),
                measure=action.measure or "Not yet agreed",
                status=actions.STATUSES[action.status],
                answers=actions.describe_links(action, kept_options),
            )
        )
        for link in action.links:
            answers[(link.kind, link.target_id)].append(f"Action {number}: {action.text}")
    return tuple(lines), answers


def _support(engine: Engine, workshop_id: int, guard: LeakGuard) -> tuple[tuple[SupportedIdea, ...], tuple[str, ...]]:
    """The ideas with most dots across revealed rounds, and the statements every lens agreed with."""
    report = voting.load_report(engine, workshop_id)
    names = dict(report.lens_names)
    ideas = sorted(
        (i for r in report.results.values() for i in r.ideas if guard.allows(i.text) and i.dots),
        key=lambda i: (-i.dots, -i.voters, i.idea_id),
    )
    supported = tuple(
        SupportedIdea(
            i.text,
            i.dots,
            i.voters,
            ", ".join(
                f"{names.get(k or '', 'not given').lower() if k else 'not given'} {n}"
                for k, n in sorted(i.by_lens.items(), key=lambda kv: -kv[1])
                if n
            ),
        )
        for i in ideas[:3]
    )
    common = tuple(
        st.text
        for c in report.consensus.values()
        for st in c.statements
        if st.verdict == "agree" and guard.allows(st.text)
    )
    return supported, common


def _limitations(
    summary: Summary, jmap: journeys.JourneyMap, themes: Sequence[ThemeSection], reported: int
) -> tuple[str, ...]:
    out = []
    if summary.missing_lenses:
        out.append(
            "Nobody took part as "
            + " or ".join(name.lower() for name in summary.missing_lenses)
            + ", so these views are missing from this report."
        )
    thin = [js.stage.name for js in jmap.stages if 0 < js.emotion.count < THIN_EVIDENCE]
    unrated = [js.stage.name for js in jmap.stages if js.emotion.count == 0]
    if thin:
        out.append(
            f"Fewer than {THIN_EVIDENCE} people rated how they felt at " + ", ".join(thin) + ": treat those stages "
            "as thin evidence."
        )
    if unrated:
        out.append("Nobody rated how they felt at " + ", ".join(unrated) + ".")
    out.append(
        f"The report rests on {_counted(reported, 'story', 'stories')} from "
        f"{_counted(summary.participants, 'person', 'people')} in the room. The numbers show where to look, "
        "not how common something is in the population."
    )
    if themes:
        out.append(
            "Themes were drafted by the tool, which grouped stories with similar wording, and then checked, renamed, "
            "merged or split by the room; they are a reading of what people said, not a measurement."
        )
    return tuple(out)


def _next_steps(lines: Sequence[ActionLine], summary: Summary) -> tuple[str, ...]:
    out = []
    if lines:
        dated = [a for a in lines if a.due != actions.due_text(None)]
        out.append(
            f"Owners take forward the {_counted(len(lines), 'agreed action')} in the actions table"
            + (f"; {len(dated)} of them have a date." if dated else ".")
        )
        undated = [str(a.number) for a in lines if a.due == actions.due_text(None)]
        unowned = [str(a.number) for a in lines if a.owner == actions.owner_text("")]
        if undated:
            out.append("Agree a date for action " + ", ".join(undated) + ".")
        if unowned:
            out.append("Agree an owner for action " + ", ".join(unowned) + ".")
    else:
        out.append("No actions were recorded in the workshop: agree them, with owners and dates, at the next meeting.")
    if summary.missing_lenses:
        out.append("Hear from " + " and ".join(n.lower() for n in summary.missing_lenses) + " before deciding.")
    out.append(
        "Share this report with the people who took part, and tell them what happened to what they said "
        '("you said, we did") when the actions are reviewed.'
    )
    return tuple(out)


@dataclass(frozen=True)
class StoryCounts:
    """How many stories the report uses, may quote, and holds back."""

    received: int
    reported: int
    quotable: int
    pending: int
    flagged: int

    @property
    def held_back(self) -> int:
        return self.received - self.reported


def count_stories(engine: Engine, workshop_id: int) -> StoryCounts:
    """The numbers the Export screen shows before anyone downloads anything."""
    workshop = repo.get_workshop(engine, workshop_id)
    consents = quote_consents(workshop)
    stories = list_stories(engine, workshop_id)
    return StoryCounts(
        received=len(stories),
        reported=sum(1 for s in stories if is_reported(s)),
        quotable=sum(1 for s in stories if is_quotable(s, consents)),
        pending=sum(1 for s in stories if s.moderation_status == "pending"),
        flagged=sum(1 for s in stories if s.is_flagged),
    )


STATUS_WORDS = {"accepted": "Accepted", "proposed": "Proposed", "rejected": "Rejected"}
SOURCE_WORDS = {"auto": "Grouped by the tool", "manual": "Placed by the room"}
ORIGIN_WORDS = {"auto": "Found by the tool", "manual": "Made by the room"}
VERSION_WORDS = {"as_is": "As is", "to_be": "To be"}


def data_file_consents(workshop: Workshop) -> tuple[str, ...]:
    """Consent tiers whose words the CSV and Excel files hold (setting ``data_file_consents``)."""
    chosen = workshop.setting("data_file_consents") or ()
    return tuple(c for c in QUOTABLE_CONSENTS if c in chosen)


def gather_tables(engine: Engine, workshop_id: int) -> DataTables:
    """Read every exported table of one workshop, with the privacy rules applied.

    Raises:
        NotFoundError: If the workshop does not exist.
    """
    workshop = repo.get_workshop(engine, workshop_id)
    kit = workshops.kit_of(engine, workshop)
    stage_list = repo.list_stages(engine, workshop_id)
    lens_list = repo.list_lenses(engine, workshop_id)
    stage_by_id = {s.id: s for s in stage_list}
    stage_by_key = {s.key: s for s in stage_list}
    lens_by_key = {lens.key: lens.name for lens in lens_list}
    lens_order = {lens.key: n for n, lens in enumerate(lens_list, start=1)}
    relationship_names = {t.key: t.name for t in kit.relationship_types}
    words_for = data_file_consents(workshop)
    stories = list_stories(engine, workshop_id)
    reported = {s.id: s for s in stories if is_reported(s)}
    guard = LeakGuard([s.text for s in stories if s.consent not in words_for])
    tables: dict[str, list[tuple[Cell, ...]]] = {}
    with read_session(engine) as s:
        themes = s.scalars(
            select(ThemeRow).where(ThemeRow.workshop_id == workshop_id).order_by(ThemeRow.position, ThemeRow.id)
        ).all()
        theme_label = {t.id: t.label for t in themes}
        assignments = [
            a
            for a in s.scalars(
                select(StoryThemeRow)
                .join(ThemeRow, ThemeRow.id == StoryThemeRow.theme_id)
                .where(ThemeRow.workshop_id == workshop_id)
                .order_by(StoryThemeRow.story_id)
            ).all()
            if a.story_id in reported
        ]
        theme_of = {a.story_id: a.theme_id for a in assignments}
        sizes: dict[int, int] = defaultdict(int)
        for a in assignments:
            sizes[a.theme_id] += 1

        story_rows: list[tuple[Cell, ...]] = []
        for story in reported.values():
            words = story.consent in words_for
            withheld = WITHHELD if story.consent == "themes_only" else WITHHELD_WORKSHOP_ONLY
            stage = stage_by_key.get(story.stage_key or "")
            story_rows.append(
                (
                    story.id,
                    stage.position + 1 if stage else None,
                    stage.name if stage else "",
                    lens_order.get(story.lens_key or ""),
                    lens_by_key.get(story.lens_key or "", story.lens_key or ""),
                    story.emotion,
                    story.text if words else withheld,
                    story.helped if words else "",
                    story.would_have_helped if words else "",
                    story.strengths if words else "",
                    CONSENT_LABELS.get(story.consent, story.consent),
                    theme_label.get(theme_of.get(story.id, -1), ""),
                    story.created_at,
                )
            )
        tables["stories"] = story_rows
        tables["themes"] = [
            (t.id, t.label, t.description, t.insight, sizes[t.id], ORIGIN_WORDS.get(t.origin, t.origin), t.pinned)
            for t in themes
        ]
        tables["assignments"] = [
            (a.story_id, a.theme_id, theme_label[a.theme_id], SOURCE_WORDS.get(a.source, a.source), a.score)
            for a in assignments
        ]

        people = s.scalars(
            select(StakeholderRow).where(StakeholderRow.workshop_id == workshop_id).order_by(StakeholderRow.id)
        ).all()
        name_of = {p.id: p.name for p in people}
        tables["stakeholders"] = [
            (
                p.id,
                p.name,
                "; ".join(map(str, p.aliases or [])),
                STAKEHOLDER_KINDS.get(p.kind, p.kind),
                SECTORS.get(p.sector, p.sector),
                p.influence,
                p.interest,
                p.notes,
            )
            for p in people
        ]
        tables["relationships"] = [
            (
                r.id,
                name_of.get(r.source_id, ""),
                name_of.get(r.target_id, ""),
                relationship_names.get(r.type, r.type),
                r.directed,
                r.strength,
                r.note,
            )
            for r in s.scalars(
                select(RelationshipRow).where(RelationshipRow.workshop_id == workshop_id).order_by(RelationshipRow.id)
            ).all()
        ]

        def stage_cells(stage_id: int) -> tuple[Cell, Cell]:
            stage = stage_by_id.get(stage_id)
            return (stage.position + 1, stage.name) if stage else (None, "")

        journey_cells = [
            c
            for c in s.scalars(
                select(JourneyCellRow)
                .where(JourneyCellRow.workshop_id == workshop_id)
                .order_by(JourneyCellRow.stage_id, JourneyCellRow.lane, JourneyCellRow.position, JourneyCellRow.id)
            ).all()
            if guard.allows(c.text)
        ]
        tables["journey"] = [
            (
                c.id,
                *stage_cells(c.stage_id),
                journeys.LANE_NAMES.get(c.lane, c.lane),
                c.text,
                c.position,
                STATUS_WORDS.get(c.status, c.status),
            )
            for c in journey_cells
        ]
        blueprint_cells = [
            c
            for c in s.scalars(
                select(BlueprintCellRow)
                .where(BlueprintCellRow.workshop_id == workshop_id)
                .order_by(
                    BlueprintCellRow.version,
                    BlueprintCellRow.stage_id,
                    BlueprintCellRow.lane,
                    BlueprintCellRow.position,
                    BlueprintCellRow.id,
                )
            ).all()
            if guard.allows(c.text)
        ]
        tables["blueprint"] = [
            (
                c.id,
                VERSION_WORDS.get(c.version, c.version),
                *stage_cells(c.stage_id),
                journeys.DEFAULT_LANE_NAMES.get(c.lane, c.lane),
                c.text,
                c.is_fail_point,
                c.is_wait_point,
                c.wait_time,
                STATUS_WORDS.get(c.status, c.status),
            )
            for c in blueprint_cells
        ]
        shown_journey = {c.id for c in journey_cells}
        shown_blueprint = {c.id for c in blueprint_cells}
        evidence: list[tuple[Cell, ...]] = []
        for where, model, shown in (
            ("Journey map", JourneyEvidenceRow, shown_journey),
            ("Service blueprint", BlueprintEvidenceRow, shown_blueprint),
        ):
            evidence += [(where, cell, story) for cell, story in _evidence(s, model, reported) if cell in shown]
        tables["evidence"] = evidence

        rounds = {r.id: r.prompt for r in s.scalars(select(RoundRow).where(RoundRow.workshop_id == workshop_id))}
        ideas = [
            i
            for i in s.scalars(
                select(IdeaRow)
                .where(IdeaRow.workshop_id == workshop_id, IdeaRow.moderation_status == "approved")
                .order_by(IdeaRow.round_id, IdeaRow.id)
            ).all()
            if not (i.risk_flags and not i.risk_reviewed) and guard.allows(i.text)
        ]
        shown_ideas = {i.id for i in ideas}
        votes = [
            v
            for v in s.scalars(
                select(VoteRow).where(VoteRow.round_id.in_(list(rounds) or [-1])).order_by(VoteRow.id)
            ).all()
            if v.idea_id in shown_ideas and v.dots > 0
        ]
    voter_number: dict[str, int] = {}
    for v in votes:
        voter_number.setdefault(v.device_hash, len(voter_number) + 1)
    dots: dict[int, int] = defaultdict(int)
    voters: dict[int, set[str]] = defaultdict(set)
    for v in votes:
        dots[v.idea_id] += v.dots
        voters[v.idea_id].add(v.device_hash)
    tables["ideas"] = [
        (
            i.id,
            i.round_id,
            rounds.get(i.round_id, ""),
            i.text,
            lens_by_key.get(i.lens_key or "", i.lens_key or ""),
            dots[i.id],
            len(voters[i.id]),
            i.impact,
            i.effort,
        )
        for i in ideas
    ]
    tables["votes"] = [
        (
            v.round_id,
            v.idea_id,
            f"voter {voter_number[v.device_hash]}",
            lens_by_key.get(v.lens_key or "", v.lens_key or ""),
            v.dots,
        )
        for v in votes
    ]
    options = [o for o in actions.link_options(engine, workshop_id) if guard.allows(o.label)]
    label = {(o.kind, o.target_id): o.label for o in options}
    agreed = [a for a in actions.list_actions(engine, workshop_id) if guard.allows(a.text)]
    tables["actions"] = [
        (n, a.text, a.owner, a.due, a.measure, actions.STATUSES[a.status]) for n, a in enumerate(agreed, start=1)
    ]
    tables["action_links"] = [
        (n, actions.LINK_NAMES[link.kind], label[(link.kind, link.target_id)])
        for n, a in enumerate(agreed, start=1)
        for link in a.links
        if (link.kind, link.target_id) in label
    ]
    return DataTables(code=workshop.code, tables=tables)


def build_csv_zip(engine: Engine, workshop_id: int) -> bytes:
    """Every table as a CSV file, in one zip named after the workshop's code."""
    tables = gather_tables(engine, workshop_id)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in TABLE_NAMES:
            archive.writestr(f"{tables.code}/{name}.csv", build_csv(tables, name))
    return out.getvalue()


def build_xlsx(engine: Engine, workshop_id: int) -> bytes:
    """Every table as a sheet of one Excel workbook: an Excel table each, with a filter and a frozen header."""
    return build_workbook(gather_tables(engine, workshop_id))


def dump_workshop(engine: Engine, workshop_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of one workshop, table by table, as JSON-ready dicts (ids as stored).

    Raises:
        NotFoundError: If there is no such workshop.
    """
    tables: dict[str, list[dict[str, Any]]] = {}
    ids: dict[str, list[int]] = {}
    with read_session(engine) as s:
        conn = s.connection()
        for table in workshop_tables():
            kind, column, parent = OWNERSHIP[table.name]
            if kind == BY_WORKSHOP:
                where = table.c[column] == workshop_id
            else:
                assert parent is not None
                where = table.c[column].in_(ids.get(parent) or [-1])
            order = list(table.primary_key.columns)
            rows = [
                {c.name: to_json(c, row._mapping[c.name]) for c in table.columns}
                for row in conn.execute(select(table).where(where).order_by(*order))
            ]
            tables[table.name] = rows
            if "id" in table.c:
                ids[table.name] = [r["id"] for r in rows]
    if not tables["workshops"]:
        raise NotFoundError("That workshop no longer exists.")
    return tables


def build_backup(engine: Engine, workshop_id: int) -> bytes:
    """The JSON backup of one workshop, as UTF-8 bytes.

    Raises:
        NotFoundError: If there is no such workshop.
    """
    tables = dump_workshop(engine, workshop_id)
    workshop = tables["workshops"][0]
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": migrate.head_revision(),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "workshop": {"code": workshop["code"], "title": workshop["title"]},
        "counts": {name: len(rows) for name, rows in tables.items()},
        "tables": tables,
    }
    return json.dumps(storable(document), ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def restore_backup(engine: Engine, data: bytes | str) -> Workshop:
    """Restore a backup as a new workshop in this database, all or nothing.

    The workshop keeps its join code unless this database already uses it, in which case
    it gets a new one (see the returned workshop's ``code``).

    Args:
        engine: The database to restore into.
        data: The backup file's contents.

    Returns:
        The restored workshop.

    Raises:
        ValidationFailed: If the file is not a codesign backup, comes from an unknown
            schema version, is damaged, or its stories are already in this database.
    """
    document = read_document(data)
    tables = migrate_document(document)
    with write_session(engine) as s:
        conn = s.connection()
        refuse_duplicates(conn, tables)
        new_id = insert_rows(conn, tables, new_join_code)
    return repo.get_workshop(engine, new_id)


def build_workshop_report(engine: Engine, workshop_id: int, *, chart_images: bool = True) -> bytes:
    """Gather a workshop's data and build its Word report: what the Export screen and CLI call.

    Args:
        engine: The database.
        workshop_id: Which workshop.
        chart_images: Draw the charts as pictures (needs a browser); otherwise tables only.

    Returns:
        The .docx file's bytes.
    """
    data = gather_report_data(engine, workshop_id, with_figures=chart_images)
    return build_report(data, render=images.render_png if chart_images else None)


def build_workshop_pdf(engine: Engine, workshop_id: int, *, chart_images: bool = True) -> bytes:
    """The Word report as a PDF, laid out by LibreOffice: what the Export screen's PDF button and the CLI call.

    Raises:
        PdfUnavailable: If LibreOffice is not installed or fails (the message says what to do).
    """
    reason = pdf.unavailable_reason()
    if reason:
        raise pdf.PdfUnavailable(reason + ".")
    return pdf.docx_to_pdf(build_workshop_report(engine, workshop_id, chart_images=chart_images))


@dataclass(frozen=True)
class Poster:
    key: str
    """"journey", "blueprint_as_is" or "blueprint_to_be"."""
    title: str
    file_stem: str


def list_posters(engine: Engine, workshop_id: int) -> list[Poster]:
    """The A3 posters this workshop has: the journey map if it has items, each blueprint that has items."""
    jmap, plans, _workshop = _maps(engine, workshop_id)
    posters = []
    if any(items for js in jmap.stages for items in js.items.values()):
        posters.append(Poster("journey", "Journey map", "journey-map"))
    for plan in plans:
        posters.append(Poster(f"blueprint_{plan.version}", plan.title, f"blueprint-{plan.version.replace('_', '-')}"))
    return posters


# Poster text at 14 px prints at 10.5 pt on A3: readable from a step away on the wall.
POSTER_FONT_PX = 14


def build_poster(engine: Engine, workshop_id: int, key: str) -> bytes:
    """An A3 landscape PDF poster of the journey map or one blueprint, to print and put on the wall.

    The poster follows the report's privacy rules: accepted items only, quotes only where
    consent allows, and nothing that copies a withheld story.

    Raises:
        NotFoundError: If the workshop has no such map.
        PdfUnavailable: If no browser can draw it here.
    """
    jmap, plans, workshop = _maps(engine, workshop_id)
    size = A3_LANDSCAPE_PX
    if key == "journey":
        figure = journey_charts.journey_map_print_figure(
            jmap, size=size, title=f"{workshop.title}: journey map", font_size=POSTER_FONT_PX
        )
    else:
        plan = next((p for p in plans if f"blueprint_{p.version}" == key), None)
        if plan is None:
            raise NotFoundError("That blueprint has nothing on it yet, so there is no poster of it.")
        figure = _blueprint_poster_figure(plan, size, f"{workshop.title}: {plan.title}")
    figure.update_layout(width=size[0], height=size[1])
    made = images.render_pdf(figure, width=size[0], height=size[1])
    if made is None:
        raise pdf.PdfUnavailable(
            "The poster could not be drawn on this computer ("
            + (images.unavailable_reason() or "the chart renderer failed")
            + ")."
        )
    return made


def _blueprint_poster_figure(plan: journeys.Blueprint, size: tuple[int, int], title: str) -> Any:
    return journey_charts.blueprint_figure(drawn_lanes(plan), size=size, title=title)


def _maps(engine: Engine, workshop_id: int) -> tuple[journeys.JourneyMap, list[journeys.Blueprint], Workshop]:
    """The journey map and blueprints as the report shows them (privacy rules applied)."""
    workshop = repo.get_workshop(engine, workshop_id)
    kit = workshops.kit_of(engine, workshop)
    stories = list_stories(engine, workshop_id)
    consents = quote_consents(workshop)
    guard = LeakGuard([s.text for s in stories if not is_quotable(s, consents)])
    jmap = journeys.journey_map(
        repo.list_stages(engine, workshop_id),
        [c for c in journey_repo.list_journey_cells(engine, workshop_id) if guard.allows(c.text)],
        stories,
        repo.list_lenses(engine, workshop_id),
        quote_consents=consents,
        scale_labels=[p.label for p in kit.emotion_scale],
    )
    plans = [plan for _section, plan in (_blueprint(engine, workshop, v, guard) for v in ("as_is", "to_be"))]
    return jmap, [p for p in plans if p.items], workshop


def _evidence(
    s: Session, model: type[JourneyEvidenceRow] | type[BlueprintEvidenceRow], reported: Mapping[int, object]
) -> list[tuple[int, int]]:
    """(cell, story) evidence links to reported stories, one per link."""
    return [
        (cell_id, story_id)
        for cell_id, story_id in s.execute(
            select(model.cell_id, model.story_id).order_by(model.cell_id, model.story_id)
        )
        if story_id in reported
    ]
