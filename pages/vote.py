"""Participant: add ideas, spend dots (and move them), and agree, disagree or pass, from a phone."""

import uuid

import streamlit as st

from codesign import voting
from codesign.errors import CodesignError
from codesign.privacy import support
from codesign.ui import common, participant, state

LENS = "vote_lens"
SUPPORT = "vote_show_support"

state.init()
engine = common.engine()


def put_dots(round_id: int, idea_id: int, dots: int) -> None:
    try:
        voting.set_dots(engine, round_id, idea_id, device, dots, lens_key=(st.session_state.get(LENS) or None))
    except CodesignError as exc:
        common.flash(str(exc), "error", rerun=False)


def answer(statement_id: int, value: int) -> None:
    try:
        voting.answer_statement(engine, statement_id, device, value, lens_key=(st.session_state.get(LENS) or None))
    except CodesignError as exc:
        common.flash(str(exc), "error", rerun=False)


def change_lens() -> None:
    try:
        voting.set_device_lens(engine, workshop.id, device, (st.session_state.get(LENS) or None))
    except CodesignError as exc:
        common.flash(str(exc), "error", rerun=False)


workshop = participant.joined_workshop(engine)
participant.frame(common.kit_of(workshop) if workshop is not None else None)
if workshop is None:
    st.title("Ideas and votes")
    st.info("Join the workshop first, with the code on the screen at the front of the room.")
    st.page_link("pages/join.py", label="Join a workshop", icon=":material/waving_hand:")
    st.stop()

device = participant.device_hash()
kit = common.kit_of(workshop)
st.title("Ideas and votes")
if not workshop.is_open:
    st.info("This workshop is closed, so voting has ended. Thank you for taking part.")
    st.stop()

names = {lens.key: lens.name for lens in kit.lenses}
if LENS not in st.session_state:
    st.session_state[LENS] = voting.device_lens(engine, workshop.id, device) or ""
st.selectbox(
    "Which best describes you?",
    ["", *names],
    format_func=lambda key: names.get(key, "I'd rather not say"),
    key=LENS,
    on_change=change_lens,
)
st.caption("Only used to show where groups agree. Your votes stay anonymous.")

common.show_flash()
if st.session_state.pop(SUPPORT, False):
    participant.risk_panel(support.support_panel(kit.support_region))

# How often a phone looks for a new round, the start of voting or a reveal: a small read,
# and a redraw only when something changed. 2 s keeps a phone within 5 s of the room.
WATCH_SECONDS = 2


@st.fragment(run_every=WATCH_SECONDS)
def watch(seen: tuple[tuple[int, str, bool, int, int], ...]) -> None:
    now = voting.round_signature(engine, workshop.id)
    if now == seen:
        return
    # A round that stopped taking ideas: an idea may be half typed in its box (the box is in
    # the browser until it is sent), so the page says so and waits for the person to move on.
    closed = {r[0] for r in seen if r[1] == "ideas"} - {r[0] for r in now if r[1] == "ideas"}
    if not closed:
        st.rerun()
    with st.container(border=True, key="vote_moved_on"):
        st.markdown("**Voting has started**")
        st.write(
            "New ideas are closed for this round. If you were writing one, your words are still in the box: "
            "copy them if you want to keep them, then show the voting."
        )
        if st.button("Show the voting", type="primary", key="vote_show"):
            st.rerun(scope="app")


watch(voting.round_signature(engine, workshop.id))
rounds = voting.load_phone(engine, workshop.id, device)
if not rounds:
    st.info("Nothing to vote on yet. When the facilitator opens a round, it shows here.")
st.button("Check for updates", icon=":material/refresh:")

