"""The participant's story form: write, preview with details replaced, share, see the withdraw code.

Three steps in one page: ``write`` (the form), ``preview`` (everything that will be stored, with
support if it carries risk language) and ``done`` (the confirmation and the withdraw code).

Nothing typed is lost. Each answer is saved on the server, by the phone's anonymous device
token, as soon as the phone sends it (when the person leaves the box or taps a choice), so a
reload, a lost connection or a server restart gives the draft back, on the step it was on.
Over-long text is kept as typed, with a message saying how much to cut. A story that could not
be kept (the workshop closed) is given back to copy.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

import streamlit as st
from sqlalchemy import Engine

from codesign import stories
from codesign.errors import ClosedError, CodesignError
from codesign.models import CONSENT_LABELS, Workshop
from codesign.privacy.support import support_panel as panel_for
from codesign.ui import common, participant
from codesign.workshops.kits import Kit

STEP = "story_step"
DRAFT = "story_draft"
SUBMISSION = "story_submission_id"
PENDING_CODE = "story_pending_withdraw_code"
RESULT = "story_result"
LOADED = "story_draft_loaded_for"
FOCUS = "story_focus_nonce"
NOT_KEPT = "story_not_kept"
EDITING = "story_back_to_edit"
FORM_ERROR = "story_form_error"
# Set by a button's callback; read (and cleared) at the start of each run of the form.
TAPPED = "story_tap_handled"
TAPPED_THIS_RUN = "story_tap_handled_this_run"

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
LIMITS = {TEXT: stories.MAX_STORY_CHARS, HELPED: stories.MAX_FIELD_CHARS,
          WOULD_HAVE_HELPED: stories.MAX_FIELD_CHARS, STRENGTHS: stories.MAX_FIELD_CHARS}  # fmt: skip

PRIVACY_SHORT = "No name, no account. You see your story before it is kept, and you can withdraw it at any time."
PRIVACY_NOTICE = """
**What we collect.** Only what you type in the form. No name, no account, no e-mail address. Your phone keeps a
random code in a cookie so it can find your unfinished story and your own stories again, and so it can't send
hundreds of stories. That is all we know about it.

**While you write.** What you type is saved on the workshop's computer as you go, so it is not lost if the page
reloads. Only this phone can see it. It is deleted when you share the story or discard it.

**Who sees it.** The workshop team reads every story first. If you agree, your story may be shown on the screen in
the room without your name, and quoted in the report if you choose that too. Before anything is kept, we replace
details that could identify someone, such as phone numbers and e-mail addresses, and you see the result.

**How long we keep it.** As long as the workshop team keeps this workshop, usually until its report is written.
Stories stay on the organisation's own computer and are never sold or shared outside the team.

