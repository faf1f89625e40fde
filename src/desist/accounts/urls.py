from django.urls import path

from desist.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("account/password/", views.password_change, name="password-change"),
    path("account/security/", views.security, name="security"),
    path("account/security/start/", views.security_start, name="security-start"),
    path("account/security/set-up/", views.security_set_up, name="security-set-up"),
    path("account/security/remove/", views.security_remove, name="security-remove"),
]
