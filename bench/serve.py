"""Benchmark of the reader pages through gunicorn, beside the same post page as a static file.

    python bench/serve.py [--rounds 3] [--duration 10] [--connections 16] [--workers 2] [--comments 50]
                          [--database-url URL] [--cache-url redis://127.0.0.1:6379/14]

Sets up a throw-away database (SQLite unless --database-url names another) with the shipped content and
approved comments on the Top 13 post, collects the static files and saves the post page, byte for byte,
as a static file. Then starts gunicorn twice with production settings (one with the page cache on, one
with PAGE_CACHE=off) and, round after round, measures with Debian's wrk: the static file through
WhiteNoise (the ceiling), then every reader page from each server. Prints requests per second, p50/p99
latency, server CPU per request and each page's ratio to the ceiling measured in the same round.
Installs wrk with apt-get when it is missing. Needs Redis (the shared cache of production settings).
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POST_URL = "/posts/top-13-python-deep-learning-libraries/"
PAGES = {
    "post, 50 comments": POST_URL,
    "home": "/",
    "library page": "/libraries/tensorflow/",
    "library list": "/libraries/",
    "tag page": "/tags/learning/",
    "feed": "/feed/",
}
CEILING_PATH = "bench/post-page.html"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_request: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per page and round.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server.")
    parser.add_argument("--comments", type=int, default=50)
    parser.add_argument("--database-url", help="Default: a throw-away SQLite file.")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/14", help="Flushed before the run.")
    args = parser.parse_args()
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        folder = Path(folder)
        environment = production_environment(args, folder)
        os.environ.update(environment)
        queries = prepare_site(args, folder)
        servers = {
            "cached": start_gunicorn(environment, args.workers, folder, page_cache="on"),
            "uncached": start_gunicorn(environment, args.workers, folder, page_cache="off"),
        }
        try:
            for server in servers.values():
                warm_up(server["url"])
            run_rounds(args, wrk, servers, queries)
        finally:
            for server in servers.values():
                server["process"].terminate()
                server["process"].wait(timeout=30)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("installing Debian's wrk", flush=True)
    noninteractive = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, env=noninteractive)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def production_environment(args, folder: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
        "CACHE_URL": args.cache_url,
        "CELERY_BROKER_URL": "memory://",
        "TRUSTED_PROXY_COUNT": "0",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "STATIC_ROOT": str(folder / "static"),
    }


def prepare_site(args, folder: Path) -> dict[str, str]:
    """Migrate, import, comment, collect static files, save the post page as one; return queries per page."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from articles.models import Post

    quiet = open(os.devnull, "w")  # lives as long as the run
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)
    call_command("import_libraries", str(ROOT / "content" / "libraries.yaml"), stdout=quiet)
    call_command("import_article", *sorted(map(str, (ROOT / "content").glob("*.md"))), stdout=quiet)
    cache.clear()
    approved_comments_create(Post.objects.get(slug="top-13-python-deep-learning-libraries"), args.comments)
    client = Client(HTTP_HOST="127.0.0.1")
    page = client.get(POST_URL)
    assert page.status_code == 200, page.status_code
    ceiling = Path(settings.STATIC_ROOT) / CEILING_PATH
    ceiling.parent.mkdir(parents=True, exist_ok=True)
    ceiling.write_bytes(page.content)
    queries = queries_per_page(client)
    cache.clear()
    connection.close()
    return queries


def approved_comments_create(post, count: int) -> None:
    """Approved comments stored as production stores them: with their rendered HTML and hash."""
    from articles.comments import comment_body_hash
    from articles.markdown import render_comment
    from articles.models import Comment

    bodies = [f"Comment {n}: *Keras* deserved a higher rank, see https://example.org/{n}." for n in range(count)]
    Comment.objects.bulk_create(
        Comment(
            post=post,
            author_name=f"Reader {n}",
            author_email=f"r{n}@example.org",
            body=body,
            body_html=render_comment(body),
            body_hash=comment_body_hash(body),
            status=Comment.Status.APPROVED,
        )
        for n, body in enumerate(bodies)
    )


