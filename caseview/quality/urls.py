from django.urls import path

from caseview.quality import views

app_name = "quality"

urlpatterns = [
    path("<str:reference>/quality/", views.readiness, name="readiness"),
    path("<str:reference>/quality/gates/<str:gate>/override/", views.gate_override, name="override"),
    path(
        "<str:reference>/quality/gates/<str:gate>/override/withdraw/",
        views.gate_override_withdraw,
        name="override-withdraw",
    ),
    path("<str:reference>/quality/markers/", views.marker_list, name="markers"),
    path("<str:reference>/quality/markers/<int:number>/", views.marker_detail, name="marker"),
    path("<str:reference>/quality/markers/<int:number>/assess/", views.marker_assess, name="marker-assess"),
]
