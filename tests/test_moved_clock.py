"""TEST_CLOCK moves the whole session's clock; a test that needs the real one is skipped only then."""

import datetime
import os
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest

from tests.moved_clock import moved_clock_destination, next_offset_change, next_year_end

ROOT = Path(__file__).resolve().parent.parent
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_days_ahead_and_a_moment_with_its_offset():
    ahead = moved_clock_destination("+400") - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(days=399, hours=23) < ahead <= datetime.timedelta(days=400)
    assert moved_clock_destination("2030-06-30T12:00:00+02:00") == datetime.datetime(
        2030, 6, 30, 10, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize("value", ["tomorrow", "400", "2030-06-30T12:00:00", "+-3"])
def test_anything_else_is_refused_saying_what_it_takes(value):
    with pytest.raises(pytest.UsageError, match=r"days ahead \(\+400\), year-end, dst-change"):
        moved_clock_destination(value)


def test_the_next_year_end_and_daylight_saving_change_in_the_sites_zone():
    december = datetime.datetime(2026, 12, 8, 12, tzinfo=datetime.UTC)
    assert next_year_end(december, NEW_YORK) == datetime.datetime(2027, 1, 1, 5, tzinfo=datetime.UTC)
    change = next_offset_change(december, NEW_YORK)  # clocks go forward at 2:00 on the second Sunday of March
    assert change == datetime.datetime(2027, 3, 14, 7, tzinfo=datetime.UTC)
    assert change.astimezone(NEW_YORK).hour == 3
    assert (change - datetime.timedelta(minutes=1)).astimezone(NEW_YORK).hour == 1
    assert next_offset_change(december, zoneinfo.ZoneInfo("UTC")) is None


SESSION = """
import datetime
import os
import pytest
from django.utils import timezone

def near(moment):
    return abs(timezone.now() - datetime.datetime.fromisoformat(moment)) < datetime.timedelta(minutes=2)

def test_now_is_moved():
    assert near(os.environ["MOVED_TO"])

@pytest.mark.real_clock("keeps the real clock, as a browser's does")
def test_on_the_real_clock():
    assert near(os.environ["REAL_NOW"])
"""


def run_session(tmp_path, clock, moved_to=""):
    (tmp_path / "test_session.py").write_text(SESSION)
    real_now = datetime.datetime.now(datetime.UTC).isoformat()
    environment = {**os.environ, "TEST_CLOCK": clock, "MOVED_TO": moved_to, "REAL_NOW": real_now}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "--rootdir", str(ROOT), "-c",
         str(ROOT / "pyproject.toml"), str(tmp_path / "test_session.py")],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.real_clock("compares this process's clock with a new pytest process's, which starts on the real one")
def test_a_moved_session_runs_on_the_moved_clock_and_skips_what_needs_the_real_one(tmp_path):
    moved_to = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3000)).replace(microsecond=0)
    moved = run_session(tmp_path, moved_to.isoformat(), moved_to.isoformat())
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert f"clock moved to {moved_to.isoformat()} (UTC), ticking" in moved.stdout
    assert "1 passed, 1 skipped" in moved.stdout
    assert "the clock is moved: keeps the real clock, as a browser's does" in moved.stdout

    real = run_session(tmp_path, "", moved_to.isoformat())
    assert "1 failed, 1 passed" in real.stdout  # on the real clock the marked test runs, the other fails


def test_a_clock_it_cannot_read_stops_the_session_with_the_reason(tmp_path):
    refused = run_session(tmp_path, "someday")
    assert refused.returncode != 0 and "TEST_CLOCK / --clock 'someday'" in refused.stderr
