"""A phone in a real Chromium at 390x844: support one tap away, nothing typed lost (a long paste, a
reload, a kill -9 of the server, a workshop closed mid-preview), My stories, no secret in the
address, WCAG 2.2 A/AA by axe-core, 44 px targets and 16 px inputs, and no request to another host.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from codesign import voting, workshops
from codesign.storage.db import read_session
from codesign.storage.schema import StoryDraftRow
from codesign.storage.stories import list_stories
from codesign.workshops import links
from codesign.workshops.kits import get_builtin_kit
from tests.e2e.conftest import IPHONE, PHONE, axe_violations

pytestmark = pytest.mark.browser

STORY = "The crisis line rang out twice, then a calm woman called me back within the hour."
WAIT = 60_000  # ms: generous, the machine is shared


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Wait for a condition (never a timed assertion: only a generous ceiling)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


def drafts(engine) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return [dict(row.fields) | {"step": row.step} for row in s.scalars(select(StoryDraftRow))]


def phone(browser, size: dict[str, int] = IPHONE):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=size, is_mobile=True, has_touch=True)
    return context, context.new_page()


def open_join(page, live_app, code: str, title: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(links.join_url(code, base=live_app.url))
    page.get_by_role("heading", name=title).wait_for(timeout=WAIT)


def story_box(page):  # type: ignore[no-untyped-def]
    return page.get_by_role("textbox", name="Your story")


def type_story(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Write in the story box and move on (the phone sends a box's text when you leave it)."""
    box = story_box(page)
    box.fill(text)
    box.press("Tab")


def check_axe(page, where: str) -> None:  # type: ignore[no-untyped-def]
    violations = axe_violations(page)
    assert violations == [], f"axe-core on the {where}: {violations}"


TARGETS_JS = """() => {
  const small = [], fonts = [];
  const seen = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const targets = document.querySelectorAll(
    '.stApp button, .stApp a[href], .stApp label[data-testid="stRadioOption"], .stApp [data-testid="stCheckbox"] label,'
    + ' .stApp summary');
  for (const el of targets) {
    if (!seen(el) || el.closest('[data-testid="stSidebar"]')) continue;
    // Streamlit's skip link is drawn only while a keyboard focuses it: not a touch target.
    if (el.innerText === 'Skip to main content') continue;
    const r = el.getBoundingClientRect();
    const name = (el.innerText || el.ariaLabel || '').slice(0, 40);
    if (r.width < 44 || r.height < 44) small.push(`${el.tagName} "${name}" ${r.width | 0}x${r.height | 0}`);
  }
  for (const el of document.querySelectorAll('.stApp textarea, .stApp input')) {
    if (!seen(el) && el.type !== 'radio' && el.type !== 'checkbox') continue;
    if (el.type === 'radio' || el.type === 'checkbox') continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) fonts.push(`${el.tagName} ${el.ariaLabel || el.name} ${size}px`);
  }
  const p = document.querySelector('.stApp [data-testid="stMarkdownContainer"] p');
  const body = parseFloat(getComputedStyle(p).fontSize);
  return {small, fonts, body};
}"""


def styled(page) -> bool:  # type: ignore[no-untyped-def]
    """True once the phone styles are applied (Streamlit applies a page's style after its first elements)."""
    js = "() => getComputedStyle(document.querySelector('.stApp')).getPropertyValue('--codesign-phone-styles')"
    return bool(page.evaluate(js).strip() == "on")


def check_targets(page, where: str) -> None:  # type: ignore[no-untyped-def]
    wait_until(lambda: styled(page), f"the phone styles on the {where}")
    found = page.evaluate(TARGETS_JS)
    assert found["small"] == [], f"targets under 44x44 px on the {where}: {found['small']}"
    assert found["fonts"] == [], f"inputs under 16 px on the {where}: {found['fonts']}"
    assert found["body"] >= 16, f"body text is {found['body']} px on the {where}"


