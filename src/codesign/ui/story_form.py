"""The participant's story form: write, preview with details replaced, share, see the withdraw code.

Three steps in one page, kept in session state so nothing typed is lost between them:
``write`` (the form), ``preview`` (the story as it will be stored, with support if it
carries risk language) and ``done`` (the confirmation and the withdraw code, shown once).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from codesign import stories
from codesign.errors import CodesignError
from codesign.models import CONSENT_LABELS, Workshop
from codesign.privacy.support import SupportPanel
from codesign.privacy.support import support_panel as panel_for
from codesign.ui import common, participant
from codesign.workshops.kits import Kit

STEP = "story_step"
DRAFT = "story_draft"
SUBMISSION = "story_submission_id"
PENDING_CODE = "story_pending_withdraw_code"
RESULT = "story_result"

TEXT = "story_text"
STAGE = "story_stage"
EMOTION = "story_emotion"
HELPED = "story_helped"
WOULD_HAVE_HELPED = "story_would_have_helped"
STRENGTHS = "story_strengths"
LENS = "story_lens"
CONSENT = "story_consent"
# Widget key -> draft field.
FIELDS = {
    TEXT: "text",
    STAGE: "stage_key",
    EMOTION: "emotion",
    HELPED: "helped",
    WOULD_HAVE_HELPED: "would_have_helped",
    STRENGTHS: "strengths",
    LENS: "lens_key",
    CONSENT: "consent",
}

PRIVACY_NOTICE = """
**What we collect.** Only what you type in the form. No name, no account, no e-mail address. Your phone gets a
random code so it can't send hundreds of stories, and that is all we know about it.

**Who sees it.** The workshop team reads every story first. If you agree, your story may be shown on the screen in
the room without your name, and quoted in the report if you choose that too. Before anything is kept, we replace
details that could identify someone, such as phone numbers and e-mail addresses, and you see the result.

**How long we keep it.** As long as the workshop team keeps this workshop, usually until its report is written.
Stories stay on the organisation's own computer and are never sold or shared outside the team.

