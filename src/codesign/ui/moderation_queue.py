"""The facilitator's moderation queue: one card per story, with the actions its queue allows.

Participant text is shown with ``st.text`` only. The safeguarding queue is private to
the facilitator's laptop: the wall never shows it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine

from codesign import stories, voting, workshops
from codesign.errors import CodesignError
from codesign.models import CONSENT_LABELS, Story
from codesign.privacy.safeguarding import SEVERITY_LABELS, next_step, severity_rank
from codesign.ui import common
from codesign.voting.model import Idea
from codesign.workshops.kits import Kit

EMPTY = {
    "safeguarding": "No stories are waiting for a safeguarding review.",
    "pending": "No stories are waiting. New ones appear here as people share them.",
    "approved": "No approved stories yet.",
    "hidden": "No hidden stories.",
}


def _act(action: Callable[[], object], done: str) -> None:
    try:
        action()
    except CodesignError as exc:
        st.error(str(exc))
        return
    st.toast(done)
    st.rerun()


def _describe(story: Story, kit: Kit) -> str:
    stages = {s.key: s.name for s in kit.stages}
    lenses = {lens.key: lens.name for lens in kit.lenses}
    faces = {p.value: f"{p.face} {p.label}" for p in kit.emotion_scale}
    bits = [
        f"#{story.id}",
        stages.get(story.stage_key or "", "no stage"),
        lenses.get(story.lens_key or "", "no lens"),
        faces.get(story.emotion or 0, "no feeling given"),
        CONSENT_LABELS.get(story.consent, story.consent),
    ]
    return " · ".join(bits)


def render_queue(engine: Engine, queue: str, items: list[Story], kit: Kit, *, lead: str = "") -> None:
    """Draw one queue's cards in the order given (the safeguarding queue: most urgent first).

    ``lead`` is the workshop's safeguarding lead, named in each flag's next step."""
    if not items:
        st.info(EMPTY[queue])
        return
    for story in items:
        render_card(engine, queue, story, kit, lead=lead)


def render_card(engine: Engine, queue: str, story: Story, kit: Kit, *, lead: str = "") -> None:
    """One story with its flags and the actions its queue allows."""
    with st.container(border=True, key=f"story-{story.id}"):
        st.caption(_describe(story, kit))
        common.plain(story.text)
        for label, value in (
            ("What helped", story.helped),
            ("What would have helped", story.would_have_helped),
            ("Strengths and support", story.strengths),
        ):
            if value:
                st.caption(label)
                common.plain(value)
        if story.risk_flags:
            render_flag(story.risk_flags, story.risk_severity, reviewed=story.risk_reviewed, lead=lead)
        if story.privacy_flags:
            st.warning("Privacy: check these before approving")
            common.plain("\n".join(story.privacy_flags))
        if story.needs_attention:
            st.warning("Strong language: have a look. This decides nothing by itself.")
        _actions(engine, queue, story)


def render_safeguarding(
    engine: Engine, workshop_id: int, flagged: list[Story], ideas: list[Idea], kit: Kit, *, lead: str = ""
) -> None:
    """The private safeguarding queue: stories and ideas with risk language, most urgent first
    (an urgent idea comes before a story that is only a concern), each with the same review."""
    if not flagged and not ideas:
        st.info("No stories or ideas are waiting for a safeguarding review.")
        return
    prompts = {r.id: r.prompt for r in voting.list_rounds(engine, workshop_id)} if ideas else {}
    cards: list[tuple[int, int, Story | Idea]] = [(severity_rank(s.risk_severity), n, s) for n, s in enumerate(flagged)]
    cards += [(severity_rank(i.risk_severity), len(flagged) + n, i) for n, i in enumerate(ideas)]
    for _rank, _n, item in sorted(cards, key=lambda c: (c[0], c[1])):
        if isinstance(item, Idea):
            render_idea_card(engine, item, prompt=prompts.get(item.round_id, ""), lead=lead)
        else:
            render_card(engine, "safeguarding", item, kit, lead=lead)


def render_idea_card(engine: Engine, idea: Idea, *, prompt: str = "", lead: str = "") -> None:
    """One idea waiting for a safeguarding review: its text, its flag, what to do, and the review."""
    with st.container(border=True, key=f"idea-review-{idea.id}"):
        st.caption(f"Idea #{idea.id}" + (f" · in the round “{prompt}”" if prompt else ""))
        common.plain(idea.text)
        render_flag(idea.risk_flags, idea.risk_severity, reviewed=idea.risk_reviewed, lead=lead)
        if idea.privacy_flags:
            st.warning("Privacy: check these before approving")
            common.plain("\n".join(idea.privacy_flags))
        review_idea_buttons(engine, idea)


def review_idea_buttons(engine: Engine, idea: Idea) -> None:
    """The two ways through a safeguarding review of an idea (there is no plain Approve)."""
    show, hide, _rest = st.columns(3)
    if show.button("Reviewed: approve", key=f"idea-review-show-{idea.id}", type="primary"):
        _act(lambda: voting.review_idea_safeguarding(engine, idea.id, show=True), "Reviewed and approved")
    if hide.button("Reviewed: keep hidden", key=f"idea-review-hide-{idea.id}"):
        _act(lambda: voting.review_idea_safeguarding(engine, idea.id, show=False), "Reviewed and hidden")


def render_flag(flags: tuple[str, ...], severity: str, *, reviewed: bool, lead: str) -> None:
    """A safeguarding flag: how urgent, what was found, and (until reviewed) what to do."""
    label = SEVERITY_LABELS.get(severity, SEVERITY_LABELS["concern"])
    status = "reviewed" if reviewed else "not reviewed yet"
    icon = ":material/warning:" if severity == "urgent" else ":material/shield:"
    st.error(f"Safeguarding. {label}: {', '.join(flags)} ({status})", icon=icon)
    if not reviewed:
        st.write("What to do: " + next_step(severity, lead))


def _actions(engine: Engine, queue: str, story: Story) -> None:
    cols = st.columns(3)
    if queue == "safeguarding":
        if cols[0].button("Reviewed: approve", key=f"review-show-{story.id}", type="primary"):
            _act(lambda: stories.review_safeguarding(engine, story.id, show=True), "Reviewed and approved")
        if cols[1].button("Reviewed: keep hidden", key=f"review-hide-{story.id}"):
            _act(lambda: stories.review_safeguarding(engine, story.id, show=False), "Reviewed and hidden")
    elif queue == "pending":
        if cols[0].button("Approve", key=f"approve-{story.id}", type="primary"):
            _act(lambda: stories.approve_story(engine, story.id), "Approved")
        if cols[1].button("Hide", key=f"hide-{story.id}"):
            _act(lambda: stories.hide_story(engine, story.id), "Hidden")
    elif queue == "approved":
        if cols[0].button("Hide", key=f"hide-{story.id}"):
            _act(lambda: stories.hide_story(engine, story.id), "Hidden")
    elif queue == "hidden" and cols[0].button("Restore", key=f"restore-{story.id}"):
        _act(lambda: stories.restore_story(engine, story.id), "Restored to the queue")
    if queue != "hidden":
        _redact_form(engine, story)


def _redact_form(engine: Engine, story: Story) -> None:
    with st.expander("Redact: remove words"):
        st.caption(
            f"Delete the words to take out; you may leave {stories.REMOVED_MARK} in their place. "
            "An edit can only remove words, never add or change them."
        )
        with st.form(f"redact-form-{story.id}", border=False):
            new_text = st.text_area("Story text", value=story.text, key=f"redact-{story.id}", height=150)
            if st.form_submit_button("Save redaction"):
                _act(lambda: stories.redact_story(engine, story.id, "text", new_text), "Redaction saved")


def render_activity(engine: Engine, workshop_id: int) -> None:
    """The audit log: who did what and when, never any story text."""
    st.subheader("Activity")
    entries = workshops.list_audit(engine, workshop_id)
    rows = [{"When": e.at, "Who": e.actor, "What": e.action.replace("_", " "), "Story": e.target_id} for e in entries]
    st.dataframe(rows, hide_index=True, width="stretch")
