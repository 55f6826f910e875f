"""Run the whole suite on another day, so that no test can come to depend on today's date.

`TEST_CLOCK=+400 make test` (or `pytest --clock=+400`) moves this process's clock 400 days ahead for the whole
session; `TEST_CLOCK=2027-12-31T23:59:00+00:00` starts it at that moment. The clock keeps ticking from there
(time-machine), so a run that starts a minute before midnight crosses into the next day, and a test's own
`time_machine.travel` still works inside it. A test that cannot run under a moved clock (another process, a
browser or a database server keeps the real one) is marked `@pytest.mark.real_clock("why")`: it is skipped,
saying why, in a moved-clock run only.
"""

import datetime
import os
import re

import pytest
import time_machine

DAYS_AHEAD = re.compile(r"^\+(\d+)d?$")
moved_to = pytest.StashKey[datetime.datetime]()


def moved_clock_destination(value: str) -> datetime.datetime:
    """`+N` (days ahead of now) or an ISO 8601 moment with its offset; a clear error for anything else."""
    value = value.strip()
    days_ahead = DAYS_AHEAD.match(value)
    if days_ahead:
        return datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=int(days_ahead[1]))
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise pytest.UsageError(
            f"TEST_CLOCK / --clock {value!r}: give days ahead (+400) or a moment with its offset "
            "(2027-12-31T23:59:00+00:00)"
        )
    return moment


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("TEST_CLOCK", ""),
        help="run the suite with the clock moved: +N days ahead, or an ISO 8601 moment with its offset "
        "(default: $TEST_CLOCK; the real clock when empty)",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "real_clock(reason): needs the real clock; skipped, with its reason, when the clock is moved"
    )
    value = config.getoption("clock")
    if not value:
        return
    destination = moved_clock_destination(value)
    # Started before collection, so a module-level `timezone.now()` in a test file is on the moved clock too.
    traveller = time_machine.travel(destination, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)
    config.stash[moved_to] = destination



def pytest_report_header(config):
    if moved_to in config.stash:
        return f"clock moved to {config.stash[moved_to].isoformat(timespec='seconds')} (ticking)"
    return None


def pytest_runtest_setup(item):
    marker = item.get_closest_marker("real_clock")
    if marker and moved_to in item.config.stash:
        reason = marker.args[0] if marker.args else "needs the real clock"
        pytest.skip(f"the clock is moved: {reason}")
