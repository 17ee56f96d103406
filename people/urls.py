"""Accounts a person looks after himself (included by the shell's urls)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from people.views import public

urlpatterns = [
    path(
        "accounts/password/",
        public.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            success_url=reverse_lazy("password_reset_done"),
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        public.EmailResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/set-password/<uidb64>/<token>/",
        public.SetPasswordView.as_view(),
        name="set_password",
    ),
    path(
        "accounts/set-password/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/set_password_done.html"
        ),
        name="set_password_done",
    ),
    path("me/account/", public.my_account, name="my_account"),
]
