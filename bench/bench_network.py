"""Stakeholder network: metrics, findings and layout for a large synthetic map.

Usage: python bench/bench_network.py [STAKEHOLDERS] [RELATIONSHIPS] [SEED]
Target: 500 stakeholders and 2,000 relationships in under 1 s (metrics + layout).
"""

from __future__ import annotations

import random
import sys
import time

from codesign import network
from codesign.charts.network import network_figure
from codesign.models import RelationshipValue, StakeholderValue
from codesign.workshops.kits import SECTORS, ExpectedLink

TYPES = ("referral", "information_sharing", "funding", "support", "accountability", "conflict")


def synthetic_map(n: int, m: int, seed: int) -> tuple[list[StakeholderValue], list[RelationshipValue]]:
    """A map with sector clusters: most links inside a sector, some across."""
    rng = random.Random(seed)
    sectors = list(SECTORS)
    people = [
        StakeholderValue(i, f"Stakeholder {i}", (), "service", sectors[i % len(sectors)], 3, 3, "") for i in range(n)
    ]
    by_sector: dict[str, list[int]] = {}
    for p in people:
        by_sector.setdefault(p.sector, []).append(p.id)
    links: list[RelationshipValue] = []
    while len(links) < m:
        u = rng.randrange(n)
        same = rng.random() < 0.7
        v = rng.choice(by_sector[people[u].sector]) if same else rng.randrange(n)
        if u != v:
            links.append(
                RelationshipValue(len(links), u, v, rng.choice(TYPES), rng.random() < 0.8, rng.randint(1, 3), "")
            )
    return people, links


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    people, links = synthetic_map(n, m, seed)
    expected = [ExpectedLink(sectors=("primary_care", "secondary_mental_health"), why="They should work as one.")]
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    graph = network.build_graph(people, links)
    t1 = time.perf_counter()
    analysis = network.analyse_network(graph, expected_links=expected, seed=seed)
    t2 = time.perf_counter()
    positions = network.layout_positions(graph, seed=seed)
    t3 = time.perf_counter()
    cpu3 = time.process_time()
    extra = StakeholderValue(n, "Newcomer", (), "service", "other", 3, 3, "")
    grown = network.build_graph([*people, extra], [*links, RelationshipValue(m, n, 0, "support", True, 2, "")])
    t4 = time.perf_counter()
    again = network.layout_positions(grown, seed=seed, previous=positions)
    t5 = time.perf_counter()
    network_figure(graph, positions, analysis=analysis)
    t6 = time.perf_counter()
    moved = sum(1 for k, p in positions.items() if again[k] != p)
    print(f"stakeholders {n}, relationships {m}, seed {seed}")
    print(f"build graph:            {t1 - t0:.3f} s")
    print(f"metrics + findings:     {t2 - t1:.3f} s  ({len(analysis.findings)} findings)")
    print(f"layout (from scratch):  {t3 - t2:.3f} s")
    print(f"metrics + layout total: {t3 - t0:.3f} s  (target < 1 s; CPU {cpu3 - cpu0:.3f} s)")
    print(f"layout after adding one stakeholder: {t5 - t4:.3f} s, existing stakeholders moved: {moved}")
    print(f"Plotly figure:          {t6 - t5:.3f} s")


if __name__ == "__main__":
    main()
