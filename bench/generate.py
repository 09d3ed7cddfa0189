"""Agency returns for the chronology benchmark: 20 files, 100,000 rows, in the shapes agencies send them.

Deterministic for a seed. About half the files are XLSX (written with openpyxl's write-only mode; some with
title rows above the header, some with real date cells, some with dates typed as text) and half CSV
(Windows-1252 with £ and é, UTF-8 with a BOM, plain UTF-8, one ';'-delimited, one with a title line above the
header). Each agency names its columns its own way and writes dates its own way, with the usual mess mixed in:
month-only dates, '?12/05/2019', 'approx. ...', 'circa 2018', ordinal dates, date-times.

Descriptions are short sentences built from a vocabulary. About 4% of the rows are a few agencies' accounts
of the same event (a domestic incident, an emergency department visit, a strategy discussion) written on the
same or a close day in similar words, so the chronology has real candidate links to find. Everyone in them is
invented: pseudonymous first names, no real people, places or reference numbers.

Run on its own to look at the files: `python bench/generate.py DIR [--rows N] [--agencies N]`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from openpyxl import Workbook

SEED = 20260417
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
SHARED_SHARE = 0.04  # of all rows: accounts of an event that other agencies recorded too

MONTHS = (
    "January February March April May June July August September October November December".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Agency:
    """How one agency keeps and sends its records."""

    name: str
    weight: float  # its share of the rows
    kind: str  # "xlsx" or "csv"
    columns: dict[str, str]  # field -> the header as the agency writes it (date, description, source, ...)
    date_style: str  # "cell", "cell_time", "dmy", "dmy_time", "ordinal", "iso_time"
    titles: tuple[str, ...] = ()  # lines above the header ("" for a blank row)
    encoding: str = "utf-8"  # CSV only: as Python names it ("cp1252", "utf-8-sig", "utf-8")
    sep: str = ","
    line_end: str = "\r\n"
    actions: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    chronological: bool = True


def _cols(date: str, description: str, source: str, **others: str) -> dict[str, str]:
    return {"date": date, "description": description, "source": source, **others}


# Each agency writes its routine entries in its own words: "{action} {detail}." with the detail's slots filled
# ({who}: a family member; {n}, {kg}, {pct}, {amount}: numbers; {street}: an invented street).
AGENCIES: tuple[Agency, ...] = (
    Agency(
        "Northvale Police",
        1.6,
        "csv",
        _cols("Occurrence date", "Summary", "Source of information", people="Persons involved"),
        "dmy_time",
        encoding="cp1252",
        actions=(
            "Officers attended a report of shouting at {street};",
            "Welfare check at {street}:",
            "Intelligence logged:",
            "Call handler took a report from a neighbour on {street}:",
            "Neighbourhood officer patrol of {street}:",
        ),
        details=(
            "{who} spoken to on the doorstep, no offences disclosed",
            "DASH risk assessment completed, graded standard",
            "vehicle registered to the {who} seen outside at 02:{n}0",
            "no reply at the address, neighbours report the music stopped",
            "{who} gave an account, officers satisfied no crime",
            "antisocial behaviour warning letter issued",
            "the {who} was reported for shoplifting £{amount} of goods",
            "PNC check on the {who} shows {n} previous cautions",
            "words of advice given about noise after midnight",
            "youths gathering on the stairwell dispersed",
        ),
        sources=("Police incident log", "Police intelligence record", "Custody record"),
    ),
    Agency(
        "Children's social care",
        1.8,
        "xlsx",
        _cols("Date of contact", "Details", "Source of information", people="Subject"),
        "cell",
        titles=("Northvale Children's Services", "Chronology return: review NV-CSPR-07", ""),
        actions=(
            "Social worker home visit:",
            "Case supervision:",
            "Child in need review:",
            "Statutory visit:",
            "Direct work session with {who}:",
            "Core group meeting:",
        ),
        details=(
            "{who} seen alone in the bedroom and completed the three houses tool",
            "plan reviewed, {n} actions carried forward to the next review",
            "case allocated to a newly qualified worker after a team restructure",
            "assessment timescale extended by {n} weeks, manager agreed",
            "{who} showed the worker the new bunk beds",
            "chronology updated and genogram redrawn",
            "manager asked for a legal planning meeting to be considered",
            "{who} said the house rules chart was working",
            "section 17 payment of £{amount} agreed for school uniform",
            "worker noted the kitchen cupboards were well stocked",
        ),
        sources=("Children's social care case record", "Supervision record", "Core group minutes"),
    ),
    Agency(
        "Health visiting",
        1.2,
        "csv",
        _cols("Date", "Details", "Source"),
        "dmy",
        encoding="utf-8-sig",
        actions=("Health visitor home visit:", "Developmental review:", "Well-baby clinic:", "Telephone contact:"),
        details=(
            "the {who} weighed {kg} kg, tracking the 50th centile",
            "safe sleep advice repeated, the moses basket was by the bed",
            "Ages and Stages questionnaire completed, fine motor score {n}0",
            "breastfeeding going well, latch observed",
            "vitamin D drops recommended",
            "postnatal depression screen, Edinburgh score {n}",
            "teething advice, the {who} unsettled at night",
            "weaning discussed, purées introduced",
            "immunisation record checked, the {who} due for the 12-month jabs",
            "home cluttered but a safe space for floor play",
        ),
        sources=("Health visiting record", "Health visiting record, body map"),
    ),
    Agency(
        "Westbrook Maternity Services",
        0.6,
        "xlsx",
        _cols("Date", "Details", "Source"),
        "cell_time",
        titles=("Westbrook Maternity Services", "Chronology return for review NV-CSPR-07"),
        actions=("Antenatal appointment:", "Community midwife home visit:", "Postnatal check:", "Booking appointment:"),
        details=(
            "fundal height {n}2 cm, foetal heart heard",
            "blood pressure 1{n}0/80, urine clear",
            "routine enquiry about domestic abuse not asked, partner present",
            "anomaly scan booked for week 20",
            "the perineum healing well, lochia normal",
            "glucose tolerance test arranged",
            "birth plan discussed, wants a water birth",
            "iron tablets prescribed for a haemoglobin of 9{n}",
        ),
        sources=("Maternity record", "Maternity record, antenatal notes"),
    ),
    Agency(
        "Fernside Primary School",
        1.0,
        "csv",
        _cols("Date", "What happened", "Source"),
        "ordinal",
        encoding="cp1252",
        actions=(
            "Class teacher noted:",
            "Designated safeguarding lead spoke to {who}:",
            "Attendance officer phoned home:",
            "Teaching assistant recorded:",
        ),
        details=(
            "{who} arrived late without a coat, given one from lost property",
            "attendance {pct}% this half term",
            "{who} hungry at breakfast club, had two bowls of cereal",
            "reading book not returned for {n} weeks",
            "{who} upset in PE, said tummy hurt",
            "homework diary not signed",
            "{who} played happily at lunchtime with friends",
            "uniform grant form sent home",
            "head lice letter sent to the class",
            "{who} drew a picture of the family with a dog",
        ),
        sources=("Safeguarding log", "Attendance record", "Safeguarding log; email"),
    ),
    Agency(
        "Early help",
        0.9,
        "xlsx",
        _cols("Occurrence date", "Description", "Source", people="People involved"),
        "dmy",
        actions=("Family worker home visit:", "Team-around-the-family meeting:", "Parenting session:", "Phone call:"),
        details=(
            "bedtime routine chart made with the {who}",
            "Triple P module {n} completed",
            "outcome star scored, home and money up to {n}",
            "referral to the holiday activities programme",
            "the {who} talked about the debt advice appointment",
            "family plan reviewed; {n} goals met",
            "budgeting sheet filled in together",
            "the {who} cancelled, said they were busy",
        ),
        sources=("Early help case record", "TAF meeting minutes"),
    ),
    Agency(
        "Lowfield GP practice",
        1.1,
        "csv",
        _cols("Date of contact", "Summary", "Source"),
        "iso_time",
        sep=";",
        line_end="\n",
        actions=("GP appointment:", "Telephone consultation:", "Medication review:", "Practice nurse appointment:"),
        details=(
            "sertraline {n}0 mg continued",
            "the {who} seen with otitis media, amoxicillin prescribed",
            "asthma review, peak flow {n}00",
            "repeat prescription of salbutamol issued",
            "fit note issued for {n} weeks",
            "the {who} seen with eczema, emollients advised",
            "blood tests ordered: thyroid and ferritin",
            "smear test reminder sent",
            "the {who} did not attend; DNA letter sent",
        ),
        sources=("GP record", "GP record, letter"),
    ),
    Agency(
        "Emergency department",
        0.7,
        "xlsx",
        _cols("Date", "Details", "Source", time="Time"),
        "cell",
        titles=("Westbrook General Hospital: Emergency Department",),
        actions=("Emergency department attendance:", "Paediatric liaison review:", "Triage:"),
        details=(
            "the {who} with a sprained ankle from trampolining, discharged",
            "the {who} with a fever of 3{n}.5, paracetamol given",
            "laceration to the chin glued",
            "the {who} left before being seen",
            "x-ray of the wrist normal",
            "the {who} with croup, dexamethasone given",
            "ENT foreign body removed from the nose",
            "liaison health visitor notified of the attendance",
        ),
        sources=("ED record", "Paediatric liaison record"),
    ),
    Agency(
        "Housing association",
        0.5,
        "csv",
        _cols("Date", "Details", "Source of information"),
        "dmy",
        encoding="cp1252",
        actions=("Housing officer visit:", "Repairs appointment:", "Rent account review:", "Tenancy check:"),
        details=(
            "rent arrears of £{amount}, repayment plan agreed",
            "boiler repaired, no hot water for {n} days",
            "damp treatment booked for the back bedroom",
            "communal door entry fixed",
            "universal credit managed payment requested",
            "complaint about a neighbour's barking dog",
            "garden overgrown, tenancy condition reminder sent",
            "gas safety check completed",
        ),
        sources=("Housing officer's visit note", "Rent account", "Repairs log"),
    ),
    Agency(
        "Probation service",
        0.5,
        "xlsx",
        _cols("Contact date", "Summary", "Source of information"),
        "dmy_time",
        titles=("Probation: chronology of contacts", ""),
        actions=("Supervision appointment:", "Home visit by the probation officer:", "Risk assessment review:"),
        details=(
            "the {who} reported for supervision; unpaid work hours {n}0 completed",
            "OASys score reviewed, risk of serious harm medium",
            "building better relationships session {n} attended",
            "licence conditions explained again",
            "the {who} missed the appointment; warning letter issued",
            "drug test negative",
            "employment at the warehouse on {street} confirmed",
        ),
        sources=("Probation case record", "OASys review"),
    ),
    Agency(
        "Adult mental health",
        0.6,
        "csv",
        _cols("Date", "Description", "Source"),
        "ordinal",
        encoding="utf-8-sig",
        actions=("Care coordinator visit:", "Psychiatric outpatient review:", "Crisis team telephone contact:"),
        details=(
            "the {who} reported poor sleep and racing thoughts",
            "mirtazapine increased to {n}5 mg",
            "CPA review held, crisis plan updated",
            "the {who} engaged well with CBT homework",
            "safety plan reviewed; no thoughts of self-harm",
            "the {who} declined the depot injection",
            "wellbeing college course recommended",
        ),
        sources=("Mental health record", "Care programme approach review"),
    ),
    Agency(
        "CAMHS",
        0.5,
        "xlsx",
        _cols("Date", "Details", "Source", significant="Key event"),
        "cell",
        actions=("CAMHS assessment:", "Therapy session:", "Consultation with the school:", "CAMHS appointment:"),
        details=(
            "the {who} used the sand tray; themes of chaos",
            "SDQ score {n}4, in the high range",
            "anxiety formulation shared with the {who}",
            "sleep hygiene leaflet given",
            "the {who} declined to come into the room",
            "ADHD screening questionnaire sent to the school",
            "CBT workbook chapter {n} reviewed",
        ),
        sources=("CAMHS record",),
    ),
    Agency(
        "Ambulance service",
        0.3,
        "csv",
        _cols("Date/time", "Details", "Source"),
        "iso_time",
        actions=("999 call:", "Paramedic attendance at {street}:", "Call triaged by the clinical hub:"),
        details=(
            "the {who} with chest pain, ECG normal, left at home",
            "the {who} fell on the stairs, no injuries, advice given",
            "the {who} with an asthma attack, nebuliser given en route",
            "call cancelled by the caller",
            "the {who} conveyed to Westbrook General",
            "safeguarding referral form completed by the crew",
        ),
        sources=("Patient report form", "Call log"),
    ),
    Agency(
        "Domestic abuse service",
        0.4,
        "xlsx",
        _cols("Date", "Summary", "Source"),
        "ordinal",
        titles=("Safe Harbour Domestic Abuse Service", "Return to NV-CSPR-07", ""),
        actions=("Outreach worker contact:", "Safety planning session:", "MARAC preparation:", "Telephone support:"),
        details=(
            "the {who} talked about the freedom programme, week {n}",
            "Clare's law disclosure discussed",
            "target hardening: door locks changed",
            "the {who} did not answer the safe number",
            "refuge space discussed and declined",
            "non-molestation order process explained",
        ),
        sources=("Outreach record", "MARAC referral form"),
    ),
    Agency(
        "Substance misuse service",
        0.3,
        "csv",
        _cols("Date", "Summary", "Source of information", people="Person"),
        "dmy",
        encoding="cp1252",
        actions=("Key worker appointment:", "Drug screen:", "Recovery group:", "Prescribing review:"),
        details=(
            "methadone {n}0 ml daily, supervised consumption",
            "urine positive for cannabis only",
            "AUDIT score {n}1, alcohol units discussed",
            "naloxone kit issued",
            "the {who} attended the SMART recovery group",
            "take-home doses suspended after a missed pick-up",
        ),
        sources=("Substance misuse case record",),
        chronological=False,
    ),
    Agency(
        "Youth justice service",
        0.3,
        "xlsx",
        _cols("Occurrence date", "Details", "Source"),
        "cell_time",
        actions=("Referral order panel:", "Youth worker session:", "Reparation activity:"),
        details=(
            "the {who} cleared litter at the allotments for {n} hours",
            "victim awareness worksheet completed",
            "AssetPlus assessment updated",
            "the {who} talked about boxing club",
            "curfew compliance checked",
        ),
        sources=("Youth justice record",),
    ),
    Agency(
        "Little Acorns Nursery",
        0.4,
        "csv",
        _cols("Date", "Details", "Source"),
        "dmy",
        encoding="utf-8",
        titles=("Little Acorns Nursery safeguarding export",),
        actions=("Key person noted:", "Nursery manager spoke to the {who}:", "Room leader recorded:"),
        details=(
            "nappy rash on arrival; cream applied with consent",
            "the {who} collected {n}0 minutes late",
            "two-year funding forms completed",
            "the {who} napped for {n} hours, unusually long",
            "learning journal shared at pick-up",
            "the {who} bit another child at the water tray",
        ),
        sources=("Nursery safeguarding log", "Nursery daily record"),
    ),
    Agency(
        "Sexual health clinic",
        0.2,
        "xlsx",
        _cols("Date", "Description", "Source of information"),
        "dmy",
        actions=("Clinic attendance:", "Contraception appointment:", "Telephone follow-up:"),
        details=(
            "implant fitted",
            "chlamydia screen negative",
            "emergency contraception given",
            "the {who} asked about the coil",
            "CSE screening tool completed, no concerns",
        ),
        sources=("Sexual health record",),
    ),
    Agency(
        "Perinatal mental health",
        0.3,
        "csv",
        _cols("Date of contact", "Details", "Source"),
        "dmy",
        encoding="utf-8-sig",
        actions=("Perinatal assessment:", "Care coordinator contact:", "Psychology session:"),
        details=(
            "video interaction guidance session {n}",
            "intrusive thoughts about the baby explored",
            "the {who} bonding well, mood brighter",
            "sleep diary reviewed",
            "the {who} missed the appointment; rebooked",
        ),
        sources=("Perinatal mental health record",),
    ),
    Agency(
        "Community paediatrics",
        0.3,
        "xlsx",
        _cols("Date", "Summary", "Source"),
        "cell",
        titles=("Community Paediatrics", ""),
        actions=("Paediatric clinic:", "Child protection medical:", "Developmental assessment:"),
        details=(
            "Griffiths assessment, the {who} {n} months behind in speech",
            "growth chart reviewed, height on the 9th centile",
            "referral to speech and language therapy",
            "hearing test booked",
            "the {who} examined fully, no marks seen",
        ),
        sources=("Community paediatrics record", "Clinic letter"),
    ),
)

# One invented family, and an invented town: nobody and nowhere in particular.
FAMILY = (
    "Child B",
    "Baby F",
    "Child D",
    "mother",
    "mother's partner",
    "father",
    "maternal grandmother",
    "older brother",
)
RELATIVES = ("mother's partner", "father", "maternal grandmother", "older brother", "uncle")
STREETS = (
    "Mill Lane",
    "Orchard Rise",
    "Kestrel Way",
    "Tanners Row",
    "Beacon Street",
    "Quarry Close",
    "Heron Drive",
    "Linden Court",
    "Foundry Walk",
    "Marsh Road",
    "Bramble Hill",
    "Canal Side",
)
PLACES = (
    "the family home",
    "the grandmother's flat",
    "the community café",
    "the play park on Mill Lane",
    "the bus station",
    "a friend's house on Kestrel Way",
    "the supermarket car park",
    "the library",
)
# Said by every agency: common words that weigh little when descriptions are compared.
GENERIC = (
    "no concerns noted",
    "information shared with the allocated social worker",
    "letter sent",
    "advice given",
    "next contact booked",
    "consent obtained to share information",
    "telephone interpreter used",
    "visit cut short",
)
INJURIES = (
    "a bruise behind the ear",
    "a burn to the hand",
    "a head injury after a fall",
    "a fractured wrist",
    "suspected ingestion of tablets",
    "breathing difficulties",
    "a cut to the forehead",
)
CONCERNS = (
    "a disclosure at school",
    "a domestic incident",
    "an unexplained injury",
    "concerns about neglect",
    "the partner's previous convictions",
    "a missing episode",
)
CATEGORIES = ("neglect", "emotional abuse", "physical abuse")
CHILDREN = ("Child B", "Baby F", "Child D")
EVENTS = (
    "domestic incident at {place} reported by a neighbour; {name} present",
    "{name} attended the emergency department with {injury}",
    "strategy discussion held about {name} following {concern}",
    "{name} reported missing from home overnight and found the next morning at {place}",
    "child protection conference for {name}; plan agreed under the category of {category}",
    "section 47 enquiry started for {name} after {concern}",
    "{name} disclosed that the {relative} hit them, to a member of staff",
    "the {relative} was arrested after an assault at {place}",
    "eviction notice served on the family for rent arrears; {name} and the {relative} at risk of homelessness",
    "{name} excluded from school for {days} days after an incident with a teacher",
    "MARAC meeting discussed the risk to the mother; {name} named as a child in the household",
    "the {relative} overdosed at {place} and was taken to hospital; {name} cared for by a neighbour",
)
FRAMINGS = (
    "{core}.",
    "Notification received: {core}.",
    "Informed by telephone that {core}.",
    "{core}. Record updated; no further action by this service.",
    "Email from a partner agency: {core}.",
    "{core}. Information shared with the allocated worker.",
)


@dataclass
class ReturnFile:
    """One generated file and what an analyst needs to read it with pandas."""

    agency: str
    path: str
    kind: str  # "xlsx" or "csv"
    rows: int  # entries (blank rows not counted)
    header_row: int  # 0-based index of the header among the file's rows (titles and blank rows above it)
    columns: dict[str, str]  # field -> header text
    encoding: str | None = None  # CSV only
    sep: str | None = None  # CSV only
    date_style: str = ""
    shared_rows: int = 0  # rows that are accounts of an event other agencies recorded too


def agency_profiles(count: int) -> list[Agency]:
    """The first `count` agencies (cycling, with a number after the name, past 20)."""
    profiles = []
    for index in range(count):
        base = AGENCIES[index % len(AGENCIES)]
        lap = index // len(AGENCIES)
        profiles.append(base if lap == 0 else _renamed(base, f"{base.name} {lap + 1}"))
    return profiles


def _renamed(agency: Agency, name: str) -> Agency:
    values = asdict(agency)
    values["name"] = name
    values["titles"] = tuple(values["titles"])
    values["actions"] = tuple(values["actions"])
    values["details"] = tuple(values["details"])
    values["sources"] = tuple(values["sources"])
    return Agency(**values)


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` shared out by weight, at least one each, summing exactly to `total`."""
    scale = sum(weights)
    counts = [max(1, int(total * w / scale)) for w in weights]
    index = 0
    while sum(counts) < total:
        counts[index % len(counts)] += 1
        index += 1
    while sum(counts) > total:
        biggest = max(range(len(counts)), key=counts.__getitem__)
        counts[biggest] -= 1
    return counts


