"""The stakeholder map's use cases: load and save the map and its drawing positions.

The rules (the graph, findings in service language, tables in and out) live in
``network.analysis`` and ``network.tables``; only this module talks to storage.
"""

from __future__ import annotations

from codesign.storage import stakeholders as repo
from codesign.storage.stakeholders import LAYOUT_SETTING

__all__ = [
    "LAYOUT_SETTING",
    "add_relationship",
    "add_stakeholder",
    "delete_relationship",
    "delete_stakeholder",
    "list_relationships",
    "list_stakeholders",
    "load_layout",
    "load_network",
    "save_layout",
    "save_network",
    "update_stakeholder",
]

list_stakeholders = repo.list_stakeholders
list_relationships = repo.list_relationships
load_network = repo.load_network
save_network = repo.save_network
add_stakeholder = repo.add_stakeholder
update_stakeholder = repo.update_stakeholder
delete_stakeholder = repo.delete_stakeholder
add_relationship = repo.add_relationship
delete_relationship = repo.delete_relationship
load_layout = repo.load_layout
save_layout = repo.save_layout
