"""The stakeholder network: who is involved, how they connect, and where the system breaks.

A workshop's stakeholders and relationships become a networkx graph. The questions a
room asks of it ("who holds this together?", "who is left out?", "do the GP and the
mental-health team actually talk?") are answered as findings in plain service language,
with the social-network-analysis term in brackets for those who want it.

Tensions (relationships of a conflict type) are drawn on the map but are not counted as
a way through the system: two services that only argue are not joined up.

Everything here is a pure function of its arguments; randomness (Louvain, the layout)
comes from a ``seed``, so the same map always gives the same findings and picture.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import networkx as nx
import numpy as np

from codesign.errors import ValidationFailed
from codesign.models import RelationshipValue, StakeholderValue, Story
from codesign.workshops.kits import SECTORS, ExpectedLink

# The seed the screen, the command line and the report share, so all three show the same
# clusters and the same picture of a map.
DEFAULT_SEED = 7

# Beyond about 2,000 stakeholders a network drawing is a hairball nobody in a room can
# read, and betweenness (O(nodes x links)) stops being interactive on a workshop laptop.
MAX_STAKEHOLDERS = 2_000
MAX_RELATIONSHIPS = 20_000

# Exact betweenness costs O(nodes x links) in pure Python. Above this many stakeholders it
# is estimated from a seeded sample of sources: the ranking of brokers holds and the
# screen stays interactive (measured in bench/bench_network.py).
BETWEENNESS_EXACT_UP_TO = 300
BETWEENNESS_SAMPLE = 128

# Relationship types that are drawn but are not a working route between stakeholders.
TENSION_TYPES = frozenset({"conflict"})

# A broker's share of shortest routes must reach this before we call it out: below it,
# "broker" would name half the map on any tree-like network.
BROKER_MIN_BETWEENNESS = 0.1
# Louvain always finds *some* partition; below this modularity the "clusters" are noise.
COMMUNITY_MIN_MODULARITY = 0.3
# How many stakeholders a finding names before it says "and N more".
NAMES_SHOWN = 6
# How many findings of one kind (single points of failure, fragile links) we list.
FINDINGS_PER_KIND = 5
TOP_CONNECTED = 3

SIZE_METRICS: dict[str, str] = {
    "degree": "Number of working links",
    "betweenness": "Broker score (betweenness)",
    "influence": "Influence",
    "interest": "Interest",
    "mentions": "Mentions in stories",
}


class NetworkTooLarge(ValidationFailed):
    """More stakeholders or relationships than a screen (and a room) can use."""


@dataclass(frozen=True)
class Finding:
    """One thing the network says about the service, in words a room can act on.

    Attributes:
        kind: A stable key, e.g. ``"sector_gap"`` or ``"single_point_of_failure"``.
        title: A plain-words headline naming who is involved.
        stakeholders: The names of the stakeholders involved.
        why: Why it matters, in service language.
        term: The social-network-analysis term, shown in brackets.
    """

    kind: str
    title: str
    stakeholders: tuple[str, ...]
    why: str
    term: str

    @property
    def headline(self) -> str:
        """The title with the SNA term in brackets."""
        return f"{self.title} ({self.term})"


@dataclass(frozen=True)
class NodeMetrics:
    """Where one stakeholder sits in the network (working links only)."""

    id: int
    name: str
    sector: str
    degree: int
    links_in: int
    links_out: int
    tensions: int
    betweenness: float
    community: int | None
    is_single_point_of_failure: bool


@dataclass(frozen=True)
class NetworkAnalysis:
    """Everything :func:`analyse_network` found, in one value."""

    metrics: dict[int, NodeMetrics]
    communities: tuple[tuple[int, ...], ...]
    modularity: float
    articulation_points: tuple[int, ...]
    bridges: tuple[tuple[int, int], ...]
    components: tuple[tuple[int, ...], ...]
    findings: tuple[Finding, ...] = field(default_factory=tuple)


# --- the graph ---------------------------------------------------------------------------


def build_graph(
    stakeholders: Sequence[StakeholderValue], relationships: Sequence[RelationshipValue]
) -> nx.MultiDiGraph:
    """Build the network: one node per stakeholder (keyed by id), one edge per relationship.

    Node attributes: ``name``, ``aliases``, ``kind``, ``sector``, ``influence``, ``interest``,
    ``notes``. Edge attributes (edge key = relationship id): ``type``, ``directed``,
    ``strength``, ``note``. An undirected relationship is one edge with ``directed=False``.
    Relationships whose ends are not among the stakeholders, and self-loops, are left out.

    Raises:
        NetworkTooLarge: Beyond :data:`MAX_STAKEHOLDERS` or :data:`MAX_RELATIONSHIPS`.
    """
    check_size(len(stakeholders), len(relationships))
    graph = nx.MultiDiGraph()
    for s in stakeholders:
        graph.add_node(
            s.id,
            name=s.name,
            aliases=tuple(s.aliases),
            kind=s.kind,
            sector=s.sector,
            influence=s.influence,
            interest=s.interest,
            notes=s.notes,
        )
    for r in relationships:
        if r.source_id == r.target_id or r.source_id not in graph or r.target_id not in graph:
            continue
        graph.add_edge(
            r.source_id, r.target_id, key=r.id, type=r.type, directed=r.directed, strength=r.strength, note=r.note
        )
    return graph


def check_size(stakeholders: int, relationships: int) -> None:
    """Refuse a map bigger than the screen can show, with a message saying what to do.

    Raises:
        NetworkTooLarge: If either count is over its cap.
    """
    if stakeholders > MAX_STAKEHOLDERS:
        raise NetworkTooLarge(
            f"This map has {stakeholders:,} stakeholders; the screen can show at most {MAX_STAKEHOLDERS:,}. "
            "Split it into smaller maps (for example one per locality or sector) and import each one "
            "into its own workshop."
        )
    if relationships > MAX_RELATIONSHIPS:
        raise NetworkTooLarge(
            f"This map has {relationships:,} relationships; the screen can show at most {MAX_RELATIONSHIPS:,}. "
            "Keep the relationships that matter for this workshop and try again."
        )


def working_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected, simple graph of working links (tensions left out), weighted by strength."""
    working = nx.Graph()
    working.add_nodes_from(graph.nodes)
    for u, v, data in graph.edges(data=True):
        if data["type"] in TENSION_TYPES:
            continue
        weight = max(working[u][v]["weight"], data["strength"]) if working.has_edge(u, v) else data["strength"]
        working.add_edge(u, v, weight=weight)
    return working


