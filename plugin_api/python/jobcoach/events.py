# SPDX-License-Identifier: Apache-2.0
"""Events as dicts (docs/formats.md, "Events") to their ABI structs, and dates to and from jc_date.

A dict has the fields of one JSON Lines event: {"type": "timesheet.logged", "id": "t-1", "employee": "E1",
"date": "2026-03-02", "minutes": 90, "scheme": "uwv-extern"}. Dates may be ISO strings or datetime.date."""
import ctypes as C
import datetime
import json
import os

from . import _abi
from .errors import EventError

EPOCH = datetime.date(1970, 1, 1)
MAX_LINE_BYTES = 64 * 1024  # the longest event line, as jobcoach-demo
ACTIVITIES = {None: 0, "coaching": 0, "visit": 1, "contact": 2}
_NOT_A_DATE = "not a date YYYY-MM-DD between 1900 and 2199"


def to_days(value):
    """A date (datetime.date, or text YYYY-MM-DD) as days since 1970-01-01; ValueError for an impossible date or
    one outside 1900..2199 (the ABI's range)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        days = (value - EPOCH).days
    elif isinstance(value, str) and len(value) == 10:
        days = (datetime.date.fromisoformat(value) - EPOCH).days
    else:
        raise ValueError(_NOT_A_DATE)
    if not _abi.DATE_MIN <= days <= _abi.DATE_MAX:
        raise ValueError(_NOT_A_DATE)
    return days


def from_days(days):
    """A jc_date as datetime.date; None for JC_DATE_NONE."""
    return None if days == _abi.DATE_NONE else EPOCH + datetime.timedelta(days=days)


def _text(obj, keep, field, required=False):
    value = obj.get(field)
    if value is None:
        if required:
            raise EventError(field, "missing")
        return _abi.Str(None, 0)
    if not isinstance(value, str):
        raise EventError(field, "must be a string")
    if field != "justification" and any(ord(c) < 0x20 or c == "\x7f" for c in value):
        raise EventError(field, "holds a control character")  # ids and keys reach terminals and calendars
    data = value.encode()
    if not data and required:
        raise EventError(field, "is empty")
    buffer = C.create_string_buffer(data, len(data))
    keep.append(buffer)  # the plugin borrows the bytes for the call: kept alive until it returns
    return _abi.Str(C.addressof(buffer), len(data))


def _date(obj, field, required=False):
    value = obj.get(field)
    if value is None:
        if required:
            raise EventError(field, "missing")
        return _abi.DATE_NONE
    try:
        return to_days(value)
    except (ValueError, TypeError):
        raise EventError(field, _NOT_A_DATE) from None


def _minutes_of_hours(obj, field):
    value = obj.get(field)
    if value is None:
        return -1
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise EventError(field, "must be a number")
    m = value * 60.0
    minutes = int(m + 0.5) if m >= 0 else int(m - 0.5)  # rounded half away from zero, as llround
    if value > 0 and minutes < 1:
        raise EventError(field, f"{value} rounds to 0 minutes (at least 1 minute is needed)")
    return minutes


def _int(obj, field, absent):
    value = obj.get(field)
    if value is None:
        return absent
    if isinstance(value, bool) or not isinstance(value, int):
        raise EventError(field, "must be an integer")
    if not -2**31 <= value < 2**31:
        raise EventError(field, "is out of range")
    return value


def _bool(obj, field, absent):
    value = obj.get(field)
    if value is None:
        return absent
    if not isinstance(value, bool):
        raise EventError(field, "must be true or false")
    return int(value)


def to_abi(obj, keep):
    """The ABI struct of one event (a dict as in docs/formats.md); EventError names the field that is wrong. The
    bytes its strings point to are appended to `keep`, which must outlive the plugin call."""
    if not isinstance(obj, dict):
        raise EventError("type", "an event is a dict (a JSON object)")
    type_name = obj.get("type")
    if type_name not in _abi.EVENT_TYPES:
        raise EventError("type", f"unknown event type {type_name!r}")
    type_id, struct = _abi.EVENT_TYPES[type_name]
    e = struct()
    e.header = _abi.EventHeader(C.sizeof(struct), type_id, _text(obj, keep, "id", True),
                                _text(obj, keep, "employee", True), _date(obj, "date", True), 0)
    if type_name == "contract.started":
        e.employer = _text(obj, keep, "employer", True)
        e.weekly_minutes = _minutes_of_hours(obj, "weekly_hours")
        e.end = _date(obj, "end")
        e.paid = _bool(obj, "paid", 1)
        e.paid_prospect = _bool(obj, "paid_prospect", 1)
    elif type_name == "contract.changed":
        e.weekly_minutes = _minutes_of_hours(obj, "weekly_hours")
        e.end_change = 0 if "end" not in obj else 2 if obj["end"] is None else 1
        e.end = _date(obj, "end", True) if e.end_change == 1 else _abi.DATE_NONE
    elif type_name == "coaching.granted":
        e.scheme = _text(obj, keep, "scheme", True)
        e.level = _text(obj, keep, "level")
        e.granted_minutes = _minutes_of_hours(obj, "granted_hours")
        e.prior_months = _int(obj, "prior_months", -1)
        e.coach_form = _text(obj, keep, "coach_form")
        e.justification = _text(obj, keep, "justification")
    elif type_name == "coaching.extended":
        e.scheme = _text(obj, keep, "scheme", True)
        e.months = _int(obj, "months", 0)
        e.justification = _text(obj, keep, "justification")
    elif type_name == "coaching.ended":
        e.scheme = _text(obj, keep, "scheme", True)
    elif type_name == "timesheet.logged":
        if "minutes" in obj and "hours" in obj:
            raise EventError("hours", "give minutes or hours, not both")
        minutes = _int(obj, "minutes", None)
        e.minutes = minutes if minutes is not None else _minutes_of_hours(obj, "hours")
        if e.minutes < 0:
            raise EventError("minutes", "missing (give minutes or hours)")
        if obj.get("activity") not in ACTIVITIES:
            raise EventError("activity", "must be coaching, visit or contact")
        e.activity = ACTIVITIES[obj.get("activity")]
        e.scheme = _text(obj, keep, "scheme")
        e.coach = _text(obj, keep, "coach")
    elif type_name in ("timesheet.retracted", "event.retracted"):
        e.retracts = _text(obj, keep, "retracts", True)
    elif type_name == "report.submitted":
        e.kind = _text(obj, keep, "kind", True)
        e.scheme = _text(obj, keep, "scheme")
    elif type_name == "budget.transferred":
        e.scheme = _text(obj, keep, "scheme", True)
        e.minutes = _int(obj, "minutes", 0)
        e.justification = _text(obj, keep, "justification")
    return e


def check(obj):
    """Raises EventError when `obj` is not an event the ABI can carry; returns nothing."""
    to_abi(obj, [])


def _refuse_duplicate_keys(pairs):
    """A JSON object as a dict; a key that appears twice is refused (parsers differ on which value wins)."""
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise EventError(key, "appears twice in the object")
        obj[key] = value
    return obj


def read_events(path):
    """The events of a JSON Lines file as dicts, each checked; a bad line raises EventError (or ValueError for a file
    that is not one) naming the file, the line and the field. All or nothing, as an import is."""
    events = []
    if os.path.isdir(path):
        raise ValueError(f"{path}: is a directory, not an event file")
    # utf-8-sig: a byte-order mark at the start, as Windows exports of HR suites write, is skipped.
    with open(path, encoding="utf-8-sig") as f:
        number = 0
        while True:
            # Bounded: a line longer than any event line (/dev/zero) stops the read instead of filling the memory.
            line = f.readline(MAX_LINE_BYTES + 1)
            if not line:
                break
            number += 1
            if len(line) > MAX_LINE_BYTES:
                raise ValueError(f"{path}:{number}: more than {MAX_LINE_BYTES} bytes without an end of line, "
                                 "more than an event line may have; nothing was applied")
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                obj = json.loads(line, object_pairs_hook=_refuse_duplicate_keys)
                if not isinstance(obj, dict):
                    raise EventError("type", "the line is not a JSON object")
                check(obj)
            except EventError as e:
                raise EventError(e.field, e.reason + "; nothing was applied", line=number, path=path) from None
            except ValueError as e:
                raise ValueError(f"{path}:{number}: {e}; nothing was applied") from None
            events.append(obj)
    return events
