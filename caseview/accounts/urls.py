from django.urls import path

from caseview.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("", views.account, name="account"),
    path("two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup-codes"),
    path("set-password/<str:uidb64>/<str:token>/", views.set_password, name="set-password"),
]
