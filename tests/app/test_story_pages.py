"""AppTest: the story form, preview, consent, withdrawal, moderation and the stories wall."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from codesign import stories, workshops
from codesign.errors import ValidationFailed
from codesign.models import Workshop
from codesign.storage.stories import get_story, list_stories
from codesign.ui import story_form
from codesign.workshops.kits import get_builtin_kit
from tests.app.conftest import page

RISKY = "Email me at jo@example.com. Some nights I want to kill myself."
MARKUP = "<script>alert(1)</script> ![x](http://example.com/a.png) :red[x] **bold**"


def button(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def texts(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.value for t in at.text]


@pytest.fixture
def workshop(engine: Engine) -> Workshop:
    return workshops.create_workshop(engine, "Form test", get_builtin_kit("living-well"))


def joined(app, workshop: Workshop):  # type: ignore[no-untyped-def]
    at = app(query={"code": workshop.code})
    at.run()
    assert not at.exception, at.exception
    return at


def test_form_preview_and_share_stores_one_redacted_story(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    at = joined(app, workshop)
    at.text_area(key=story_form.TEXT).input(RISKY)
    at.selectbox(key=story_form.STAGE).set_value("crisis")
    at.radio(key=story_form.EMOTION).set_value(1)
    at.radio(key=story_form.LENS).set_value("lived_experience")
    at.radio(key=story_form.CONSENT).set_value("report_quote")
    button(at, "Preview my story").click().run()
    assert "Email me at [email address]. Some nights I want to kill myself." in texts(at)
    assert any("email address" in i.value for i in at.info)
    assert "Support is here if you need it" in [s.value for s in at.subheader]
    assert any("116 123" in m.value for m in at.markdown)
    assert list_stories(engine, workshop.id) == []  # nothing stored before the participant shares
    button(at, "Share my story").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Thank you")
    code = at.code[0].value
    [story] = list_stories(engine, workshop.id)
    assert story.text.startswith("Email me at [email address]")
    assert (story.stage_key, story.emotion, story.lens_key, story.consent) == (
        "crisis",
        1,
        "lived_experience",
        "report_quote",
    )
    assert story.risk_flags == ("suicide",) and story.moderation_status == "pending"
    # The code is shown once; it works on the withdraw page.
    button(at, "Add another story").click().run()
    assert at.code == [] or all(c.value != code for c in at.code)
    assert at.text_area(key=story_form.TEXT).value == ""
    stories.withdraw_story(engine, code)
    assert list_stories(engine, workshop.id) == []


def test_second_share_of_the_same_form_stores_nothing_new(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    at = joined(app, workshop)
    at.text_area(key=story_form.TEXT).input("The drop-in was warm.")
    button(at, "Preview my story").click().run()
    submission = at.session_state[story_form.SUBMISSION]
    button(at, "Share my story").click().run()
    # A reconnect replays the same submission id.
    at.session_state[story_form.STEP] = "preview"
    at.run()
    button(at, "Share my story").click().run()
    assert at.session_state[story_form.SUBMISSION] == submission
    assert len(list_stories(engine, workshop.id)) == 1


def test_empty_story_explains_and_keeps_the_other_answers(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    at = joined(app, workshop)
    at.text_area(key=story_form.HELPED).input("My neighbour")
    button(at, "Preview my story").click().run()
    assert [e.value for e in at.error] == [stories.NO_STORY]
    assert at.text_area(key=story_form.HELPED).value == "My neighbour"
    assert list_stories(engine, workshop.id) == []


def test_edit_from_the_preview_keeps_what_was_typed(app, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    at = joined(app, workshop)
    at.text_area(key=story_form.TEXT).input("Ring me on 07700 900123.")
    at.text_area(key=story_form.STRENGTHS).input("My dog")
    button(at, "Preview my story").click().run()
    assert "Ring me on [phone number]." in texts(at)
    button(at, "Edit my story").click().run()
    assert at.text_area(key=story_form.TEXT).value == "Ring me on 07700 900123."
    assert at.text_area(key=story_form.STRENGTHS).value == "My dog"


def test_names_are_flagged_in_the_preview_as_plain_text(app, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    at = joined(app, workshop)
    at.text_area(key=story_form.TEXT).input("Dr Patel was kind.")
    button(at, "Preview my story").click().run()
    assert at.warning and "Patel" in texts(at)


def test_rate_limit_gives_a_friendly_message_and_keeps_the_draft(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    device = "e" * 32
    at = app(query={"code": workshop.code, "d": device})
    at.run()
    for _ in range(stories.RATE_LIMIT_STORIES):
        sub = stories.new_submission_id()
        stories.capture_story(engine, workshop, stories.StoryDraft("x"), client_submission_id=sub, device_token=device)
    at.text_area(key=story_form.TEXT).input("One more story.")
    button(at, "Preview my story").click().run()
    button(at, "Share my story").click().run()
    assert [e.value for e in at.error] == [stories.TOO_MANY]
    assert "One more story." in texts(at)


def test_withdraw_page(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    result = stories.capture_story(engine, workshop, stories.StoryDraft("Mine."), client_submission_id="s1",
                                   device_token="c" * 32)  # fmt: skip
    at = page(app(), "pages/withdraw.py")
    at.text_input[0].input("WRNG-CODE-HERE")
    at.checkbox[0].check()
    button(at, "Withdraw my story").click().run()
    assert [e.value for e in at.error] == [stories.WRONG_CODE]
    at.text_input[0].input(stories.format_withdraw_code(result.withdraw_code))
    at.checkbox[0].uncheck()
    button(at, "Withdraw my story").click().run()
    assert "tick the box" in at.error[0].value
    assert len(list_stories(engine, workshop.id)) == 1
    at.checkbox[0].check()
    button(at, "Withdraw my story").click().run()
    assert at.success[0].value.startswith("Your story has been deleted")
    assert list_stories(engine, workshop.id) == []


def _captured(engine: Engine, workshop: Workshop, text: str, sub: str, consent: str = "anonymous_quote") -> int:
    draft = stories.StoryDraft(text, consent=consent)
    return stories.capture_story(engine, workshop, draft, client_submission_id=sub, device_token="d" * 32).story.id


def test_moderation_approve_hide_restore_and_review(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    calm = _captured(engine, workshop, "The café was kind.", "m1")
    risky = _captured(engine, workshop, "My partner hits me.", "m2")
    at = page(app(facilitator=True), "pages/moderation.py")
    assert not at.exception, at.exception
    assert at.tabs[0].label == "Safeguarding review (1)" and at.tabs[1].label == "Waiting (1)"
    assert "My partner hits me." in [t.value for t in at.tabs[0].text]
    at.button(key=f"approve-{calm}").click().run()
    assert get_story(engine, calm).moderation_status == "approved"
    at.button(key=f"hide-{calm}").click().run()
    at.button(key=f"restore-{calm}").click().run()
    assert get_story(engine, calm).moderation_status == "pending"
    at.button(key=f"review-show-{risky}").click().run()
    story = get_story(engine, risky)
    assert story.risk_reviewed and story.moderation_status == "approved"


def test_moderation_redaction_can_only_remove(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    story_id = _captured(engine, workshop, "The nurse on ward 6 was rude.", "r1")
    at = page(app(facilitator=True), "pages/moderation.py")
    at.text_area(key=f"redact-{story_id}").input("The nurse was lovely.")
    next(b for b in at.button if b.label == "Save redaction").click().run()
    assert any("only take words out" in e.value for e in at.error)
    assert get_story(engine, story_id).text == "The nurse on ward 6 was rude."
    at.text_area(key=f"redact-{story_id}").input("The nurse on [removed] was rude.")
    next(b for b in at.button if b.label == "Save redaction").click().run()
    assert get_story(engine, story_id).text == "The nurse on [removed] was rude."


def test_wall_shows_approved_text_literally_and_never_the_flagged_one(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    shown = _captured(engine, workshop, MARKUP, "w1")
    flagged = _captured(engine, workshop, "I want to kill myself.", "w2")
    stories.approve_story(engine, shown)
    stories.approve_story(engine, flagged)
    at = page(app(facilitator=True), "pages/wall.py")
    at.sidebar.radio[0].set_value("stories").run()
    assert not at.exception, at.exception
    # Capture replaced the web address; the rest of the markup is shown as typed.
    assert MARKUP.replace("http://example.com/a.png", "[web address]") in texts(at)
    assert not any("kill myself" in t for t in texts(at))
    assert not any("alert(1)" in m.value or "example.com/a.png" in m.value for m in at.markdown)
    html = [str(h.proto.body) for h in at.get("html")]
    assert any('Stories shared <span class="d-big">2</span>' in h for h in html)
    assert not any("kill myself" in h or "alert(1)" in h for h in html)
    next(b for b in at.sidebar.button if b.label == "Start").click().run()
    assert any('class="d-clock"' in str(h.proto.body) for h in at.get("html"))  # the countdown in the banner


def test_blns_strings_through_capture_and_the_wall(app, engine: Engine, workshop: Workshop, blns: list[str]) -> None:  # type: ignore[no-untyped-def]
    from codesign.storage import workshops as repo

    repo.update_workshop_settings(engine, workshop.id, {"premoderation": False})
    workshop = repo.get_workshop(engine, workshop.id)
    sample = [s for s in blns if s.strip()][:: max(1, len(blns) // 60)]
    ids = []
    for i, text in enumerate(sample):
        try:
            draft = stories.StoryDraft(text, consent="anonymous_quote")
            result = stories.capture_story(
                engine, workshop, draft, client_submission_id=f"b{i}", device_token=f"{i:032x}"
            )
        except ValidationFailed:
            continue
        ids.append(result.story.id)
        stories.approve_story(engine, result.story.id)
    at = page(app(facilitator=True), "pages/wall.py")
    at.sidebar.radio[0].set_value("stories").run()
    assert not at.exception, at.exception
    newest = get_story(engine, ids[-1])
    assert newest.text in texts(at)
    # Nothing participants typed reaches markdown: only our own headings and styling do.
    stored = {get_story(engine, i).text for i in ids}
    assert not any(m.value in stored for m in at.markdown if m.value)
    at = page(app(facilitator=True), "pages/moderation.py")
    assert not at.exception, at.exception
