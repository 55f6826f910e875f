"""System checks of the GitHub refresh settings."""

from django.conf import settings
from django.core import checks


@checks.register()
def refresh_run_timeout_check(app_configs, **kwargs):
    """The run lock must outlive a library's attempt and rate-limit retries, or a second run starts under it."""
    from libraries.tasks import library_longest_seconds

    longest = library_longest_seconds()
    if longest <= settings.GITHUB_REFRESH_RUN_TIMEOUT:
        return []
    return [
        checks.Warning(
            f"GITHUB_REFRESH_RUN_TIMEOUT ({settings.GITHUB_REFRESH_RUN_TIMEOUT}s) is shorter than a library's "
            f"retries can take ({longest}s): the run lock may expire while its tasks still run.",
            hint="Raise GITHUB_REFRESH_RUN_TIMEOUT, or lower the broker's visibility_timeout (it bounds countdowns).",
            id="libraries.W001",
        )
    ]