def _name(graph: nx.MultiDiGraph, node: int) -> str:
    return str(graph.nodes[node]["name"])


def _names(graph: nx.MultiDiGraph, nodes: Iterable[int]) -> tuple[str, ...]:
    return tuple(sorted((_name(graph, n) for n in nodes), key=str.casefold))


def filter_network(
    graph: nx.MultiDiGraph, *, sectors: Iterable[str] | None = None, types: Iterable[str] | None = None
) -> nx.MultiDiGraph:
    """The part of the network in the given sectors, with only the given relationship types.

    ``None`` means no filter. Stakeholders stay on the map even if none of their links
    pass the type filter, so the room can see who has no link of that kind.
    """
    keep_sectors = None if sectors is None else set(sectors)
    keep_types = None if types is None else set(types)
    nodes = [n for n, d in graph.nodes(data=True) if keep_sectors is None or d["sector"] in keep_sectors]
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((n, graph.nodes[n]) for n in nodes)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if u in sub and v in sub and (keep_types is None or d["type"] in keep_types):
            sub.add_edge(u, v, key=k, **d)
    return sub


def ego_network(graph: nx.MultiDiGraph, centre: int, radius: int = 1) -> nx.MultiDiGraph:
    """The network around one stakeholder: everyone within ``radius`` links, in either direction.

    Raises:
        ValidationFailed: If the stakeholder is not on the map.
    """
    if centre not in graph:
        raise ValidationFailed("That stakeholder is no longer on the map.")
    undirected = nx.Graph(graph.to_undirected(as_view=True))
    near = nx.single_source_shortest_path_length(undirected, centre, cutoff=radius)
    return nx.MultiDiGraph(graph.subgraph(near))


# --- metrics and findings ----------------------------------------------------------------


