from django.urls import path

from caseview.analysis import views

app_name = "partnership-factors"

urlpatterns = [
    path("<uuid:partnership_id>/factors/", views.partnership_framework, name="framework"),
    path("<uuid:partnership_id>/factors/<uuid:item_id>/remove/", views.partnership_item_remove, name="item-remove"),
]
