"""Drafts kept by device, My stories, over-long text kept, and the support and Easy Read configuration."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from codesign import export, stories, workshops
from codesign.errors import ClosedError, KitError, NotFoundError, ValidationFailed
from codesign.models import Workshop
from codesign.privacy.support import available_regions, support_panel
from codesign.storage.stories import list_stories
from codesign.workshops.kits import get_builtin_kit, list_builtin_kits, parse_kit

PHONE = "a" * 32
OTHER_PHONE = "b" * 32


def make_workshop(eng: Engine) -> Workshop:
    return workshops.create_workshop(eng, "Drafts test", get_builtin_kit("living-well"))


def saved(text: str, step: str = "write", **fields: object) -> stories.SavedDraft:
    return stories.SavedDraft(stories.StoryDraft(text, **fields), step, "sub-1", "K7QX3M9PTR2A")  # type: ignore[arg-type]


def test_a_draft_is_kept_for_its_phone_only_and_replaced_not_duplicated(any_engine: Engine) -> None:
    w = make_workshop(any_engine)
    stories.save_draft(any_engine, w.id, PHONE, saved("Half a"))
    stories.save_draft(any_engine, w.id, PHONE, saved("Half a story", "preview", stage_key="crisis", emotion=2))
    back = stories.load_draft(any_engine, w.id, PHONE)
    assert back == saved("Half a story", "preview", stage_key="crisis", emotion=2)
    assert stories.load_draft(any_engine, w.id, OTHER_PHONE) is None


def test_sharing_deletes_the_draft_and_keeps_the_code_of_the_draft(any_engine: Engine) -> None:
    w = make_workshop(any_engine)
    stories.save_draft(any_engine, w.id, PHONE, saved("The nurse sat with me."))
    kept = stories.load_draft(any_engine, w.id, PHONE)
    assert kept is not None
    result = stories.capture_story(any_engine, w, kept.draft, client_submission_id=kept.client_submission_id,
                                   device_token=PHONE, withdraw_code=kept.withdraw_code)  # fmt: skip
    assert result.withdraw_code == "K7QX3M9PTR2A"
    assert stories.load_draft(any_engine, w.id, PHONE) is None


def test_over_long_text_is_kept_in_the_draft_and_refused_at_share_with_how_much_to_cut(engine: Engine) -> None:
    w = make_workshop(engine)
    text = "x" * 6000
    stories.save_draft(engine, w.id, PHONE, saved(text))
    kept = stories.load_draft(engine, w.id, PHONE)
    assert kept is not None and kept.draft.text == text
    assert stories.over_limit(kept.draft) == (("text", 6000, stories.MAX_STORY_CHARS),)
    with pytest.raises(ValidationFailed, match="please cut 1,000 characters"):
        stories.capture_story(engine, w, kept.draft, client_submission_id="s", device_token=PHONE)
    assert list_stories(engine, w.id) == []
    with pytest.raises(ValidationFailed, match="could not be kept"):
        stories.save_draft(engine, w.id, PHONE, saved("x" * (stories.DRAFT_CEILING_CHARS + 1)))


def test_a_closed_workshop_refuses_the_story_and_gives_the_draft_back_to_its_phone(engine: Engine) -> None:
    w = make_workshop(engine)
    stories.save_draft(engine, w.id, PHONE, saved("Not finished when it closed."))
    workshops.close_workshop(engine, w.id)
    with pytest.raises(ClosedError):
        stories.capture_story(engine, w, stories.StoryDraft("Not finished when it closed."),
                              client_submission_id="s", device_token=PHONE)  # fmt: skip
    left = stories.draft_left_in(engine, w.code, PHONE)
    assert left is not None and left[1].draft.text == "Not finished when it closed."
    assert stories.draft_left_in(engine, w.code, OTHER_PHONE) is None
    stories.discard_draft(engine, w.id, PHONE)
    assert stories.draft_left_in(engine, w.code, PHONE) is None


def test_my_stories_lists_and_withdraws_only_this_phones_stories(any_engine: Engine) -> None:
    w = make_workshop(any_engine)
    mine = stories.capture_story(any_engine, w, stories.StoryDraft("Mine."), client_submission_id="m",
                                 device_token=PHONE).story  # fmt: skip
    theirs = stories.capture_story(any_engine, w, stories.StoryDraft("Theirs."), client_submission_id="t",
                                   device_token=OTHER_PHONE).story  # fmt: skip
    assert [s.text for s in stories.my_stories(any_engine, w.id, PHONE)] == ["Mine."]
    with pytest.raises(NotFoundError):
        stories.withdraw_own_story(any_engine, theirs.id, PHONE)
    stories.withdraw_own_story(any_engine, mine.id, PHONE)
    assert [s.text for s in list_stories(any_engine, w.id)] == ["Theirs."]
    with pytest.raises(NotFoundError):
        stories.withdraw_own_story(any_engine, mine.id, PHONE)  # a second tap


def test_a_phone_sees_its_own_withdraw_codes_again_and_they_withdraw_from_any_device(any_engine: Engine) -> None:
    w = make_workshop(any_engine)
    first = stories.capture_story(any_engine, w, stories.StoryDraft("First."), client_submission_id="f",
                                  device_token=PHONE)  # fmt: skip
    second = stories.capture_story(any_engine, w, stories.StoryDraft("Second."), client_submission_id="s",
                                   device_token=PHONE)  # fmt: skip
    theirs = stories.capture_story(any_engine, w, stories.StoryDraft("Theirs."), client_submission_id="t",
                                   device_token=OTHER_PHONE)  # fmt: skip
    # A reload, a restart or another day: the same phone works out the same codes again.
    codes = stories.own_withdraw_codes(any_engine, w.id, PHONE)
    assert codes == {first.story.id: first.withdraw_code, second.story.id: second.withdraw_code}
    assert len(set(codes.values())) == 2 and all(len(c) == stories.WITHDRAW_CODE_LENGTH for c in codes.values())
    assert stories.own_withdraw_codes(any_engine, w.id, OTHER_PHONE) == {theirs.story.id: theirs.withdraw_code}
    # The code itself is not in the database: only its hash and the submission id.
    backup = export.build_backup(any_engine, w.id).decode()
    assert first.withdraw_code not in backup and stories.format_withdraw_code(first.withdraw_code) not in backup
    # Typed on any device, also after the workshop, the code still withdraws the story.
    workshops.close_workshop(any_engine, w.id)
    stories.withdraw_story(any_engine, stories.format_withdraw_code(first.withdraw_code))
    assert [s.text for s in list_stories(any_engine, w.id)] == ["Second.", "Theirs."]
    assert stories.own_withdraw_codes(any_engine, w.id, PHONE) == {second.story.id: second.withdraw_code}


def test_a_story_shared_with_a_code_from_an_older_draft_keeps_it_and_shows_no_other(any_engine: Engine) -> None:
    w = make_workshop(any_engine)
    old = stories.capture_story(any_engine, w, stories.StoryDraft("From an older draft."), client_submission_id="o",
                                device_token=PHONE, withdraw_code="K7QX3M9PTR2A")  # fmt: skip
    assert old.withdraw_code == "K7QX3M9PTR2A"
    assert stories.own_withdraw_codes(any_engine, w.id, PHONE) == {}  # shown once; My stories still withdraws it
    stories.withdraw_own_story(any_engine, old.story.id, PHONE)
    assert list_stories(any_engine, w.id) == []


@given(st.text(alphabet="0123456789abcdef", min_size=32, max_size=32), st.text(min_size=1, max_size=64))
def test_a_derived_code_is_a_valid_code_and_the_same_each_time(token: str, submission_id: str) -> None:
    code = stories.derive_withdraw_code(token, submission_id)
    assert len(code) == stories.WITHDRAW_CODE_LENGTH and set(code) <= set(stories.WITHDRAW_ALPHABET)
    assert code == stories.derive_withdraw_code(token, submission_id)
    assert code != stories.derive_withdraw_code(token, submission_id + "x")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("save"), st.sampled_from([PHONE, OTHER_PHONE]), st.text(max_size=30)),
            st.tuples(st.just("discard"), st.sampled_from([PHONE, OTHER_PHONE]), st.just("")),
        ),
        max_size=12,
    )
)
def test_each_phone_gets_back_exactly_its_last_saved_draft(engine: Engine, actions: list[tuple[str, str, str]]) -> None:
    w = workshops.list_workshops(engine)[0] if workshops.list_workshops(engine) else make_workshop(engine)
    for phone in (PHONE, OTHER_PHONE):
        stories.discard_draft(engine, w.id, phone)
    expected: dict[str, str | None] = {PHONE: None, OTHER_PHONE: None}
    for action, phone, text in actions:
        if action == "save":
            stories.save_draft(engine, w.id, phone, saved(text))
            expected[phone] = stories.StoryDraft(text).text
        else:
            stories.discard_draft(engine, w.id, phone)
            expected[phone] = None
    for phone, text in expected.items():
        back = stories.load_draft(engine, w.id, phone)
        assert (back.draft.text if back else None) == text


def test_saved_fields_from_an_older_version_are_read_safely() -> None:
    draft = stories.draft_from_fields({"text": "Kept", "emotion": True, "consent": "everything", "gone": 1})
    assert draft == stories.StoryDraft("Kept")


@pytest.mark.parametrize("region", available_regions())
def test_every_support_region_has_a_number_to_call(region: str) -> None:
    panel = support_panel(region)
    assert any(c.tel_href for c in panel.contacts) and panel.always_intro
    for contact in panel.contacts:
        assert contact.tel_href or contact.sms_href, f"{region}: {contact.name} has no tel: or sms: link"


def test_the_samaritans_and_shout_links() -> None:
    contacts = {c.name: c for c in support_panel("england").contacts}
    assert contacts["Samaritans"].tel_href == "tel:116123" and contacts["Samaritans"].how == "Call 116 123"
    assert contacts["Shout"].sms_href == "sms:85258?&body=SHOUT"


def test_every_kit_ships_easy_read_and_the_young_peoples_kit_opens_in_it() -> None:
    kits = {k.kit.id: k.kit for k in list_builtin_kits()}
    assert all(kit.easy_read is not None for kit in kits.values())
    assert {kit_id for kit_id, kit in kits.items() if kit.easy_read_default} == {"cyp-thrive"}
    for kit in kits.values():
        assert "Need support now?" in kit.welcome  # what the welcome says is on the page


def test_easy_read_lines_must_be_short_and_default_needs_a_section() -> None:
    text = get_builtin_kit("living-well").text
    too_long = text.replace('"Thank you for coming."', '"' + "A very long sentence " * 6 + '"', 1)
    with pytest.raises(KitError, match="one short sentence"):
        parse_kit(too_long)
    start = text.index("\neasy_read:")
    end = text.index("\nstakeholders:")
    without = text[:start] + "\neasy_read_default: true\n" + text[end:]
    with pytest.raises(KitError, match="easy_read_default"):
        parse_kit(without)