def analyse_network(
    graph: nx.MultiDiGraph,
    *,
    expected_links: Sequence[ExpectedLink] = (),
    seed: int = 0,
    sector_names: Mapping[str, str] = SECTORS,
) -> NetworkAnalysis:
    """Compute the metrics and the findings of a network.

    Args:
        graph: From :func:`build_graph`.
        expected_links: The kit's pairs of sectors that ought to be joined up.
        seed: For Louvain community detection.
        sector_names: Sector key -> plain name, for the findings' wording.

    Returns:
        The metrics per stakeholder, communities, single points of failure, fragile links,
        components and the findings (most important first). An empty graph gives no findings.
    """
    working = working_graph(graph)
    betweenness = _betweenness(working, seed)
    articulation = tuple(sorted(nx.articulation_points(working)))
    bridges = tuple(sorted((min(u, v), max(u, v)) for u, v in nx.bridges(working)))
    components = tuple(sorted((tuple(sorted(c)) for c in nx.connected_components(working)), key=lambda c: (-len(c), c)))
    communities, modularity = _communities(working, seed)
    community_of = {n: i for i, members in enumerate(communities) for n in members}
    metrics: dict[int, NodeMetrics] = {}
    articulation_set = set(articulation)
    for node, data in graph.nodes(data=True):
        links_in = links_out = tensions = 0
        for _, _, d in graph.in_edges(node, data=True):
            if d["type"] in TENSION_TYPES:
                tensions += 1
            elif d["directed"]:
                links_in += 1
        for _, _, d in graph.out_edges(node, data=True):
            if d["type"] in TENSION_TYPES:
                tensions += 1
            elif d["directed"]:
                links_out += 1
        metrics[node] = NodeMetrics(
            id=node,
            name=data["name"],
            sector=data["sector"],
            degree=working.degree(node),
            links_in=links_in,
            links_out=links_out,
            tensions=tensions,
            betweenness=float(betweenness.get(node, 0.0)),
            community=community_of.get(node),
            is_single_point_of_failure=node in articulation_set,
        )
    analysis = NetworkAnalysis(
        metrics=metrics,
        communities=communities,
        modularity=modularity,
        articulation_points=articulation,
        bridges=bridges,
        components=components,
    )
    findings = _findings(graph, working, analysis, expected_links, sector_names)
    return replace(analysis, findings=tuple(findings))


def find_findings(
    graph: nx.MultiDiGraph,
    *,
    expected_links: Sequence[ExpectedLink] = (),
    seed: int = 0,
    sector_names: Mapping[str, str] = SECTORS,
) -> list[Finding]:
    """The findings of a network, most important first (see :func:`analyse_network`)."""
    return list(analyse_network(graph, expected_links=expected_links, seed=seed, sector_names=sector_names).findings)


def _betweenness(working: nx.Graph, seed: int) -> dict[int, float]:
    """Normalised betweenness, as ``nx.betweenness_centrality`` gives it (tested against it).

    Brandes' algorithm on integer adjacency lists: about three times faster than
    networkx's version, which walks dict-of-dict views. Beyond
    :data:`BETWEENNESS_EXACT_UP_TO` stakeholders it starts from a seeded sample of sources.
    """
    nodes = sorted(working.nodes)
    n = len(nodes)
    if n <= 2 or working.number_of_edges() == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = [[index[m] for m in working.neighbors(node)] for node in nodes]
    sources: Sequence[int] = range(n)
    scale = 1.0 / ((n - 1) * (n - 2))
    if n > BETWEENNESS_EXACT_UP_TO:
        sources = random.Random(seed).sample(range(n), BETWEENNESS_SAMPLE)
        scale *= n / BETWEENNESS_SAMPLE
    totals = [0.0] * n
    for source in sources:
        order: list[int] = []
        parents: list[list[int]] = [[] for _ in range(n)]
        paths = [0] * n
        paths[source] = 1
        depth = [-1] * n
        depth[source] = 0
        queue = deque([source])
        while queue:
            v = queue.popleft()
            order.append(v)
            next_depth, v_paths = depth[v] + 1, paths[v]
            for w in adjacency[v]:
                if depth[w] < 0:
                    depth[w] = next_depth
                    queue.append(w)
                if depth[w] == next_depth:
                    paths[w] += v_paths
                    parents[w].append(v)
        dependency = [0.0] * n
        while order:
            w = order.pop()
            share = (1.0 + dependency[w]) / paths[w]
            for v in parents[w]:
                dependency[v] += paths[v] * share
            if w != source:
                totals[w] += dependency[w]
    return {node: totals[i] * scale for i, node in enumerate(nodes)}


def _communities(working: nx.Graph, seed: int) -> tuple[tuple[tuple[int, ...], ...], float]:
    if working.number_of_edges() == 0:
        return (), 0.0
    found = nx.community.louvain_communities(working, weight="weight", seed=seed)
    ordered = tuple(sorted((tuple(sorted(c)) for c in found), key=lambda c: (-len(c), c)))
    modularity = float(nx.community.modularity(working, [set(c) for c in ordered], weight="weight"))
    return ordered, modularity


