from django.urls import path

from designer.tryout import views

app_name = "tryout"

urlpatterns = [
    path("projects/<int:project_id>/test-connection/", views.panel, name="panel"),
    path("projects/<int:project_id>/test-connection/run/", views.start, name="start"),
    path("test-connection/<uuid:run_id>/", views.run_status, name="run"),
]
