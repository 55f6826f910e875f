from django.apps import AppConfig


class LibrariesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "libraries"

    def ready(self):
        import reversion

        from core.search import search_vector_kept
        from libraries import checks  # noqa: F401 (registers the system checks)

        search_vector_kept(self.get_model("Library"))
        reversion.register(self.get_model("Library"))
