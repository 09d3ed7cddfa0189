from django.urls import path

from caseview.analysis import agreement_views, flow_views, narrative_views, views

app_name = "analysis"

EPISODE = "<str:reference>/analysis/episodes/<int:number>/"
SECTION = "<str:reference>/analysis/narrative/sections/<uuid:section_id>/"

urlpatterns = [
    path("<str:reference>/analysis/", views.home, name="home"),
    path("<str:reference>/analysis/framework/", views.framework, name="framework"),
    path("<str:reference>/analysis/outcome/", views.outcome, name="outcome"),
    path("<str:reference>/analysis/table/", views.table, name="table"),
    path("<str:reference>/analysis/table.docx", views.table_export, {"fmt": "docx"}, name="table-docx"),
    path("<str:reference>/analysis/table.xlsx", views.table_export, {"fmt": "xlsx"}, name="table-xlsx"),
    path("<str:reference>/analysis/episodes/new/", views.select_entries, name="select-entries"),
    path("<str:reference>/analysis/episodes/new/details/", views.episode_create, name="episode-create"),
    path("<str:reference>/analysis/turning-points/", views.perspectives, name="perspectives"),
    path(
        "<str:reference>/analysis/turning-points/<uuid:perspective_id>/episode/",
        views.perspective_episode,
        name="perspective-episode",
    ),
    path(
        "<str:reference>/analysis/turning-points/<uuid:perspective_id>/link/",
        views.perspective_link,
        name="perspective-link",
    ),
    path(EPISODE, views.episode, name="episode"),
    path(EPISODE + "edit/", views.episode_edit, name="episode-edit"),
    path(EPISODE + "entries/", views.episode_entries, name="episode-entries"),
    path(EPISODE + "entries/<uuid:entry_id>/remove/", views.episode_entry_remove, name="episode-entry-remove"),
    path(
        EPISODE + "turning-points/<uuid:perspective_id>/remove/",
        views.episode_perspective_remove,
        name="episode-perspective-remove",
    ),
    path(EPISODE + "complete/", views.episode_complete, name="episode-complete"),
    path(EPISODE + "share/", views.episode_share, name="episode-share"),
    path(EPISODE + "remove/", views.episode_remove, name="episode-remove"),
    path(EPISODE + "appraisal/", views.appraisal, name="appraisal"),
    path(EPISODE + "appraisal/references/", views.reference_add, name="reference-add"),
    path(EPISODE + "appraisal/references/<uuid:reference_id>/remove/", views.reference_remove, name="reference-remove"),
    path(EPISODE + "factors/new/", views.factor_add, name="factor-add"),
    path(EPISODE + "factors/<uuid:factor_id>/", views.factor_edit, name="factor-edit"),
    path(EPISODE + "factors/<uuid:factor_id>/remove/", views.factor_remove, name="factor-remove"),
    path(EPISODE + "questions/", views.question_add, name="question-add"),
    path(EPISODE + "questions/<uuid:question_id>/remove/", views.question_remove, name="question-remove"),
    # Agreement between reviewers
    path("<str:reference>/analysis/agreement/", agreement_views.overview, name="agreement"),
    path("<str:reference>/analysis/agreement/statistics/", agreement_views.statistics, name="agreement-statistics"),
    path(EPISODE + "independent/", agreement_views.independent, name="independent"),
    path(EPISODE + "independent/codes/", agreement_views.code_add, name="independent-code-add"),
    path(
        EPISODE + "independent/codes/<uuid:code_id>/remove/",
        agreement_views.code_remove,
        name="independent-code-remove",
    ),
    path(EPISODE + "independent/submit/", agreement_views.submit, name="independent-submit"),
    path(EPISODE + "independent/compare/", agreement_views.compare, name="independent-compare"),
    path(EPISODE + "independent/compare/<uuid:item_id>/", agreement_views.carry, name="independent-carry"),
    # The narrative of multi-agency perspectives
    path("<str:reference>/analysis/narrative/", narrative_views.narrative_page, name="narrative"),
    path("<str:reference>/analysis/narrative.docx", narrative_views.narrative_export, name="narrative-docx"),
    path("<str:reference>/analysis/narrative/share/", narrative_views.narrative_share, name="narrative-share"),
    path("<str:reference>/analysis/narrative/sections/new/", narrative_views.section_add, name="narrative-section-add"),
    path(SECTION, narrative_views.section_page, name="narrative-section"),
    path(SECTION + "edit/", narrative_views.section_edit, name="narrative-section-edit"),
    path(SECTION + "remove/", narrative_views.section_remove, name="narrative-section-remove"),
    path(SECTION + "share/", narrative_views.section_share, name="narrative-section-share"),
    path(SECTION + "history/", narrative_views.history, name="narrative-history"),
    path(SECTION + "marks/new/", narrative_views.mark_add, name="narrative-mark-add"),
    path(SECTION + "marks/<uuid:mark_id>/remove/", narrative_views.mark_remove, name="narrative-mark-remove"),
    path(SECTION + "comments/", narrative_views.comment_add, name="narrative-comment"),
    path(SECTION + "comments/<uuid:comment_id>/", narrative_views.comment_respond, name="narrative-respond"),
    # Information flow and "as known on a date"
    path("<str:reference>/analysis/flow/", flow_views.flow, name="flow"),
    path("<str:reference>/analysis/flow.<str:fmt>", flow_views.flow_export, name="flow-export"),
    path("<str:reference>/analysis/flow/record/", flow_views.choose_entry, name="flow-choose-entry"),
    path(
        "<str:reference>/analysis/flow/entries/<uuid:entry_id>/",
        flow_views.entry_communications,
        name="entry-communications",
    ),
    path(
        "<str:reference>/analysis/flow/communications/<uuid:communication_id>/",
        flow_views.communication_edit,
        name="communication-edit",
    ),
    path(
        "<str:reference>/analysis/flow/communications/<uuid:communication_id>/remove/",
        flow_views.communication_remove,
        name="communication-remove",
    ),
    path("<str:reference>/analysis/flow/not-shared/", flow_views.not_shared, name="not-shared"),
    path("<str:reference>/analysis/as-known/", flow_views.as_known, name="as-known"),
]
