from django.urls import path

from designer.signing import views

app_name = "signing"

urlpatterns = [
    path("teams/<int:team_id>/", views.signing_key, name="team_key"),
    path("teams/<int:team_id>/generate/", views.generate, name="generate"),
    path("teams/<int:team_id>/upload/", views.upload, name="upload"),
    path("teams/<int:team_id>/public.pem", views.public_key, name="public_key"),
]
