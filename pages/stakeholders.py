"""Facilitator: the stakeholder network: who is involved, how they connect, where the system breaks."""

import streamlit as st

from codesign import network, stories
from codesign.charts.network import PLACE_MARK, network_figure, power_interest_figure
from codesign.errors import CodesignError
from codesign.export import network as network_export
from codesign.network import tables as network_tables
from codesign.ui import common
from codesign.ui.history import history_panel
from codesign.workshops.kits import SECTORS, STAKEHOLDER_KINDS

SEED = network.DEFAULT_SEED
# The network is drawn for the column it sits in (Streamlit does not tell the server its width), so
# that labels are placed at the scale they are shown: the main column on a 1440 px laptop with the
# sidebar open, or on a 1920 px screen.
SCREENS = {
    "laptop": ("Laptop (1440 px)", (940, 640)),
    "large": ("Large screen or projector (1920 px)", (1420, 760)),
}

common.require_facilitator()
workshop = common.require_workshop()
engine = common.engine()
kit = common.kit_of(workshop)
type_names = {t.key: t.name for t in kit.relationship_types}
type_keys = list(type_names)
editor_version_key = f"stakeholders_editor_version_{workshop.id}"
editor_version = st.session_state.setdefault(editor_version_key, 0)
# The click-to-place editor: the stakeholder picked up, and a counter that clears the chart's selection.
moving_key = f"stakeholder_moving_{workshop.id}"
place_version_key = f"stakeholder_place_version_{workshop.id}"
place_version = st.session_state.setdefault(place_version_key, 0)