def queries_per_page(client) -> dict[str, str]:
    """Queries each page costs with the page cache off: cold, then with its fragments stored."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    queries = {}
    with override_settings(PAGE_CACHE=False):
        for name, url in PAGES.items():
            cache.clear()
            counts = []
            for _ in range(2):
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200, url
                counts.append(len(captured))
            queries[name] = f"{counts[0]}, {counts[1]}"
    return queries


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(environment, workers: int, folder: Path, *, page_cache: str) -> dict:
    port = free_port()
    log = open(folder / f"gunicorn-{page_cache}.log", "w")  # lives as long as the server
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config" / "gunicorn.py")],
        cwd=ROOT,
        env={**environment, "PAGE_CACHE": page_cache, "WEB_PORT": str(port), "WEB_CONCURRENCY": str(workers)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            return {"process": process, "url": url}
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit(f"gunicorn did not start; see its log:\n{(folder / f'gunicorn-{page_cache}.log').read_text()}")


def warm_up(base_url: str) -> None:
    for url in [*PAGES.values(), f"/static/{CEILING_PATH}"]:
        for _ in range(20):
            with urllib.request.urlopen(base_url + url, timeout=10) as response:
                response.read()


def server_cpu_seconds(master_pid: int) -> float:
    """User and system time of the gunicorn master and its workers."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(stat.parent.name), int(fields[1])
        if master_pid in (pid, parent):
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def measure(wrk: str, server: dict, url: str, args) -> Measurement:
    cpu_before = server_cpu_seconds(server["process"].pid)
    result = subprocess.run(
        [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", server["url"] + url],
        capture_output=True,
        text=True,
        check=True,
    )
    cpu = server_cpu_seconds(server["process"].pid) - cpu_before
    output = result.stdout
    if "Non-2xx or 3xx responses" in output:
        sys.exit(f"{url} answered errors under load:\n{output}")
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return Measurement(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=latency_ms(output, "50%"),
        p99_ms=latency_ms(output, "99%"),
        cpu_ms_per_request=cpu * 1000 / max(requests, 1),
    )


def latency_ms(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_rounds(args, wrk: str, servers: dict, queries: dict[str, str]) -> None:
    """Each page is measured between two measurements of the ceiling, and compared with their mean: the
    machine is shared, and its speed drifts within a round."""
    print(
        f"gunicorn, {args.workers} sync workers, production settings; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s; {args.comments} approved comments on the post; {os.cpu_count()} cores",
        flush=True,
    )
    ceiling_url = f"/static/{CEILING_PATH}"
    ratios: dict[tuple[str, str], list[float]] = {}
    for round_number in range(1, args.rounds + 1):
        print(f"\nround {round_number}")
        print(f"{'page':<22}{'server':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/req':>12}{'ratio':>8}")
        before = measure(wrk, servers["cached"], ceiling_url, args)
        print_row("post as a static file", "ceiling", before, 1.0)
        for name, url in PAGES.items():
            results = {mode: measure(wrk, server, url, args) for mode, server in servers.items()}
            after = measure(wrk, servers["cached"], ceiling_url, args)
            ceiling = (before.requests_per_second + after.requests_per_second) / 2
            for mode, result in results.items():
                ratio = result.requests_per_second / ceiling
                ratios.setdefault((name, mode), []).append(ratio)
                print_row(name, mode, result, ratio)
            print_row("post as a static file", "ceiling", after, 1.0)
            before = after
    print("\nratio to the ceiling, median of the rounds (min–max); queries per page (cold, then from fragments)")
    print(f"{'page':<22}{'from the cache':>22}{'PAGE_CACHE=off':>22}{'queries':>10}")
    for name in PAGES:
        cells = [ratio_cell(ratios[(name, mode)]) for mode in servers]
        print(f"{name:<22}{cells[0]:>22}{cells[1]:>22}{queries[name]:>10}")


def print_row(name: str, mode: str, result: Measurement, ratio: float) -> None:
    print(
        f"{name:<22}{mode:<10}{result.requests_per_second:>9.0f}{result.p50_ms:>9.2f}{result.p99_ms:>9.2f}"
        f"{result.cpu_ms_per_request:>12.2f}{ratio:>8.3f}",
        flush=True,
    )


def ratio_cell(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.2f}–{max(values):.2f})"


if __name__ == "__main__":
    main()