def join_names(names: Sequence[str], limit: int = NAMES_SHOWN) -> str:
    """'A', 'A and B', 'A, B and C', or 'A, B, C and 4 more'."""
    names = list(names)
    if not names:
        return "nobody"
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _findings(
    graph: nx.MultiDiGraph,
    working: nx.Graph,
    analysis: NetworkAnalysis,
    expected_links: Sequence[ExpectedLink],
    sector_names: Mapping[str, str],
) -> list[Finding]:
    if graph.number_of_nodes() == 0:
        return []
    findings: list[Finding] = []
    findings += _sector_gaps(graph, working, expected_links, sector_names)
    findings += _disconnected(graph, analysis)
    findings += _single_points_of_failure(graph, working, analysis)
    findings += _fragile_links(graph, working, analysis)
    findings += _isolated_and_weak(graph, working)
    findings += _brokers(graph, analysis)
    findings += _most_connected(graph, analysis)
    findings += _clusters(graph, working, analysis)
    return findings


def _sector_label(sector_names: Mapping[str, str], key: str) -> str:
    return sector_names.get(key, key.replace("_", " ").capitalize())


def _sector_gaps(
    graph: nx.MultiDiGraph, working: nx.Graph, expected: Sequence[ExpectedLink], sector_names: Mapping[str, str]
) -> list[Finding]:
    out: list[Finding] = []
    by_sector: dict[str, list[int]] = {}
    for node, data in graph.nodes(data=True):
        by_sector.setdefault(data["sector"], []).append(node)
    term = "structural hole between sectors"
    for link in expected:
        a, b = link.sectors
        if a == b:
            continue
        label_a, label_b = _sector_label(sector_names, a), _sector_label(sector_names, b)
        nodes_a, nodes_b = by_sector.get(a, []), by_sector.get(b, [])
        if not nodes_a or not nodes_b:
            missing = [label for label, nodes in ((label_a, nodes_a), (label_b, nodes_b)) if not nodes]
            present = nodes_a or nodes_b
            out.append(
                Finding(
                    kind="missing_sector",
                    title=f"No one from {' or '.join(m.lower() for m in missing)} is on the map, "
                    f"so {label_a.lower()} and {label_b.lower()} cannot link up",
                    stakeholders=_names(graph, present),
                    why=f"{link.why} Add the {' and '.join(m.lower() for m in missing)} stakeholders "
                    "who should be part of this.",
                    term=term,
                )
            )
            continue
        set_b = set(nodes_b)
        working_links = sorted(
            {(u, v) if u < v else (v, u) for u in nodes_a for v in working.neighbors(u) if v in set_b}
        )
        tension_links = sorted(
            {
                (u, v)
                for u, v, d in graph.edges(data=True)
                if d["type"] in TENSION_TYPES and {graph.nodes[u]["sector"], graph.nodes[v]["sector"]} == {a, b}
            }
        )
        involved = _names(graph, [*nodes_a, *nodes_b])
        if not working_links:
            tension = ""
            if tension_links:
                pairs = "; ".join(f"{_name(graph, u)} and {_name(graph, v)}" for u, v in tension_links[:3])
                tension = f" The only contact is tension ({pairs})."
            out.append(
                Finding(
                    kind="sector_gap",
                    title=f"No working link between {label_a.lower()} and {label_b.lower()}",
                    stakeholders=involved,
                    why=f"{link.why} On this map none of the {len(nodes_a)} {label_a.lower()} and "
                    f"{len(nodes_b)} {label_b.lower()} stakeholders work with each other directly.{tension}",
                    term=term,
                )
            )
        elif len(working_links) == 1:
            u, v = working_links[0]
            strength = working[u][v]["weight"]
            weak = " weak" if strength <= 1 else ""
            out.append(
                Finding(
                    kind="sector_thin",
                    title=f"{label_a} and {label_b} meet through a single{weak} link: "
                    f"{_name(graph, u)} and {_name(graph, v)}",
                    stakeholders=_names(graph, (u, v)),
                    why=f"{link.why} Everything between these sectors depends on this one relationship; "
                    "if it is strained or the people in it move on, the sectors lose touch.",
                    term=term,
                )
            )
    return out


def _disconnected(graph: nx.MultiDiGraph, analysis: NetworkAnalysis) -> list[Finding]:
    groups = [c for c in analysis.components if len(c) > 1]
    if len(groups) < 2:
        return []
    parts = "; ".join(f"{join_names(_names(graph, c), 4)}" for c in groups[1:4])
    return [
        Finding(
            kind="disconnected",
            title=f"The map falls into {len(groups)} separate groups that never meet",
            stakeholders=_names(graph, [n for c in groups[1:] for n in c]),
            why=f"People can't be passed from one group to another, and each group may not know what the others "
            f"offer. Apart from the largest group, there is: {parts}.",
            term="disconnected components",
        )
    ]


