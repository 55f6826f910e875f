"""Benchmark of the reader pages: server time and queries per page, on a throw-away SQLite database.

    python bench/pages.py [--requests 200] [--entries 13] [--comments 50]

Imports the shipped content, adds approved comments to the Top 13 post (and, with --entries,
pads it to that many entries), then renders each page through Django's test client and prints
the median and 95th-percentile time and the number of queries. No network involved.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "home": "/",
    "post (Top 13)": "/posts/top-13-python-deep-learning-libraries/",
    "library": "/libraries/tensorflow/",
    "library list": "/libraries/",
    "feed": "/feed/",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--entries", type=int, default=13)
    parser.add_argument("--comments", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        run(args)


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Comment, Post
    from libraries.models import Library, ListEntry

    call_command("migrate", verbosity=0)
    content = ROOT / "content"
    call_command("import_libraries", str(content / "libraries.yaml"), verbosity=0, stdout=open(os.devnull, "w"))
    call_command("import_article", *sorted(map(str, content.glob("*.md"))), stdout=open(os.devnull, "w"))
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    for rank in range(14, args.entries + 1):
        library = Library.objects.create(name=f"Padding {rank}", slug=f"padding-{rank}")
        ListEntry.objects.create(post=post, library=library, rank=rank, stars=rank, commits=rank, contributors=rank)
    Comment.objects.bulk_create(
        Comment(
            post=post,
            author_name=f"Reader {n}",
            author_email=f"r{n}@example.org",
            body=f"Comment {n}",
            status=Comment.Status.APPROVED,
            body_hash=f"bench-{n}",
        )
        for n in range(args.comments)
    )

    client = Client(SERVER_NAME="localhost")  # as a browser would ask; no test instrumentation
    print(
        f"{args.requests} requests a page; Top 13 post padded to {max(args.entries, 13)} entries "
        f"with {args.comments} approved comments"
    )
    print(f"{'page':<16}{'median ms':>11}{'p95 ms':>9}{'queries':>9}{'KiB':>7}")
    for name, url in PAGES.items():
        client.get(url)  # warm caches
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(
            f"{name:<16}{statistics.median(timings):>11.1f}{p95:>9.1f}{len(queries):>9}"
            f"{len(response.content) / 1024:>7.1f}"
        )


if __name__ == "__main__":
    main()