@dataclass
class _Row:
    day: dt.date
    description: str
    source: str
    person: str
    shared: bool = False
    significant: bool = False


def _day_between(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def _fill(template: str, rng: random.Random, name: str) -> str:
    return template.format(
        name=name,
        place=rng.choice(PLACES),
        injury=rng.choice(INJURIES),
        concern=rng.choice(CONCERNS),
        category=rng.choice(CATEGORIES),
        relative=rng.choice(RELATIVES),
        days=rng.randint(1, 5),
    )


def _slots(template: str, rng: random.Random, who: str) -> str:
    if who[0].isupper():  # "Child B", not "the Child B"
        template = template.replace("the {who}", "{who}")
    return template.format(
        who=who,
        n=rng.randint(1, 9),
        kg=f"{rng.uniform(3, 16):.1f}",
        pct=rng.randint(60, 99),
        amount=rng.randint(12, 1800),
        street=rng.choice(STREETS),
    )


def _plan_rows(rng: random.Random, agencies: list[Agency], counts: list[int]) -> list[list[_Row]]:
    """Every agency's rows: first their shares of the shared events, then their routine contacts."""
    planned: list[list[_Row]] = [[] for _ in agencies]
    total = sum(counts)
    if len(agencies) >= 2:
        budget = int(total * SHARED_SHARE)
        left = list(counts)
        while budget > 0:
            day = _day_between(rng)
            name = rng.choice(CHILDREN)
            core = _fill(rng.choice(EVENTS), rng, name)
            reference = f" Ref {rng.randrange(100000, 999999)}." if rng.random() < 0.4 else ""
            able = [i for i in range(len(agencies)) if left[i] > counts[i] // 3]  # keep routine work in each
            if len(able) < 2:
                break
            recorders = rng.sample(able, min(len(able), rng.choice((2, 2, 2, 3, 3, 4))))
            for i in recorders:
                offset = rng.choices((0, 1, 2), weights=(6, 3, 1))[0]
                text = rng.choice(FRAMINGS).format(core=core)
                text = text[0].upper() + text[1:]
                planned[i].append(
                    _Row(
                        day + dt.timedelta(days=offset),
                        text + (reference if rng.random() < 0.8 else ""),
                        rng.choice(agencies[i].sources),
                        name,
                        shared=True,
                        significant=rng.random() < 0.5,
                    )
                )
                left[i] -= 1
                budget -= 1
    for i, agency in enumerate(agencies):
        for _ in range(counts[i] - len(planned[i])):
            who = rng.choice(FAMILY)
            text = f"{_slots(rng.choice(agency.actions), rng, who)} {_slots(rng.choice(agency.details), rng, who)}."
            if rng.random() < 0.3:
                generic = rng.choice(GENERIC)
                text += f" {generic[0].upper()}{generic[1:]}."
            if rng.random() < 0.01:
                text += "\nFollow-up agreed for next week."  # a note typed over two lines in one cell
            person = who if rng.random() < 0.7 else f"{who}; {rng.choice(RELATIVES)}"
            planned[i].append(_Row(_day_between(rng), text, rng.choice(agency.sources), person))
        if agency.chronological:
            planned[i].sort(key=lambda row: row.day)
        else:
            rng.shuffle(planned[i])
    return planned


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def _clock(rng: random.Random) -> tuple[int, int]:
    return rng.randint(7, 23), rng.choice((0, 5, 10, 15, 20, 30, 40, 45, 50))


def _date_value(rng: random.Random, agency: Agency, day: dt.date) -> tuple[object, str]:
    """The date cell as this agency writes it, and the time cell when it keeps time in its own column."""
    roll = rng.random()
    time_text = ""
    if agency.columns.get("time") and rng.random() < 0.6:
        hour, minute = _clock(rng)
        time_text = f"{hour:02d}:{minute:02d}"
    # The usual mess, whatever the agency's habit: month only, unsure, approximate, roughly a year.
    if roll < 0.02:
        return f"{MONTHS[day.month - 1]} {day.year}", ""
    if roll < 0.025:
        return f"?{day:%d/%m/%Y}", ""
    if roll < 0.03:
        return f"approx. {day:%d/%m/%Y}", ""
    if roll < 0.032:
        return f"approx. {MONTHS[day.month - 1]} {day.year}", ""
    if roll < 0.033:
        return f"circa {day.year}", ""
    style = agency.date_style
    if style == "cell":
        return day, time_text
    if style == "cell_time":
        hour, minute = _clock(rng)
        return dt.datetime(day.year, day.month, day.day, hour, minute), time_text
    if style == "dmy":
        return (f"{day:%d/%m/%Y}" if rng.random() < 0.9 else f"{day.day}/{day.month}/{day.year}"), time_text
    if style == "dmy_time":
        hour, minute = _clock(rng)
        return f"{day:%d/%m/%Y} {hour:02d}:{minute:02d}", time_text
    if style == "ordinal":
        return f"{_ordinal(day.day)} {MONTHS[day.month - 1]} {day.year}", time_text
    if style == "iso_time":
        if rng.random() < 0.2:
            return day.isoformat(), time_text
        hour, minute = _clock(rng)
        return f"{day.isoformat()} {hour:02d}:{minute:02d}", time_text
    raise ValueError(f"unknown date style {style}")


def _table(rng: random.Random, agency: Agency, rows: list[_Row]) -> tuple[list[str], list[list[object]]]:
    fields = list(agency.columns)
    header = [agency.columns[name] for name in fields]
    body: list[list[object]] = []
    for row in rows:
        date, time_text = _date_value(rng, agency, row.day)
        values = {
            "date": date,
            "time": time_text,
            "description": row.description if rng.random() < 0.97 else f"  {row.description} ",  # stray spaces
            "source": row.source,
            "people": row.person,
            "significant": ("Yes" if rng.random() < 0.7 else "x") if row.significant else "",
        }
        body.append([values[name] for name in fields])
        if rng.random() < 0.001:
            body.append([])  # a blank row left in the middle
    return header, body


def _write_xlsx(path: Path, agency: Agency, header: list[str], body: list[list[object]]) -> None:
    book = Workbook(write_only=True)
    book.properties.created = dt.datetime(2025, 1, 1)
    sheet = book.create_sheet("Chronology")
    for title in agency.titles:
        sheet.append([title] if title else [])
    sheet.append(header)
    for row in body:
        sheet.append(row)
    book.save(path)


def _write_csv(path: Path, agency: Agency, header: list[str], body: list[list[object]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=agency.sep, lineterminator=agency.line_end)
    for title in agency.titles:
        writer.writerow([title] if title else [])
    writer.writerow(header)
    writer.writerows(body)
    path.write_bytes(buffer.getvalue().encode(agency.encoding))


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-").replace("--", "-")


def generate(directory: Path, *, rows: int = 100_000, agencies: int = 20, seed: int = SEED) -> list[ReturnFile]:
    """Write the returns into `directory` (and a manifest.json describing them); the same seed, the same files."""
    if agencies < 1 or rows < agencies:
        raise ValueError("need at least one agency and at least one row per agency")
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 - invented data, the same for a seed: not for secrets
    profiles = agency_profiles(agencies)
    counts = _split(rows, [agency.weight for agency in profiles])
    planned = _plan_rows(rng, profiles, counts)
    files = []
    for number, (agency, agency_rows) in enumerate(zip(profiles, planned, strict=True), start=1):
        header, body = _table(rng, agency, agency_rows)
        path = directory / f"{number:02d}-{_slug(agency.name)}.{agency.kind}"
        if agency.kind == "xlsx":
            _write_xlsx(path, agency, header, body)
        else:
            _write_csv(path, agency, header, body)
        files.append(
            ReturnFile(
                agency=agency.name,
                path=str(path),
                kind=agency.kind,
                rows=len(agency_rows),
                header_row=len(agency.titles),
                columns=dict(agency.columns),
                encoding=agency.encoding if agency.kind == "csv" else None,
                sep=agency.sep if agency.kind == "csv" else None,
                date_style=agency.date_style,
                shared_rows=sum(1 for row in agency_rows if row.shared),
            )
        )
    (directory / "manifest.json").write_text(json.dumps([asdict(f) for f in files], indent=2, ensure_ascii=False))
    return files


def load_manifest(directory: Path) -> list[ReturnFile]:
    return [ReturnFile(**item) for item in json.loads((directory / "manifest.json").read_text())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    files = generate(args.directory, rows=args.rows, agencies=args.agencies, seed=args.seed)
    for f in files:
        size = Path(f.path).stat().st_size
        print(
            f"{Path(f.path).name:45} {f.kind:4} {f.rows:7,} rows {size / 1e6:6.2f} MB {f.encoding or ''} {f.sep or ''}"
        )
    print(f"{sum(f.rows for f in files):,} rows in {len(files)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