**Changing your mind.** After you share a story you get a withdraw code. Enter it on the *Withdraw a story* page,
now or later, from any device, and the story is deleted everywhere. On this phone, *My stories* lists your stories
with their withdraw codes and a button to withdraw each one. The code is never shown on the screen in the room.
"""


def _init(engine: Engine, workshop: Workshop) -> None:
    """Give the form its state once per session, from the draft the server keeps for this phone."""
    st.session_state.setdefault(STEP, "write")
    st.session_state.setdefault(DRAFT, None)
    st.session_state.setdefault(RESULT, None)
    st.session_state.setdefault(FOCUS, 0)
    if st.session_state.get(LOADED) != workshop.id:
        st.session_state[LOADED] = workshop.id
        saved = stories.load_draft(engine, workshop.id, participant.device_token())
        if saved is not None:
            st.session_state[DRAFT] = asdict(saved.draft)
            st.session_state[STEP] = saved.step
            st.session_state[SUBMISSION] = saved.client_submission_id
            st.session_state[PENDING_CODE] = saved.withdraw_code
            for key in FIELDS:
                st.session_state.pop(key, None)
    if not st.session_state.get(SUBMISSION):
        st.session_state[SUBMISSION] = stories.new_submission_id()
        # The withdraw code is derived from the phone's token and this id when the story is shared.
        st.session_state[PENDING_CODE] = ""


def saved_draft(engine: Engine, workshop: Workshop) -> stories.SavedDraft | None:
    """The draft this phone keeps in a workshop (for a closed workshop's page)."""
    return stories.load_draft(engine, workshop.id, participant.device_token())


def render(engine: Engine, workshop: Workshop, kit: Kit, *, easy: bool = False) -> None:
    """Draw the step the participant is on.

    Preview and Share are handled by the buttons' callbacks, before the page is drawn: one run
    per tap, straight to the next step, instead of a run that handles the tap and a second one
    to draw its result. (The form is not a fragment: a phone that reconnects to a restarted
    server and taps at once would send its tap to a fragment the new session does not know.)
    """
    st.session_state[TAPPED_THIS_RUN] = st.session_state.pop(TAPPED, False)
    _init(engine, workshop)
    step = st.session_state[STEP]
    if st.session_state.get(NOT_KEPT):
        not_kept(engine, workshop, stories.StoryDraft(**st.session_state[NOT_KEPT]))
    elif step == "preview" and st.session_state[DRAFT] is not None:
        _preview(engine, workshop, kit)
    elif step == "done" and st.session_state[RESULT] is not None:
        _done(kit)
    else:
        _write(engine, workshop, kit, easy=easy)


def _start_values() -> dict[str, Any]:
    """What each box starts with when it is drawn afresh: the draft the server keeps for this phone.

    Given as the widgets' defaults, never written into their state: after a lost connection,
    Streamlit sends what the phone's boxes hold with the first run, and that must win over the
    (older) saved draft. A reload sends nothing, so the boxes start from the draft.
    """
    draft = st.session_state[DRAFT] or asdict(stories.StoryDraft(""))
    return {key: draft[name] for key, name in FIELDS.items()}


def _index(options: list[Any], value: Any) -> int | None:
    return options.index(value) if value in options else None


def _save(
    engine: Engine, workshop: Workshop, step: Literal["write", "preview"], draft: stories.StoryDraft | None = None
) -> bool:
    """Keep the draft (the widgets' values unless given) on the server; False, with a message, if it could not be."""
    draft = draft or _draft_from_widgets()
    st.session_state[DRAFT] = asdict(draft)
    saved = stories.SavedDraft(draft, step, st.session_state[SUBMISSION], st.session_state[PENDING_CODE])
    try:
        stories.save_draft(engine, workshop.id, participant.device_token(), saved)
    except CodesignError as exc:
        common.flash(str(exc), "error", rerun=False)
        return False
    return True


def _on_change(engine: Engine, workshop: Workshop) -> None:
    _save(engine, workshop, "write")


def _write(engine: Engine, workshop: Workshop, kit: Kit, *, easy: bool) -> None:
    start = _start_values()
    prompts = kit.story_prompts
    easy_read = kit.easy_read if easy else None
    stage_names = {s.key: s.name for s in kit.stages}
    lens_names = {lens.key: lens.name for lens in kit.lenses}
    faces = {p.value: f"{p.face} {p.label}" for p in kit.emotion_scale}

    def label(standard: str, name: str) -> str:
        return getattr(easy_read, name).label if easy_read is not None else standard

    save: dict[str, Any] = {"on_change": _on_change, "args": (engine, workshop)}
    common.show_flash()
    if st.session_state.pop(EDITING, False):
        participant.focus_field(".st-key-story_fields textarea", st.session_state[FOCUS])
    with st.container(key="story_fields"):
        st.text_area(
            label(prompts.story, "story") if easy_read is not None else "Your story",
            value=start[TEXT],
            key=TEXT,
            height=200,
            placeholder="Write as much or as little as you like. Leave out names and personal details.",
            **save,
        )
        _counter(TEXT)
        with st.expander("The journey we are looking at"):
            for stage in kit.stages:
                st.markdown(f"**{stage.name}**: {stage.prompt}")
        st.selectbox(label(prompts.stage, "stage"), list(stage_names), index=_index(list(stage_names), start[STAGE]),
                     key=STAGE, format_func=lambda k: stage_names[k], placeholder="Choose one", **save)  # fmt: skip
        st.radio(label(prompts.emotion, "emotion"), list(faces), index=_index(list(faces), start[EMOTION]),
                 key=EMOTION, format_func=lambda v: faces[v], **save)  # fmt: skip
        for key, name in ((HELPED, "helped"), (WOULD_HAVE_HELPED, "would_have_helped"), (STRENGTHS, "strengths")):
            st.text_area(label(getattr(prompts, name), name), value=start[key], key=key, height=90, **save)
            _counter(key)
        st.radio(label(prompts.lens, "lens"), list(lens_names), index=_index(list(lens_names), start[LENS]),
                 key=LENS, format_func=lambda k: lens_names[k], **save)  # fmt: skip
        st.radio(label("How may we use this story?", "consent"), list(CONSENT_LABELS),
                 index=_index(list(CONSENT_LABELS), start[CONSENT]) or 0, key=CONSENT,
                 format_func=lambda k: CONSENT_LABELS[k], **save)  # fmt: skip
    if _draft_from_widgets() != stories.StoryDraft(**(st.session_state[DRAFT] or asdict(stories.StoryDraft("")))):
        # The boxes hold more than the server has (words typed just before a lost connection,
        # sent by the phone when it came back): keep them now.
        _save(engine, workshop, "write")
    # A callback, so the tap is handled before the form is drawn: one run, straight to the preview.
    tapped = st.button(
        "Preview my story", type="primary", width="stretch", on_click=_on_preview, args=(engine, workshop, kit)
    )
    if _missed(tapped):
        _on_preview(engine, workshop, kit)
        st.rerun()
    if message := st.session_state.pop(FORM_ERROR, None):
        st.error(message)  # everything typed stays in the boxes


def _missed(tapped: bool) -> bool:
    """A tap whose callback did not run: the first run of a new session (the server restarted).

    Streamlit calls a button's callback only if the button was drawn in this session before; a
    phone that reconnects to a restarted server and taps at once sends its tap to a session that
    has never drawn it. The tap must still count.
    """
    return tapped and not st.session_state.get(TAPPED_THIS_RUN)


def _on_preview(engine: Engine, workshop: Workshop, kit: Kit) -> None:
    st.session_state[TAPPED] = True
    draft = _draft_from_widgets()
    try:
        stories.validate_draft(draft, kit)
    except CodesignError as exc:
        _save(engine, workshop, "write")
        st.session_state[FORM_ERROR] = str(exc)
        return
    if _save(engine, workshop, "preview", draft):
        st.session_state[STEP] = "preview"
        st.session_state[FOCUS] += 1


def _counter(key: str) -> None:
    """How long a box's text is; over the limit, all of it is kept and the message says how much to cut."""
    value = st.session_state.get(key) or ""
    limit = LIMITS[key]
    if len(value) > limit:
        st.error(stories.cut_message(FIELDS[key], len(value), limit))
    elif key == TEXT or len(value) > limit * 0.8:
        st.caption(f"{len(value):,} of {limit:,} characters")


def _draft_from_widgets() -> stories.StoryDraft:
    values: dict[str, Any] = {name: st.session_state.get(key) for key, name in FIELDS.items()}
    return stories.draft_from_fields(values)


def _preview(engine: Engine, workshop: Workshop, kit: Kit) -> None:
    draft = stories.StoryDraft(**st.session_state[DRAFT])
    preview = stories.preview_story(draft, kit)
    participant.focus("check-your-story", "Check your story", st.session_state[FOCUS])
    st.write("This is everything that will be kept, as it will be kept. You can still change it.")
    stage_names = {s.key: s.name for s in kit.stages}
    lens_names = {lens.key: lens.name for lens in kit.lenses}
    faces = {p.value: f"{p.face} {p.label}" for p in kit.emotion_scale}
    with st.container(border=True, key="story_preview"):
        st.caption("Your story")
        common.plain(preview.story.text)
        for label, part in (
            (kit.story_prompts.helped, preview.helped),
            (kit.story_prompts.would_have_helped, preview.would_have_helped),
            (kit.story_prompts.strengths, preview.strengths),
        ):
            if part.text:
                st.caption(label)
                common.plain(part.text)
        for label, value in (
            ("Part of the journey", stage_names.get(draft.stage_key or "", "Not given")),
            ("How it felt", faces.get(draft.emotion or 0, "Not given")),
            ("You are taking part as", lens_names.get(draft.lens_key or "", "Not given")),
            ("How we may use it", CONSENT_LABELS[draft.consent]),
        ):
            st.caption(label)
            st.write(value)
    if preview.redactions:
        st.info("To protect privacy we replaced: " + ", ".join(preview.redactions) + ".")
    if preview.name_flags:
        st.warning("These words might be people's names. If they are, please edit your story to take them out:")
        common.plain(", ".join(preview.name_flags))
    if preview.support is not None:
        participant.risk_panel(preview.support)
    common.show_flash()
    edit, share = st.columns(2)
    if edit.button("Edit my story", width="stretch"):
        st.session_state[STEP] = "write"
        _save(engine, workshop, "write", draft)
        st.session_state[FOCUS] += 1
        st.session_state[EDITING] = True
        st.rerun()
    tapped = share.button(
        "Share my story", type="primary", width="stretch", on_click=_on_share, args=(engine, workshop)
    )
    if _missed(tapped):
        _on_share(engine, workshop)
        st.rerun()
    if message := st.session_state.pop(FORM_ERROR, None):
        st.error(message)


def _on_share(engine: Engine, workshop: Workshop) -> None:
    """Share the previewed story, before the form is drawn again (one run from tap to thanks).

    A callback runs whole, with no point where a second tap can cut in; a second tap that
    arrives after it finds the story shared and does nothing.
    """
    st.session_state[TAPPED] = True
    if st.session_state.get(STEP) != "preview" or st.session_state.get(DRAFT) is None:
        return
    draft = stories.StoryDraft(**st.session_state[DRAFT])
    try:
        result = stories.capture_story(
            engine,
            workshop,
            draft,
            client_submission_id=st.session_state[SUBMISSION],
            device_token=participant.device_token(),
            withdraw_code=st.session_state.get(PENDING_CODE) or None,
        )
    except ClosedError:
        # The person must get their words back.
        st.session_state[NOT_KEPT] = asdict(draft)
        st.rerun()  # the whole page: it shows the workshop as closed
    except CodesignError as exc:
        st.session_state[FORM_ERROR] = str(exc)
        return
    st.session_state[RESULT] = {"code": result.withdraw_code, "risk": result.support is not None}
    st.session_state[STEP] = "done"
    st.session_state[FOCUS] += 1


def not_kept(engine: Engine, workshop: Workshop, draft: stories.StoryDraft) -> None:
    """Say plainly that a story was not kept (the workshop closed) and give the words back to copy."""
    st.error(
        "This workshop closed before your story was shared, so your story was not kept. "
        "Here is what you wrote, so you can copy it and keep it."
    )
    for label, value in (
        ("Your story", draft.text),
        ("What helped", draft.helped),
        ("What would have helped", draft.would_have_helped),
        ("Strengths and support", draft.strengths),
    ):
        if value:
            st.caption(label)
            st.code(value, language=None, wrap_lines=True)
    if st.button("I have copied it: delete it from this phone", width="stretch"):
        stories.discard_draft(engine, workshop.id, participant.device_token())
        st.session_state.pop(NOT_KEPT, None)
        start_again()
        st.rerun()


def _done(kit: Kit) -> None:
    result = st.session_state[RESULT]
    participant.focus("story-shared", "Story shared", st.session_state[FOCUS])
    st.success("Thank you. Your story has been shared with the workshop team.")
    st.write(
        "**Your withdraw code.** If you change your mind, now or after the workshop, enter it on the "
        "*Withdraw a story* page, from any device, and your story is deleted everywhere. This phone can show "
        "the code again, and withdraw the story without it, in *My stories*."
    )
    participant.withdraw_code(result["code"], key="withdraw_code")
    if result["risk"]:
        participant.risk_panel(panel_for(kit.support_region))
    if st.button("Add another story", type="primary", width="stretch"):
        start_again()
        st.rerun()


def start_again() -> None:
    """Clear the form for a new story, with a new submission id and withdraw code."""
    for key in (*FIELDS, DRAFT, RESULT, SUBMISSION, PENDING_CODE):
        st.session_state.pop(key, None)
    st.session_state[STEP] = "write"
