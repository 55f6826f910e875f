"""URLs of the site."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from markdownx.views import MarkdownifyView

from core.views import healthz

admin.site.site_header = "Top Python Libraries: editors"
admin.site.site_title = "Top Python Libraries"

# django-markdownx's preview is open to anyone by default: only those who edit posts may use it.
# Its image upload is not routed at all: pages never show images, so nothing would use the files.
markdownx_urls = [
    path(
        "markdownify/",
        staff_member_required(
            permission_required("articles.change_post", raise_exception=True)(MarkdownifyView.as_view())
        ),
        name="markdownx_markdownify",
    ),
]


def favicon(request):
    """Pages name their icon; this is for the clients that ask for /favicon.ico anyway."""
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("markdownx/", include(markdownx_urls)),
    path("libraries/", include("articles.library_urls")),
    path("", include("articles.urls")),
]
