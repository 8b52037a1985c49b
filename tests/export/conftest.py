"""A workshop with something in every table, and one story for every reason a story is withheld.

Marker words make each story easy to find (or prove absent) in any export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine, delete, select

from codesign import workshops
from codesign.models import Workshop
from codesign.storage import history
from codesign.storage.db import write_session
from codesign.storage.schema import (
    ActionLinkRow,
    ActionRow,
    AgreementRow,
    BlueprintCellRow,
    BlueprintEvidenceRow,
    BlueprintStakeholderRow,
    IdeaRow,
    JourneyCellRow,
    JourneyEvidenceRow,
    PersonaRow,
    PersonaStoryRow,
    RoundRow,
    StageRow,
    StakeholderRow,
    StatementRow,
    StoryDraftRow,
    StoryRow,
    StoryThemeRow,
    ThemeRow,
    VoteRow,
)
from codesign.storage.stories import add_story_row
from codesign.storage.workshops import add_audit
from codesign.workshops.kits import get_builtin_kit

QUOTED = {
    "report": "QUOTABLE-ALPHA the crisis line answered on the first ring and stayed with me until the morning.",
    "reviewed": "QUOTABLE-REVIEWED I used to feel hopeless before the peer group, and now I run a session myself.",
}
# Stories that must never appear in the report; the first two still count in themes.
WITHHELD = {
    "anonymous": "WITHHELD-ANONQUOTE the waiting room felt like a corridor and nobody said my name right.",
    "themes_only": "WITHHELD-THEMESONLY my son was sent home three times before anyone listened to him properly.",
    "hidden": "WITHHELD-HIDDEN an off-topic note that a facilitator hid from the wall and from everything else.",
    "pending": "WITHHELD-PENDING a story still waiting for a facilitator to look at it on the moderation screen.",
    "flagged": "WITHHELD-FLAGGED I have been thinking about ending it and nobody has called me back this week.",
    "withdrawn": "WITHDRAWN-STORY I shared this and then changed my mind, so it must be gone from everything.",
}
FORMULA_STORY = '=HYPERLINK("http://example.invalid","click") the form asked for my details four times'
# Databases refuse NUL and lone surrogates, so stored text can hold only the other controls.
CONTROL_STORY = "CONTROL-CHARS here is a bell\x07, a vertical tab\x0b and a unit separator\x1f in a story."
IDEAS = ("IDEA-ONE a named worker from first contact to discharge", "IDEA-TWO a drop-in with no referral needed")
WITHHELD_IDEA = "WITHHELD-IDEA-PENDING an idea nobody has moderated yet, which must not be exported."


@dataclass(frozen=True)
class Seeded:
    workshop: Workshop
    story_ids: dict[str, int]


def seed_workshop(engine: Engine, title: str = "Crisis pathway redesign") -> Seeded:
    """A living-well workshop with rows in every table an export reads."""
    workshop = workshops.create_workshop(engine, title, get_builtin_kit("living-well"))
    ids: dict[str, int] = {}
    with write_session(engine) as s:
        stages = {r.key: r.id for r in s.scalars(select(StageRow).where(StageRow.workshop_id == workshop.id))}

        def story(key: str, text: str, **fields: object) -> None:
            base: dict[str, object] = {
                "lens_key": "lived_experience",
                "emotion": 2,
                "consent": "report_quote",
                "moderation_status": "approved",
                "client_submission_id": f"sub-{key}",
                "device_hash": f"device-{len(ids) % 4}",
                "withdraw_code_hash": f"withdraw-hash-{workshop.id}-{key}",
            }
            base.update(fields)
            stage = str(base.pop("stage", "first_noticing"))
            ids[key] = add_story_row(s, workshop.id, stage, text=text, **base).id

        story("report", QUOTED["report"], emotion=4, helped="HELPED-TEXT the peer worker")
        story("reviewed", QUOTED["reviewed"], risk_flags=["suicide"], risk_reviewed=True, stage="crisis")
        story("anonymous", WITHHELD["anonymous"], consent="anonymous_quote", lens_key="carer_family", stage="waiting")
        story("themes_only", WITHHELD["themes_only"], consent="themes_only", lens_key="carer_family", emotion=1)
        story("hidden", WITHHELD["hidden"], moderation_status="hidden")
        story("pending", WITHHELD["pending"], moderation_status="pending")
        story("flagged", WITHHELD["flagged"], risk_flags=["suicide"], stage="crisis")
        story("withdrawn", WITHHELD["withdrawn"])
        story("formula", FORMULA_STORY, lens_key="staff", emotion=3, stage="waiting")
        story("control", CONTROL_STORY, lens_key="staff", emotion=5, stage="moving_on")

        first = ThemeRow(workshop_id=workshop.id, label="Being heard the first time", position=0, description="")
        second = ThemeRow(workshop_id=workshop.id, label="Forms and waiting", position=1, description="THEME-DESC")
        s.add_all([first, second])
        s.flush()
        for key in ("report", "reviewed", "anonymous", "themes_only", "hidden", "pending", "flagged", "withdrawn"):
            s.add(StoryThemeRow(story_id=ids[key], theme_id=first.id, source="auto", score=0.5))
        for key in ("formula", "control"):
            s.add(StoryThemeRow(story_id=ids[key], theme_id=second.id, source="manual", score=None))

        cells = [
            JourneyCellRow(
                workshop_id=workshop.id, stage_id=stages["first_noticing"], lane="doing", text="JOURNEY-DOING"
            ),
            JourneyCellRow(
                workshop_id=workshop.id, stage_id=stages["waiting"], lane="pain_points", text="JOURNEY-PAIN no news"
            ),
            # A sticky note that copied a themes-only story word for word: it must not leak.
            JourneyCellRow(
                workshop_id=workshop.id,
                stage_id=stages["waiting"],
                lane="thoughts_feelings",
                text=WITHHELD["themes_only"],
            ),
            JourneyCellRow(
                workshop_id=workshop.id,
                stage_id=stages["crisis"],
                lane="opportunities",
                text="JOURNEY-PROPOSED",
                status="proposed",
            ),
        ]
        s.add_all(cells)
        s.flush()
        s.add(JourneyEvidenceRow(cell_id=cells[1].id, story_id=ids["formula"]))
        s.add(JourneyEvidenceRow(cell_id=cells[1].id, story_id=ids["pending"]))
        blue = [
            BlueprintCellRow(
                workshop_id=workshop.id,
                stage_id=stages["asking_for_help"],
                lane="frontstage",
                text="BLUEPRINT-FAIL receptionist cannot book",
                is_fail_point=True,
            ),
            BlueprintCellRow(
                workshop_id=workshop.id,
                stage_id=stages["waiting"],
                lane="backstage",
                text="BLUEPRINT-WAIT triage meeting",
                is_wait_point=True,
                wait_time="6 weeks",
            ),
            BlueprintCellRow(
                workshop_id=workshop.id,
                version="to_be",
                stage_id=stages["waiting"],
                lane="person_actions",
                text="BLUEPRINT-TOBE a call within two days",
            ),
        ]
        s.add_all(blue)
        s.flush()
        s.add(BlueprintEvidenceRow(cell_id=blue[0].id, story_id=ids["report"]))
        gp = s.scalar(select(StakeholderRow.id).where(StakeholderRow.workshop_id == workshop.id).limit(1))
        s.add(BlueprintStakeholderRow(cell_id=blue[0].id, stakeholder_id=gp))
        persona = PersonaRow(workshop_id=workshop.id, name="PERSONA-NAME", description="PERSONA-DESCRIPTION")
        s.add(persona)
        s.flush()
        s.add(PersonaStoryRow(persona_id=persona.id, story_id=ids["report"]))

        ideas_round = RoundRow(
            workshop_id=workshop.id,
            kind="ideas",
            prompt="ROUND-PROMPT what would help?",
            status="closed",
            revealed=True,
        )
        agreement = RoundRow(
            workshop_id=workshop.id, kind="agreement", prompt="AGREE-PROMPT", status="closed", revealed=True
        )
        s.add_all([ideas_round, agreement])
        s.flush()
        idea_rows = [
            IdeaRow(
                workshop_id=workshop.id,
                round_id=ideas_round.id,
                text=text,
                lens_key=lens,
                moderation_status=status,
                client_submission_id=f"idea-{n}",
                device_hash=f"device-{n}",
            )
            for n, (text, lens, status) in enumerate(
                [
                    (IDEAS[0], "staff", "approved"),
                    (IDEAS[1], "lived_experience", "approved"),
                    (WITHHELD_IDEA, "staff", "pending"),
                ]
            )
        ]
        s.add_all(idea_rows)
        s.flush()
        for device, lens, idea, dots in [
            ("device-0", "lived_experience", idea_rows[0], 2),
            ("device-1", "staff", idea_rows[0], 1),
            ("device-1", "staff", idea_rows[1], 2),
            ("device-2", "carer_family", idea_rows[2], 3),
        ]:
            s.add(VoteRow(round_id=ideas_round.id, idea_id=idea.id, device_hash=device, lens_key=lens, dots=dots))
        statement = StatementRow(round_id=agreement.id, text="STATEMENT one open door for everyone", position=0)
        s.add(statement)
        s.flush()
        for device, lens, value in [
            ("device-0", "lived_experience", 1),
            ("device-1", "staff", 1),
            ("device-2", "staff", 0),
        ]:
            s.add(AgreementRow(statement_id=statement.id, device_hash=device, lens_key=lens, value=value))
        action = ActionRow(
            workshop_id=workshop.id,
            text="ACTION-ONE a named contact for everyone waiting",
            owner="ACTION-OWNER team manager",
            due=date(2027, 3, 31),
            measure="ACTION-MEASURE check-ins in the last fortnight",
            status="under_way",
        )
        s.add(action)
        s.flush()
        s.add_all(
            [
                ActionLinkRow(action_id=action.id, journey_cell_id=cells[1].id),
                ActionLinkRow(action_id=action.id, blueprint_cell_id=blue[0].id),
                ActionLinkRow(action_id=action.id, idea_id=idea_rows[0].id),
                ActionLinkRow(action_id=action.id, theme_id=first.id),
            ]
        )
        add_audit(s, workshop.id, "facilitator", "action_added", "action", action.id)
        add_audit(s, workshop.id, "facilitator", "story_hidden", "story", ids["hidden"])
        history.record(s, workshop.id, "themes", {"themes": [{"label": "HISTORY label", "story_ids": [ids["report"]]}]})
        # A phone's half-written story: kept for that phone only, never in a report.
        s.add(StoryDraftRow(workshop_id=workshop.id, device_hash="device-3", step="write",
                            fields={"text": "DRAFT-UNSHARED half a story"}, client_submission_id="draft-sub",
                            withdraw_code="K7QX3M9PTR2A"))  # fmt: skip
    # Withdrawal deletes the story everywhere; the audit keeps only the fact.
    with write_session(engine) as s:
        s.execute(delete(StoryRow).where(StoryRow.id == ids["withdrawn"]))
        add_audit(s, workshop.id, "participant", "story_withdrawn", "story", ids.pop("withdrawn"))
    return Seeded(workshops_repo_get(engine, workshop.id), ids)


def workshops_repo_get(engine: Engine, workshop_id: int) -> Workshop:
    from codesign.storage import workshops as repo

    return repo.get_workshop(engine, workshop_id)


@pytest.fixture
def seeded(engine: Engine) -> Seeded:
    return seed_workshop(engine)


@pytest.fixture
def empty_workshop(engine: Engine) -> Workshop:
    return workshops.create_workshop(engine, "An empty workshop", get_builtin_kit("cyp-thrive"))
