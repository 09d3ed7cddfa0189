from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "caseview.reviews"
    label = "reviews"
    verbose_name = "Reviews"
