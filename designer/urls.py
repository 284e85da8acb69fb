from django.contrib import admin
from django.urls import include, path

from designer.accounts.urls import auth_urlpatterns
from designer.api.urls import api_urlpatterns
from designer.builds.views import healthz

urlpatterns = [
    *api_urlpatterns,
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("designer.accounts.urls")),
    path("accounts/", include(auth_urlpatterns)),
    path("projects/", include("designer.projects.urls")),
    path("library/", include("designer.library.urls")),
    path("api-tokens/", include("designer.api.urls")),
    path("", include("designer.builds.urls")),
    path("", include("designer.web.urls")),
]
