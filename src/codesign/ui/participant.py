"""The participant's side: the phone's anonymous device token (in a cookie), which workshop it
joined, the phone-first page frame (styles, support one tap away, Easy Read) and small helpers.

The device token never travels in an address. Streamlit 1.67 reads the cookies that came with the
page's websocket (``st.context.cookies``) but cannot set one from a rerun, so the token is written
by a one-line same-origin script (``st.html(..., unsafe_allow_javascript=True)``). See
docs/DESIGN.md, "Device tokens".
"""

from __future__ import annotations

import html
import json

import streamlit as st
from sqlalchemy import Engine

from codesign import stories, workshops
from codesign.errors import NotFoundError, ThrottledError
from codesign.models import Workshop
from codesign.privacy.support import SupportPanel, support_panel
from codesign.ui import common, state
from codesign.workshops import devices as participants
from codesign.workshops.kits import Kit

COOKIE = "codesign_device"
# Long enough to withdraw from "My stories" in the weeks after a workshop; short enough that a
# phone is not followed for longer than a workshop's life.
COOKIE_DAYS = 60
LEGACY_DEVICE_PARAM = "d"  # older links carried the token here; it is dropped, never adopted
EASY = "participant_easy_read"
EASY_PARAM = "view"

# Phone-first styles for participant pages: 16 px text and inputs (iOS zooms into smaller
# inputs), a title of at most 28 px, targets of at least 44 x 44 px (WCAG 2.2 AAA 2.5.5, above the
# 24 px AA minimum, because people tap with shaky hands), no keyboard-shortcut hints on phones,
# and nothing cut off at 200% zoom.
PHONE_CSS = """
<style>
html, body, .stApp { font-size: 16px; }
.stApp { --codesign-phone-styles: on; }
.stApp [data-testid="stMarkdownContainer"] p, .stApp [data-testid="stText"],
.stApp [data-testid="stMarkdownContainer"] li, .stApp label p { font-size: 1rem; line-height: 1.5; }
.stApp h1 { font-size: 1.6rem !important; line-height: 1.25; padding: 0.25rem 0 0.25rem 0 !important; }
.stApp [data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.75rem; }
.stApp h2, .stApp h3 { font-size: 1.35rem !important; }
.stApp textarea, .stApp input, .stApp [data-baseweb="select"] * { font-size: 16px !important; }
.stApp [data-baseweb="select"] { white-space: normal; }
.stApp [data-baseweb="select"] div { overflow-wrap: anywhere; white-space: normal; }
[data-testid="InputInstructions"] { display: none !important; }
.stApp [data-testid="stPageLink-NavLink"] span, .stApp [data-testid="stPageLink-NavLink"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
.stApp [data-testid="stHeaderActionElements"] { display: none !important; }
.stApp button, .stApp a[href], .stApp [data-testid="stExpander"] summary {
  min-height: 44px !important; min-width: 44px !important;
}
.stApp [data-testid="stExpander"] summary { display: flex; align-items: center; }
.stApp label[data-testid="stRadioOption"], .stApp [data-testid="stCheckbox"] label {
  min-height: 44px !important; align-items: center; width: 100%;
}
.stApp [data-testid="stCaptionContainer"], .stApp [data-testid="stCaptionContainer"] * {
  color: #404350 !important; opacity: 1 !important; font-size: 0.95rem;
}
/* st.code's copy button shows only on hover: a phone has no hover, so it is always shown here. */
.stApp [class*="st-key-withdraw_code"] [data-testid="stCode"] > div:has(button[aria-label="Copy to clipboard"]),
.stApp [class*="st-key-withdraw_code"] [data-testid="stCode"] > div:has(button[aria-label="Copy to clipboard"]) * {
  opacity: 1 !important; visibility: visible !important;
}
/* The withdraw code: half again the body size, grouped, wrapping at its dashes on a narrow or zoomed
   screen, with room on the right for the copy button so the button never covers it. */
.stApp [class*="st-key-withdraw_code"] code {
  font-size: 1.4rem !important; letter-spacing: 0.03em; white-space: pre-wrap !important;
}
.stApp [class*="st-key-withdraw_code"] pre { padding-left: 0.75rem !important; padding-right: 3.5rem !important; }
.stApp [class*="st-key-participant_scripts"] { display: none; }
.stApp .main .block-container, .stApp [data-testid="stMainBlockContainer"] {
  padding-top: 1.25rem; padding-left: 1rem; padding-right: 1rem; max-width: 44rem;
}
.stApp [data-testid="stHeader"] { display: none; }
.cs-focus { outline-offset: 4px; }
.cs-focus:focus { outline: 3px solid #1f5fbf; }
</style>
"""