def _single_points_of_failure(graph: nx.MultiDiGraph, working: nx.Graph, analysis: NetworkAnalysis) -> list[Finding]:
    found: list[tuple[int, str, Finding]] = []
    for node in analysis.articulation_points:
        component = nx.node_connected_component(working, node) - {node}
        rest = working.subgraph(component)
        pieces = sorted(
            (tuple(sorted(p)) for p in nx.connected_components(rest)), key=lambda p: (-len(p), _names(graph, p))
        )
        cut_off = [n for p in pieces[1:] for n in p]
        name = _name(graph, node)
        cut_names = _names(graph, cut_off)
        if len(pieces[0]) >= 2:
            verb = "loses its" if len(cut_names) == 1 else "lose their"
            title = f"Without {name}, {join_names(cut_names, 4)} {verb} link to everyone else"
        else:
            title = f"Everyone around {name} depends on it: without it, {len(component)} stakeholders are left unlinked"
            cut_names = _names(graph, component)
        found.append(
            (
                -len(cut_off),
                name.casefold(),
                Finding(
                    kind="single_point_of_failure",
                    title=title,
                    stakeholders=(name, *cut_names),
                    why=f"All routes between these stakeholders pass through {name}. Staff leaving, a contract "
                    "ending or a long waiting list there would cut people off: worth a second route.",
                    term="articulation point",
                ),
            )
        )
    return [f for _, _, f in sorted(found, key=lambda t: (t[0], t[1]))[:FINDINGS_PER_KIND]]


def _fragile_links(graph: nx.MultiDiGraph, working: nx.Graph, analysis: NetworkAnalysis) -> list[Finding]:
    found: list[tuple[int, str, Finding]] = []
    for u, v in analysis.bridges:
        # Take the link out, look at both sides, put it back: cheaper than copying the graph.
        weight = working[u][v]["weight"]
        working.remove_edge(u, v)
        side_u = nx.node_connected_component(working, u)
        side_v = nx.node_connected_component(working, v)
        working.add_edge(u, v, weight=weight)
        if len(side_u) < 2 or len(side_v) < 2:
            continue  # a stakeholder with one link: reported as weakly connected instead
        small = side_u if (len(side_u), _names(graph, side_u)) <= (len(side_v), _names(graph, side_v)) else side_v
        nu, nv = _name(graph, u), _name(graph, v)
        found.append(
            (
                -len(small),
                f"{nu.casefold()}|{nv.casefold()}",
                Finding(
                    kind="fragile_link",
                    title=f"One relationship holds two parts of the map together: {nu} and {nv}",
                    stakeholders=_names(graph, side_u | side_v) if len(side_u | side_v) <= NAMES_SHOWN else (nu, nv),
                    why=f"If the link between {nu} and {nv} breaks down, {join_names(_names(graph, small), 4)} "
                    "lose touch with the rest. A second link between the two sides would make this sturdier.",
                    term="bridge",
                ),
            )
        )
    return [f for _, _, f in sorted(found, key=lambda t: (t[0], t[1]))[:FINDINGS_PER_KIND]]


def _isolated_and_weak(graph: nx.MultiDiGraph, working: nx.Graph) -> list[Finding]:
    out: list[Finding] = []
    isolated = [n for n in working if working.degree(n) == 0]
    if isolated and graph.number_of_nodes() > 1:
        names = _names(graph, isolated)
        tension_notes = []
        for n in sorted(isolated, key=lambda n: _name(graph, n).casefold()):
            others = sorted({_name(graph, m) for m in nx.all_neighbors(graph, n)}, key=str.casefold)
            if others:
                tension_notes.append(f"{_name(graph, n)} has only tension with {join_names(others, 3)}")
        extra = (" " + "; ".join(tension_notes[:3]) + ".") if tension_notes else ""
        out.append(
            Finding(
                kind="isolated",
                title=f"{join_names(names)} {'has' if len(names) == 1 else 'have'} no working link to anyone",
                stakeholders=names,
                why="Nobody on the map refers to, informs, funds or supports them, so people who need them find "
                f"them by chance, if at all.{extra}",
                term="isolates",
            )
        )
    weak = [n for n in working if working.degree(n) == 1]
    if weak:
        described = []
        for n in sorted(weak, key=lambda n: _name(graph, n).casefold()):
            (partner,) = list(working.neighbors(n))
            described.append(f"{_name(graph, n)} (only through {_name(graph, partner)})")
        names = _names(graph, weak)
        out.append(
            Finding(
                kind="weakly_connected",
                title=f"{join_names(names)} {'hangs' if len(names) == 1 else 'hang'} on a single link",
                stakeholders=names,
                why="Each of these has one working relationship on the map: "
                f"{join_names(described, 4)}. If that one contact is busy or leaves, they drop out of the system.",
                term="pendant nodes (degree 1)",
            )
        )
    return out


