from django.urls import path

from designer.library import views

app_name = "library"

urlpatterns = [
    path("", views.library_list, name="list"),
    path("new/", views.new_definition, name="new"),
    path("catalog/", views.catalog, name="catalog"),
    path("catalog/entry/", views.catalog_entry, name="catalog_entry"),
    path("export.yaml", views.export, name="export"),
    path("import/", views.upload, name="upload"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/preview/", views.preview_definition, name="preview"),
    path("<int:pk>/clone/", views.clone, name="clone"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/restore/<int:number>/", views.restore, name="restore"),
]
