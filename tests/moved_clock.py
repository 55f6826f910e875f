"""Run the whole suite on another day, so that no test can come to depend on today's date.

`TEST_CLOCK` (or `pytest --clock=…`) moves this process's clock for the whole session:
- `+400`: 400 days ahead of now;
- `year-end`: 90 seconds before the next New Year in the site's time zone (`TIME_ZONE`);
- `dst-change`: 90 seconds before the site's time zone next changes its offset (daylight saving time);
- `2027-12-31T23:59:00+00:00`: that moment.
The clock keeps ticking from there (time-machine), so a run that starts before midnight or a DST change crosses
it while tests run, and a test's own `time_machine.travel` still works inside it. A test that cannot run under
a moved clock (another process, a browser or a database server keeps the real one) is marked
`@pytest.mark.real_clock("why")`: it is skipped, saying why, in a moved-clock run only.
"""

import datetime
import os
import re
import zoneinfo

import pytest
import time_machine

DAYS_AHEAD = re.compile(r"^\+(\d+)d?$")
LEAD = datetime.timedelta(seconds=90)  # long enough to collect the suite before the moment, short of its end
USAGE = "give days ahead (+400), year-end, dst-change, or a moment with its offset (2027-12-31T23:59:00+00:00)"
moved_to = pytest.StashKey[datetime.datetime]()


def site_zone() -> zoneinfo.ZoneInfo:
    from django.conf import settings

    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def next_year_end(now: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    return datetime.datetime(now.astimezone(zone).year + 1, 1, 1, tzinfo=zone)


def first_offset_change(start, step, steps, zone, offset) -> datetime.datetime | None:
    moments = (start + step * n for n in range(1, steps + 1))
    return next((moment for moment in moments if moment.astimezone(zone).utcoffset() != offset), None)


def next_offset_change(now: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime | None:
    """The first minute, within a year, at which the zone's UTC offset is no longer what it is now."""
    start = now.astimezone(datetime.UTC).replace(second=0, microsecond=0)
    offset = start.astimezone(zone).utcoffset()
    hour = datetime.timedelta(hours=1)
    hour_after = first_offset_change(start, hour, 367 * 24, zone, offset)
    if hour_after is None:
        return None
    return first_offset_change(hour_after - hour, datetime.timedelta(minutes=1), 60, zone, offset)


def moved_clock_destination(value: str) -> datetime.datetime:
    """Where TEST_CLOCK moves the clock; a clear error for anything it cannot read."""
    value = value.strip()
    now = datetime.datetime.now(datetime.UTC)
    days_ahead = DAYS_AHEAD.match(value)
    if days_ahead:
        return now + datetime.timedelta(days=int(days_ahead[1]))
    if value == "year-end":
        return next_year_end(now, site_zone()) - LEAD
    if value == "dst-change":
        change = next_offset_change(now, site_zone())
        if change is None:
            raise pytest.UsageError(
                f"TEST_CLOCK=dst-change: the time zone {site_zone().key} has no change within a year"
            )
        return change - LEAD
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise pytest.UsageError(f"TEST_CLOCK / --clock {value!r}: {USAGE}")
    return moment


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("TEST_CLOCK", ""),
        help=f"run the suite with the clock moved: {USAGE} (default: $TEST_CLOCK; the real clock when empty)",
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
        moment = config.stash[moved_to].astimezone(site_zone())
        return f"clock moved to {moment.isoformat(timespec='seconds')} ({moment.tzname()}), ticking"
    return None


def pytest_runtest_setup(item):
    marker = item.get_closest_marker("real_clock")
    if marker and moved_to in item.config.stash:
        reason = marker.args[0] if marker.args else "needs the real clock"
        pytest.skip(f"the clock is moved: {reason}")
