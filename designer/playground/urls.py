from django.urls import path

from designer.playground import views

app_name = "playground"

urlpatterns = [
    path("projects/<int:pk>/models/discover/", views.discover, name="discover"),
    path("projects/<int:pk>/models/discover/<int:run_pk>/", views.discovery, name="discovery"),
    path(
        "projects/<int:pk>/models/discover/<int:run_pk>/add/",
        views.add_discovered,
        name="add_discovered",
    ),
    path("projects/<int:pk>/models/<int:index>/chat/", views.chat, name="chat"),
    path("projects/<int:pk>/chat/<int:run_pk>/", views.chat_run, name="chat_run"),
]
