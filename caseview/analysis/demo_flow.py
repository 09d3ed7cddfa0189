"""The demo review's information flow (shared/demo/scenario.md, "Information flow"): who told whom, and the
invitation that was never seen.

Each communication is recorded on the demo chronology's entry that tells of it, through the same service the
web pages use, naming the entries whose information it passed on. What never arrived (the partner's
conviction, the November incident for health visiting and the GP, the perinatal discharge for health
visiting, the housing officer's hole in the wall) is recorded nowhere: the held-not-shared view finds it.
Everything here is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseview.accounts.models import User
from caseview.analysis import flow_services
from caseview.analysis.demo import EH, HV, MASH, SCHOOL, demo_entry
from caseview.analysis.flow_selectors import End
from caseview.analysis.models import Channel, Communication, Receipt
from caseview.core.audit import Origin
from caseview.people.models import Participant
from caseview.reviews.models import Agency, Review

D = dt.date
POLICE = "Police"
PERINATAL = "Perinatal mental health"
GP = "GP practice"
MOTHER = "Mother"  # a participant; every other end is an agency


@dataclass(frozen=True)
class Sent:
    entry: tuple[str, dt.date]  # (agency, date) of the entry that records it
    sender: str
    recipient: str
    information: str
    channel: str
    conveys: tuple[tuple[str, dt.date], ...]
    received: bool = True
    received_on: dt.date | None = None
    note: str = ""

    @property
    def sent_on(self) -> dt.date:
        return self.entry[1]


POLICE_MARCH = (POLICE, D(2025, 3, 10))
POLICE_NOVEMBER = (POLICE, D(2025, 11, 10))
MASH_NOVEMBER = (MASH, D(2025, 11, 11))

COMMUNICATIONS = (
    Sent(
        POLICE_MARCH,
        POLICE,
        MASH,
        "Domestic incident notification, for information: shouting at the flat; Child E present",
        Channel.NOTIFICATION,
        (POLICE_MARCH,),
    ),
    Sent(
        (MASH, D(2025, 3, 11)),
        MASH,
        MOTHER,
        "Letter: the police notification was screened; no further action",
        Channel.LETTER,
        ((MASH, D(2025, 3, 11)),),
    ),
    Sent(
        (HV, D(2025, 5, 2)),
        HV,
        PERINATAL,
        "Referral with the mother's consent: low mood, Edinburgh postnatal depression score 14",
        Channel.REFERRAL,
        ((HV, D(2025, 5, 2)),),
    ),
    Sent(
        (PERINATAL, D(2025, 10, 6)),
        PERINATAL,
        GP,
        "Discharge letter: two missed appointments; discharged under the missed-appointments policy",
        Channel.LETTER,
        ((PERINATAL, D(2025, 5, 20)), (PERINATAL, D(2025, 10, 6))),
        note="To the GP only",
    ),
    Sent(
        (SCHOOL, D(2025, 10, 20)),
        SCHOOL,
        EH,
        "Early help referral: Child E tired and withdrawn, says “Craig gets angry”; what she said in June",
        Channel.REFERRAL,
        ((SCHOOL, D(2025, 6, 5)), (SCHOOL, D(2025, 10, 20))),
    ),
    Sent(
        POLICE_NOVEMBER,
        POLICE,
        MASH,
        "Domestic incident notification: partner pushed mother, bruising; both children present; DASH medium",
        Channel.NOTIFICATION,
        (POLICE_NOVEMBER,),
    ),
    Sent(
        MASH_NOVEMBER,
        MASH,
        EH,
        "The domestic incident of 10 November, and the screening's step-down to early help",
        Channel.PHONE,
        (POLICE_NOVEMBER, MASH_NOVEMBER),
    ),
    Sent(
        MASH_NOVEMBER,
        MASH,
        SCHOOL,
        "The domestic incident of 10 November, and the screening's step-down to early help",
        Channel.PHONE,
        (POLICE_NOVEMBER, MASH_NOVEMBER),
    ),
    Sent(
        (EH, D(2025, 12, 2)),
        EH,
        HV,
        "Invitation to the team-around-the-family meeting",
        Channel.EMAIL,
        ((EH, D(2025, 11, 3)),),
        received=False,
        note="Sent to health visiting's shared team inbox; nobody saw it. The day it was sent is not recorded: "
        "the meeting's date stands in.",
    ),
    Sent(
        (SCHOOL, D(2025, 12, 19)),
        SCHOOL,
        EH,
        "Child E says the partner was at home over the weekend",
        Channel.EMAIL,
        ((SCHOOL, D(2025, 12, 19)),),
        received_on=D(2026, 1, 8),
        note="The family worker was on leave until 6 January and read it on 8 January",
    ),
)


def load_flow_demo(*, review: Review, lead: User, origin: Origin) -> dict[str, int]:
    """Record the demo's communications on its chronology. Does nothing if the review has some already."""
    existing = Communication.objects.filter(review=review).count()
    if existing:
        return {"communications": existing}
    agencies = {agency.name: agency for agency in Agency.objects.filter(partnership=review.partnership)}
    mother = Participant.objects.get(review=review, label=MOTHER)

    def end(name: str) -> End:
        return mother if name == MOTHER else agencies[name]

    for spec in COMMUNICATIONS:
        flow_services.communication_add(
            entry=demo_entry(review, agencies, *spec.entry),
            sent_on=spec.sent_on,
            sender=end(spec.sender),
            recipient=end(spec.recipient),
            information=spec.information,
            channel=spec.channel,
            receipt=Receipt.RECEIVED if spec.received else Receipt.NOT_RECEIVED,
            received_on=spec.received_on,
            note=spec.note,
            conveys=[demo_entry(review, agencies, *item) for item in spec.conveys],
            by=lead,
            origin=origin,
        )
    return {"communications": len(COMMUNICATIONS)}