def md(text: str) -> str:
    """Stakeholder names typed or imported by facilitators, shown literally inside markdown."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~:$" else ch for ch in text)


def saved(message: str) -> None:
    st.session_state[editor_version_key] = editor_version + 1
    common.flash(message)


st.title("Stakeholders")
st.write(
    "Who is involved, how they connect, and where the system breaks. The map starts from the kit's stakeholders: "
    "edit it with the room, then read the findings together."
)
common.show_flash()

people, links = network.load_network(engine, workshop.id)
try:
    graph = network.build_graph(people, links)
except network.NetworkTooLarge as exc:
    st.error(str(exc))
    st.stop()
analysis = network.analyse_network(graph, expected_links=kit.expected_links, seed=SEED)
stored_layout = network.load_layout(engine, workshop.id)
positions = network.layout_positions(graph, seed=SEED, previous=stored_layout)
if positions != stored_layout:
    network.save_layout(engine, workshop.id, positions)
stories = stories.approved_stories(engine, workshop.id)
mentions = network.link_stories(people, stories)
mention_counts = mentions.counts
alphabetical = network.sorted_by_name(people)
by_id = {p.id: p for p in people}

kept_back = network.load_kept_back(engine, workshop.id)

c1, c2, c3 = st.columns(3)
c1.metric("Stakeholders", len(people))
c2.metric("Relationships", len(links))
c3.metric("Findings", len(analysis.findings))
history_panel(
    network.list_map_history(engine, workshop.id),
    board="stakeholder map",
    undo=lambda: network.undo_map(engine, workshop.id),
    restore=lambda entry_id: network.restore_map(engine, workshop.id, entry_id),
)

tab_map, tab_findings, tab_edit, tab_grid, tab_stories, tab_files = st.tabs(
    ["Network", "Findings", "Edit the map", "Power and interest", "In the stories", "Import and export"]
)

with tab_map:
    if not people:
        st.info("The map is empty. Add stakeholders on the 'Edit the map' tab, or import a file.")
    else:
        f1, f2 = st.columns(2)
        present_sectors = network.sectors_present(people)
        chosen_sectors = f1.multiselect(
            "Sectors", present_sectors, default=present_sectors, format_func=lambda s: SECTORS.get(s, s)
        )
        chosen_types = f2.multiselect(
            "Relationship types", type_keys, default=type_keys, format_func=lambda t: type_names[t]
        )
        f3, f4, f5 = st.columns([2, 1, 2])
        centre = f3.selectbox(
            "Around one stakeholder (ego view)",
            [None, *(p.id for p in alphabetical)],
            format_func=lambda i: "Everyone" if i is None else by_id[i].name,
        )
        radius = f4.number_input("Steps away", min_value=1, max_value=3, value=1, disabled=centre is None)
        size_by = f5.selectbox("Size shows", list(network.SIZE_METRICS), format_func=lambda m: network.SIZE_METRICS[m])
        view = network.filter_network(graph, sectors=chosen_sectors, types=chosen_types)
        if centre is not None:
            view = network.ego_network(view if centre in view else graph, centre, int(radius))
        arrange = st.toggle(
            "Arrange the map",
            key=f"stakeholder_arrange_{workshop.id}",
            help="Click a stakeholder to pick it up, then click where it should go. Each move can be undone.",
        )
        moving = st.session_state.get(moving_key) if arrange else None
        if arrange:
            if moving in by_id:
                st.info(f"Now click where {by_id[moving].name} should go (or click another stakeholder).")
            else:
                st.info("Click a stakeholder to pick it up, then click where it should go.")
        screen = st.segmented_control(
            "Drawn for", list(SCREENS), format_func=lambda k: SCREENS[k][0], default="laptop", key="network_screen"
        )
        net_width, net_height = SCREENS[screen or "laptop"][1]
        fig = network_figure(
            view,
            positions,
            width=net_width,
            height=net_height,
            size_by=size_by,
            analysis=analysis,
            mentions=mention_counts,
            type_names=type_names,
            highlight=moving if moving in by_id else centre,
            place_grid=arrange,
        )
        event = st.plotly_chart(
            fig,
            width="content",
            theme=None,
            key=f"stakeholder_network_{place_version}",
            on_select="rerun" if arrange else "ignore",
            selection_mode="points",
            config={"displaylogo": False},
        )
        points = list((event or {}).get("selection", {}).get("points", [])) if arrange else []
        if points:
            picked = points[0].get("customdata")
            picked = picked[0] if isinstance(picked, list) and picked else picked
            # The browser may send the id back as a JSON float.
            picked = int(picked) if isinstance(picked, int | float) else None
            st.session_state[place_version_key] = place_version + 1
            if picked == PLACE_MARK and moving in by_id:
                network.place_stakeholder(engine, workshop.id, moving, points[0]["x"], points[0]["y"])
                st.session_state.pop(moving_key, None)
                common.flash(f"Moved {by_id[moving].name}.")
            elif isinstance(picked, int) and picked in by_id:
                st.session_state[moving_key] = picked
            st.rerun()
        st.caption(
            "Colour: sector. Each relationship type has its own line, arrowhead and colour (see the legend); "
            "an arrow shows direction. Hover over a stakeholder or a line for details."
        )
        if st.button("Tidy the layout", help="Lay the whole map out again from scratch (can be undone)."):
            network.save_layout(
                engine, workshop.id, network.layout_positions(graph, seed=SEED), summary="Tidied the layout"
            )
            st.rerun()

with tab_findings:
    if not analysis.findings:
        st.info("No findings yet: add stakeholders and the relationships between them.")
    for finding in analysis.findings:
        with st.container(border=True):
            st.markdown(f"**{md(finding.title)}** ({md(finding.term)})")
            st.text(finding.why)

with tab_edit:
    st.write(
        "Edit the tables like a spreadsheet: add a row at the bottom, select rows to delete them, then save. "
        "Aliases are other names people use, separated by |, so stories that mention them are linked."
    )
    # Widths chosen so every column, the "Kept back: needs" marker too, fits the 940 px column of a
    # 1440 px screen with the sidebar open; long notes show in full when the cell is opened.
    # Rows kept back as incomplete come last, marked with what they need.
    missing_column = st.column_config.TextColumn("Kept back: needs", disabled=True, width=120)
    with st.form(f"stakeholders_form_{editor_version}"):
        edited_people = st.data_editor(
            network_tables.with_kept_back(network_tables.stakeholder_table(people), kept_back["stakeholders"]),
            key=f"stakeholders_editor_{editor_version}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "id": None,
                "name": st.column_config.TextColumn("Name", max_chars=80, width=160),
                "aliases": st.column_config.TextColumn("Aliases (separate with |)", width=130),
                "kind": st.column_config.SelectboxColumn(
                    "Kind",
                    options=list(STAKEHOLDER_KINDS),
                    default="service",
                    format_func=STAKEHOLDER_KINDS.get,
                    width=90,
                ),
                "sector": st.column_config.SelectboxColumn(
                    "Sector", options=list(SECTORS), default="other", format_func=SECTORS.get, width=130
                ),
                "influence": st.column_config.NumberColumn(
                    "Influence", min_value=1, max_value=5, step=1, default=3, width=65
                ),
                "interest": st.column_config.NumberColumn(
                    "Interest", min_value=1, max_value=5, step=1, default=3, width=60
                ),
                "notes": st.column_config.TextColumn("Notes", width=140),
                "missing": missing_column,
            },
        )
        save_people = st.form_submit_button("Save stakeholders", type="primary")
    if save_people:
        try:
            report = network.save_stakeholder_rows(engine, workshop.id, edited_people, relationship_types=type_keys)
        except CodesignError as exc:
            st.error(str(exc))
        else:
            saved(report.describe())

    with st.form(f"relationships_form_{editor_version}"):
        stakeholder_names = [p.name for p in alphabetical]
        edited_links = st.data_editor(
            network_tables.with_kept_back(network_tables.relationship_table(people, links), kept_back["relationships"]),
            key=f"relationships_editor_{editor_version}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "source": st.column_config.SelectboxColumn("From", options=stakeholder_names, width=165),
                "target": st.column_config.SelectboxColumn("To", options=stakeholder_names, width=165),
                "type": st.column_config.SelectboxColumn(
                    "Type", options=type_keys, format_func=type_names.get, width=130
                ),
                "directed": st.column_config.CheckboxColumn("One-way", default=True, width=65),
                "strength": st.column_config.NumberColumn(
                    "Strength", min_value=1, max_value=3, step=1, default=2, width=65
                ),
                "note": st.column_config.TextColumn("Note", width=165),
                "missing": missing_column,
            },
        )
        save_links = st.form_submit_button("Save relationships", type="primary")
    if save_links:
        try:
            report = network.save_relationship_rows(engine, workshop.id, edited_links, types=kit.relationship_types)
        except CodesignError as exc:
            st.error(str(exc))
        else:
            saved(report.describe())

    with st.expander("Start again from the kit's stakeholders"):
        st.write("This replaces the whole map with the stakeholders and relationships the kit suggests.")
        if st.button("Replace the map with the kit's stakeholders"):
            seed_people, seed_links = network_tables.drafts_from_kit(kit)
            try:
                count, link_count = network.save_network(
                    engine,
                    workshop.id,
                    seed_people,
                    seed_links,
                    relationship_types=type_keys,
                    action="stakeholders_reset",
                )
            except CodesignError as exc:
                st.error(str(exc))
            else:
                saved(f"The map is back to the kit's {count} stakeholders and {link_count} relationships.")

with tab_grid:
    st.write(
        "Influence (power) against interest: who to manage closely, keep satisfied, keep informed or monitor. "
        "Change the scores on the 'Edit the map' tab."
    )
    st.plotly_chart(power_interest_figure(people), width="stretch", theme=None, key="power_interest")

with tab_stories:
    st.write(
        "How often each stakeholder comes up in the workshop's approved stories, by name or by one of its aliases. "
        "Stories waiting for a safeguarding review are left out."
    )
    mention_table = network_tables.mention_table(people, mentions.story_ids)
    clicked = st.dataframe(
        mention_table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"mention_table_{workshop.id}",
    )
    rows = clicked.selection.rows if clicked is not None else []
    chosen = int(mention_table.index[rows[0]]) if rows else None
    mentioned = [p.id for p in mentions.mentioned(alphabetical)]
    if not mentioned:
        st.info("No approved story mentions a stakeholder on the map yet.")
    else:
        st.caption("Click a row, or choose below, to read the stories.")
        pick = st.selectbox(
            "Show the stories that mention",
            mentioned,
            index=mentioned.index(chosen) if chosen in mentioned else 0,
            format_func=lambda i: f"{by_id[i].name} ({mention_counts[i]})",
        )
        shown, withheld = network.shareable_stories(mentions.stories_of(pick), workshop.setting("wall_consents"))
        for story in shown:
            with st.container(border=True):
                common.plain(story.text)
        if withheld:
            st.info(
                f"{withheld} more {'story mentions' if withheld == 1 else 'stories mention'} this stakeholder, "
                "but the people who shared them asked for them to be used for themes only, so they are counted "
                "and not shown."
            )

with tab_files:
    st.subheader("Import")
    st.write(
        "Import replaces the whole map. Use codesign's two CSV files (stakeholders and relationships), or Kumu's "
        "layout: an .xlsx with an Elements sheet and a Connections sheet, or those two sheets saved as CSV. "
        + network_tables.kumu_max_note()
    )
    uploads = st.file_uploader(
        "Stakeholder files", type=["csv", "xlsx"], accept_multiple_files=True, key=f"uploads_{editor_version}"
    )
    if st.button("Replace the map with these files", disabled=not uploads):
        try:
            result = network_tables.read_network_files(
                [network_tables.UploadedFile(f.name, f.getvalue()) for f in uploads or []], kit.relationship_types
            )
            count, link_count = network.save_network(
                engine,
                workshop.id,
                result.stakeholders,
                result.relationships,
                relationship_types=type_keys,
                action="stakeholders_imported",
            )
        except CodesignError as exc:
            st.error(str(exc))
        else:
            notes = " ".join(result.notes)
            saved(f"Imported {count} stakeholders and {link_count} relationships. {notes}".strip())
    st.subheader("Export")
    # Files are built only when a button is pressed (a callable), not on every rerun.
    d1, d2, d3, d4 = st.columns(4)
    d1.download_button(
        "Stakeholders (CSV)",
        lambda: network_export.stakeholders_csv(people),
        "stakeholders.csv",
        mime="text/csv",
        on_click="ignore",
    )
    d2.download_button(
        "Relationships (CSV)",
        lambda: network_export.relationships_csv(people, links),
        "relationships.csv",
        mime="text/csv",
        on_click="ignore",
    )
    d3.download_button(
        "GraphML (Gephi)",
        lambda: network_export.network_graphml(people, links, type_names=type_names),
        "stakeholders.graphml",
        mime="application/graphml+xml",
        on_click="ignore",
    )
    d4.download_button(
        "Kumu spreadsheet (.xlsx)",
        lambda: network_export.kumu_xlsx(people, links, type_names=type_names),
        "stakeholders-kumu.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )
