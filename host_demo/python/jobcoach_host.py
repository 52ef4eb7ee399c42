#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""jobcoach_host: a host in Python on the jobcoach C ABI, with ctypes only (no compiled glue).

For Python HR suites (Odoo, Frappe HR): load the plugins, hand them events, get findings back.

    python3 jobcoach_host.py --plugins DIR --events FILE --as-of YYYY-MM-DD

finds the plugins' manifests (*.plugin.json in DIR or one level below, in path order), loads each library,
applies the version rule (jobcoach/version.h), creates one in-memory instance per plugin, hands it every event
of FILE (JSON Lines, docs/formats.md) dated on or before the date in one batch, evaluates, and prints the findings
as JSON Lines exactly as `jobcoach-demo evaluate --format jsonl` does.

As a library:

    from jobcoach_host import Plugin, find_manifests, settle
    plugin = Plugin.load(manifest_path)
    instance = plugin.create()                 # or plugin.create(state_path="tenant-42.uwv.db")
    instance.handle_events(events)             # dicts as in docs/formats.md; one transaction
    for finding in instance.evaluate(date(2026, 11, 23)): ...

Ownership follows the C header: every string handed to a plugin is kept alive by the host until the call
returns; a finding is copied inside the emit_finding callback. One Instance must not be used from two threads
at once. A production host adds the owner/permission checks and the sealed-symbol check of the C++ runtime.
"""
import argparse
import ctypes as C
import datetime
import json
import os
import sys

# ---- the C ABI (jobcoach/types.h, version.h, events.h, finding.h, host.h, plugin.h, entry.h) ------------------

ABI_VERSION = (1, 1)          # JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR of the headers this mirrors
JC_OK = 0
JC_E_INVALID_ARGUMENT, JC_E_INVALID_EVENT, JC_E_UNSUPPORTED = -1, -2, -3
JC_E_OUT_OF_MEMORY = -8
DATE_NONE = -2**31            # JC_DATE_NONE
DATE_MIN, DATE_MAX = -25567, 84005
NO_VALUE = -2**63             # JC_NO_VALUE
FINDING_SIZE_V1_0 = 200
LOG_WARNING = 2
SEVERITIES = ("info", "warning", "high", "critical")
EPOCH = datetime.date(1970, 1, 1)
MAX_LINE_BYTES = 64 * 1024  # the longest event line, as jobcoach-demo


class Str(C.Structure):
    # data is an address, read by its size (C.string_at): a c_char_p would stop at the first NUL byte.
    _fields_ = [("data", C.c_void_p), ("size", C.c_size_t)]


class Version(C.Structure):
    _fields_ = [("major", C.c_uint16), ("minor", C.c_uint16), ("patch", C.c_uint32)]


class EventHeader(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("type", C.c_uint32), ("id", Str), ("employee", Str),
                ("date", C.c_int32), ("reserved0", C.c_uint32)]


def _event(name, type_id, fields):
    return type_id, type(name, (C.Structure,), {"_fields_": [("header", EventHeader)] + fields})


EVENT_TYPES = dict([
    ("contract.started", _event("ContractStarted", 1, [("employer", Str), ("weekly_minutes", C.c_int32),
                                                       ("end", C.c_int32), ("paid", C.c_int32),
                                                       ("paid_prospect", C.c_int32)])),
    ("contract.changed", _event("ContractChanged", 2, [("weekly_minutes", C.c_int32), ("end_change", C.c_int32),
                                                       ("end", C.c_int32), ("reserved0", C.c_uint32)])),
    ("contract.ended", _event("ContractEnded", 3, [])),
    ("coaching.granted", _event("CoachingGranted", 4, [("scheme", Str), ("level", Str),
                                                       ("granted_minutes", C.c_int64), ("prior_months", C.c_int32),
                                                       ("reserved0", C.c_uint32), ("coach_form", Str),
                                                       ("justification", Str)])),
    ("coaching.extended", _event("CoachingExtended", 5, [("scheme", Str), ("months", C.c_int32),
                                                         ("reserved0", C.c_uint32), ("justification", Str)])),
    ("coaching.ended", _event("CoachingEnded", 6, [("scheme", Str)])),
    ("timesheet.logged", _event("TimesheetLogged", 7, [("minutes", C.c_int32), ("activity", C.c_int32),
                                                       ("scheme", Str), ("coach", Str)])),
    ("timesheet.retracted", _event("TimesheetRetracted", 8, [("retracts", Str)])),
    ("absence.started", _event("AbsenceStarted", 9, [])),
    ("absence.ended", _event("AbsenceEnded", 10, [])),
    ("report.submitted", _event("ReportSubmitted", 11, [("kind", Str), ("scheme", Str)])),
    ("budget.transferred", _event("BudgetTransferred", 12, [("scheme", Str), ("minutes", C.c_int32),
                                                           ("reserved0", C.c_uint32), ("justification", Str)])),
    ("event.retracted", _event("EventRetracted", 13, [("retracts", Str)])),  # since ABI 1.2
])
ACTIVITIES = {None: 0, "coaching": 0, "visit": 1, "contact": 2}


class Finding(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("severity", C.c_int32), ("employee", Str), ("scheme", Str),
                ("rule", Str), ("kind", Str), ("subject", Str), ("due", C.c_int32), ("reserved0", C.c_uint32),
                ("observed_minutes", C.c_int64), ("limit_minutes", C.c_int64), ("amount_cents", C.c_int64),
                ("message_nl", Str), ("message_en", Str), ("source", Str), ("employer", Str),
                ("employees", C.POINTER(Str)), ("employee_count", C.c_uint32), ("reserved1", C.c_uint32),
                ("explanation", Str),
                ("id", Str), ("trajectory", C.c_uint32), ("change", C.c_uint32),  # since ABI 1.2
                ("title_nl", Str), ("title_en", Str), ("action_nl", Str), ("action_en", Str)]  # since ABI 1.4


class Host(C.Structure):
    pass


GetExtensionFn = C.CFUNCTYPE(C.c_void_p, C.POINTER(Host), C.c_char_p)
LogFn = C.CFUNCTYPE(None, C.POINTER(Host), C.c_int32, Str)
EmitFindingFn = C.CFUNCTYPE(C.c_int32, C.POINTER(Host), C.POINTER(Finding))
Host._fields_ = [("struct_size", C.c_uint32), ("reserved0", C.c_uint32), ("abi_version", Version),
                 ("host_data", C.c_void_p), ("name", C.c_char_p), ("version", C.c_char_p),
                 ("get_extension", GetExtensionFn), ("log", LogFn), ("emit_finding", EmitFindingFn)]


class InstanceConfig(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("reserved0", C.c_uint32), ("state_path", C.c_char_p),
                ("rule_pack_dir", C.c_char_p)]


class BatchResult(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("accepted", C.c_uint32), ("duplicates", C.c_uint32),
                ("skipped", C.c_uint32), ("failed_index", C.c_uint32), ("reserved0", C.c_uint32),
                ("conflicts", C.c_uint32), ("reserved1", C.c_uint32)]  # conflicts since ABI 1.2


class PluginStruct(C.Structure):
    pass


PluginPtr = C.POINTER(PluginStruct)
PluginStruct._fields_ = [
    ("struct_size", C.c_uint32), ("reserved0", C.c_uint32), ("plugin_data", C.c_void_p),
    ("destroy", C.CFUNCTYPE(None, PluginPtr)),
    ("handle_events", C.CFUNCTYPE(C.c_int32, PluginPtr, C.POINTER(C.POINTER(EventHeader)), C.c_uint32,
                                  C.POINTER(BatchResult))),
    ("evaluate", C.CFUNCTYPE(C.c_int32, PluginPtr, C.c_int32)),
    ("last_error", C.CFUNCTYPE(C.c_char_p, PluginPtr)),
    ("get_extension", C.CFUNCTYPE(C.c_void_p, PluginPtr, C.c_char_p)),
]


class FindingsExtension(C.Structure):
    """jc.findings/1 (jobcoach/ext/findings.h), since ABI 1.2."""
    _fields_ = [("struct_size", C.c_uint32), ("reserved0", C.c_uint32),
                ("evaluate_employees", C.CFUNCTYPE(C.c_int32, PluginPtr, C.POINTER(Str), C.c_uint32, C.c_int32)),
                ("evaluate_changes", C.CFUNCTYPE(C.c_int32, PluginPtr, C.POINTER(Str), C.c_uint32, C.c_int32))]


ALL_EMPLOYEES = 0xFFFFFFFF  # JC_ALL_EMPLOYEES
CHANGES = {0: "", 1: "new", 2: "updated", 3: "resolved"}


class Descriptor(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("reserved0", C.c_uint32), ("id", C.c_char_p), ("name", C.c_char_p),
                ("vendor", C.c_char_p), ("version", C.c_char_p), ("description", C.c_char_p),
                ("schemes", C.POINTER(C.c_char_p))]


class Entry(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("event_schema_version", C.c_uint32), ("abi_version", Version),
                ("min_host_abi", Version), ("descriptor", C.POINTER(Descriptor)),
                ("init", C.CFUNCTYPE(C.c_int32, C.c_char_p, C.c_char_p, C.c_uint32)),
                ("deinit", C.CFUNCTYPE(None)),
                ("create", C.CFUNCTYPE(C.c_int32, C.POINTER(Host), C.POINTER(InstanceConfig),
                                       C.POINTER(PluginPtr), C.c_char_p, C.c_uint32))]


def compatible(host, needed):
    """jc_version_is_compatible: same major, and the host's minor at least the one needed."""
    return host[0] == needed[0] and host[1] >= needed[1]


# ---- dates ----------------------------------------------------------------------------------------------------

def to_days(text):
    """YYYY-MM-DD as days since 1970-01-01; ValueError for an impossible date or one outside 1900..2199."""
    if not isinstance(text, str) or len(text) != 10:
        raise ValueError("not a date YYYY-MM-DD between 1900 and 2199")
    days = (datetime.date.fromisoformat(text) - EPOCH).days
    if not DATE_MIN <= days <= DATE_MAX:
        raise ValueError("not a date YYYY-MM-DD between 1900 and 2199")
    return days


def from_days(days):
    return (EPOCH + datetime.timedelta(days=days)).isoformat()


# ---- events ---------------------------------------------------------------------------------------------------

class BadEvent(ValueError):
    def __init__(self, field, message):
        super().__init__(f"field '{field}': {message}")


def _text(obj, keep, field, required=False):
    value = obj.get(field)
    if value is None:
        if required:
            raise BadEvent(field, "missing")
        return Str(None, 0)
    if not isinstance(value, str):
        raise BadEvent(field, "must be a string")
    if field != "justification" and any(ord(c) < 0x20 or c == "\x7f" for c in value):
        raise BadEvent(field, "holds a control character")  # ids and keys reach terminals and calendars
    data = value.encode()
    buffer = C.create_string_buffer(data, len(data))
    keep.append(buffer)  # the plugin borrows the bytes for the call: keep them alive until it returns
    return Str(C.addressof(buffer), len(data))


def _date(obj, field, required=False):
    value = obj.get(field)
    if value is None:
        if required:
            raise BadEvent(field, "missing")
        return DATE_NONE
    try:
        return to_days(value)
    except (ValueError, TypeError):
        raise BadEvent(field, "not a date YYYY-MM-DD between 1900 and 2199") from None


def _minutes_of_hours(obj, field):
    value = obj.get(field)
    if value is None:
        return -1
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadEvent(field, "must be a number")
    m = value * 60.0
    minutes = int(m + 0.5) if m >= 0 else int(m - 0.5)  # rounded half away from zero, as llround
    if value > 0 and minutes < 1:
        raise BadEvent(field, f"{value} rounds to 0 minutes (at least 1 minute is needed)")
    return minutes


def _int(obj, field, absent):
    value = obj.get(field)
    if value is None:
        return absent
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadEvent(field, "must be an integer")
    return value


def _bool(obj, field, absent):
    value = obj.get(field)
    if value is None:
        return absent
    if not isinstance(value, bool):
        raise BadEvent(field, "must be true or false")
    return int(value)


def to_abi(obj, keep):
    """The ABI struct of one event (a dict as in docs/formats.md). Strings it points to are appended to `keep`."""
    type_name = obj.get("type")
    if type_name not in EVENT_TYPES:
        raise BadEvent("type", f"unknown event type {type_name!r}")
    type_id, struct = EVENT_TYPES[type_name]
    e = struct()
    e.header = EventHeader(C.sizeof(struct), type_id, _text(obj, keep, "id", True),
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
        e.end = _date(obj, "end", True) if e.end_change == 1 else DATE_NONE
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
            raise BadEvent("hours", "give minutes or hours, not both")
        minutes = _int(obj, "minutes", None)
        e.minutes = minutes if minutes is not None else _minutes_of_hours(obj, "hours")
        if e.minutes < 0:
            raise BadEvent("minutes", "missing (give minutes or hours)")
        if obj.get("activity") not in ACTIVITIES:
            raise BadEvent("activity", "must be coaching, visit or contact")
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


def _refuse_duplicate_keys(pairs):
    """A JSON object as a dict; a key that appears twice is refused (parsers differ on which value wins)."""
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise BadEvent(key, "appears twice in the object")
        obj[key] = value
    return obj


def read_events(path):
    """The events of a JSON Lines file as dicts; a bad line raises ValueError naming the file, line and field."""
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
                    raise ValueError("not a JSON object")
                to_abi(obj, [])  # checked now: an import is all or nothing
            except ValueError as e:
                raise ValueError(f"{path}:{number}: {e}; nothing was applied") from None
            events.append(obj)
    return events


# ---- plugins --------------------------------------------------------------------------------------------------

def _copy(s):
    return C.string_at(s.data, s.size).decode() if s.data and s.size else ""


def _copy_finding(f):
    """A finding as a dict, copied while the plugin's memory is valid (inside emit_finding)."""
    optional = lambda v: None if v == NO_VALUE else v
    return {
        "employee": _copy(f.employee), "scheme": _copy(f.scheme), "rule": _copy(f.rule), "kind": _copy(f.kind),
        "severity": SEVERITIES[f.severity] if 0 <= f.severity < len(SEVERITIES) else "unknown",
        "due": None if f.due == DATE_NONE else f.due, "subject": _copy(f.subject),
        "observed_minutes": optional(f.observed_minutes), "limit_minutes": optional(f.limit_minutes),
        "amount_cents": optional(f.amount_cents), "message_nl": _copy(f.message_nl),
        "message_en": _copy(f.message_en), "source": _copy(f.source), "employer": _copy(f.employer),
        "employees": [_copy(f.employees[i]) for i in range(f.employee_count)] if f.employees else [],
        "explanation": _copy(f.explanation) if f.struct_size >= Finding.explanation.offset + C.sizeof(Str) else "",
        # ABI 1.2: read only when the plugin's struct covers them.
        "id": _copy(f.id) if f.struct_size >= Finding.change.offset else "",
        "trajectory": f.trajectory if f.struct_size >= Finding.change.offset else 0,
        "change": CHANGES.get(f.change, "") if f.struct_size >= Finding.change.offset + 4 else "",
        # ABI 1.4: the rule's title and what to do next.
        **{k: _copy(getattr(f, k)) if f.struct_size >= Finding.action_en.offset + C.sizeof(Str) else ""
           for k in ("title_nl", "title_en", "action_nl", "action_en")},
    }


class PluginError(RuntimeError):
    """A plugin call that failed; `status` is its jc_status (JC_E_INVALID_EVENT: the events were refused)."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class Instance:
    """One plugin instance (one tenant). Not thread-safe: serialize calls on one instance."""

    def __init__(self, plugin, state_path=None, rule_pack_dir=None):
        self.plugin = plugin
        self._findings = None
        self._in_evaluate = False
        # The callbacks and the jc_host must outlive the instance: kept as attributes.
        self._get_extension = GetExtensionFn(lambda host, ext_id: None)
        self._log = LogFn(self._on_log)
        self._emit = EmitFindingFn(self._on_finding)
        self._host = Host(C.sizeof(Host), 0, Version(ABI_VERSION[0], ABI_VERSION[1], 0), None, b"jobcoach_host.py",
                          b"1.0.0", self._get_extension, self._log, self._emit)
        config = InstanceConfig(C.sizeof(InstanceConfig), 0, state_path.encode() if state_path else None,
                                rule_pack_dir.encode() if rule_pack_dir else None)
        error = C.create_string_buffer(512)
        out = PluginPtr()
        status = plugin.entry.create(C.byref(self._host), C.byref(config), C.byref(out), error, len(error))
        if status != JC_OK:
            raise PluginError(f"{plugin.id}: create failed ({status}): {error.value.decode()}")
        self._ptr = out

    def _on_log(self, host, level, message):
        if level >= LOG_WARNING:
            print(f"jobcoach_host.py: {self.plugin.id} says: {_copy(message)}", file=sys.stderr)

    def _on_finding(self, host, finding):
        if not self._in_evaluate:
            return JC_E_UNSUPPORTED
        f = finding.contents if finding else None
        if f is None or f.struct_size < FINDING_SIZE_V1_0 or not (f.employee.size and f.rule.size and f.kind.size):
            print(f"jobcoach_host.py: {self.plugin.id} emitted a finding that is too small or incomplete",
                  file=sys.stderr)
            return JC_E_INVALID_ARGUMENT
        self._findings.append(_copy_finding(f))
        return JC_OK

    def _error(self):
        message = self._ptr.contents.last_error(self._ptr)
        return message.decode() if message else ""

    def handle_events(self, events):
        """Stores a batch of events (dicts) in one transaction. Returns (accepted, duplicates, skipped)."""
        keep = []
        structs = [to_abi(e, keep) for e in events]
        array = (C.POINTER(EventHeader) * len(structs))(*[C.cast(C.pointer(s), C.POINTER(EventHeader))
                                                          for s in structs])
        result = BatchResult(struct_size=C.sizeof(BatchResult))
        status = self._ptr.contents.handle_events(self._ptr, array, len(structs), C.byref(result))
        if status != JC_OK:
            raise PluginError(f"{self.plugin.id} refused the events (event {result.failed_index}): {self._error()}",
                              status)
        return result.accepted, result.duplicates, result.skipped

    def evaluate(self, as_of):
        """The findings as of a date (datetime.date or days since 1970-01-01), as dicts."""
        days = (as_of - EPOCH).days if isinstance(as_of, datetime.date) else int(as_of)
        self._findings, self._in_evaluate = [], True
        try:
            status = self._ptr.contents.evaluate(self._ptr, days)
        finally:
            self._in_evaluate = False
        if status != JC_OK:
            raise PluginError(f"{self.plugin.id} failed to evaluate: {self._error()}")
        return self._findings

    def _findings_extension(self):
        p = self._ptr.contents
        if p.struct_size < PluginStruct.get_extension.offset + C.sizeof(C.c_void_p) or not p.get_extension:
            return None
        address = p.get_extension(self._ptr, b"jc.findings/1")
        if not address:
            return None
        ext = FindingsExtension.from_address(address)
        return ext if ext.struct_size >= C.sizeof(FindingsExtension) else None

    def _collect(self, call, what):
        self._findings, self._in_evaluate = [], True
        try:
            status = call()
        finally:
            self._in_evaluate = False
        if status != JC_OK:
            raise PluginError(f"{self.plugin.id} failed to {what}: {self._error()}")
        return self._findings

    def evaluate_employee(self, employee, as_of):
        """One employee's findings, computed for the employee alone (jc.findings/1); an older plugin is
        evaluated whole and its findings filtered."""
        days = (as_of - EPOCH).days if isinstance(as_of, datetime.date) else int(as_of)
        ext = self._findings_extension()
        if ext is None:
            return [f for f in self.evaluate(days) if f["employee"] == employee or employee in f["employees"]]
        raw = employee.encode()
        key = Str(C.cast(C.c_char_p(raw), C.c_void_p), len(raw))
        return self._collect(lambda: ext.evaluate_employees(self._ptr, C.pointer(key), 1, days), "evaluate")

    def evaluate_changes(self, as_of):
        """What is new, updated or resolved since the plugin last reported (jc.findings/1), each with its
        "change"; None for a plugin without a record (ABI before 1.2)."""
        days = (as_of - EPOCH).days if isinstance(as_of, datetime.date) else int(as_of)
        ext = self._findings_extension()
        if ext is None:
            return None
        return self._collect(lambda: ext.evaluate_changes(self._ptr, None, ALL_EMPLOYEES, days), "evaluate changes")

    def close(self):
        if self._ptr:
            self._ptr.contents.destroy(self._ptr)
            self._ptr = None


class Plugin:
    """A loaded plugin library, checked against its manifest and the version rule."""

    def __init__(self, manifest_path, library, entry):
        self.manifest_path, self.library, self.entry = manifest_path, library, entry
        self.id = entry.descriptor.contents.id.decode()

    @classmethod
    def load(cls, manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
        library_name = manifest.get("library", "")
        abi = manifest.get("abi_version", {})
        if not library_name or "/" in library_name or not manifest.get("id"):
            raise PluginError(f"{manifest_path}: needs id, a library file name and abi_version")
        if not compatible(ABI_VERSION, (abi.get("major"), abi.get("minor", 0))):
            raise PluginError(f"{manifest_path}: needs host ABI {abi.get('major')}.{abi.get('minor')}")
        directory = os.path.dirname(os.path.abspath(manifest_path))
        library = C.CDLL(os.path.join(directory, library_name), mode=os.RTLD_NOW | os.RTLD_LOCAL)
        entry_fn = C.CFUNCTYPE(C.POINTER(Entry))(("jc_plugin_entry_v1", library))
        entry_ptr = entry_fn()
        if not entry_ptr:
            raise PluginError(f"{manifest_path}: the library returned no entry")
        entry = entry_ptr.contents
        if (entry.struct_size < C.sizeof(Entry) or not entry.descriptor or
                not compatible(ABI_VERSION, (entry.min_host_abi.major, entry.min_host_abi.minor)) or
                entry.descriptor.contents.id.decode() != manifest["id"]):
            raise PluginError(f"{manifest_path}: not a compatible jobcoach plugin with id {manifest['id']}")
        error = C.create_string_buffer(512)
        if entry.init(directory.encode(), error, len(error)) != JC_OK:
            raise PluginError(f"{manifest_path}: init failed: {error.value.decode()}")
        return cls(manifest_path, library, entry)

    def create(self, state_path=None, rule_pack_dir=None):
        return Instance(self, state_path, rule_pack_dir)

    def close(self):
        self.entry.deinit()


def find_manifests(directory):
    """*.plugin.json in `directory` or one level below, in path order (as the C++ host runtime)."""
    found = []
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        if name.endswith(".plugin.json") and len(name) > 12:
            found.append(path)
        elif os.path.isdir(path) and not os.path.islink(path):
            found += [os.path.join(path, n) for n in os.listdir(path) if n.endswith(".plugin.json") and len(n) > 12]
    return sorted(found)


# ---- findings out ---------------------------------------------------------------------------------------------

def _key(f):
    due = -2**31 if f["due"] is None else f["due"]
    return (f["employee"].encode(), due, f["rule"].encode(), f["subject"].encode(), f["kind"].encode(),
            f["scheme"].encode())


def settle(findings):
    """As jobcoach-demo: sorted by employee, due (none first), rule, subject; findings alike once."""
    out = []
    for f in sorted(findings, key=_key):
        if not out or _key(out[-1]) != _key(f):
            out.append(f)
    return out


def _escape(s):
    out = []
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def jsonl_line(f):
    """One finding as jobcoach-demo's JSON Lines (docs/formats.md), field for field."""
    parts = [f'"{k}":"{_escape(f[k])}"' for k in ("employee", "scheme", "rule", "kind", "severity")]
    if f["due"] is not None:
        parts.append(f'"due":"{from_days(f["due"])}"')
    if f["subject"]:
        parts.append(f'"subject":"{_escape(f["subject"])}"')
    for k in ("observed_minutes", "limit_minutes", "amount_cents"):
        if f[k] is not None:
            parts.append(f'"{k}":{f[k]}')
    parts += [f'"{k}":"{_escape(f[k])}"' for k in ("message_nl", "message_en", "source")]
    if f["employer"]:
        parts.append(f'"employer":"{_escape(f["employer"])}"')
    if f["employees"]:
        parts.append('"employees":[' + ",".join(f'"{_escape(e)}"' for e in f["employees"]) + "]")
    if f["trajectory"]:
        parts.append(f'"trajectory":{f["trajectory"]}')
    if f["id"]:
        parts.append(f'"id":"{_escape(f["id"])}"')
    if f.get("change"):
        parts.append(f'"change":"{f["change"]}"')
    parts += [f'"{k}":"{_escape(f[k])}"' for k in ("title_nl", "title_en", "action_nl", "action_en") if f.get(k)]
    return "{" + ",".join(parts) + "}"


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Loads the jobcoach plugins of DIR, feeds every event of FILE dated on or before the date, "
                    "and prints the findings as JSON Lines (as jobcoach-demo evaluate --format jsonl).",
        epilog="Example: python3 jobcoach_host.py --plugins /usr/lib/jobcoach/plugins "
               "--events /usr/share/jobcoach/samples/sample-events.jsonl --as-of 2026-11-23")
    parser.add_argument("--plugins", required=True, metavar="DIR", help="plugin directory")
    parser.add_argument("--events", required=True, metavar="FILE", help="event file (JSON Lines, docs/formats.md)")
    parser.add_argument("--as-of", required=True, metavar="DATE", help="evaluation date, YYYY-MM-DD")
    parser.add_argument("--state", metavar="DB", help="keep each plugin's state in DB.<plugin id>")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--employee", metavar="KEY",
                       help="that employee's findings, computed for the employee alone (as jobcoach-demo "
                            "evaluate --employee)")
    which.add_argument("--changes", action="store_true",
                       help="with --state: what is new, updated or resolved since the last --changes run (as "
                            "jobcoach-demo changes)")
    args = parser.parse_args(argv)
    if args.changes and not args.state:
        parser.error("--changes needs --state")
    try:
        as_of = to_days(args.as_of)
    except ValueError:
        print(f'jobcoach_host.py: --as-of "{args.as_of}" is not a date YYYY-MM-DD between 1900 and 2199',
              file=sys.stderr)
        return 2
    try:
        events = [e for e in read_events(args.events) if to_days(e["date"]) <= as_of]
    except (OSError, ValueError) as e:
        print(f"jobcoach_host.py: {e}", file=sys.stderr)
        return 2
    plugins = []
    for manifest in find_manifests(args.plugins):
        try:
            plugins.append(Plugin.load(manifest))
        except (OSError, ValueError, PluginError) as e:
            print(f"jobcoach_host.py: refused {e}", file=sys.stderr)
    if not plugins:
        print(f"jobcoach_host.py: no plugin could be loaded from {args.plugins}", file=sys.stderr)
        return 1
    findings, exit_code = [], 0
    for plugin in plugins:
        instance = plugin.create(f"{args.state}.{plugin.id}" if args.state else None)
        try:
            instance.handle_events(events)
            if args.changes:
                found = instance.evaluate_changes(as_of)
                if found is None:
                    print(f"jobcoach_host.py: {plugin.id} keeps no record of what it reported (ABI before 1.2)",
                          file=sys.stderr)
                findings += found or []
            elif args.employee:
                findings += instance.evaluate_employee(args.employee, as_of)
            else:
                findings += instance.evaluate(as_of)
        except PluginError as e:
            print(f"jobcoach_host.py: {e}", file=sys.stderr)
            exit_code = max(exit_code, 2 if e.status == JC_E_INVALID_EVENT else 1)
        finally:
            instance.close()
    for f in settle(findings):
        print(jsonl_line(f))
    for plugin in reversed(plugins):
        plugin.close()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
