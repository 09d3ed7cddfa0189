"""The contributory factor framework (SCIE Report 19, Appendix 5) as data: levels, groups and items.

method.md §3.4.3 reconstructs it. Items the sources state are `verified`; items recalled or inferred [R] ship
unverified, as editable defaults, until someone checks them against Report 19's Appendix 5. A new reading of
the framework is a new version (a new FrameworkData with its own `version`); installed versions never change,
so factors already coded keep their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

FRONTLINE = "frontline"
LOCAL_STRATEGIC = "local_strategic"
NATIONAL = "national"


@dataclass(frozen=True)
class ItemData:
    key: str
    label: str
    detail: str = ""
    verified: bool = True


@dataclass(frozen=True)
class GroupData:
    level: str
    key: str
    label: str
    verified: bool
    note: str
    items: tuple[ItemData, ...]


@dataclass(frozen=True)
class FrameworkData:
    version: str
    title: str
    source: str
    groups: tuple[GroupData, ...]


def _r(key: str, label: str, detail: str = "") -> ItemData:
    """An item recalled from knowledge of the model, not stated in the sources available: unverified."""
    return ItemData(key, label, detail, verified=False)


_FAMILY = (
    ItemData(
        "family_nature_of_problems",
        "Nature of the problems",
        "Complexity and seriousness; whether suitable services exist; how strong the knowledge base is; how far "
        "professionals agree on diagnostic categories",
    ),
    ItemData(
        "family_duration",
        "How long the problems have lasted",
        "And whether the family is well known to services",
    ),
    ItemData(
        "family_seen_as_problem", "Whether the family sees the problem as a problem", "Or others have labelled it one"
    ),
    ItemData("family_presentation", "How the problem is presented", "Seeking help, or hostile"),
    ItemData("family_engagement", "Willingness to engage"),
    ItemData("family_relationship", "Nature of the relationship between professional and family members"),
    ItemData("family_availability", "Availability for meetings"),
    ItemData("family_children", "Number of children"),
    ItemData("family_size", "Size of the family and number of significant adults"),
    ItemData("family_dynamics", "Complexity of family dynamics"),
    ItemData("family_communication", "Communication issues and language"),
    ItemData("family_personality", "Personality"),
    ItemData("family_social_history", "Social factors and history"),
    ItemData("family_gender", "Gender"),
    ItemData("family_age", "Age"),
    ItemData("family_sexuality", "Sexuality"),
    ItemData("family_ethnicity", "Ethnicity"),
)

_PERSONAL = (
    ItemData("personal_knowledge", "Knowledge, skills and expertise"),
    ItemData("personal_mindset", "Mindset"),
    ItemData("personal_reasoning", "Human reasoning"),
    ItemData("personal_attention", "Attentional factors", "What else the person was doing at the time"),
    ItemData(
        "personal_wellbeing",
        "Illness, tiredness, burnout and similar",
        "Anything that stops someone working at their best",
    ),
    ItemData("personal_motivation", "Motivation"),
    ItemData("personal_personality", "Personality"),
    ItemData("personal_social_history", "Social factors and history"),
    ItemData("personal_style", "Interactional style"),
)

_ROLE = (
    ItemData("role_contact_frequency", "How often they had contact with the family"),
    ItemData("role_contact_place", "Where contacts took place", "For example, whether they went into the family home"),
    ItemData("role_focus", "What their concerns focused on"),
)

_CONDITIONS = (
    ItemData("work_atmosphere", "The general atmosphere around the case"),
    ItemData("work_staffing", "Staffing levels and skill mix"),
    ItemData("work_workload", "Workload"),
    ItemData("work_timing", "Timing", "For example shift patterns, or a busy time of year"),
    ItemData("work_admin_support", "Admin support"),
    ItemData("work_managerial_support", "Managerial support"),
    ItemData("work_it", "IT and computers"),
)

_OWN_TEAM = (
    ItemData("team_help_advice_supervision", "Getting help, advice or supervision"),
    _r("team_communication", "Communication within the team", "Spoken and written"),
    _r("team_structure_leadership", "Team structure and leadership"),
    _r("team_culture", "Team culture"),
)

_INTER_AGENCY = (
    _r("interagency_communication", "Communication between agencies"),
    _r("interagency_roles_thresholds", "Shared understanding of roles and thresholds"),
    _r("interagency_knowing_each_other", "Whether people know each other"),
    _r("interagency_referral_feedback", "Referral and feedback practice"),
    _r("interagency_sharing_tools", "Tools for sharing information"),
)

_ORGANISATION = (
    _r("org_resources", "Resources and financial constraints"),
    _r("org_structure", "Organisational structure"),
    _r("org_policies", "Local policies, procedures, standards and goals"),
    _r("org_priorities", "Priorities and performance management"),
    _r("org_culture", "Safety or learning culture"),
    _r("org_commissioning", "Commissioning and service gaps"),
)

_NATIONAL = (
    _r("national_legislation", "Legislation and national policy and guidance"),
    _r("national_inspection", "The inspection and regulatory regime"),
    _r("national_indicators", "National performance indicators"),
    _r("national_funding", "Funding"),
    _r("national_tools", "National tools and frameworks", "For example the assessment framework, CAF, ICS"),
    _r("national_climate", "The media and public climate"),
)

STANDARD = FrameworkData(
    version="scie-lt-2008-1",
    title="Learning Together framework for contributory factors (SCIE Report 19, Appendix 5)",
    source=(
        "Reconstructed in caseview's method (method.md §3.4.3) from SCIE Report 19 and Guide 24 (Fish, Munro "
        "and Bairstow, 2008). Items marked unverified are recalled from the model, not yet checked against "
        "Appendix 5 itself."
    ),
    groups=(
        GroupData(FRONTLINE, "family_aspects", "Aspects of the family", True, "", _FAMILY),
        GroupData(FRONTLINE, "personal_staff", "Personal (staff) aspects", True, "", _PERSONAL),
        GroupData(FRONTLINE, "role_aspects", "Aspects of their role", True, "", _ROLE),
        GroupData(FRONTLINE, "conditions_of_work", "Conditions of work", True, "", _CONDITIONS),
        GroupData(
            FRONTLINE,
            "own_team",
            "Own team factors",
            True,
            "The source's list is incomplete here: only its first item is stated.",
            _OWN_TEAM,
        ),
        GroupData(
            FRONTLINE,
            "inter_agency_team",
            "Inter-agency and inter-professional team factors",
            False,
            "Inferred from the headings of Appendix 3; the items are not available in the sources.",
            _INTER_AGENCY,
        ),
        GroupData(
            LOCAL_STRATEGIC,
            "organisational_culture_management",
            "Organisational culture and management",
            False,
            "Inferred from Appendix 3; items follow the London Protocol's organisational and management factors.",
            _ORGANISATION,
        ),
        GroupData(
            NATIONAL,
            "wider_political_context",
            "The wider political context",
            False,
            "Inferred from Appendix 3; the items are not available in the sources.",
            _NATIONAL,
        ),
    ),
)
