from django.contrib.sitemaps.views import sitemap
from django.db import transaction
from django.urls import path, register_converter

from articles import archive_views, downloads, subscription_views, views
from articles.feeds import PostsFeed, RssPostsFeed
from articles.sitemaps import SITEMAPS, robots_txt

app_name = "articles"


class UnicodeSlugConverter:
    """Tag slugs may be unicode (机器学习); nothing else, so no control character reaches the database."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("posts/<slug:slug>/", views.PostDetailView.as_view(), name="post_detail"),
    path("posts/<slug:slug>/figures.csv", downloads.post_figures, {"fmt": "csv"}, name="post_figures_csv"),
    path("posts/<slug:slug>/figures.json", downloads.post_figures, {"fmt": "json"}, name="post_figures_json"),
    path("posts/<slug:slug>/comment/", views.CommentFormView.as_view(), name="post_comment"),
    path("posts/<slug:slug>/comment/token/", views.CommentTokenView.as_view(), name="comment_token"),
    path("tags/<uslug:slug>/", views.TagDetailView.as_view(), name="tag_detail"),
    path("archive/", archive_views.ArchiveIndexView.as_view(), name="archive"),
    path("archive/<int:year>/", archive_views.PostYearArchiveView.as_view(), name="archive_year"),
    path("archive/<int:year>/<int:month>/", archive_views.PostMonthArchiveView.as_view(), name="archive_month"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("feeds/", views.FeedsView.as_view(), name="feeds"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("coming/<slug:slug>/", subscription_views.ComingSoonView.as_view(), name="coming_soon"),
    path("coming/<slug:slug>/subscribe/", subscription_views.SubscribeView.as_view(), name="subscribe"),
    path("subscriptions/confirm/<str:token>/", subscription_views.ConfirmView.as_view(), name="subscription_confirm"),
    path(
        "subscriptions/unsubscribe/<str:token>/",
        subscription_views.UnsubscribeView.as_view(),
        name="subscription_cancel",
    ),
    path("feed/", transaction.non_atomic_requests(PostsFeed()), name="feed"),
    path("feed/rss/", transaction.non_atomic_requests(RssPostsFeed()), name="feed_rss"),
    path("series/<slug:slug>/feed/", transaction.non_atomic_requests(PostsFeed()), name="series_feed"),
    path("series/<slug:slug>/feed/rss/", transaction.non_atomic_requests(RssPostsFeed()), name="series_feed_rss"),
]
