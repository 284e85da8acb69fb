from django.contrib import admin
from django.urls import include, path

from designer.accounts.urls import auth_urlpatterns
from designer.api.urls import api_urlpatterns
from designer.builds.views import healthz
from designer.web.views import bad_request

urlpatterns = [
    *api_urlpatterns,
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("designer.accounts.urls")),
    path("accounts/", include(auth_urlpatterns)),
    path("", include("designer.playground.urls")),  # discovery and chat under /projects/
    path("", include("designer.projects.urls")),  # /projects/ and its part of /library/
    path("library/", include("designer.library.urls")),
    path("signing/", include("designer.signing.urls")),
    path("api-tokens/", include("designer.api.urls")),
    path("", include("designer.builds.urls")),
    path("", include("designer.tryout.urls")),
    path("", include("designer.web.urls")),
]
handler400 = bad_request
