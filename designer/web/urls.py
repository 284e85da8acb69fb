from django.urls import path

from designer.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
