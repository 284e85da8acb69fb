from django.urls import path, re_path

from designer.api import views
from designer.api.api import api
from designer.api.problems import not_found_view

app_name = "api_tokens"

# /api/v1/...: the API, and JSON 404s for any other address under it.
api_urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", not_found_view),
]

# The team's token page (web, session login).
urlpatterns = [
    path("teams/<int:team_id>/", views.tokens_page, name="page"),
    path("teams/<int:team_id>/<int:token_id>/revoke/", views.revoke, name="revoke"),
]