def _brokers(graph: nx.MultiDiGraph, analysis: NetworkAnalysis) -> list[Finding]:
    ranked = sorted(
        (m for m in analysis.metrics.values() if m.betweenness >= BROKER_MIN_BETWEENNESS),
        key=lambda m: (-round(m.betweenness, 9), m.name.casefold()),
    )[:TOP_CONNECTED]
    if not ranked:
        return []
    names = tuple(m.name for m in ranked)
    detail = join_names([f"{m.name} ({m.betweenness:.0%} of shortest routes)" for m in ranked])
    return [
        Finding(
            kind="brokers",
            title=f"{join_names(names)} {'is the main go-between' if len(names) == 1 else 'are the main go-betweens'}",
            stakeholders=names,
            why=f"Many routes between other stakeholders pass through them: {detail}. They are well placed to spread "
            "a change, and when they are overstretched, referrals and information slow down for everyone.",
            term="betweenness centrality",
        )
    ]


def _most_connected(graph: nx.MultiDiGraph, analysis: NetworkAnalysis) -> list[Finding]:
    ranked = sorted(
        (m for m in analysis.metrics.values() if m.degree >= 2), key=lambda m: (-m.degree, m.name.casefold())
    )[:TOP_CONNECTED]
    if not ranked:
        return []
    names = tuple(m.name for m in ranked)
    detail = join_names([f"{m.name} ({m.degree} links)" for m in ranked])
    return [
        Finding(
            kind="most_connected",
            title=f"{join_names(names)} {'works' if len(names) == 1 else 'work'} with the most others",
            stakeholders=names,
            why=f"They have the most working relationships: {detail}. Good places to start a change, and at risk "
            "of overload if everything runs through them.",
            term="degree centrality",
        )
    ]


def _clusters(graph: nx.MultiDiGraph, working: nx.Graph, analysis: NetworkAnalysis) -> list[Finding]:
    groups = [c for c in analysis.communities if len(c) >= 2]
    if len(groups) < 2 or analysis.modularity < COMMUNITY_MIN_MODULARITY:
        return []
    community_of = {n: i for i, c in enumerate(analysis.communities) for n in c}
    between = sorted(
        (
            (_name(graph, u), _name(graph, v))
            for u, v in working.edges
            if community_of[u] != community_of[v] and len(analysis.communities[community_of[u]]) >= 2
        ),
        key=lambda p: (p[0].casefold(), p[1].casefold()),
    )
    listed = "; ".join(f"group {i + 1}: {join_names(_names(graph, c), 5)}" for i, c in enumerate(groups[:5]))
    links = join_names([f"{a} and {b}" for a, b in between], 3) if between else "no links at all"
    return [
        Finding(
            kind="clusters",
            title=f"The map has {len(groups)} groups that mostly work among themselves",
            stakeholders=_names(graph, [n for c in groups for n in c]),
            why=f"Stakeholders talk far more inside their own group than across groups ({listed}). Joining up care "
            f"means building on the few links between groups: {links}.",
            term=f"communities, Louvain modularity {analysis.modularity:.2f}",
        )
    ]


# --- layout ------------------------------------------------------------------------------


Positions = dict[int, tuple[float, float]]


def _hashed_point(node: int, seed: int) -> tuple[float, float]:
    # A position that depends only on the node and the seed: a stakeholder starts in the
    # same place whatever else is on the map.
    digest = hashlib.sha256(f"{seed}:{node}".encode()).digest()
    x = int.from_bytes(digest[:4], "big") / 2**32
    y = int.from_bytes(digest[4:8], "big") / 2**32
    return (2 * x - 1, 2 * y - 1)