def test_support_is_one_tap_away_on_first_load(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(live_app.engine, "Support test", get_builtin_kit("living-well"))
    context, page = phone(browser)
    open_join(page, live_app, workshop.code, workshop.title)
    support = page.get_by_text("Need support now?", exact=True)
    assert support.is_visible()  # on first load, without scrolling or opening anything
    support.click()
    call = page.locator('a[href="tel:116123"]')
    call.wait_for(timeout=WAIT)
    assert "116 123" in call.inner_text()
    assert page.locator('a[href^="sms:85258"]').count() == 1
    # Before joining too: the code page offers the same support.
    page.goto(live_app.url)
    page.get_by_role("heading", name="Join a workshop").wait_for(timeout=WAIT)
    page.get_by_text("Need support now?", exact=True).click()
    page.locator('a[href="tel:116123"]').wait_for(timeout=WAIT)
    context.close()


def test_a_6000_character_paste_is_kept_whole_with_how_much_to_cut(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(live_app.engine, "Long paste", get_builtin_kit("living-well"))
    context, page = phone(browser)
    open_join(page, live_app, workshop.code, workshop.title)
    long_story = ("I waited eleven weeks for a call back. " * 200)[:6000]
    type_story(page, long_story)
    page.get_by_text("please cut 1,000 characters", exact=False).wait_for(timeout=WAIT)
    assert len(story_box(page).input_value()) == 6000
    page.get_by_role("button", name="Preview my story").click()
    page.get_by_text("please cut 1,000 characters", exact=False).first.wait_for(timeout=WAIT)
    assert len(story_box(page).input_value()) == 6000  # still all there after the refusal
    wait_until(lambda: [len(str(d["text"])) for d in drafts(live_app.engine)] == [6000], "the long draft saved")
    assert list_stories(live_app.engine, workshop.id) == []
    context.close()


def test_a_long_idea_is_kept_in_its_box_with_how_much_to_cut(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(live_app.engine, "Long idea", get_builtin_kit("living-well"))
    rnd = voting.open_round(live_app.engine, workshop.id, "How might we make waiting easier?")
    context, page = phone(browser, PHONE)
    page.goto(f"{live_app.url}/vote?code={workshop.code}")
    idea = ("A text every fortnight to say where I am on the list. " * 12)[:600]
    box = page.get_by_role("textbox", name="Your idea")
    box.fill(idea)
    assert len(box.input_value()) == 600  # the browser keeps the whole paste
    page.get_by_role("button", name="Add my idea").click()
    page.get_by_text("please cut 100 characters", exact=False).wait_for(timeout=WAIT)
    assert len(page.get_by_role("textbox", name="Your idea").input_value()) == 600
    assert voting.list_ideas(live_app.engine, rnd.id) == []
    context.close()


def test_a_half_written_story_survives_a_reload_and_a_server_kill(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(live_app.engine, "Reload test", get_builtin_kit("living-well"))
    context, page = phone(browser)
    open_join(page, live_app, workshop.code, workshop.title)
    type_story(page, STORY)
    wait_until(lambda: [d["text"] for d in drafts(live_app.engine)] == [STORY], "the draft to be saved")

    page.reload()
    page.get_by_role("heading", name=workshop.title).wait_for(timeout=WAIT)
    wait_until(lambda: story_box(page).input_value() == STORY, "the draft back after a reload")

    live_app.kill_and_restart()
    page.reload()
    page.get_by_role("heading", name=workshop.title).wait_for(timeout=WAIT)
    wait_until(lambda: story_box(page).input_value() == STORY, "the draft back after kill -9 and a restart")

    # On the preview when the server dies: the preview comes back, and Share stores one story.
    page.get_by_role("button", name="Preview my story").click()
    page.get_by_role("heading", name="Check your story").wait_for(timeout=WAIT)
    wait_until(lambda: [d["step"] for d in drafts(live_app.engine)] == ["preview"], "the preview step saved")
    live_app.kill_and_restart()
    page.reload()
    page.get_by_role("heading", name="Check your story").wait_for(timeout=WAIT)
    page.get_by_role("button", name="Share my story").click()
    page.get_by_text("Thank you. Your story has been shared").wait_for(timeout=WAIT)
    [story] = list_stories(live_app.engine, workshop.id)
    assert story.text == STORY
    assert drafts(live_app.engine) == []  # shared, so no longer kept as a draft
    context.close()


def test_words_in_the_box_when_the_connection_drops_are_kept_once_it_is_back(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(live_app.engine, "Lost connection", get_builtin_kit("living-well"))
    context, page = phone(browser)
    open_join(page, live_app, workshop.code, workshop.title)
    type_story(page, STORY)
    wait_until(lambda: [d["text"] for d in drafts(live_app.engine)] == [STORY], "the first words saved")
    # The person types on; before they leave the box, the phone loses the server (the laptop's
    # Wi-Fi drops, the app restarts). Streamlit greys the form out until it is back.
    more = STORY + " Then I slept for the first time in a week."
    story_box(page).fill(more)
    live_app.kill_and_restart()
    # Without a reload: the page reconnects by itself, the words are still in the box, and they
    # reach the server as soon as the person moves on.
    wait_until(lambda: story_box(page).is_enabled(), "the page to reconnect", 120)
    assert story_box(page).input_value() == more
    story_box(page).press("Tab")
    wait_until(lambda: [d["text"] for d in drafts(live_app.engine)] == [more], "the words saved after reconnecting")
    page.reload()
    page.get_by_role("heading", name=workshop.title).wait_for(timeout=WAIT)
    wait_until(lambda: story_box(page).input_value() == more, "the whole draft back after a reload")
    context.close()


def test_the_preview_opens_at_its_top_with_focus_and_edit_returns_to_the_story_box(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(live_app.engine, "Preview test", get_builtin_kit("living-well"))
    context, page = phone(browser, PHONE)
    open_join(page, live_app, workshop.code, workshop.title)
    type_story(page, STORY)
    page.locator('label[data-testid="stRadioOption"]', has_text="Person with lived experience").click()
    wait_until(lambda: any(d.get("lens_key") == "lived_experience" for d in drafts(live_app.engine)), "the lens saved")
    page.get_by_role("button", name="Preview my story").click()
    heading = page.get_by_role("heading", name="Check your story")
    heading.wait_for(timeout=WAIT)
    focused = "document.activeElement && document.activeElement.id"
    wait_until(lambda: page.evaluate(focused) == "check-your-story", "focus on the preview's heading")
    wait_until(lambda: -4 <= (heading.bounding_box() or {"y": -99})["y"] <= 120, "the preview's heading at the top")
    # Everything that will be kept is there to see, the consent too.
    for shown in (STORY, "Person with lived experience", "Use it for themes only: never quoted"):
        page.get_by_text(shown, exact=True).first.wait_for(timeout=WAIT)

    page.get_by_role("button", name="Edit my story").click()
    box = story_box(page)
    box.wait_for(timeout=WAIT)
    wait_until(lambda: page.evaluate("document.activeElement && document.activeElement.tagName") == "TEXTAREA",
               "the cursor in the story box")  # fmt: skip
    wait_until(lambda: 0 <= (box.bounding_box() or {"y": -1})["y"] < PHONE["height"], "the story box in sight")
    assert box.input_value() == STORY
    context.close()


def test_closing_the_workshop_during_the_preview_gives_the_text_back(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(live_app.engine, "Closing test", get_builtin_kit("living-well"))
    context, page = phone(browser)
    open_join(page, live_app, workshop.code, workshop.title)
    type_story(page, STORY)
    page.get_by_role("button", name="Preview my story").click()
    page.get_by_role("heading", name="Check your story").wait_for(timeout=WAIT)
    workshops.close_workshop(live_app.engine, workshop.id)
    page.get_by_role("button", name="Share my story").click()
    page.get_by_text("so your story was not kept", exact=False).wait_for(timeout=WAIT)
    page.locator("code", has_text=STORY).wait_for(timeout=WAIT)  # the words, to copy
    assert list_stories(live_app.engine, workshop.id) == []
    # A reload still gives the words back, until the person says they have them.
    page.reload()
    page.get_by_text("so your story was not kept", exact=False).wait_for(timeout=WAIT)
    page.locator("code", has_text=STORY).wait_for(timeout=WAIT)
    page.get_by_role("button", name="I have copied it: delete it from this phone").click()
    wait_until(lambda: drafts(live_app.engine) == [], "the draft to be deleted")
    context.close()


CODE_JS = """(sel) => { const el = document.querySelector(sel);
  const p = document.querySelector('.stApp [data-testid="stMarkdownContainer"] p');
  return {text: el.innerText.trim(), px: parseFloat(getComputedStyle(el).fontSize),
          body: parseFloat(getComputedStyle(p).fontSize)}; }"""


def shown_code(page, where: str) -> str:  # type: ignore[no-untyped-def]
    """The withdraw code on the page, once it is drawn large (at least the body text, not 12 px)."""
    selector = '[class*="st-key-withdraw_code"] code'
    page.locator(selector).first.wait_for(timeout=WAIT)
    wait_until(lambda: styled(page), f"the phone styles on the {where}")
    found = page.evaluate(CODE_JS, selector)
    assert found["px"] >= max(found["body"], 16) * 1.2, f"the code is {found['px']} px on the {where}"
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", found["text"]), found["text"]
    return str(found["text"])


@pytest.mark.parametrize("size", [IPHONE, PHONE], ids=["390x844", "360x740"])
def test_a_phone_withdraws_its_own_story_from_my_stories(live_app, browser, size: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(live_app.engine, "My stories test", get_builtin_kit("living-well"))
    context, page = phone(browser, size)
    open_join(page, live_app, workshop.code, workshop.title)
    type_story(page, STORY)
    page.get_by_role("button", name="Preview my story").click()
    page.get_by_role("button", name="Share my story").click()
    page.get_by_text("Thank you. Your story has been shared").wait_for(timeout=WAIT)
    code = shown_code(page, "confirmation")
    assert page.get_by_role("button", name="Save the code as a file").is_visible()
    page.get_by_role("link", name="My stories").click()
    page.get_by_role("heading", name="My stories").wait_for(timeout=WAIT)
    assert urlsplit(page.url).query == f"code={workshop.code}"  # the address keeps the join code, and only it
    page.get_by_text(STORY).wait_for(timeout=WAIT)
    # After a reload (the confirmation is gone for good), this phone still shows the same code.
    page.reload()
    page.get_by_text(STORY).wait_for(timeout=WAIT)
    assert shown_code(page, "My stories after a reload") == code
    assert page.locator('[class*="st-key-withdraw_code"] button[aria-label="Copy to clipboard"]').is_visible()
    with page.expect_download() as saved:
        page.get_by_role("button", name="Save the code as a file").click()
    assert code in Path(saved.value.path()).read_text()
    check_targets(page, "My stories with its code")
    # Back to the workshop keeps the join code in the address, so a reload there finds the workshop.
    page.get_by_role("link", name="Back to the workshop").click()
    story_box(page).wait_for(timeout=WAIT)
    wait_until(lambda: urlsplit(page.url).query == f"code={workshop.code}", "the join code in the address")
    page.reload()
    story_box(page).wait_for(timeout=WAIT)
    page.get_by_role("link", name="My stories").click()
    page.get_by_role("heading", name="My stories").wait_for(timeout=WAIT)

    # The same address in another browser shows nothing of this phone.
    other, other_page = phone(browser)
    other_page.goto(page.url)
    other_page.get_by_role("heading", name="My stories").wait_for(timeout=WAIT)
    other_page.get_by_text("has not shared a story", exact=False).wait_for(timeout=WAIT)
    assert other_page.get_by_text(STORY).count() == 0
    other.close()

    page.get_by_role("button", name="Withdraw this story").click()
    page.get_by_role("button", name="Yes, delete it").click()
    page.get_by_text("Your story has been deleted everywhere").wait_for(timeout=WAIT)
    wait_until(lambda: list_stories(live_app.engine, workshop.id) == [], "the story to be deleted")
    page.get_by_text("has not shared a story", exact=False).wait_for(timeout=WAIT)
    context.close()


def test_a_code_from_my_stories_withdraws_from_another_phone_after_the_workshop(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(live_app.engine, "Code later", get_builtin_kit("living-well"))
    context, page = phone(browser)
    open_join(page, live_app, workshop.code, workshop.title)
    type_story(page, STORY)
    page.get_by_role("button", name="Preview my story").click()
    page.get_by_role("button", name="Share my story").click()
    page.get_by_text("Thank you. Your story has been shared").wait_for(timeout=WAIT)
    page.goto(f"{live_app.url}/withdraw?code={workshop.code}")
    code = shown_code(page, "My stories")
    context.close()
    workshops.close_workshop(live_app.engine, workshop.id)

    other, other_page = phone(browser, PHONE)
    other_page.goto(f"{live_app.url}/withdraw")
    other_page.get_by_role("textbox", name="Withdraw code").fill(code)
    other_page.get_by_text("I understand the story will be deleted for good").click()
    other_page.get_by_role("button", name="Withdraw my story").click()
    other_page.get_by_text("Your story has been deleted everywhere").wait_for(timeout=WAIT)
    assert list_stories(live_app.engine, workshop.id) == []
    other.close()


FIRST_SCREEN_JS = """() => {
  const box = document.querySelector('.st-key-story_fields textarea');
  const banner = document.querySelector('.st-key-room_banner');
  const r = box.getBoundingClientRect();
  const probe = [r.left + r.width / 2, Math.min(r.top + 20, innerHeight - 2)];
  const hit = document.elementFromPoint(probe[0], probe[1]);
  return {top: r.top, height: innerHeight, onTop: hit === box || box.contains(hit),
          banner: banner ? banner.getBoundingClientRect().toJSON() : null,
          wide: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("size", [IPHONE, PHONE], ids=["390x844", "360x740"])
def test_the_story_box_is_on_the_first_screen_and_the_voting_banner_covers_nothing(live_app, browser, size) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(
        engine, "Living Well in Northbrook: joining up mental-health support", get_builtin_kit("living-well")
    )
    rnd = voting.open_round(engine, workshop.id, "How might we make waiting easier?")
    voting.submit_idea(engine, rnd.id, "Evening drop-in", client_submission_id="i1", device_hash=None)
    for idea in voting.list_ideas(engine, rnd.id):
        voting.moderate_idea(engine, idea.id, "approve")
    voting.start_voting(engine, rnd.id)
    context, page = phone(browser, size)
    open_join(page, live_app, workshop.code, workshop.title)
    page.get_by_text("Voting has started").wait_for(timeout=WAIT)
    wait_until(lambda: styled(page), "the phone styles")
    found = page.evaluate(FIRST_SCREEN_JS)
    # At least a third of the box shows on the first screen, and nothing lies over it.
    assert found["top"] + 70 <= found["height"], found
    assert found["onTop"], found
    assert found["banner"]["bottom"] <= found["top"], found
    assert found["wide"] <= size["width"], found
    context.close()


CUT_JS = """() => {
  const cut = [];
  for (const el of document.querySelectorAll('.stApp [data-testid="stMain"] *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const s = getComputedStyle(el);
    if (!own || s.display === 'none' || s.visibility === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
    if (el.scrollWidth > el.clientWidth + 1 && ['hidden', 'clip'].includes(s.overflowX)) {
      cut.push(`${el.tagName} "${el.textContent.trim().slice(0, 40)}" ${el.scrollWidth}>${el.clientWidth}`);
    }
  }
  return {cut, wide: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("size", [IPHONE, PHONE], ids=["390x844", "360x740"])
def test_nothing_is_cut_off_at_200_percent_zoom(live_app, browser, size: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Zoomed in", get_builtin_kit("living-well"))
    voting.open_round(engine, workshop.id, "How might we make waiting easier?")
    # 200% zoom on a phone: the same screen holds half as many CSS pixels each way.
    zoomed = {"width": size["width"] // 2, "height": size["height"] // 2}
    context = browser.new_context(viewport=zoomed, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    open_join(page, live_app, workshop.code, workshop.title)
    page.get_by_text("Ideas are open").wait_for(timeout=WAIT)
    wait_until(lambda: styled(page), "the phone styles")
    type_story(page, STORY)
    for where in ("join page", "preview"):
        if where == "preview":
            page.get_by_role("button", name="Preview my story").click()
            page.get_by_role("heading", name="Check your story").wait_for(timeout=WAIT)
        found = page.evaluate(CUT_JS)
        assert found["wide"] <= zoomed["width"], f"the {where} is {found['wide']} px wide at 200%"
        assert found["cut"] == [], f"text cut off on the {where} at 200%: {found['cut']}"
    context.close()


@pytest.mark.parametrize("size", [IPHONE, PHONE], ids=["390x844", "360x740"])
def test_revealed_results_on_a_phone_are_a_list_that_fits(live_app, browser, size: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Results on a phone", get_builtin_kit("living-well"))
    rnd = voting.open_round(engine, workshop.id, "How might we make waiting easier?")
    long_idea = "A named person who rings or texts every two weeks while you wait, to check in and say where you are"
    for n, text in enumerate((long_idea, "Evening drop-in")):
        voting.submit_idea(engine, rnd.id, text, client_submission_id=f"idea-{n}", device_hash=None)
    for idea in voting.list_ideas(engine, rnd.id):
        voting.moderate_idea(engine, idea.id, "approve")
    voting.start_voting(engine, rnd.id)
    context, page = phone(browser, size)
    page.goto(f"{live_app.url}/vote?code={workshop.code}")
    page.get_by_role("button", name="+ Add a dot").first.click()
    page.get_by_text("Your dots: ●", exact=False).first.wait_for(timeout=WAIT)
    voting.set_revealed(engine, rnd.id)
    page.get_by_text("Results", exact=True).wait_for(timeout=WAIT)  # the phone notices the reveal by itself
    page.get_by_text("1 dot from 1 phone", exact=False).first.wait_for(timeout=WAIT)
    assert page.locator('[data-testid="stDataFrame"], [data-testid="stTable"], table').count() == 0
    found = page.evaluate(CUT_JS)
    assert found["wide"] <= size["width"] and found["cut"] == [], found
    # The whole idea is there to read, and its count sits inside the screen's width.
    assert page.get_by_text(long_idea, exact=True).count() >= 1
    for line in page.get_by_text("dots from", exact=False).all():
        box = line.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size["width"], box
    check_axe(page, "vote page with results")
    context.close()


def test_an_address_copied_from_a_phone_shows_nothing_of_it(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Copied address", get_builtin_kit("living-well"))
    rnd = voting.open_round(engine, workshop.id, "How might we make waiting easier?")
    context, page = phone(browser)
    page.goto(f"{live_app.url}/vote?code={workshop.code}")
    page.get_by_role("heading", name="Ideas and votes").wait_for(timeout=WAIT)
    secret = "A text to say where I am on the list"
    page.get_by_role("textbox", name="Your idea").fill(secret)
    page.get_by_role("button", name="Add my idea").click()
    page.get_by_text(secret).wait_for(timeout=WAIT)
    address = page.url
    assert "d=" not in urlsplit(address).query and urlsplit(address).query == f"code={workshop.code}"
    assert "codesign_device" in {c["name"] for c in context.cookies()}
    wait_until(lambda: [i.text for i in voting.list_ideas(engine, rnd.id)] == [secret], "the idea to be stored")

    other, other_page = phone(browser)
    other_page.goto(address)
    other_page.get_by_role("heading", name="Ideas and votes").wait_for(timeout=WAIT)
    other_page.get_by_role("textbox", name="Your idea").wait_for(timeout=WAIT)
    assert other_page.get_by_text(secret).count() == 0
    # An old-style address with a device token in it is not trusted: the token is dropped.
    token = next(c["value"] for c in context.cookies() if c["name"] == "codesign_device")
    other_page.goto(f"{live_app.url}/vote?code={workshop.code}&d={token}")
    other_page.get_by_role("textbox", name="Your idea").wait_for(timeout=WAIT)
    assert other_page.get_by_text(secret).count() == 0
    wait_until(lambda: "d=" not in other_page.url, "the token to leave the address")
    other.close()
    context.close()


def test_a_full_phone_session_is_accessible_and_talks_only_to_the_app(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    engine = live_app.engine
    workshop = workshops.create_workshop(engine, "Full session", get_builtin_kit("living-well"))
    rnd = voting.open_round(engine, workshop.id, "How might we make waiting easier?")
    for text in ("Evening drop-in", "A named contact while you wait"):
        voting.submit_idea(engine, rnd.id, text, client_submission_id=text, device_hash=None)
    for idea in voting.list_ideas(engine, rnd.id):
        voting.moderate_idea(engine, idea.id, "approve")
    voting.start_voting(engine, rnd.id)

    requested: list[str] = []
    context, page = phone(browser)
    page.on("request", lambda request: requested.append(request.url))

    open_join(page, live_app, workshop.code, workshop.title)
    check_axe(page, "join page")
    check_targets(page, "join page")
    page.get_by_text("Need support now?", exact=True).click()
    page.locator('a[href="tel:116123"]').wait_for(timeout=WAIT)
    check_targets(page, "join page with support open")

    type_story(page, STORY)
    page.locator('label[data-testid="stRadioOption"]', has_text="Person with lived experience").click()
    wait_until(lambda: any(d.get("lens_key") == "lived_experience" for d in drafts(engine)), "the lens saved")
    page.get_by_role("button", name="Preview my story").click()
    page.get_by_role("heading", name="Check your story").wait_for(timeout=WAIT)
    wait_until(lambda: page.evaluate("document.activeElement && document.activeElement.id") == "check-your-story",
               "focus on the preview's heading")  # fmt: skip
    page.get_by_text("Person with lived experience").first.wait_for(timeout=WAIT)  # the lens is shown
    check_axe(page, "preview")
    check_targets(page, "preview")

    page.get_by_role("button", name="Share my story").click()
    page.get_by_text("Thank you. Your story has been shared").wait_for(timeout=WAIT)
    wait_until(lambda: page.evaluate("document.activeElement && document.activeElement.id") == "story-shared",
               "focus on the confirmation's heading")  # fmt: skip
    check_axe(page, "confirmation")
    check_targets(page, "confirmation")

    page.get_by_role("link", name="My stories").click()
    page.get_by_role("heading", name="My stories").wait_for(timeout=WAIT)
    page.get_by_text(STORY).wait_for(timeout=WAIT)
    check_axe(page, "withdraw page")
    check_targets(page, "withdraw page")

    page.goto(f"{live_app.url}/vote?code={workshop.code}")
    page.get_by_text("Evening drop-in").wait_for(timeout=WAIT)
    page.get_by_role("button", name="+ Add a dot").first.click()
    page.get_by_text("Your dots: ●", exact=False).first.wait_for(timeout=WAIT)
    check_axe(page, "vote page")
    check_targets(page, "vote page")

    page.goto(links.join_url(workshop.code, base=live_app.url))
    page.get_by_text("Easy Read").first.click()
    page.get_by_text("Tell us about one time you needed help.", exact=False).first.wait_for(timeout=WAIT)
    check_axe(page, "Easy Read join page")
    check_targets(page, "Easy Read join page")
    context.close()

    hosts = {urlsplit(url).netloc for url in requested if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(live_app.url).netloc}, sorted(hosts)


def test_the_join_page_fits_a_small_android_phone(live_app, browser) -> None:  # type: ignore[no-untyped-def]
    workshop = workshops.create_workshop(live_app.engine, "Small phone", get_builtin_kit("cyp-thrive"))
    context, page = phone(browser, PHONE)
    open_join(page, live_app, workshop.code, workshop.title)
    # The young people's kit opens in Easy Read, with an icon for each prompt.
    page.get_by_text("📝 Tell us about one time you needed help.", exact=False).first.wait_for(timeout=WAIT)
    check_axe(page, "Easy Read join page (young people)")
    check_targets(page, "Easy Read join page on a small phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"
    title = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert title <= 28
    context.close()
