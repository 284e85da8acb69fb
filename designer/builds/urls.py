from django.urls import path

from designer.builds import views

app_name = "builds"

urlpatterns = [
    path("projects/<int:project_id>/builds/", views.project_builds, name="project"),
    path("projects/<int:project_id>/builds/start/", views.start, name="start"),
    path("projects/<int:project_id>/builds/bump/", views.bump, name="bump"),
    path("builds/<int:build_id>/status/", views.status, name="status"),
    path("builds/<int:build_id>/download/<str:kind>/", views.download, name="download"),
]
