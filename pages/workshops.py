"""Facilitator home: the workshops, how to run one, create from a kit, join code and QR, open and close."""

import pandas as pd
import streamlit as st

from codesign import workshops
from codesign.errors import CodesignError
from codesign.ui import common, display, state
from codesign.workshops import links

common.require_facilitator()
engine = common.engine()

st.title("Workshops")
common.show_flash()
st.write(
    "Create a workshop from a kit below, then open its display link on the projector so people can join from their "
    "phones with the QR code or the short code. Work through the kit's agenda with the screens in the menu, "
    "and export the report when you are done."
)

all_workshops = workshops.list_workshops(engine)
if all_workshops:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Title": w.title,
                    "Code": w.code,
                    "Status": w.status,
                    "Kit": w.kit_id,
                    "Stories": w.story_count,
                    "Created": w.created_at.strftime("%d %b %Y %H:%M"),
                }
                for w in all_workshops
            ]
        ),
        hide_index=True,
        width="stretch",
    )

current = common.current_workshop()
if current is not None:
    st.header(current.title)
    url = common.join_url(current.code)
    left, right = st.columns([1, 2])
    with left:
        st.image(links.qr_png(url), caption="Scan to join", width=220, alt="QR code that opens the join page")
    with right:
        st.metric("Join code", current.code)
        st.code(url, language=None)
        st.caption("Phones must reach this address. If they can't, set CODESIGN_BASE_URL (see the README).")
        st.write(f"Status: **{current.status}** · {current.story_count} stories")
        if current.is_open:
            if st.button("Close the workshop to new contributions"):
                workshops.close_workshop(engine, current.id)
                st.rerun()
        elif st.button("Reopen the workshop", type="primary"):
            workshops.reopen_workshop(engine, current.id)
            st.rerun()
    controller = str(current.setting("data_controller") or "")
    with st.expander("Data protection, as the report states it", expanded=not controller):
        st.caption(
            "The report's data protection appendix prints these words exactly. Ask your information governance "
            "lead or Data Protection Officer if you are not sure; until they are set the report says "
            '"Not recorded".'
        )
        with st.form("data_protection"):
            new_controller = st.text_input(
                "Data controller",
                value=controller,
                max_chars=200,
                placeholder="e.g. Northbrook Mental Health NHS Foundation Trust",
                help="The organisation that decides why and how the stories are used.",
            )
            basis = st.text_input(
                "Lawful basis",
                value=str(current.setting("lawful_basis") or ""),
                max_chars=300,
                placeholder="e.g. UK GDPR Article 6(1)(e) public task; Article 9(2)(h) health and social care",
            )
            retention = st.text_input(
                "How long the stories are kept",
                value=str(current.setting("retention") or ""),
                max_chars=300,
                placeholder="e.g. Deleted 12 months after the workshop, once the report is published",
            )
            in_room = st.checkbox(
                "Data files (CSV and Excel) may hold the words of stories people agreed to have quoted only in the "
                "workshop",
                value="anonymous_quote" in (current.setting("data_file_consents") or ()),
                help="Off by default: data files are easily sent on, so those words stay in the room.",
            )
            if st.form_submit_button("Save"):
                try:
                    workshops.update_workshop_settings(
                        engine,
                        current.id,
                        {
                            "data_controller": " ".join(new_controller.split()),
                            "lawful_basis": " ".join(basis.split()),
                            "retention": " ".join(retention.split()),
                            "data_file_consents": ["anonymous_quote", "report_quote"] if in_room else ["report_quote"],
                        },
                    )
                except CodesignError as exc:
                    st.error(f"{exc} Nothing was saved; your text is still in the form.")
                else:
                    common.flash("Saved. The next report will state these.")
    display.link_panel(engine, current)
    plan = workshops.workshop_agenda(engine, current)
    with st.expander(f"Agenda ({workshops.agenda.duration(plan.total_minutes)}, {len(plan.items)} items)"):
        st.dataframe(
            pd.DataFrame([{"Minutes": a.minutes, "Item": a.title, "Activity": a.activity} for a in plan.items]),
            hide_index=True,
            width="stretch",
        )
        st.page_link("pages/agenda.py", label="Change it, or start from the kit's half-day or full-day agenda")

expired = workshops.expired_workshops(engine)
if expired:
    days = workshops.retention_days()
    many = f"{len(expired)} workshops are" if len(expired) != 1 else "1 workshop is"
    with st.expander(f"{many} older than the retention period ({days} days)"):
        st.dataframe(
            pd.DataFrame([{"Code": w.code, "Title": w.title, "Created": f"{w.created_at:%Y-%m-%d}"} for w in expired]),
            hide_index=True,
            width="stretch",
        )
        st.write("Deleting them removes every story, theme, map and vote in them. Export first if you need a copy.")
        sure = st.checkbox("I understand these workshops will be deleted for good", key="purge_sure")
        if st.button("Delete the expired workshops", disabled=not sure):
            gone = workshops.purge_expired(engine, days=days)
            common.flash(f"Deleted {len(gone)} workshop{'s' if len(gone) != 1 else ''} older than {days} days.")

st.header("New workshop")
kits = workshops.available_kits(engine)
with st.form("create"):
    title = st.text_input("Title", max_chars=200, placeholder="e.g. Joining up care in the east locality")
    kit_index = st.selectbox(
        "Workshop kit", range(len(kits)), format_func=lambda i: f"{kits[i].kit.title} — {kits[i].kit.summary}"
    )
    if st.form_submit_button("Create workshop", type="primary"):
        try:
            created = workshops.create_workshop(engine, title, kits[kit_index])
        except CodesignError as exc:
            st.error(str(exc))
        else:
            st.session_state[state.WORKSHOP_ID] = created.id
            st.success(f"Created. The join code is {created.code}.")
            st.rerun()

with st.expander("Upload a workshop kit (YAML)"):
    st.caption("Start from one of the kits in workshop_kits/. The file is checked before anything is stored.")
    upload = st.file_uploader("Kit file", type=["yaml", "yml"])
    replace = st.checkbox(
        "Replace the stored kit with the same id",
        help="Workshops already made from it keep the kit as it was when they were created.",
    )
    if upload is not None and st.button("Check and store the kit"):
        try:
            kit = workshops.upload_kit(engine, upload.getvalue(), upload.name, replace=replace)
        except CodesignError as exc:
            st.error("The kit was not stored:")
            st.text(str(exc))
        else:
            st.success(f"Stored the kit {kit.title!r}. It is now in the list above.")
