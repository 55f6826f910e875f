"""URLs of the site."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from markdownx.views import ImageUploadView, MarkdownifyView

admin.site.site_header = "Top Python Libraries: editors"
admin.site.site_title = "Top Python Libraries"

# django-markdownx's preview and upload endpoints are open to anyone by default; only staff edit.
markdownx_urls = [
    path("upload/", staff_member_required(ImageUploadView.as_view()), name="markdownx_upload"),
    path("markdownify/", staff_member_required(MarkdownifyView.as_view()), name="markdownx_markdownify"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("markdownx/", include(markdownx_urls)),
    path("libraries/", include("libraries.urls")),
    path("", include("articles.urls")),
]
