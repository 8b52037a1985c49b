"""The stakeholder network: metrics and findings on graphs whose answers are known by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codesign import network
from codesign.charts.network import (
    TENSION_COLOUR,
    network_figure,
    power_interest_figure,
    sector_colour,
)
from codesign.errors import ValidationFailed
from codesign.models import RelationshipValue, StakeholderValue, Story
from codesign.network import analysis as network_analysis
from codesign.workshops.kits import ExpectedLink
from tests.factories import make_story


def people(*names: str, sector: str = "other") -> list[StakeholderValue]:
    return [StakeholderValue(i + 1, n, (), "service", sector, 3, 3, "") for i, n in enumerate(names)]


def links(
    ppl: list[StakeholderValue], pairs: list[tuple[str, str]], rel_type: str = "referral"
) -> list[RelationshipValue]:
    ids = {p.name: p.id for p in ppl}
    return [RelationshipValue(i + 1, ids[a], ids[b], rel_type, True, 2, "") for i, (a, b) in enumerate(pairs)]


def graph_of(names: list[str], pairs: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    ppl = people(*names)
    return network.build_graph(ppl, links(ppl, pairs))


def kinds(findings: list[network.Finding]) -> list[str]:
    return [f.kind for f in findings]


def by_name(analysis: network.NetworkAnalysis) -> dict[str, network.NodeMetrics]:
    return {m.name: m for m in analysis.metrics.values()}


STAR = (["Hub", "A", "B", "C", "D", "E"], [("Hub", x) for x in "ABCDE"])
PATH = (list("ABCDE"), [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")])
A_SIDE = ["A1", "A2", "A3", "A4"]
B_SIDE = ["B1", "B2", "B3", "B4"]
TWO_GROUPS = (
    A_SIDE + B_SIDE,
    [(x, y) for side in (A_SIDE, B_SIDE) for i, x in enumerate(side) for y in side[i + 1 :]] + [("A1", "B1")],
)


def test_star() -> None:
    graph = graph_of(*STAR)
    analysis = network.analyse_network(graph)
    metrics = by_name(analysis)
    assert metrics["Hub"].degree == 5 and metrics["Hub"].betweenness == pytest.approx(1.0)
    assert all(metrics[x].degree == 1 and metrics[x].betweenness == 0 for x in "ABCDE")
    assert [graph.nodes[n]["name"] for n in analysis.articulation_points] == ["Hub"]
    assert len(analysis.bridges) == 5
    assert kinds(list(analysis.findings)) == [
        "single_point_of_failure",
        "weakly_connected",
        "brokers",
        "most_connected",
    ]
    spof, weak, brokers, connected = analysis.findings
    assert spof.stakeholders[0] == "Hub" and spof.title.startswith("Everyone around Hub depends on it")
    assert weak.stakeholders == ("A", "B", "C", "D", "E")
    assert brokers.stakeholders == ("Hub",) and connected.stakeholders == ("Hub",)
    assert brokers.term == "betweenness centrality"


def test_path() -> None:
    graph = graph_of(*PATH)
    analysis = network.analyse_network(graph)
    metrics = by_name(analysis)
    assert [round(metrics[x].betweenness, 3) for x in "ABCDE"] == [0.0, 0.5, 0.667, 0.5, 0.0]
    assert sorted(graph.nodes[n]["name"] for n in analysis.articulation_points) == ["B", "C", "D"]
    fragile = [f for f in analysis.findings if f.kind == "fragile_link"]
    # A-B and D-E are leaf links (weakly connected); B-C and C-D split the path into two real parts.
    assert sorted(f.title.split(": ")[1] for f in fragile) == ["B and C", "C and D"]
    weak = next(f for f in analysis.findings if f.kind == "weakly_connected")
    assert weak.stakeholders == ("A", "E")
    brokers = next(f for f in analysis.findings if f.kind == "brokers")
    assert brokers.stakeholders == ("C", "B", "D")
    assert next(f for f in analysis.findings if f.kind == "most_connected").stakeholders == ("B", "C", "D")


def test_two_communities_joined_by_one_bridge() -> None:
    graph = graph_of(*TWO_GROUPS)
    analysis = network.analyse_network(graph, seed=3)
    named = {frozenset(graph.nodes[n]["name"] for n in c) for c in analysis.communities}
    assert named == {frozenset(A_SIDE), frozenset(B_SIDE)}
    assert analysis.modularity == pytest.approx(2 * (6 / 13 - 0.25))
    assert [(graph.nodes[u]["name"], graph.nodes[v]["name"]) for u, v in analysis.bridges] == [("A1", "B1")]
    metrics = by_name(analysis)
    assert metrics["A1"].betweenness == pytest.approx(12 / 21) and metrics["B1"].is_single_point_of_failure
    found = {f.kind: f for f in analysis.findings}
    assert found["fragile_link"].title == "One relationship holds two parts of the map together: A1 and B1"
    assert found["clusters"].title == "The map has 2 groups that mostly work among themselves"
    assert "A1 and B1" in found["clusters"].why
    spofs = [f.title for f in analysis.findings if f.kind == "single_point_of_failure"]
    assert spofs == [
        "Without A1, A2, A3 and A4 lose their link to everyone else",
        "Without B1, B2, B3 and B4 lose their link to everyone else",
    ]


def test_louvain_is_seeded() -> None:
    graph = graph_of(*TWO_GROUPS)
    assert network.analyse_network(graph, seed=11).communities == network.analyse_network(graph, seed=11).communities


def test_empty_graph_has_no_findings_and_draws_a_message() -> None:
    graph = network.build_graph([], [])
    assert network.find_findings(graph) == []
    assert network.layout_positions(graph) == {}
    fig = network_figure(graph, {})
    assert fig.layout.annotations[0].text == "No stakeholders to show"


def test_disconnected_graph_and_isolates() -> None:
    ppl = [*people("A", "B", "C", "D"), StakeholderValue(9, "Lonely", (), "service", "other", 3, 3, "")]
    rels = [*links(ppl, [("A", "B"), ("C", "D")]), RelationshipValue(9, 9, 1, "conflict", False, 1, "")]
    findings = network.find_findings(network.build_graph(ppl, rels))
    found = {f.kind: f for f in findings}
    assert found["disconnected"].title == "The map falls into 2 separate groups that never meet"
    assert found["isolated"].stakeholders == ("Lonely",)
    assert "only tension with A" in found["isolated"].why


def _sectors_map(extra_links: list[tuple[str, str, str]]) -> list[network.Finding]:
    ppl = [
        StakeholderValue(1, "GP practice", (), "service", "primary_care", 3, 3, ""),
        StakeholderValue(2, "Talking therapies", (), "service", "primary_care", 3, 3, ""),
        StakeholderValue(3, "CMHT", (), "service", "secondary_mental_health", 3, 3, ""),
        StakeholderValue(4, "Access team", (), "service", "secondary_mental_health", 3, 3, ""),
    ]
    ids = {p.name: p.id for p in ppl}
    rels = [
        RelationshipValue(1, 1, 2, "referral", True, 2, ""),
        RelationshipValue(2, 4, 3, "referral", True, 2, ""),
    ] + [RelationshipValue(10 + i, ids[a], ids[b], t, True, 1, "") for i, (a, b, t) in enumerate(extra_links)]
    expected = [
        ExpectedLink(sectors=("primary_care", "secondary_mental_health"), why="One open door."),
        ExpectedLink(sectors=("housing", "primary_care"), why="Homes matter."),
    ]
    return network.find_findings(network.build_graph(ppl, rels), expected_links=expected)


@pytest.mark.parametrize(
    ("extra", "kind", "title"),
    [
        ([], "sector_gap", "No working link between primary care and secondary mental health"),
        ([("GP practice", "CMHT", "conflict")], "sector_gap", "No working link between primary care and secondary"),
        (
            [("GP practice", "Access team", "referral")],
            "sector_thin",
            "Primary care and Secondary mental health meet through a single weak link: GP practice and Access team",
        ),
        ([("GP practice", "Access team", "referral"), ("CMHT", "Talking therapies", "support")], None, None),
    ],
)
def test_gaps_between_sectors_the_kit_expects_to_meet(
    extra: list[tuple[str, str, str]], kind: str | None, title: str | None
) -> None:
    findings = _sectors_map(extra)
    about = [f for f in findings if f.kind in ("sector_gap", "sector_thin")]
    if kind is None:
        assert about == []
        return
    (finding,) = about
    assert finding.kind == kind and finding.title.startswith(title or "")
    assert finding.why.startswith("One open door.")
    assert finding.term == "structural hole between sectors"
    if extra and extra[0][2] == "conflict":
        assert "The only contact is tension (GP practice and CMHT)" in finding.why
    missing = next(f for f in findings if f.kind == "missing_sector")
    assert missing.title.startswith("No one from housing is on the map")
    assert missing.stakeholders == ("GP practice", "Talking therapies")


def test_living_well_seeds_show_the_primary_secondary_gap() -> None:
    from codesign.network.tables import drafts_from_kit
    from codesign.workshops.kits import get_builtin_kit

    kit = get_builtin_kit("living-well").kit
    seeds, rels = drafts_from_kit(kit)
    ppl = [
        StakeholderValue(i, s.name, s.aliases, s.kind, s.sector, s.influence, s.interest, "")
        for i, s in enumerate(seeds)
    ]
    ids = {p.name: p.id for p in ppl}
    values = [
        RelationshipValue(i, ids[r.source], ids[r.target], r.type, r.directed, r.strength, "")
        for i, r in enumerate(rels)
    ]
    findings = network.find_findings(network.build_graph(ppl, values), expected_links=kit.expected_links, seed=1)
    assert findings[0].title == (
        "Primary care and Secondary mental health meet through a single weak link: "
        "GP practice and Single point of access"
    )
    assert findings[0].headline.endswith("(structural hole between sectors)")


def test_hard_cap_has_a_friendly_message() -> None:
    too_many = people(*(f"S{i}" for i in range(network.MAX_STAKEHOLDERS + 1)))
    with pytest.raises(network.NetworkTooLarge, match=r"at most 2,000\. Split it"):
        network.build_graph(too_many, [])
    network.build_graph(too_many[:-1], [])


def test_self_loops_and_dangling_links_are_left_out_of_the_graph() -> None:
    ppl = people("A", "B")
    graph = network.build_graph(
        ppl, [RelationshipValue(1, 1, 1, "referral", True, 2, ""), RelationshipValue(2, 1, 99, "referral", True, 2, "")]
    )
    assert graph.number_of_edges() == 0


# --- layout --------------------------------------------------------------------------------


def test_layout_is_seeded_and_deterministic() -> None:
    graph = graph_of(*TWO_GROUPS)
    first = network.layout_positions(graph, seed=5)
    assert first == network.layout_positions(graph, seed=5)
    assert first != network.layout_positions(graph, seed=6)
    assert all(-1.0001 <= c <= 1.0001 for xy in first.values() for c in xy)


def test_adding_one_stakeholder_does_not_move_the_others() -> None:
    names, pairs = TWO_GROUPS
    before = network.layout_positions(graph_of(names, pairs), seed=5)
    grown = graph_of([*names, "Newcomer"], [*pairs, ("Newcomer", "A2")])
    after = network.layout_positions(grown, seed=5, previous=before)
    assert {k: after[k] for k in before} == before
    new = max(after)
    a2 = next(n for n in grown if grown.nodes[n]["name"] == "A2")
    b4 = next(n for n in grown if grown.nodes[n]["name"] == "B4")
    assert math.dist(after[new], after[a2]) < math.dist(after[new], after[b4])
    # Removing a stakeholder keeps everyone else exactly where they were, too.
    without_b4 = [(a, b) for a, b in pairs if "B4" not in (a, b)]
    assert network.layout_positions(graph_of(names[:-1], without_b4), previous=before) == {
        k: v for k, v in before.items() if k != len(names)
    }


# --- filters and ego view ------------------------------------------------------------------


def test_filters_by_sector_and_type() -> None:
    ppl = [
        StakeholderValue(1, "GP", (), "service", "primary_care", 3, 3, ""),
        StakeholderValue(2, "CMHT", (), "service", "secondary_mental_health", 3, 3, ""),
        StakeholderValue(3, "Charity", (), "organisation", "voluntary_community", 3, 3, ""),
    ]
    rels = [RelationshipValue(1, 1, 2, "referral", True, 2, ""), RelationshipValue(2, 3, 2, "funding", True, 2, "")]
    graph = network.build_graph(ppl, rels)
    only_nhs = network.filter_network(graph, sectors=["primary_care", "secondary_mental_health"])
    assert sorted(only_nhs.nodes) == [1, 2] and only_nhs.number_of_edges() == 1
    only_funding = network.filter_network(graph, types=["funding"])
    assert only_funding.number_of_nodes() == 3
    assert [(u, v) for u, v in only_funding.edges()] == [(3, 2)]


def test_ego_view() -> None:
    graph = graph_of(*PATH)
    assert sorted(network.ego_network(graph, 3).nodes) == [2, 3, 4]
    assert sorted(network.ego_network(graph, 3, radius=2).nodes) == [1, 2, 3, 4, 5]
    assert sorted(network.ego_network(graph, 1).nodes) == [1, 2]
    with pytest.raises(ValidationFailed):
        network.ego_network(graph, 99)


# --- stories -------------------------------------------------------------------------------


def story(i: int, text: str, **overrides: object) -> Story:
    defaults: dict[str, object] = {"stage_key": None, "lens_key": None, "emotion": None}
    return make_story(id=i, text=text, **{**defaults, **overrides})


GP = StakeholderValue(1, "GP practice", ("GP", "surgery", "practice"), "service", "primary_care", 3, 3, "")
AE = StakeholderValue(2, "A&E and liaison", ("A&E", "casualty"), "service", "crisis_urgent_care", 3, 3, "")


@pytest.mark.parametrize(
    ("text", "gp", "ae"),
    [
        ("I rang the GP practice twice.", True, False),
        ("my gp said to wait", True, False),
        ("The surgery was kind.", True, False),
        ("Three GPs and no answer.", False, False),  # whole words only
        ("She practiced her breathing.", False, False),
        ("Ended up in A&E at 3am.", False, True),
        ("casualty, again", False, True),
        ("GP\npractice", True, False),
        ("AGP and A&Echo", False, False),
    ],
)
def test_mentions_by_name_or_alias_whole_words_any_case(text: str, gp: bool, ae: bool) -> None:
    found = network.find_mentions([GP, AE], [story(1, text)])
    assert (found[1] == (1,), found[2] == (1,)) == (gp, ae)


def test_mentions_search_every_field_but_only_approved_unflagged_stories() -> None:
    stories = [
        story(1, "Nothing here", helped="the practice nurse"),
        story(2, "GP again", moderation_status="pending"),
        story(3, "GP again", moderation_status="hidden"),
        story(4, "GP and worse", risk_flags=("self-harm",)),
        story(5, "GP and worse", risk_flags=("self-harm",), risk_reviewed=True),
    ]
    assert network.find_mentions([GP, AE], stories) == {1: (1, 5), 2: ()}


_WORDS = st.sampled_from(["GP", "gp", "A&E", "crisis", "team", "Straße", "KELVIN", "ſt", "(NHS)", "café", "-", "GPs"])


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(st.lists(_WORDS, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=4),
    texts=st.lists(
        st.lists(st.one_of(_WORDS, st.text(alphabet="aGpé &-.()\n", max_size=6)), max_size=8).map(" ".join),
        max_size=6,
    ),
)
def test_the_word_index_finds_exactly_what_a_full_search_finds(names: list[str], texts: list[str]) -> None:
    holders = [
        StakeholderValue(i + 1, name, tuple(names[:i]), "service", "other", 3, 3, "") for i, name in enumerate(names)
    ]
    stories = [story(i + 1, text) for i, text in enumerate(texts)]
    full = {}
    for holder in holders:
        pattern = network_analysis._mention_pattern(holder)
        full[holder.id] = tuple(s.id for s in stories if pattern and pattern.search(network_analysis.story_text(s)))
    assert network.find_mentions(holders, stories) == full


def test_shareable_stories_respect_consent() -> None:
    stories = [
        story(1, "GP", consent="themes_only"),
        story(2, "GP", consent="anonymous_quote"),
        story(3, "GP", consent="report_quote"),
        story(4, "GP", consent="report_quote", risk_flags=("suicide",)),
    ]
    shown, withheld = network.shareable_stories(stories, ["anonymous_quote", "report_quote"])
    assert [s.id for s in shown] == [2, 3] and withheld == 1


# --- figures -------------------------------------------------------------------------------


def test_network_figure_colours_sizes_styles_and_arrows() -> None:
    ppl = [
        StakeholderValue(1, "GP <b>", (), "service", "primary_care", 5, 3, ""),
        StakeholderValue(2, "CMHT", (), "service", "secondary_mental_health", 1, 3, ""),
        StakeholderValue(3, "Housing", (), "service", "housing", 3, 3, ""),
    ]
    rels = [
        RelationshipValue(1, 1, 2, "referral", True, 3, "slow"),
        RelationshipValue(2, 3, 2, "conflict", False, 1, ""),
    ]
    graph = network.build_graph(ppl, rels)
    positions = network.layout_positions(graph, seed=1)
    fig = network_figure(graph, positions, size_by="influence", type_names={"referral": "Refers people to"})
    traces = {t.name: t for t in fig.data}
    assert traces["Primary care"].marker.color == sector_colour("primary_care")
    assert traces["Primary care"].marker.size[0] > traces["Secondary mental health"].marker.size[0]
    assert "GP &lt;b&gt;" in traces["Primary care"].hovertext[0]
    lines = [t for t in fig.data if t.mode == "lines"]
    assert {t.name for t in lines} == {"Refers people to", "conflict"}
    refer, tension = (next(t for t in lines if t.name == n) for n in ("Refers people to", "conflict"))
    # Types differ by dash and arrowhead as well as colour.
    assert tension.line.color == TENSION_COLOUR != refer.line.color
    assert tension.line.dash != refer.line.dash
    heads = {t.name: t for t in fig.data if t.name.endswith("(direction)")}
    assert heads["Refers people to (direction)"].marker.symbol != heads["conflict (direction)"].marker.symbol
    assert len(heads["Refers people to (direction)"].x) == 1  # one-way: a head at the target
    assert len(heads["conflict (direction)"].x) == 2  # two-way: its mark at both ends
    # The legend (which prints) shows each type's line with its head.
    legend = [t for t in fig.data if t.showlegend and t.mode == "lines+markers"]
    assert [(t.name, t.line.dash, t.marker.symbol) for t in legend] == [
        ("Refers people to", refer.line.dash, heads["Refers people to (direction)"].marker.symbol),
        ("conflict", tension.line.dash, heads["conflict (direction)"].marker.symbol),
    ]
    with pytest.raises(ValueError, match="unknown size metric"):
        network_figure(graph, positions, size_by="charisma")


def test_power_interest_grid_places_each_stakeholder() -> None:
    ppl = [
        StakeholderValue(1, "Commissioners", (), "organisation", "public_health_commissioning", 5, 2, ""),
        StakeholderValue(2, "Peer group", (), "community_group", "lived_experience", 1, 5, ""),
    ]
    fig = power_interest_figure(ppl)
    points = {t.text[0]: (t.x[0], t.y[0]) for t in fig.data}
    assert points == {"Commissioners": (2.0, 5.0), "Peer group": (5.0, 1.0)}
    assert {a.text for a in fig.layout.annotations} == {"Manage closely", "Keep satisfied", "Keep informed", "Monitor"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_betweenness_matches_networkx(seed: int) -> None:
    import networkx as nx

    graph = nx.gnm_random_graph(60, 150, seed=seed)
    graph.add_nodes_from([60, 61])  # isolates too
    ours = network_analysis._betweenness(graph, seed)
    assert ours == pytest.approx(nx.betweenness_centrality(graph))


def test_link_stories_and_screen_helpers() -> None:
    stories = [story(1, "GP then A&E"), story(2, "the GP"), story(3, "GP", moderation_status="pending")]
    linked = network.link_stories([GP, AE], stories)
    assert linked.counts == {1: 2, 2: 1}
    assert [s.id for s in linked.stories_of(1)] == [1, 2] and linked.stories_of(99) == []
    nobody = StakeholderValue(3, "Zed", (), "service", "made_up", 3, 3, "")
    assert [s.name for s in linked.mentioned([nobody, AE, GP])] == ["A&E and liaison", "GP practice"]
    assert network.sectors_present([nobody, AE, GP]) == ["primary_care", "crisis_urgent_care", "made_up"]
    assert [s.name for s in network.sorted_by_name([nobody, GP, AE])] == ["A&E and liaison", "GP practice", "Zed"]


def test_labels_on_the_kits_map_do_not_overlap_each_other() -> None:
    from codesign.charts.network import MIN_NODE_SIZE, SCREEN_WIDTH, label_box, label_text, place_labels
    from codesign.network.tables import drafts_from_kit
    from codesign.workshops.kits import get_builtin_kit

    kit = get_builtin_kit("living-well").kit
    people_drafts, link_drafts = drafts_from_kit(kit)
    ids = {d.name: i for i, d in enumerate(people_drafts)}
    ppl = [StakeholderValue(i, d.name, d.aliases, d.kind, d.sector, 3, 3, "") for i, d in enumerate(people_drafts)]
    rels = [
        RelationshipValue(k, ids[r.source], ids[r.target], r.type, r.directed, r.strength, "")
        for k, r in enumerate(link_drafts)
    ]
    graph = network.build_graph(ppl, rels)
    positions = network.layout_positions(graph, seed=network.DEFAULT_SEED)
    fig = network_figure(graph, positions, width=SCREEN_WIDTH, height=640)
    xs, ys = [p[0] for p in positions.values()], [p[1] for p in positions.values()]
    span_x, span_y = max(max(xs) - min(xs), 0.5), max(max(ys) - min(ys), 0.5)
    scale = min(0.78 * SCREEN_WIDTH / (span_x * 1.25), 0.92 * 640 / (span_y * 1.25))
    labels = {n: label_text(graph.nodes[n]["name"]) for n in graph.nodes}
    sizes = dict.fromkeys(graph.nodes, MIN_NODE_SIZE)
    spots = place_labels(list(graph.nodes), positions, sizes, labels, scale)
    boxes = [label_box(positions[n], sizes[n], labels[n], spots[n], scale) for n in graph.nodes]
    overlaps = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
    ]
    assert overlaps == []
    # The figure uses the same placement: every label at one of the spots, long names shortened.
    placed = [p for t in fig.data if t.mode == "markers+text" for p in t.textposition]
    assert len(placed) == len(ppl) and all(" " in p for p in placed)


def test_a_label_by_the_drawings_edge_is_placed_inside_it() -> None:
    from codesign.charts.network import label_box, label_text, place_labels

    labels = {1: label_text("Carers and families")}
    positions = {1: (5.4, 2.0)}
    edges = (0.5, 0.5, 5.5, 5.5)
    free = place_labels([1], positions, {1: 14.0}, labels, 100.0)
    assert label_box(positions[1], 14.0, labels[1], free[1], 100.0)[2] > edges[2]  # centred, it is cut off
    inside = place_labels([1], positions, {1: 14.0}, labels, 100.0, edges)
    box = label_box(positions[1], 14.0, labels[1], inside[1], 100.0)
    assert edges[0] <= box[0] and box[2] <= edges[2] and inside[1].endswith("left")
