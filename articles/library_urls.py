"""The library pages, under /libraries/ (their names keep the `libraries:` namespace)."""

from django.urls import path

from articles.library_views import LibraryDetailView, LibraryListView

app_name = "libraries"

urlpatterns = [
    path("", LibraryListView.as_view(), name="library_list"),
    path("<slug:slug>/", LibraryDetailView.as_view(), name="library_detail"),
]