for view in rounds:
    rnd = view.round
    st.divider()
    st.subheader("Ideas round" if rnd.kind == "ideas" else "Agree or disagree")
    common.plain(rnd.prompt)

    if rnd.takes_ideas:
        count_key = f"idea_form_{rnd.id}"
        n = st.session_state.setdefault(count_key, 0)
        # The form's key changes after each idea, so a second tap on the old Send button is ignored.
        with st.form(f"idea_{rnd.id}_{n}"):
            # No max_chars: a browser would cut a long paste without a word; the send says how much to cut.
            text = st.text_area("Your idea", placeholder="We could...")
            st.caption(f"Up to {voting.MAX_IDEA_CHARS:,} characters.")
            sent = st.form_submit_button("Add my idea", type="primary", width="stretch")
        if sent:
            submission_key = f"idea_submission_{rnd.id}_{n}"
            submission = st.session_state.setdefault(submission_key, uuid.uuid4().hex)
            try:
                result = voting.submit_idea(
                    engine,
                    rnd.id,
                    text,
                    client_submission_id=submission,
                    device_hash=device,
                    lens_key=(st.session_state.get(LENS) or None),
                    vocabulary=kit.vocabulary,
                )
            except CodesignError as exc:
                st.error(str(exc))  # the text stays in the box
            else:
                st.session_state[count_key] = n + 1
                st.session_state[SUPPORT] = result.support_needed
                if result.support_needed:
                    common.flash("Thank you. A facilitator will read your idea before anyone else sees it.")
                elif result.idea.on_wall:
                    common.flash("Thank you! Your idea is on the wall.")
                else:
                    common.flash("Thank you! Your idea will show on the wall once a facilitator has seen it.")
        if view.my_ideas:
            st.caption("Your ideas")
            for idea in view.my_ideas:
                common.plain(f"• {idea.text}")
        st.caption("Voting starts when the facilitator says so.")

    if rnd.takes_votes and view.ballot is not None:
        ballot = view.ballot
        st.write(f"You have **{ballot.remaining} of {ballot.budget}** dots left. Put several on one idea if you like.")
        if not view.ideas:
            st.info("There are no ideas on the wall yet.")
        for idea in view.ideas:
            mine = ballot.on(idea.id)
            with st.container(border=True):
                common.plain(idea.text)
                st.write("Your dots: " + (" ".join(["●"] * mine) if mine else "none"))
                add, take = st.columns(2)
                # Keys carry the current count: a double tap's second click is for a button that
                # is gone, and the core call is absolute ("put 2 dots"), so it cannot count twice.
                add.button(
                    "+ Add a dot",
                    key=f"add_{idea.id}_{mine}",
                    disabled=ballot.remaining == 0,
                    on_click=put_dots,
                    args=(rnd.id, idea.id, mine + 1),
                    width="stretch",
                )
                take.button(
                    "- Take a dot back",
                    key=f"take_{idea.id}_{mine}",
                    disabled=mine == 0,
                    on_click=put_dots,
                    args=(rnd.id, idea.id, mine - 1),
                    width="stretch",
                )
        st.caption("You can move your dots until the round closes. Results show once the facilitator reveals them.")

    if rnd.takes_answers:
        for statement in view.statements:
            given = view.my_answers.get(statement.id)
            with st.container(border=True):
                common.plain(statement.text)
                if given is not None:
                    st.caption(f"You said: {voting.ANSWERS[given]}")
                for column, value in zip(st.columns(3), (1, -1, 0), strict=True):
                    column.button(
                        voting.ANSWERS[value],
                        key=f"answer_{statement.id}_{value}",
                        type="primary" if given == value else "secondary",
                        on_click=answer,
                        args=(statement.id, value),
                        width="stretch",
                    )

    if rnd.is_closed:
        st.caption("This round is closed.")
    if view.results is not None:
        st.markdown("**Results**")
        # A list, not a table: on a phone a table cuts the idea and pushes the counts off-screen.
        for item in view.results.ideas:
            with st.container(border=True):
                common.plain(item.text)
                dots = f"{item.dots} dot{'' if item.dots == 1 else 's'}"
                st.write(f"**{item.rank}.** {dots} from {item.voters} phone{'' if item.voters == 1 else 's'}")
    if view.consensus is not None:
        st.markdown("**Where the groups stand**")
        for item in view.consensus.statements:
            with st.container(border=True):
                common.plain(item.text)
                common.plain(item.summary)

# The room moves on, but a participant can always go back to add a story or withdraw one.
st.divider()
st.page_link("pages/join.py", label="Add a story", icon=":material/edit_note:")
st.page_link("pages/withdraw.py", label="Withdraw a story you shared", icon=":material/undo:")
