"""Facilitator: the moderation queue and the private safeguarding review."""

import streamlit as st

from codesign import stories, voting, workshops
from codesign.models import CONSENT_LABELS
from codesign.ui import common, moderation_queue, safeguarding_alert

LIVE_SECONDS = 2.0

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()
kit = common.kit_of(workshop)

st.title("Moderation")
common.show_flash()
safeguarding_alert.render(engine, workshop.id, on_moderation=True)
lead = str(workshop.setting("safeguarding_lead") or "")
if not lead:
    st.warning(
        "No safeguarding lead is set for this workshop. Name one (and how to reach them) "
        "under Settings and activity, so every flag says who to tell."
    )
st.caption("Keep this screen on your laptop: the safeguarding queue is private and never goes on the projector.")


# The queue and its counts refresh by themselves (a fragment, not a rerun of the page), so a
# story shared from a phone shows here within a few seconds; a typed redaction is kept.
# Ideas with risk language join the safeguarding queue: they need the same review as a story.
TAB = "moderation_tab"
TABS_KEY = "moderation_tabs"
TAB_NAMES = "moderation_tab_names"
TAB_SET = "moderation_tab_set"
SETTINGS_TAB = "Settings and activity"


@st.fragment(run_every=LIVE_SECONDS)
def live_queues() -> None:
    queues = stories.moderation_queue(engine, workshop.id)
    flagged_ideas = voting.flagged_ideas(engine, workshop.id)
    waiting = len(queues["safeguarding"]) + len(flagged_ideas)
    left, right = st.columns(2)
    left.metric("Stories waiting for review", len(queues["pending"]) + len(queues["safeguarding"]))
    right.metric("Waiting for a safeguarding review", waiting, help="Stories and ideas with risk language.")

    labels = {
        "safeguarding": f"Safeguarding review ({waiting})",
        "pending": f"Waiting ({len(queues['pending'])})",
        "approved": f"Approved ({len(queues['approved'])})",
        "hidden": f"Hidden ({len(queues['hidden'])})",
        "settings": SETTINGS_TAB,
    }
    # The labels carry live counts, and Streamlit makes new tabs when a label changes: the queue
    # the facilitator chose (read from the label they clicked) is opened again under its new
    # label, so a refresh never jumps back to the first tab.
    previous = st.session_state.get(TABS_KEY)
    chosen = st.session_state.get(TAB, "safeguarding")
    if previous is not None and previous != st.session_state.get(TAB_SET):  # the facilitator clicked a tab
        chosen = st.session_state.get(TAB_NAMES, {}).get(previous, chosen)
    st.session_state[TAB] = chosen
    st.session_state[TAB_NAMES] = {label: name for name, label in labels.items()}
    st.session_state[TABS_KEY] = st.session_state[TAB_SET] = labels.get(chosen, labels["safeguarding"])
    tabs = st.tabs(list(labels.values()), key=TABS_KEY, on_change="rerun")
    # Only the open tab is drawn: a refresh every 2 s must not redraw every approved story's card.
    for tab, queue in zip(tabs, list(labels)[:4], strict=False):
        if not tab.open:
            continue
        with tab:
            if queue == "pending" and queues["pending"] and st.button("Approve all stories without flags"):
                approved = stories.approve_unflagged(engine, workshop.id)
                common.flash(f"Approved {approved} stories without flags. Stories with a flag are still here.")
            if queue == "safeguarding":
                moderation_queue.render_safeguarding(
                    engine, workshop.id, queues["safeguarding"], flagged_ideas, kit, lead=lead
                )
            else:
                moderation_queue.render_queue(engine, queue, queues[queue], kit, lead=lead)

    if not tabs[-1].open:
        return
    with tabs[-1]:
        premoderation = st.toggle(
            "Pre-moderation: new stories wait here until approved",
            value=bool(workshop.setting("premoderation")),
            help="With it off, stories without risk language, likely names or strong language go straight to the wall.",
        )
        wall_consents = st.multiselect(
            "The live wall may show stories whose consent is",
            list(CONSENT_LABELS),
            default=list(workshop.setting("wall_consents") or []),
            format_func=CONSENT_LABELS.get,
        )
        new_lead = st.text_input(
            "Safeguarding lead: who to tell about a flag, and how to reach them",
            value=lead,
            max_chars=200,
            placeholder="e.g. Sam Patel, on site today, 07700 900123",
            help="Shown with every safeguarding flag in the queue, beside what to do.",
        )
        changes = {
            "premoderation": premoderation,
            "wall_consents": wall_consents,
            "safeguarding_lead": new_lead.strip(),
        }
        if any(workshop.setting(k) != v for k, v in changes.items()) and st.button("Save settings"):
            workshops.update_workshop_settings(engine, workshop.id, changes)
            st.rerun()
        moderation_queue.render_activity(engine, workshop.id)


live_queues()