**Changing your mind.** After you share a story you get a withdraw code. Enter it on the *Withdraw a story* page,
now or later, and the story is deleted everywhere.
"""


def _init() -> None:
    st.session_state.setdefault(STEP, "write")
    st.session_state.setdefault(DRAFT, None)
    st.session_state.setdefault(RESULT, None)
    if not st.session_state.get(SUBMISSION):
        st.session_state[SUBMISSION] = stories.new_submission_id()
        st.session_state[PENDING_CODE] = stories.new_withdraw_code()


def render(engine: Engine, workshop: Workshop, kit: Kit) -> None:
    """Draw the step the participant is on."""
    _init()
    step = st.session_state[STEP]
    if step == "preview" and st.session_state[DRAFT] is not None:
        _preview(engine, workshop, kit)
    elif step == "done" and st.session_state[RESULT] is not None:
        _done(kit)
    else:
        _write(kit)


def _restore_widgets() -> None:
    """Put the draft back in the widgets (Streamlit forgets widgets that were not drawn)."""
    draft = st.session_state[DRAFT]
    if draft is None:
        return
    for key, name in FIELDS.items():
        if key not in st.session_state:
            st.session_state[key] = draft[name]


def _write(kit: Kit) -> None:
    _restore_widgets()
    prompts = kit.story_prompts
    stage_names = {s.key: s.name for s in kit.stages}
    lens_names = {lens.key: lens.name for lens in kit.lenses}
    faces = {p.value: f"{p.face} {p.label}" for p in kit.emotion_scale}
    with st.form("story_form", border=False):
        st.text_area(
            "Your story",
            key=TEXT,
            max_chars=stories.MAX_STORY_CHARS,
            height=220,
            placeholder="Write as much or as little as you like.",
            help="Only the story is needed. Leave out names and personal details.",
        )
        st.selectbox(prompts.stage, list(stage_names), index=None, key=STAGE, format_func=lambda k: stage_names[k],
                     placeholder="Choose one (optional)")  # fmt: skip
        st.radio(prompts.emotion, list(faces), index=None, key=EMOTION, format_func=lambda v: faces[v])
        st.text_area(prompts.helped, key=HELPED, max_chars=stories.MAX_FIELD_CHARS, height=90)
        st.text_area(prompts.would_have_helped, key=WOULD_HAVE_HELPED, max_chars=stories.MAX_FIELD_CHARS, height=90)
        st.text_area(prompts.strengths, key=STRENGTHS, max_chars=stories.MAX_FIELD_CHARS, height=90)
        st.radio(prompts.lens, list(lens_names), index=None, key=LENS, format_func=lambda k: lens_names[k])
        st.radio(
            "How may we use this story?", list(CONSENT_LABELS), key=CONSENT, format_func=lambda k: CONSENT_LABELS[k]
        )
        submitted = st.form_submit_button("Preview my story", type="primary", width="stretch")
    if submitted:
        draft = _draft_from_widgets()
        try:
            stories.validate_draft(draft, kit)
        except CodesignError as exc:
            st.error(str(exc))
            return
        st.session_state[DRAFT] = asdict(draft)
        st.session_state[STEP] = "preview"
        st.rerun()


def _draft_from_widgets() -> stories.StoryDraft:
    values: dict[str, Any] = {name: st.session_state.get(key) for key, name in FIELDS.items()}
    for name in ("text", "helped", "would_have_helped", "strengths"):
        values[name] = values[name] or ""
    values["consent"] = values["consent"] or "themes_only"
    return stories.StoryDraft(**values)


def _preview(engine: Engine, workshop: Workshop, kit: Kit) -> None:
    draft = stories.StoryDraft(**st.session_state[DRAFT])
    preview = stories.preview_story(draft, kit)
    st.subheader("Check your story")
    st.write("This is how your story will be kept and shared. You can still change it.")
    with st.container(border=True, key="story_preview"):
        common.plain(preview.story.text)
        for label, part in (
            (kit.story_prompts.helped, preview.helped),
            (kit.story_prompts.would_have_helped, preview.would_have_helped),
            (kit.story_prompts.strengths, preview.strengths),
        ):
            if part.text:
                st.caption(label)
                common.plain(part.text)
    if preview.redactions:
        st.info("To protect privacy we replaced: " + ", ".join(preview.redactions) + ".")
    if preview.name_flags:
        st.warning("These words might be people's names. If they are, please edit your story to take them out:")
        common.plain(", ".join(preview.name_flags))
    st.write(f"**How we may use it:** {CONSENT_LABELS[draft.consent]}")
    if preview.support is not None:
        support_panel(preview.support)
    edit, share = st.columns(2)
    if edit.button("Edit my story", width="stretch"):
        st.session_state[STEP] = "write"
        st.rerun()
    if share.button("Share my story", type="primary", width="stretch"):
        try:
            result = stories.capture_story(
                engine,
                workshop,
                draft,
                client_submission_id=st.session_state[SUBMISSION],
                device_token=participant.device_token(),
                withdraw_code=st.session_state[PENDING_CODE],
            )
        except CodesignError as exc:
            st.error(str(exc))
            return
        # Set before any other Streamlit call, so a second tap that interrupts this run
        # finds the story already shared.
        st.session_state[RESULT] = {"code": result.withdraw_code, "risk": result.support is not None}
        st.session_state[STEP] = "done"
        st.rerun()


def _done(kit: Kit) -> None:
    result = st.session_state[RESULT]
    st.success("Thank you. Your story has been shared with the workshop team.")
    st.write(
        "**Your withdraw code.** Write it down or take a screenshot: it is shown only this once. If you change your "
        "mind, now or after the workshop, enter it on the *Withdraw a story* page and your story is deleted everywhere."
    )
    st.code(stories.format_withdraw_code(result["code"]), language=None)
    if result["risk"]:
        support_panel(panel_for(kit.support_region))
    if st.button("Add another story", type="primary", width="stretch"):
        start_again()
        st.rerun()
    st.page_link("pages/withdraw.py", label="Withdraw a story", icon="↩️")


def start_again() -> None:
    """Clear the form for a new story, with a new submission id and withdraw code."""
    for key in (*FIELDS, DRAFT, RESULT, SUBMISSION, PENDING_CODE):
        st.session_state.pop(key, None)
    st.session_state[STEP] = "write"


def support_panel(panel: SupportPanel) -> None:
    """The calm support panel (configuration text, never participant text)."""
    with st.container(border=True, key="support_panel"):
        st.subheader(panel.title)
        st.write(panel.intro)
        for contact in panel.contacts:
            line = f"**{contact.name}**: {contact.how}"
            st.write(line + (f" ({contact.when})" if contact.when else ""))
        if panel.closing:
            st.write(panel.closing)
