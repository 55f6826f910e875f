"""factory_boy factories for both apps."""

import datetime

import factory

from articles.comments import comment_body_hash
from articles.markdown import render_comment
from articles.models import Comment, ListEntry, Post, Series, Tag
from libraries.models import Library, StatsSnapshot


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Top {n} Python Things")
    slug = factory.Sequence(lambda n: f"top-{n}-python-things")
    author = "Dan Clark"
    body = "An introduction."
    status = Post.Status.PUBLISHED
    published_on = datetime.date(2018, 11, 2)
    figures_as_of = datetime.date(2018, 10, 23)


class LibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Library

    name = factory.Sequence(lambda n: f"Library {n}")
    slug = factory.Sequence(lambda n: f"library-{n}")
    github_owner = factory.Sequence(lambda n: f"owner{n}")
    github_repo = factory.Sequence(lambda n: f"repo{n}")


class ListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListEntry

    post = factory.SubFactory(PostFactory)
    library = factory.SubFactory(LibraryFactory)
    rank = factory.Sequence(lambda n: n + 1)
    description = "A library."
    contributors = 10
    commits = 1000
    stars = 12345


class StatsSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatsSnapshot

    library = factory.SubFactory(LibraryFactory)
    taken_at = factory.LazyFunction(lambda: datetime.datetime(2018, 10, 23, 12, tzinfo=datetime.UTC))
    stars = 100


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    author_email = factory.Sequence(lambda n: f"reader{n}@example.org")
    body = factory.Sequence(lambda n: f"Comment number {n}.")
    body_hash = factory.LazyAttribute(lambda comment: comment_body_hash(comment.body))
    body_html = factory.LazyAttribute(lambda comment: render_comment(comment.body))
    status = Comment.Status.APPROVED
    ip_address = "203.0.113.7"
    user_agent = "Mozilla/5.0 (CommentTestBrowser)"