def _cookie_value() -> str:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser (AppTest, a bare script run)
        value = None
    return value if isinstance(value, str) else ""


def device_token() -> str:
    """This phone's anonymous token: from its cookie, else new (and written to the cookie).

    Only the phone keeps the token; the database keeps its hash. Links carry only the join code,
    so an address copied to another browser carries nothing of this phone.
    """
    state.init()
    token = st.session_state.get(state.DEVICE_TOKEN)
    if not token:
        from_cookie = _cookie_value()
        token = from_cookie if participants.is_device_token(from_cookie) else participants.new_device_token()
        st.session_state[state.DEVICE_TOKEN] = token
    if LEGACY_DEVICE_PARAM in st.query_params:
        del st.query_params[LEGACY_DEVICE_PARAM]
    return str(token)


def device_hash() -> str:
    return participants.hash_device(device_token())


def _cookie_script(token: str) -> str:
    # SameSite=Strict: never sent with a request from another site. Secure when served over HTTPS.
    # Not HttpOnly (a script cannot set that); no other script runs on these pages.
    cookie = json.dumps(f"{COOKIE}={token}; Max-Age={COOKIE_DAYS * 86400}; Path=/; SameSite=Strict")
    return (
        "<script>(function(){var c=" + cookie + ";"
        "if(location.protocol==='https:'){c+='; Secure';}"
        "document.cookie=c;})();</script>"
    )


def frame(kit: Kit | None = None) -> None:
    """What every participant page starts with: phone styles, the device cookie, support one tap away.

    Args:
        kit: The joined workshop's kit (its support region), or None before joining.
    """
    st.html(PHONE_CSS)
    token = device_token()
    with st.container(key="participant_scripts"):
        if _cookie_value() != token:
            st.html(_cookie_script(token), unsafe_allow_javascript=True)
    support_link(support_panel(kit.support_region if kit else "england"))


def focus(anchor: str, label: str, nonce: int) -> None:
    """A heading that takes keyboard focus and scrolls to the top when it appears (after Preview or Share).

    Args:
        anchor: The element id.
        label: The heading text (configuration text, escaped).
        nonce: Changes each time focus should move again, so the script runs again.
    """
    st.html(f'<h2 id="{anchor}" class="cs-focus" tabindex="-1">{html.escape(label)}</h2>')
    _run_once("#" + anchor, "h.scrollIntoView({block:'start'});", nonce)


def _run_once(selector: str, scroll: str, nonce: int) -> None:
    # A script on its own in a hidden container: Streamlit runs it when it first appears, and
    # the nonce makes a new one appear each time focus should move. No "<" in the script:
    # DOMPurify (which st.html applies) drops a script whose text looks like markup.
    with st.container(key=f"participant_scripts_{nonce}_{abs(hash(selector)) % 10_000}"):
        st.html(
            f"<script>/* {nonce} */(function(){{var n=0;function go(){{var h=document.querySelector("
            + json.dumps(selector)
            + ");if(!h){if(100>n++){setTimeout(go,50);}return;}"
            + scroll
            + "h.focus({preventScroll:true});"
            # Again while the rest of the page is still arriving: until it has, the page may be
            # too short to bring the heading to the top.
            + "[200,500,1000].forEach(function(t){setTimeout(function(){"
            + scroll
            + "},t);});}go();})();</script>",
            unsafe_allow_javascript=True,
        )


def focus_field(selector: str, nonce: int) -> None:
    """Scroll to a form field and put the cursor in it (Edit from the preview returns to the story box)."""
    _run_once(selector, "h.scrollIntoView({block:'center'});", nonce)