def layout_positions(
    graph: nx.MultiDiGraph,
    *,
    seed: int = 0,
    previous: Mapping[int, tuple[float, float]] | None = None,
    iterations: int = 50,
) -> Positions:
    """Positions for drawing the network: seeded, and stable as the map grows.

    Stakeholders with a previous position keep it exactly; only new ones are placed, each
    starting beside the stakeholders it links to. Without previous positions, every node
    starts from a point derived from its id and the seed, so the same map always gives
    the same picture.

    Args:
        graph: The whole network (draw filtered views with the whole network's positions).
        seed: Seeds the force-directed layout.
        previous: Positions kept from an earlier drawing, by stakeholder id.
        iterations: Force-directed iterations.

    Returns:
        Stakeholder id -> (x, y).
    """
    nodes = sorted(graph.nodes)
    if not nodes:
        return {}
    kept = {n: (float(previous[n][0]), float(previous[n][1])) for n in nodes if previous and n in previous}
    if len(kept) == len(nodes):
        return kept
    undirected = nx.Graph()
    undirected.add_nodes_from(nodes)
    for u, v, d in graph.edges(data=True):
        if u != v:
            undirected.add_edge(u, v, weight=d.get("strength", 1))
    start: dict[int, tuple[float, float]] = dict(kept)
    # Spread of a new node around its neighbours: small, so it lands near them.
    spread = 0.15 if kept else 1.0
    for n in nodes:
        if n in start:
            continue
        jx, jy = _hashed_point(n, seed)
        placed = [kept[m] for m in undirected.neighbors(n) if m in kept]
        if placed:
            cx = sum(p[0] for p in placed) / len(placed)
            cy = sum(p[1] for p in placed) / len(placed)
            start[n] = (cx + spread * jx, cy + spread * jy)
        elif kept:
            # An unlinked newcomer goes just outside the current picture, not on top of it.
            radius = 1.0 + max(math.hypot(x, y) for x, y in kept.values())
            angle = math.pi * (jx + 1)
            start[n] = (radius * math.cos(angle), radius * math.sin(angle))
        else:
            start[n] = (jx, jy)
    order = {n: i for i, n in enumerate(nodes)}
    start_array = np.array([start[n] for n in nodes], dtype=float)
    weights = np.zeros((len(nodes), len(nodes)))
    for u, v, d in undirected.edges(data=True):
        weights[order[u], order[v]] = weights[order[v], order[u]] = float(d["weight"])
    fixed = np.array([n in kept for n in nodes])
    result = _force_directed(start_array, weights, fixed, iterations)
    if not kept:
        result = nx.rescale_layout(result, scale=1.0)
    return {n: (float(result[i, 0]), float(result[i, 1])) for i, n in enumerate(nodes)}


def _force_directed(start: np.ndarray, weights: np.ndarray, fixed: np.ndarray, iterations: int) -> np.ndarray:
    """Fruchterman-Reingold on a dense adjacency matrix, with some nodes held still.

    The same algorithm as networkx's ``spring_layout`` for small graphs, used for every
    size: networkx switches to a pure-Python loop at 500 nodes (about 4 s here).
    """
    pos = start.copy()
    n = len(pos)
    if n == 1:
        return pos
    moving = np.flatnonzero(~fixed)
    # A little more repulsion than the textbook 1/sqrt(n): room for the labels.
    k = 1.5 * math.sqrt(1.0 / n)
    span = float(max(np.ptp(pos[:, 0]), np.ptp(pos[:, 1]))) or 1.0
    temperature = span * 0.1
    cooling = temperature / (iterations + 1)
    # Only the rows of nodes that may move are computed: adding one stakeholder to a
    # drawn map costs one row per iteration, not the whole matrix.
    rows = weights[moving]
    for _ in range(iterations):
        dx = pos[moving, 0][:, np.newaxis] - pos[np.newaxis, :, 0]
        dy = pos[moving, 1][:, np.newaxis] - pos[np.newaxis, :, 1]
        distance = np.sqrt(dx * dx + dy * dy)
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / (distance * distance) - rows * distance / k
        step_x = (dx * force).sum(axis=1)
        step_y = (dy * force).sum(axis=1)
        length = np.sqrt(step_x * step_x + step_y * step_y)
        np.clip(length, 0.01, None, out=length)
        scale = temperature / length
        pos[moving, 0] += step_x * scale
        pos[moving, 1] += step_y * scale
        temperature -= cooling
    return pos


# --- stories -----------------------------------------------------------------------------


def _mention_pattern(stakeholder: StakeholderValue) -> re.Pattern[str] | None:
    terms = {t.strip() for t in (stakeholder.name, *stakeholder.aliases) if t and t.strip()}
    if not terms:
        return None
    # Longest first, so "crisis team" wins over "crisis"; whitespace inside a name matches
    # any run of whitespace; (?<!\w)/(?!\w) work where \b fails, e.g. a name ending in ")".
    parts = [r"\s+".join(re.escape(w) for w in t.split()) for t in sorted(terms, key=lambda t: (-len(t), t))]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def story_text(story: Story) -> str:
    """All the words of a story that may mention a stakeholder."""
    return "\n".join(t for t in (story.text, story.helped, story.would_have_helped, story.strengths) if t)


def stories_to_search(stories: Iterable[Story]) -> list[Story]:
    """Stories that may be linked to stakeholders: approved, and not awaiting a safeguarding review."""
    return [s for s in stories if s.moderation_status == "approved" and not s.is_flagged]


_TOKEN = re.compile(r"\w+")


