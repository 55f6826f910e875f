from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from articles import signals  # noqa: F401 (connects the receivers)
        from core.search import search_vector_kept

        search_vector_kept(self.get_model("Post"))
