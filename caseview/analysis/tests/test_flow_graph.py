"""The who-told-whom picture: well-formed SVG, named for assistive technology, not-received arrows dashed and
said in words, and everything from the records escaped."""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

from caseview.analysis.flow_graph import render_flow_svg
from caseview.analysis.flow_selectors import AGENCY, PARTICIPANT, FlowRow, Party
from caseview.analysis.models import Communication

SVG = "{http://www.w3.org/2000/svg}"


def party(name: str, kind: str = AGENCY) -> Party:
    return Party(key=f"{kind}:{uuid.uuid4()}", name=name, kind=kind, agency_id=None, order=(0, 0, name))


def row(
    sender: Party, recipient: Party, day: dt.date, *, received: bool = True, information: str = "A call"
) -> FlowRow:
    return FlowRow(
        communication=Communication(),
        sent_on=day,
        received_on=None,
        sender=sender,
        recipient=recipient,
        information=information,
        channel="Phone",
        received=received,
        note="",
        recorded_on="",
    )


POLICE, MASH, HV = party("Police"), party("Children's social care"), party("Health visiting")
MOTHER = party("Mother", PARTICIPANT)


def _edges(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "cv-flow__edge" in g.get("class", "").split()]


def test_it_draws_nothing_without_communications() -> None:
    assert render_flow_svg([]) == ""


def test_it_is_well_formed_and_named_by_its_title_and_description() -> None:
    svg = render_flow_svg([row(POLICE, MASH, dt.date(2025, 3, 10)), row(MASH, MOTHER, dt.date(2025, 3, 11))])
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.find(f"{SVG}title").get("id") == title_id  # type: ignore[union-attr]
    description = root.find(f"{SVG}desc")
    assert description is not None and description.get("id") == desc_id
    assert "2 communications between 2 agencies and 1 person" in (description.text or "")
    nodes = [g for g in root.iter(f"{SVG}g") if "cv-flow__node" in g.get("class", "").split()]
    assert sorted(node.findtext(f"{SVG}title") or "" for node in nodes) == [
        "Children's social care (an agency)",
        "Mother (a person)",
        "Police (an agency)",
    ]


def test_a_route_used_twice_is_one_arrow_labelled_with_both_dates() -> None:
    root = ET.fromstring(
        render_flow_svg([row(POLICE, MASH, dt.date(2025, 3, 10)), row(POLICE, MASH, dt.date(2025, 11, 10))])
    )
    (edge,) = _edges(root)
    assert "".join(edge.find(f"{SVG}text").itertext()) == "10/03/2025, 10/11/2025"  # type: ignore[union-attr]
    assert edge.find(f"{SVG}path").get("marker-end", "").startswith("url(#")  # type: ignore[union-attr]


def test_what_was_not_received_is_dashed_and_says_so() -> None:
    root = ET.fromstring(
        render_flow_svg(
            [
                row(MASH, HV, dt.date(2025, 11, 11), received=True),
                row(MASH, HV, dt.date(2025, 12, 2), received=False, information="Invitation"),
            ]
        )
    )
    received, unseen = sorted(_edges(root), key=lambda g: "not-received" in g.get("class", ""))
    assert received.find(f"{SVG}path").get("stroke-dasharray") is None  # type: ignore[union-attr]
    assert "(not received)" not in "".join(received.itertext())
    assert "cv-flow__edge--not-received" in unseen.get("class", "")
    assert unseen.find(f"{SVG}path").get("stroke-dasharray")  # type: ignore[union-attr]
    assert "".join(unseen.find(f"{SVG}text").itertext()) == "02/12/2025(not received)"  # type: ignore[union-attr]
    assert "sent but not received or not seen: 02/12/2025, phone: Invitation" in (unseen.findtext(f"{SVG}title") or "")
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "cv-flow__legend")
    assert "Sent but not received or not seen (dashed)" in "".join(legend.itertext())
    assert "1 was sent but not received or not seen" in (root.findtext(f"{SVG}desc") or "")


def test_names_and_information_from_the_records_are_escaped() -> None:
    odd = party('Agency <b>"A" & B</b>')
    svg = render_flow_svg(
        [row(odd, MOTHER, dt.date(2025, 1, 1), information="<script>alert(1)</script> & ]]> \x07bell")]
    )
    assert "<script>" not in svg and "<b>" not in svg
    root = ET.fromstring(svg)
    (edge,) = _edges(root)
    assert "<script>alert(1)</script> & ]]> bell" in (edge.findtext(f"{SVG}title") or "")
    node_titles = [
        g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("cv-flow__node")
    ]
    assert 'Agency <b>"A" & B</b> (an agency)' in node_titles


def test_a_long_name_wraps_onto_two_lines_and_keeps_its_whole_name_in_the_title() -> None:
    long_name = party("Integrated care board designated safeguarding nurse service for the county")
    root = ET.fromstring(render_flow_svg([row(long_name, MOTHER, dt.date(2025, 1, 1))]))
    node = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "cv-flow__node cv-flow__node--agency")
    lines = [span.text for span in node.iter(f"{SVG}tspan")]
    assert len(lines) == 2 and lines[1].endswith("…")  # type: ignore[union-attr]
    assert node.findtext(f"{SVG}title") == f"{long_name.name} (an agency)"
