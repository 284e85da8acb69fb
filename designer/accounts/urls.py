from django.urls import include, path

from designer.accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("teams/new/", views.new_team, name="new_team"),
    path("teams/<int:team_id>/switch/", views.switch, name="switch"),
    path("teams/<int:team_id>/members/", views.members, name="members"),
    path("teams/<int:team_id>/members/<int:member_id>/role/", views.change_role, name="role"),
    path("teams/<int:team_id>/members/<int:member_id>/remove/", views.remove_member, name="remove"),
    path("teams/<int:team_id>/invite/", views.invite, name="invite"),
    path("join/<str:token>/", views.join, name="join"),
]

auth_urlpatterns = [path("", include("django.contrib.auth.urls"))]
