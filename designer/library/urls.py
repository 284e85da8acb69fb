from django.urls import path

from designer.library import views, views_catalog

app_name = "library"

urlpatterns = [
    path("", views.library_list, name="list"),
    path("new/", views.new_definition, name="new"),
    path("catalog/", views_catalog.catalog, name="catalog"),
    path("catalog/entry/", views_catalog.catalog_entry, name="catalog_entry"),
    path("catalog/load/", views_catalog.load_catalog, name="load_catalog"),
    path("drift/", views_catalog.drift_list, name="drift"),
    path("<int:pk>/drift/update/", views_catalog.drift_update, name="drift_update"),
    path("export.yaml", views.export, name="export"),
    path("import/", views.upload, name="upload"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/preview/", views.preview_definition, name="preview"),
    path("<int:pk>/clone/", views.clone, name="clone"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/restore/<int:number>/", views.restore, name="restore"),
]
