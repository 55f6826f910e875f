from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        import reversion

        from articles import signals  # noqa: F401 (connects the receivers)
        from core.search import search_vector_kept

        search_vector_kept(self.get_model("Post"))
        # A post's revision is the post and its ranked list (articles.drafts writes them).
        reversion.register(self.get_model("Post"), follow=("entries",))
        reversion.register(self.get_model("ListEntry"))
