from django.contrib import admin
from django.urls import include, path

from designer.builds.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("designer.accounts.urls")),
    path("", include("designer.builds.urls")),
    path("", include("designer.web.urls")),
]
