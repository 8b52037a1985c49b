"""The stakeholder map's use cases: load and save the map and its drawing positions.

The rules (the graph, findings in service language, tables in and out) live in
``network.analysis`` and ``network.tables``; only this module talks to storage.
"""

from __future__ import annotations

from codesign.storage import stakeholders as repo

LAYOUT_SETTING = repo.LAYOUT_SETTING
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
