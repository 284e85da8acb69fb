from django.urls import include, path

from designer.projects import (
    views_design,
    views_import,
    views_library,
    views_list,
    views_models,
    views_undo,
)

app_name = "projects"

project_patterns = [
    path("", views_list.project_list, name="list"),
    path("new/", views_list.create, name="create"),
    path("import/", views_import.import_project, name="import"),
    path("<int:pk>/spec.yaml", views_import.export_spec, name="export_spec"),
    path("<int:pk>/pieces/<str:piece>/add/", views_import.add_piece, name="add_piece"),
    path("<int:pk>/rename/", views_list.rename, name="rename"),
    path("<int:pk>/duplicate/", views_list.duplicate, name="duplicate"),
    path("<int:pk>/delete/", views_list.delete, name="delete"),
    path("<int:pk>/", views_design.section_page, {"section": "plugin"}, name="plugin"),
    path("<int:pk>/provider/", views_design.section_page, {"section": "provider"}, name="provider"),
    path("<int:pk>/models/", views_models.models_page, name="models"),
    path("<int:pk>/models/bulk/", views_models.bulk, name="bulk_models"),
    path("<int:pk>/undo/", views_undo.undo_change, name="undo"),
    path("<int:pk>/models/add/", views_design.add_model, name="add_model"),
    path("<int:pk>/models/<int:index>/", views_design.model_page, name="model"),
    path(
        "<int:pk>/models/<int:index>/move/<str:direction>/",
        views_design.move_model,
        name="move_model",
    ),
    path("<int:pk>/models/<int:index>/delete/", views_design.delete_model, name="delete_model"),
    path(
        "<int:pk>/models/<int:index>/save/",
        views_design.autosave,
        {"section": "model"},
        name="save_model",
    ),
    path("<int:pk>/save/<str:section>/", views_design.autosave, name="save"),
    path("<int:pk>/icon/", views_design.icon, name="icon"),
    path("<int:pk>/icon/upload/", views_design.upload_icon, name="upload_icon"),
    path("<int:pk>/privacy/", views_design.save_privacy, name="privacy"),
    path("<int:pk>/review/", views_design.review, name="review"),
    path("<int:pk>/review/file/", views_design.review_file, name="review_file"),
    path("<int:pk>/review/source.zip", views_design.download_tree, name="download_tree"),
]

# A project's side of the library, under the library's paths.
library_patterns = [
    path("<int:pk>/use/", views_library.use_in_project, name="use_library"),
    path("for-project/<int:project_pk>/", views_library.pick_for_project, name="pick_library"),
    path(
        "for-project/<int:project_pk>/models/<int:index>/detach/",
        views_library.detach,
        name="detach_library",
    ),
]

urlpatterns = [
    path("projects/", include(project_patterns)),
    path("library/", include(library_patterns)),
]