def withdraw_code(code: str, *, key: str) -> None:
    """A withdraw code people can rely on: large and grouped, with a copy button and a file to save.

    Args:
        code: The code (12 characters; shown in groups of four).
        key: The container's key (``withdraw_code...``: the phone styles make its code large).
    """
    shown = stories.format_withdraw_code(code)
    with st.container(key=key):
        st.code(shown, language=None)  # st.code has a copy button
    st.download_button(
        "Save the code as a file",
        data=f"Withdraw code for your story: {shown}\nEnter it on the workshop's Withdraw a story page.\n",
        file_name=f"withdraw-code-{code[:4].lower()}.txt",
        mime="text/plain",
        icon=":material/download:",
        width="stretch",
        key=f"{key}_file",
        on_click="ignore",
    )


def support_link(panel: SupportPanel) -> None:
    """A calm "Need support now?" that opens the region's contacts, each a tel: or sms: link."""
    with st.expander("Need support now?", icon=":material/support:"):
        st.write(panel.always_intro)
        contacts(panel)


def contacts(panel: SupportPanel) -> None:
    """The contacts of a support panel: one tap to call or text (configuration text, not participant text)."""
    for contact in panel.contacts:
        st.markdown(f"**{contact.name}**" + (f" · {contact.when}" if contact.when else ""))
        if contact.tel_href:
            st.link_button(contact.how, contact.tel_href, icon=":material/call:", width="stretch")
        elif contact.sms_href:
            st.link_button(contact.how, contact.sms_href, icon=":material/sms:", width="stretch")
        else:
            st.write(contact.how)
        if contact.tel_href and contact.sms_href:
            st.link_button(f"Text {contact.sms}", contact.sms_href, icon=":material/sms:", width="stretch")
    if panel.closing:
        st.write(panel.closing)


def risk_panel(panel: SupportPanel) -> None:
    """The full support panel shown with a story or idea that carries risk language."""
    with st.container(border=True, key="support_panel"):
        st.subheader(panel.title)
        st.write(panel.intro)
        contacts(panel)


def joined_workshop(engine: Engine) -> Workshop | None:
    """The workshop this phone joined; an address with ?code= joins again (a reload, a new tab).

    Keeps ``?code=`` in the address, so a reload of any participant page finds the workshop.
    """
    state.init()
    workshop_id = st.session_state.get(state.PARTICIPANT_WORKSHOP_ID)
    code = st.query_params.get("code", "")
    if workshop_id is None and code:
        try:
            workshop_id = workshops.join(engine, code, client_key=common.client_key()).id
        except (NotFoundError, ThrottledError) as exc:
            st.error(str(exc))
            return None
        st.session_state[state.PARTICIPANT_WORKSHOP_ID] = workshop_id
    if workshop_id is None:
        return None
    try:
        workshop = workshops.get_workshop(engine, workshop_id)
    except NotFoundError:
        st.session_state[state.PARTICIPANT_WORKSHOP_ID] = None
        return None
    if st.query_params.get("code") != workshop.code:
        st.query_params["code"] = workshop.code
    return workshop


def easy_read(kit: Kit) -> bool:
    """The Easy Read switch, if the kit has an Easy Read version; True when it is on.

    It starts as the kit says (the young people's kit starts in Easy Read) and is kept in the
    address (``?view=easy``), so a reload keeps the person's choice.
    """
    if kit.easy_read is None:
        return False
    if EASY not in st.session_state:
        chosen = st.query_params.get(EASY_PARAM)
        st.session_state[EASY] = kit.easy_read_default if chosen not in ("easy", "standard") else chosen == "easy"
    on = bool(st.toggle("Easy Read", key=EASY))
    # In the address only when it differs from the kit's start, so shared links stay short.
    if on == kit.easy_read_default:
        if EASY_PARAM in st.query_params:
            del st.query_params[EASY_PARAM]
    elif st.query_params.get(EASY_PARAM) != ("easy" if on else "standard"):
        st.query_params[EASY_PARAM] = "easy" if on else "standard"
    return on


def lines(text_lines: list[str]) -> None:
    """Easy Read lines: one idea per line (configuration text)."""
    for line in text_lines:
        st.write(line)