def _token_index(texts: Sequence[str]) -> dict[str, set[int]]:
    """Word -> positions of the texts that hold it (case folded), to narrow the search."""
    index: dict[str, set[int]] = defaultdict(set)
    for i, text in enumerate(texts):
        for token in set(_TOKEN.findall(text.casefold())):
            index[token].add(i)
    return index


def _candidates(stakeholder: StakeholderValue, index: Mapping[str, set[int]], n: int) -> Iterable[int]:
    """Positions of the texts that could mention the stakeholder: for some name or alias, every
    word of it is in the text. A name's words must appear whole wherever its pattern matches, so
    nothing is missed; a word outside ASCII (where case folding and ``re.IGNORECASE`` may
    differ) falls back to searching everything."""
    found: set[int] = set()
    for term in (stakeholder.name, *stakeholder.aliases):
        if not term or not term.strip():
            continue
        tokens = _TOKEN.findall(term.casefold())
        if not tokens or not all(t.isascii() for t in tokens):
            return range(n)
        found |= set.intersection(*(index.get(t, set()) for t in tokens))
    return sorted(found)


def find_mentions(stakeholders: Sequence[StakeholderValue], stories: Sequence[Story]) -> dict[int, tuple[int, ...]]:
    """Which stories mention each stakeholder, by name or alias (whole words, any case).

    Only approved stories that are not awaiting a safeguarding review are searched. A word
    index narrows each stakeholder's search to the stories holding all the words of one of its
    names, so 500 stakeholders and 1,000 stories take a fraction of a second, not seconds.

    Returns:
        Stakeholder id -> ids of the stories that mention it, oldest first; every
        stakeholder has an entry, empty if nothing mentions it.
    """
    searchable = [(s.id, story_text(s)) for s in stories_to_search(stories)]
    index = _token_index([text for _id, text in searchable])
    mentions: dict[int, tuple[int, ...]] = {}
    for stakeholder in stakeholders:
        pattern = _mention_pattern(stakeholder)
        if pattern is None:
            mentions[stakeholder.id] = ()
            continue
        mentions[stakeholder.id] = tuple(
            searchable[i][0]
            for i in _candidates(stakeholder, index, len(searchable))
            if pattern.search(searchable[i][1])
        )
    return mentions


@dataclass(frozen=True)
class StoryMentions:
    """Which of a workshop's stories mention each stakeholder (see :func:`link_stories`)."""

    story_ids: dict[int, tuple[int, ...]]
    stories: dict[int, Story]

    @property
    def counts(self) -> dict[int, int]:
        """Stakeholder id -> number of stories that mention it."""
        return {k: len(v) for k, v in self.story_ids.items()}

    def stories_of(self, stakeholder_id: int) -> list[Story]:
        """The stories that mention one stakeholder, oldest first."""
        return [self.stories[i] for i in self.story_ids.get(stakeholder_id, ())]

    def mentioned(self, stakeholders: Sequence[StakeholderValue]) -> list[StakeholderValue]:
        """The stakeholders that at least one story mentions, in the given order."""
        return [s for s in stakeholders if self.story_ids.get(s.id)]


def link_stories(stakeholders: Sequence[StakeholderValue], stories: Sequence[Story]) -> StoryMentions:
    """Link stakeholders to the stories that mention them (approved, not awaiting safeguarding review)."""
    return StoryMentions(find_mentions(stakeholders, stories), {s.id: s for s in stories})


def sectors_present(stakeholders: Iterable[StakeholderValue], sector_order: Iterable[str] = SECTORS) -> list[str]:
    """The sectors that have at least one stakeholder, in the kit's usual order, unknown ones last."""
    present = {s.sector for s in stakeholders}
    ordered = [key for key in sector_order if key in present]
    return ordered + sorted(present - set(ordered))


def sorted_by_name(stakeholders: Iterable[StakeholderValue]) -> list[StakeholderValue]:
    """Stakeholders in alphabetical order, ignoring case."""
    return sorted(stakeholders, key=lambda s: (s.name.casefold(), s.id))


def shareable_stories(stories: Sequence[Story], allowed_consents: Iterable[str]) -> tuple[list[Story], int]:
    """Split mentioning stories into those whose text may be shown in the room and a count of the rest.

    Args:
        stories: Stories that mention a stakeholder.
        allowed_consents: Consent tiers whose text may be shown (the workshop's wall setting).

    Returns:
        The stories that may be shown, and how many others are only counted.
    """
    allowed = set(allowed_consents)
    shown = [s for s in stories_to_search(stories) if s.consent in allowed]
    return shown, len(stories_to_search(stories)) - len(shown)
