from django.urls import path

from libraries import views

app_name = "libraries"

urlpatterns = [
    path("", views.LibraryListView.as_view(), name="library_list"),
    path("<slug:slug>/", views.LibraryDetailView.as_view(), name="library_detail"),
]
