from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from training_site import views
from training_site.api import api_router
from training_site.forms import LoginForm

handler500 = "training_site.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", views.favicon),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    # Without a CSRF token, so that public pages (whose footer has this form)
    # carry nothing tied to one visitor and can be cached; the worst a forged
    # request can do is switch someone's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password change, reset by email or by an administrator's one-time
    # link, and a person's own contact details.
    path("", include("people.urls")),
    path("me/messages/", include("training_site.notify.urls")),
    path("", include("courses.urls")),
    path("", include("topics.urls")),
    path("", include("records.urls")),
    path("", include("lectures.urls")),
]

if settings.SERVE_MEDIA:
    # Single-host set-ups (`make run`) serve uploads themselves; real
    # deployments put media on shared storage behind the web server.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

urlpatterns += [path("", include(wagtail_urls))]
