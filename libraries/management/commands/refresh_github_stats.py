"""Refresh the libraries' GitHub figures: queue the work for the worker, or do it here with --sync."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.health import broker_answers
from libraries.models import Library
from libraries.refresh import github_client_from_settings, github_rate_limit_remember, libraries_refresh_run, new_run_id
from libraries.refresh_record import RefreshResult
from libraries.tasks import library_refresh_enqueue, refresh_all_libraries


class Command(BaseCommand):
    help = "Fetch every library's figures from GitHub (or only --library SLUG …), through the worker or --sync."

    def add_arguments(self, parser):
        parser.add_argument(
            "--library",
            dest="slugs",
            action="extend",
            nargs="+",
            default=[],
            metavar="SLUG",
            help="Only these libraries (by slug); may be repeated.",
        )
        parser.add_argument("--sync", action="store_true", help="Run here, without a broker or worker.")
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="With --sync: on a rate limit, stop and say when to resume instead of waiting for the reset.",
        )

    def handle(self, *args, slugs, sync, no_wait, **options):
        libraries = self.selected(slugs)
        if not sync:
            self.queue(libraries if slugs else None)
            return
        client = github_client_from_settings()
        report = libraries_refresh_run(
            libraries=libraries,
            client=client,
            run_id=new_run_id("sync"),
            concurrency=max(1, settings.GITHUB_REFRESH_CONCURRENCY),
            wait_for_reset=not no_wait,
            on_outcome=lambda outcome: self.stdout.write(outcome.line()),
        )
        github_rate_limit_remember(client=client)
        self.stdout.write(f"{report.summary()} {client.requests_made} requests to GitHub.")
        if report.left_for_later or report.count(RefreshResult.FAILED):
            self.stderr.write("Some libraries were not refreshed; see their last error in the admin.")

    def queue(self, libraries: list[Library] | None) -> None:
        try:
            broker_answers()
            if libraries is not None:
                run_id = library_refresh_enqueue([library.pk for library in libraries])
                self.stdout.write(f"Queued {len(libraries)} libraries (run {run_id}).")
            else:
                refresh_all_libraries.delay()
                self.stdout.write("Queued a refresh of every library due.")
        except Exception as error:
            raise CommandError(
                f"The broker did not answer ({error.__class__.__name__}: {error}), so nothing was queued. "
                "Start it, or run the refresh here with --sync."
            ) from error

    def selected(self, slugs) -> list[Library]:
        if not slugs:
            return list(Library.objects.due_for_refresh(timezone.now()))
        libraries = list(Library.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {library.slug for library in libraries})
        if unknown:
            raise CommandError(f"No library with the slug: {', '.join(unknown)}")
        without = [library.slug for library in libraries if not library.has_repository]
        if without:
            raise CommandError(f"No repository on record for: {', '.join(without)}")
        return libraries
