"""Benchmark of the GitHub refresh against the local stand-in: cold run, then warm run (all 304s).

    python bench/refresh.py [--libraries 200] [--latency-ms 50] [--concurrency 4] [--no-token]

Prints wall time, requests per library and requests that counted against the rate limit. Uses a
throw-away SQLite database; never talks to GitHub.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libraries", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--no-token", action="store_true", help="Unauthenticated: 304s count against the limit.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-refresh-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        run(args)


def run(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    from libraries.github import GitHubClient
    from libraries.models import Library
    from libraries.refresh import libraries_refresh_run
    from libraries.refresh_record import RefreshResult
    from tests.libraries.github_standin import GitHubStandIn

    call_command("migrate", verbosity=0)
    token = None if args.no_token else "bench-token"
    with GitHubStandIn(latency=args.latency_ms / 1000, token=token, limit=100_000) as github:
        for n in range(args.libraries):
            github.add(f"owner{n}/repo{n}", stars=1000 + n, contributors=10 + n, commits=5000 + n)
        Library.objects.bulk_create(
            Library(name=f"Library {n}", slug=f"library-{n}", github_owner=f"owner{n}", github_repo=f"repo{n}")
            for n in range(args.libraries)
        )
        client = GitHubClient(github.url, token=token, timeout=(3.05, 10.0), pool_size=args.concurrency)
        ideal = 3 * args.libraries * args.latency_ms / 1000 / args.concurrency
        print(
            f"{args.libraries} libraries, {args.latency_ms:g} ms a request, {args.concurrency} concurrent requests, "
            f"{'with' if token else 'without'} a token; ideal wall time per run "
            f"(3 requests x libraries x latency / concurrency): {ideal:.2f} s"
        )
        for phase in ("cold", "warm"):
            github.forget()
            started = time.perf_counter()
            report = libraries_refresh_run(
                libraries=list(Library.objects.all()),
                client=client,
                run_id=f"bench-{phase}",
                concurrency=args.concurrency,
            )
            wall = time.perf_counter() - started
            done = report.count(RefreshResult.REFRESHED) + report.count(RefreshResult.UNCHANGED)
            print(
                f"{phase}: {wall:6.2f} s wall, {github.count() / args.libraries:.2f} requests per library "
                f"({github.count()} in all, {github.statuses().count(304)} answered 304), "
                f"{github.counted()} counted against the rate limit, {done}/{args.libraries} libraries refreshed"
            )


if __name__ == "__main__":
    main()
