from django.urls import path

from articles import views
from articles.feeds import LatestPostsFeed

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("posts/<slug:slug>/", views.PostDetailView.as_view(), name="post_detail"),
    path("posts/<slug:slug>/comments/", views.PostCommentView.as_view(), name="post_comment"),
    path("tags/<str:slug>/", views.TagDetailView.as_view(), name="tag_detail"),
    path("feed/", LatestPostsFeed(), name="feed"),
]
