"""The library pages, under /libraries/ (their names keep the `libraries:` namespace)."""

from django.urls import path

from articles.downloads import library_history
from articles.library_views import LibraryDetailView, LibraryListView

app_name = "libraries"

urlpatterns = [
    path("", LibraryListView.as_view(), name="library_list"),
    path("<slug:slug>/", LibraryDetailView.as_view(), name="library_detail"),
    path("<slug:slug>/history.csv", library_history, {"fmt": "csv"}, name="library_history_csv"),
    path("<slug:slug>/history.json", library_history, {"fmt": "json"}, name="library_history_json"),
]
