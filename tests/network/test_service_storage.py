"""Stakeholder storage on both back ends: seeds, all-or-nothing saves, renames, layout."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from codesign import workshops
from codesign.errors import NotFoundError
from codesign.models import Workshop
from codesign.network.tables import ImportRefused, RelationshipDraft, StakeholderDraft, drafts_from_kit
from codesign.storage import stakeholders as repo
from codesign.storage import workshops as workshop_repo
from codesign.storage.db import write_session
from codesign.storage.schema import BlueprintCellRow, BlueprintStakeholderRow, StageRow
from codesign.workshops.kits import get_builtin_kit

KIT_FILE = get_builtin_kit("living-well")
TYPES = [t.key for t in KIT_FILE.kit.relationship_types]


@pytest.fixture
def workshop(any_engine: Engine) -> Workshop:
    return workshops.create_workshop(any_engine, "Map", KIT_FILE)


def names(engine: Engine, workshop_id: int) -> list[str]:
    return [s.name for s in repo.list_stakeholders(engine, workshop_id)]


def link_names(engine: Engine, workshop_id: int) -> list[tuple[str, str, str]]:
    people, links = repo.load_network(engine, workshop_id)
    by_id = {p.id: p.name for p in people}
    return sorted((by_id[r.source_id], by_id[r.target_id], r.type) for r in links)


def test_a_new_workshop_starts_from_the_kits_seeds(any_engine: Engine, workshop: Workshop) -> None:
    people, links = repo.load_network(any_engine, workshop.id)
    assert [p.name for p in people] == [s.name for s in KIT_FILE.kit.stakeholders]
    assert len(links) == len(KIT_FILE.kit.relationships)
    assert people[2].aliases[:2] == ("GP", "doctor")


def test_replace_all_keeps_ids_of_stakeholders_that_stay(any_engine: Engine, workshop: Workshop) -> None:
    before = {p.name: p.id for p in repo.list_stakeholders(any_engine, workshop.id)}
    drafts = [
        StakeholderDraft("gp practice", ("GP",), "service", "primary_care", 5, 5),
        StakeholderDraft("Recovery college", (), "service", "voluntary_community"),
    ]
    rels = [RelationshipDraft("GP Practice", "Recovery college", "referral", True, 3, "new")]
    assert repo.save_network(any_engine, workshop.id, drafts, rels, relationship_types=TYPES) == (2, 1)
    after = repo.list_stakeholders(any_engine, workshop.id)
    assert [(p.name, p.influence) for p in after] == [("gp practice", 5), ("Recovery college", 3)]
    assert after[0].id == before["GP practice"]
    assert link_names(any_engine, workshop.id) == [("gp practice", "Recovery college", "referral")]
    audit = workshop_repo.list_audit(any_engine, workshop.id)[0]
    assert (audit.action, audit.detail) == ("stakeholders_saved", "2 stakeholders, 1 relationships")


@pytest.mark.parametrize(
    ("drafts", "rels", "message"),
    [
        ([StakeholderDraft("A"), StakeholderDraft("a")], [], "'a' appears twice"),
        ([StakeholderDraft("A")], [RelationshipDraft("A", "A", "referral")], "'A' is linked to itself"),
        ([StakeholderDraft("A")], [RelationshipDraft("A", "Ghost", "referral")], "'Ghost' is not in the stakeholders"),
        ([StakeholderDraft("A", influence=0)], [], "influence must be a whole number from 1 to 5, not 0"),
    ],
)
def test_a_bad_save_changes_nothing(
    any_engine: Engine, workshop: Workshop, drafts: list[StakeholderDraft], rels: list[RelationshipDraft], message: str
) -> None:
    before = repo.load_network(any_engine, workshop.id)
    with pytest.raises(ImportRefused, match=message):
        repo.save_network(any_engine, workshop.id, drafts, rels, relationship_types=TYPES)
    assert repo.load_network(any_engine, workshop.id) == before


def test_saving_stakeholders_only_keeps_relationships_across_renames_and_swaps(
    any_engine: Engine, workshop: Workshop
) -> None:
    people = repo.list_stakeholders(any_engine, workshop.id)
    gp, spa = people[2], people[5]
    assert (gp.name, spa.name) == ("GP practice", "Single point of access")
    drafts = [
        StakeholderDraft(p.name, p.aliases, p.kind, p.sector, p.influence, p.interest, p.notes, id=p.id)
        for p in people
        if p.name != "Jobcentre Plus"
    ]
    # Swap two names: the unique constraint must not trip halfway.
    for i, d in enumerate(drafts):
        if d.id == gp.id:
            drafts[i] = StakeholderDraft("Single point of access", d.aliases, d.kind, d.sector, id=gp.id)
        elif d.id == spa.id:
            drafts[i] = StakeholderDraft("GP practice", d.aliases, d.kind, d.sector, id=spa.id)
    count, link_count = repo.save_network(any_engine, workshop.id, drafts, None, relationship_types=TYPES)
    assert count == len(people) - 1
    # Jobcentre Plus had one relationship (a tension); it went with it.
    assert link_count == len(KIT_FILE.kit.relationships) - 1
    assert ("Single point of access", "GP practice", "referral") in link_names(any_engine, workshop.id)
    assert "Jobcentre Plus" not in names(any_engine, workshop.id)


def test_saving_relationships_only_leaves_stakeholders_alone(any_engine: Engine, workshop: Workshop) -> None:
    before = repo.list_stakeholders(any_engine, workshop.id)
    rels = [RelationshipDraft("Community mental health team", "Local mental-health charity", "support", False, 3)]
    assert repo.save_network(any_engine, workshop.id, None, rels, relationship_types=TYPES) == (len(before), 1)
    assert repo.list_stakeholders(any_engine, workshop.id) == before
    (link,) = repo.list_relationships(any_engine, workshop.id)
    assert (link.directed, link.strength) == (False, 3)


def test_blueprint_links_survive_an_import_that_keeps_the_stakeholder(any_engine: Engine, workshop: Workshop) -> None:
    gp = next(p for p in repo.list_stakeholders(any_engine, workshop.id) if p.name == "GP practice")
    with write_session(any_engine) as s:
        stage_id = s.scalars(select(StageRow.id).where(StageRow.workshop_id == workshop.id)).first()
        assert stage_id is not None
        cell = BlueprintCellRow(workshop_id=workshop.id, stage_id=stage_id, lane="frontstage", text="Appointment")
        s.add(cell)
        s.flush()
        s.add(BlueprintStakeholderRow(cell_id=cell.id, stakeholder_id=gp.id))
    people, links = drafts_from_kit(KIT_FILE.kit)
    repo.save_network(any_engine, workshop.id, people, links, relationship_types=TYPES, action="stakeholders_imported")
    with write_session(any_engine) as s:
        assert s.scalars(select(BlueprintStakeholderRow.stakeholder_id)).all() == [gp.id]


def test_single_row_functions(any_engine: Engine, workshop: Workshop) -> None:
    added = repo.add_stakeholder(
        any_engine,
        workshop.id,
        StakeholderDraft("Recovery college", sector="voluntary_community"),
        relationship_types=TYPES,
    )
    with pytest.raises(ImportRefused, match="appears twice"):
        repo.add_stakeholder(any_engine, workshop.id, StakeholderDraft("recovery college"), relationship_types=TYPES)
    link = repo.add_relationship(
        any_engine,
        workshop.id,
        RelationshipDraft("Recovery college", "GP practice", "referral"),
        relationship_types=TYPES,
    )
    with pytest.raises(ImportRefused, match="linked to itself"):
        repo.add_relationship(
            any_engine,
            workshop.id,
            RelationshipDraft("GP practice", "gp practice", "referral"),
            relationship_types=TYPES,
        )
    renamed = repo.update_stakeholder(
        any_engine, workshop.id, added.id, StakeholderDraft("Recovery College", interest=5), relationship_types=TYPES
    )
    assert (renamed.id, renamed.name, renamed.interest) == (added.id, "Recovery College", 5)
    repo.delete_relationship(any_engine, workshop.id, link.id)
    repo.delete_stakeholder(any_engine, workshop.id, added.id)
    assert "Recovery College" not in names(any_engine, workshop.id)
    with pytest.raises(NotFoundError):
        repo.delete_stakeholder(any_engine, workshop.id, added.id)
    with pytest.raises(NotFoundError):
        repo.delete_relationship(any_engine, workshop.id, link.id)


def test_deleting_a_stakeholder_removes_its_relationships(any_engine: Engine, workshop: Workshop) -> None:
    gp = next(p for p in repo.list_stakeholders(any_engine, workshop.id) if p.name == "GP practice")
    repo.delete_stakeholder(any_engine, workshop.id, gp.id)
    assert all("GP practice" not in pair[:2] for pair in link_names(any_engine, workshop.id))


def test_layout_is_kept_with_the_workshop(any_engine: Engine, workshop: Workshop) -> None:
    assert repo.load_layout(any_engine, workshop.id) == {}
    repo.save_layout(any_engine, workshop.id, {3: (0.25, -0.5), 7: (1.0, 0.0)})
    assert repo.load_layout(any_engine, workshop.id) == {3: (0.25, -0.5), 7: (1.0, 0.0)}
    # Other settings are untouched.
    assert workshop_repo.get_workshop(any_engine, workshop.id).setting("premoderation") is True


def test_saving_to_a_deleted_workshop(any_engine: Engine, workshop: Workshop) -> None:
    workshop_repo.delete_workshop(any_engine, workshop.id)
    with pytest.raises(NotFoundError):
        repo.save_network(any_engine, workshop.id, [StakeholderDraft("A")], [], relationship_types=TYPES)
