"""AppTest: the story form, preview, consent, withdrawal, moderation and the stories wall."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from codesign import stories, workshops
from codesign.errors import ValidationFailed
from codesign.models import Workshop
from codesign.storage.stories import get_story, list_stories
from codesign.ui import state, story_form
from codesign.workshops.kits import get_builtin_kit
from tests.app.conftest import moderation_tab, page

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
    assert any(b.proto.url == "tel:116123" for b in at.get("link_button"))
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
    # The code is kept by the phone, not the server: My stories shows it again; it works from any device.
    session = at.session_state
    derived = stories.derive_withdraw_code(session[state.DEVICE_TOKEN], session[story_form.SUBMISSION])
    assert code == stories.format_withdraw_code(derived)
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
    at = app(query={"code": workshop.code})
    at.session_state[state.DEVICE_TOKEN] = device  # as the phone's cookie gives it
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
    moderation_tab(at, "pending").button(key=f"approve-{calm}").click().run()
    assert get_story(engine, calm).moderation_status == "approved"
    moderation_tab(at, "approved").button(key=f"hide-{calm}").click().run()
    moderation_tab(at, "hidden").button(key=f"restore-{calm}").click().run()
    assert get_story(engine, calm).moderation_status == "pending"
    moderation_tab(at, "safeguarding").button(key=f"review-show-{risky}").click().run()
    story = get_story(engine, risky)
    assert story.risk_reviewed and story.moderation_status == "approved"


def test_moderation_redaction_can_only_remove(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    story_id = _captured(engine, workshop, "The nurse on ward 6 was rude.", "r1")
    at = moderation_tab(page(app(facilitator=True), "pages/moderation.py"), "pending")
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


PHONE_TOKEN = "f" * 32


def on_phone(app, workshop: Workshop, token: str = PHONE_TOKEN, **query: str):  # type: ignore[no-untyped-def]
    """A page load on the phone whose cookie holds ``token`` (AppTest has no browser to keep one)."""
    at = app(query={"code": workshop.code, **query})
    at.session_state[state.DEVICE_TOKEN] = token
    at.run()
    assert not at.exception, at.exception
    return at


def calls(at) -> set[str]:  # type: ignore[no-untyped-def]
    return {b.proto.url for b in at.get("link_button")}


@pytest.mark.parametrize("path", ["pages/join.py", "pages/withdraw.py", "pages/vote.py"])
def test_every_participant_page_offers_support_as_tel_links(app, workshop: Workshop, path: str) -> None:  # type: ignore[no-untyped-def]
    at = on_phone(app, workshop)
    if path != "pages/join.py":
        at.switch_page(path)
        at.run()
    assert next(e.label for e in at.expander) == "Need support now?"
    assert {"tel:116123", "tel:111", "tel:999", "sms:85258?&body=SHOUT"} <= calls(at)


def test_the_code_page_offers_support_before_joining(app) -> None:  # type: ignore[no-untyped-def]
    at = app()
    at.run()
    assert "tel:116123" in calls(at)


def test_a_draft_comes_back_on_the_same_phone_only(app, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    at = on_phone(app, workshop)
    at.text_area(key=story_form.TEXT).input("The drop-in nurse remembered my name.").run()
    at.radio(key=story_form.EMOTION).set_value(4).run()
    again = on_phone(app, workshop)  # a reload: a new session, the same cookie
    assert again.text_area(key=story_form.TEXT).value == "The drop-in nurse remembered my name."
    assert again.radio(key=story_form.EMOTION).value == 4
    stranger = on_phone(app, workshop, token="9" * 32)
    assert stranger.text_area(key=story_form.TEXT).value == ""


def test_over_long_text_stays_in_the_box_with_how_much_to_cut(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    at = on_phone(app, workshop)
    at.text_area(key=story_form.TEXT).input("y" * 6000).run()
    assert any("please cut 1,000 characters" in e.value for e in at.error)
    button(at, "Preview my story").click().run()
    assert at.text_area(key=story_form.TEXT).value == "y" * 6000
    assert list_stories(engine, workshop.id) == []


def test_preview_shows_everything_that_will_be_kept(app, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    at = on_phone(app, workshop)
    at.text_area(key=story_form.TEXT).input("They called back the same day.")
    at.selectbox(key=story_form.STAGE).set_value("crisis")
    at.radio(key=story_form.EMOTION).set_value(4)
    at.radio(key=story_form.LENS).set_value("carer_family")
    at.radio(key=story_form.CONSENT).set_value("anonymous_quote")
    button(at, "Preview my story").click().run()
    shown = [m.value for m in at.markdown]
    kit = get_builtin_kit("living-well").kit
    assert next(s.name for s in kit.stages if s.key == "crisis") in shown
    assert next(f"{p.face} {p.label}" for p in kit.emotion_scale if p.value == 4) in shown
    assert next(lens.name for lens in kit.lenses if lens.key == "carer_family") in shown


def test_a_closed_workshop_gives_a_phone_its_draft_back(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    at = on_phone(app, workshop)
    at.text_area(key=story_form.TEXT).input("Written before the end.").run()
    workshops.close_workshop(engine, workshop.id)
    again = on_phone(app, workshop)
    assert any("was not kept" in e.value for e in again.error)
    assert [c.value for c in again.code] == ["Written before the end."]
    button(again, "I have copied it: delete it from this phone").click().run()
    assert stories.load_draft(engine, workshop.id, PHONE_TOKEN) is None


def test_my_stories_withdraws_without_the_code(app, engine: Engine, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    mine = stories.capture_story(engine, workshop, stories.StoryDraft("Mine, from this phone."),
                                 client_submission_id="m1", device_token=PHONE_TOKEN)  # fmt: skip
    theirs = stories.capture_story(engine, workshop, stories.StoryDraft("Someone else's."), client_submission_id="o1",
                                   device_token="9" * 32)  # fmt: skip
    at = on_phone(app, workshop)
    at.switch_page("pages/withdraw.py")
    at.run()
    assert "Mine, from this phone." in texts(at) and "Someone else's." not in texts(at)
    # This phone's code is shown again (a new session: the confirmation is long gone), no one else's.
    assert [c.value for c in at.code] == [stories.format_withdraw_code(mine.withdraw_code)]
    assert stories.format_withdraw_code(theirs.withdraw_code) not in [c.value for c in at.code]
    assert [b.proto.label for b in at.get("download_button")] == ["Save the code as a file"]
    button(at, "Yes, delete it").click().run()
    assert at.success[0].value.startswith("Your story has been deleted")
    assert [s.text for s in list_stories(engine, workshop.id)] == ["Someone else's."]


def test_easy_read_is_the_young_peoples_default_and_can_be_switched(app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    young = workshops.create_workshop(engine, "Young people", get_builtin_kit("cyp-thrive"))
    at = on_phone(app, young)
    assert at.text_area(key=story_form.TEXT).label.startswith("📝 ")
    at.toggle[0].set_value(False).run()
    assert at.text_area(key=story_form.TEXT).label == "Your story"
    assert at.query_params["view"] in ("standard", ["standard"])
