# SPDX-License-Identifier: Apache-2.0
"""Plugins and their instances: the ABI's calls as methods, findings and statuses as Python values.

Ownership follows the C headers: every string handed to a plugin is kept alive until the call returns, and a
finding or a status is copied inside the callback that hands it over. Thread rules: a Plugin may be shared; an
Instance is [instance-serialized]: one call at a time (the Instance holds a lock, so two threads that share one
wait for each other). Different instances may be used from different threads at once."""
import ctypes as C
import dataclasses
import datetime
import logging
import threading
from typing import Iterable, List, Optional, Tuple, Union

from . import _abi
from .errors import EventError, JobcoachError, LoadError, PluginError, Unsupported
from .events import from_days, to_abi, to_days
from .loader import check_and_load, default_plugin_dir, find_manifests, untrusted

log = logging.getLogger("jobcoach")
DateLike = Union[datetime.date, str, int]


def _days(value: DateLike) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return to_days(value)
    except (ValueError, TypeError):
        raise ValueError(f"as_of {value!r}: not a date YYYY-MM-DD between 1900 and 2199") from None


@dataclasses.dataclass(frozen=True)
class Finding:
    """One finding (jc_finding, docs/formats.md "Findings"), copied out of the plugin. Members a plugin of an older
    ABI minor does not have are empty: "" or 0."""
    plugin: str
    employee: str
    scheme: str
    rule: str
    kind: str
    severity: str                  # info, warning, high, critical
    due: Optional[datetime.date]
    subject: str
    observed_minutes: Optional[int]
    limit_minutes: Optional[int]
    amount_cents: Optional[int]
    message_nl: str
    message_en: str
    source: str
    employer: str
    employees: Tuple[str, ...]     # an employer-level finding's employees
    explanation: str               # since ABI 1.1
    id: str                        # since ABI 1.2: stable across dates and severities
    trajectory: int                # since ABI 1.2: 1, 2, … per employee and scheme; 0 for employer-level findings
    change: str                    # since ABI 1.2, in the change feed: new, updated or resolved
    title_nl: str                  # since ABI 1.4
    title_en: str
    action_nl: str
    action_en: str

    def involves(self, employee: str) -> bool:
        return self.employee == employee or employee in self.employees

    def as_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["due"] = self.due.isoformat() if self.due else None
        d["employees"] = list(self.employees)
        return d

    @classmethod
    def _copy(cls, plugin_id, f, explained=True, worded=True):
        optional = lambda v: None if v == _abi.NO_VALUE else v  # noqa: E731
        size = f.struct_size
        has = lambda member: _abi.covers(size, _abi.Finding, member)  # noqa: E731
        text = lambda member: _abi.read_str(getattr(f, member)) if has(member) else ""  # noqa: E731
        words = lambda member: text(member) if worded else ""  # noqa: E731
        return cls(
            plugin=plugin_id, employee=text("employee"), scheme=text("scheme"), rule=text("rule"), kind=text("kind"),
            severity=_abi.SEVERITIES[f.severity] if 0 <= f.severity < len(_abi.SEVERITIES) else "unknown",
            due=from_days(f.due), subject=text("subject"), observed_minutes=optional(f.observed_minutes),
            limit_minutes=optional(f.limit_minutes), amount_cents=optional(f.amount_cents),
            message_nl=words("message_nl"), message_en=words("message_en"), source=text("source"),
            employer=text("employer"),
            employees=tuple(_abi.read_str(f.employees[i]) for i in range(f.employee_count)) if f.employees else (),
            explanation=words("explanation") if explained else "", id=text("id"),
            trajectory=f.trajectory if has("trajectory") else 0,
            change=_abi.CHANGES.get(f.change, "") if has("change") else "",
            title_nl=text("title_nl"), title_en=text("title_en"), action_nl=words("action_nl"),
            action_en=words("action_en"))


@dataclasses.dataclass(frozen=True)
class BatchResult:
    """What handle_events did with a batch (jc_batch_result)."""
    accepted: int
    duplicates: int    # the same id with the same content: applied before, ignored
    skipped: int       # events of a type the plugin does not know or need
    conflicts: int     # since ABI 1.2: 0 on success (a batch with an id stored before with other content is
                       # refused whole: PluginError; correct a record with event.retracted and a new id)


@dataclasses.dataclass(frozen=True)
class Budget:
    rule: str
    subject: str
    first: datetime.date
    last: datetime.date
    current: bool
    limit_minutes: int
    used_minutes: int
    basis: str
    basis_nl: str        # since ABI 1.4
    warning_pct: int     # since ABI 1.3; 0 when absent


@dataclasses.dataclass(frozen=True)
class Due:
    rule: str
    number: int
    kind: str
    due: datetime.date
    satisfied: bool
    finding_id: str      # since ABI 1.2
    lead_days: int       # since ABI 1.3; -1 when absent
    title_nl: str        # since ABI 1.4
    title_en: str


@dataclasses.dataclass(frozen=True)
class Figure:
    name: str
    value: str
    name_nl: str         # since ABI 1.4
    value_nl: str


@dataclasses.dataclass(frozen=True)
class TrajectoryStatus:
    """One trajectory of one employee as of a date (jc.status/1)."""
    plugin: str
    employee: str
    scheme: str
    number: int
    level: str
    start: datetime.date
    max_end: Optional[datetime.date]
    close: Optional[datetime.date]
    close_reason: str
    budgets: Tuple[Budget, ...]
    dues: Tuple[Due, ...]
    figures: Tuple[Figure, ...]
    max_end_finding_id: str   # since ABI 1.2
    max_end_lead_days: int    # since ABI 1.3; -1 when absent


def _elements(address, count, struct, minimum, what):
    """An array the plugin hands over, strided by each element's own struct_size."""
    if count and not address:
        raise ValueError(f"{what}: NULL with a count of {count}")
    out, offset = [], 0
    for _ in range(count):
        size = C.c_uint32.from_address(address + offset).value
        if size < minimum:
            raise ValueError(f"{what}.struct_size {size} is too small")
        out.append((struct.from_address(address + offset), size))
        offset += size
    return out


def _copy_status(plugin_id, s):
    size = s.struct_size
    if size < _abi.TRAJECTORY_STATUS_SIZE_V1_1:
        raise ValueError(f"jc_trajectory_status.struct_size {size} is too small")
    budgets = tuple(
        Budget(rule=_abi.read_str(b.rule), subject=_abi.read_str(b.subject), first=from_days(b.first),
               last=from_days(b.last), current=bool(b.current), limit_minutes=b.limit_minutes,
               used_minutes=b.used_minutes, basis=_abi.read_str(b.basis),
               basis_nl=_abi.read_str(b.basis_nl) if _abi.covers(n, _abi.StatusBudget, "basis_nl") else "",
               warning_pct=b.warning_pct if _abi.covers(n, _abi.StatusBudget, "warning_pct") else 0)
        for b, n in _elements(s.budgets, s.budget_count, _abi.StatusBudget, _abi.STATUS_BUDGET_SIZE_V1_1,
                              "jc_status_budget"))
    dues = tuple(
        Due(rule=_abi.read_str(d.rule), number=d.number, kind=_abi.read_str(d.kind), due=from_days(d.due),
            satisfied=bool(d.satisfied),
            finding_id=_abi.read_str(d.finding_id) if _abi.covers(n, _abi.StatusDue, "finding_id") else "",
            lead_days=d.lead_days if _abi.covers(n, _abi.StatusDue, "lead_days") else -1,
            title_nl=_abi.read_str(d.title_nl) if _abi.covers(n, _abi.StatusDue, "title_en") else "",
            title_en=_abi.read_str(d.title_en) if _abi.covers(n, _abi.StatusDue, "title_en") else "")
        for d, n in _elements(s.dues, s.due_count, _abi.StatusDue, _abi.STATUS_DUE_SIZE_V1_1, "jc_status_due"))
    figures = tuple(
        Figure(name=_abi.read_str(g.name), value=_abi.read_str(g.value),
               name_nl=_abi.read_str(g.name_nl) if _abi.covers(n, _abi.StatusFigure, "value_nl") else "",
               value_nl=_abi.read_str(g.value_nl) if _abi.covers(n, _abi.StatusFigure, "value_nl") else "")
        for g, n in _elements(s.figures, s.figure_count, _abi.StatusFigure, _abi.STATUS_FIGURE_SIZE_V1_1,
                              "jc_status_figure"))
    return TrajectoryStatus(
        plugin=plugin_id, employee=_abi.read_str(s.employee), scheme=_abi.read_str(s.scheme), number=s.number,
        level=_abi.read_str(s.level), start=from_days(s.start), max_end=from_days(s.max_end),
        close=from_days(s.close), close_reason=_abi.read_str(s.close_reason), budgets=budgets, dues=dues,
        figures=figures,
        max_end_finding_id=(_abi.read_str(s.max_end_finding_id)
                            if _abi.covers(size, _abi.TrajectoryStatus, "max_end_finding_id") else ""),
        max_end_lead_days=(s.max_end_lead_days
                           if _abi.covers(size, _abi.TrajectoryStatus, "max_end_lead_days") else -1))


def _key_str(employee: str, keep: list) -> _abi.Str:
    if not isinstance(employee, str) or not employee:
        raise ValueError(f"employee key {employee!r}: must be a non-empty string")
    raw = employee.encode()
    buffer = C.create_string_buffer(raw, len(raw))
    keep.append(buffer)
    return _abi.Str(C.addressof(buffer), len(raw))


class Instance:
    """One plugin instance: one tenant's state (a company, an employer). Use as a context manager or close() it.

    [instance-serialized]: calls on one Instance are made one at a time (a lock here enforces it); a callback of the
    plugin runs on the calling thread, inside the call."""

    def __init__(self, plugin, state_path=None, rule_pack_dir=None):
        self.plugin = plugin
        self._lock = threading.RLock()
        self._sink = None
        self._ptr = None
        # set_explanations(False) on a plugin without jc.explanations/1: its findings' explanations are left out
        # as they are copied. A plugin with it leaves them out itself.
        self._strip_explanations = False
        # set_messages(False): the findings' messages, actions and explanation may be absent; from a plugin without
        # jc.messages/1 they are left out as they are copied (_strip_words).
        self._without_words = False
        self._strip_words = False
        # The callbacks and the jc_host must outlive the instance: kept as attributes.
        self._get_extension = _abi.GetExtensionFn(lambda host, ext_id: None)
        self._log = _abi.LogFn(self._on_log)
        self._emit = _abi.EmitFindingFn(self._on_finding)
        self._host = _abi.Host(C.sizeof(_abi.Host), 0, _abi.Version(*_abi.ABI_VERSION, 0), None,
                               b"jobcoach (Python)", b"1.0.0", self._get_extension, self._log, self._emit)
        config = _abi.InstanceConfig(C.sizeof(_abi.InstanceConfig), 0,
                                     str(state_path).encode() if state_path else None,
                                     str(rule_pack_dir).encode() if rule_pack_dir else None)
        error = C.create_string_buffer(1024)
        out = _abi.PluginPtr()
        status = plugin._entry.create(C.byref(self._host), C.byref(config), C.byref(out), error, len(error) - 1)
        text = error.value.decode("utf-8", "replace")
        if status != _abi.JC_OK or not out:
            raise PluginError(f"plugin {plugin.id}: create failed: {text or 'no instance'}", status or -7, text)
        p = out.contents
        if (p.struct_size < _abi.PluginStruct.last_error.offset + C.sizeof(C.c_void_p) or not p.destroy
                or not p.handle_events or not p.evaluate):
            raise PluginError(f"plugin {plugin.id}: the instance lacks required functions", -7)
        self._ptr = out
        plugin._instances += 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001: nothing may escape a finalizer
            pass

    # ---- callbacks ---------------------------------------------------------------------------------------------
    def _on_log(self, host, level, message):
        try:
            log.log({0: logging.DEBUG, 1: logging.INFO, 2: logging.WARNING}.get(level, logging.ERROR),
                    "[%s] %s", self.plugin.id, _abi.read_str(message))
        except Exception:  # noqa: BLE001: an exception may not cross into the plugin
            pass

    def _on_finding(self, host, finding):
        try:
            if self._sink is None:
                log.warning("[%s] emit_finding called outside an evaluation", self.plugin.id)
                return _abi.JC_E_UNSUPPORTED
            f = finding.contents if finding else None
            if f is None or f.struct_size < _abi.FINDING_SIZE_V1_0 or not (f.employee.size and f.rule.size
                                                                           and f.kind.size) or \
                    not (self._without_words or (f.message_nl.size and f.message_en.size) or
                         (_abi.covers(f.struct_size, _abi.Finding, "change") and f.change == _abi.JC_CHANGE_RESOLVED)):
                log.warning("[%s] emit_finding refused: a finding that is NULL, too small or incomplete",
                            self.plugin.id)
                return _abi.JC_E_INVALID_ARGUMENT
            self._sink(Finding._copy(self.plugin.id, f, not self._strip_explanations, not self._strip_words))
            return _abi.JC_OK
        except Exception as e:  # noqa: BLE001: an exception may not cross into the plugin
            log.warning("[%s] emit_finding refused: %s", self.plugin.id, e)
            return _abi.JC_E_INVALID_ARGUMENT

    # ---- calls -------------------------------------------------------------------------------------------------
    def _live(self):
        if not self._ptr:
            raise JobcoachError(f"plugin {self.plugin.id}: the instance is closed")
        return self._ptr

    def last_error(self) -> str:
        """The plugin's message about its last failed call on this instance."""
        message = self._live().contents.last_error(self._ptr)
        return message.decode("utf-8", "replace") if message else ""

    def _failed(self, what, status, failed_index=None, conflicts=0):
        text = self.last_error()
        cls = Unsupported if status == _abi.JC_E_UNSUPPORTED else PluginError
        return cls(f"plugin {self.plugin.id}: {what} failed ({_abi.STATUS_NAMES.get(status, status)}): {text}",
                   status, text, failed_index, conflicts)

    def handle_events(self, events: Iterable[dict]) -> BatchResult:
        """Stores a batch of events (dicts as in docs/formats.md) in one transaction: all or nothing. An event the
        package cannot carry raises EventError (with its index) before the plugin sees any; one the plugin refuses
        raises PluginError with failed_index. Sending the same event again is a duplicate, not counted twice."""
        keep, structs = [], []
        for index, event in enumerate(events):
            try:
                structs.append(to_abi(event, keep))
            except EventError as e:
                raise EventError(e.field, e.reason + "; nothing of the batch was applied", index=index) from None
        if len(structs) > 0xFFFFFFFE:
            raise ValueError("a batch holds at most 4,294,967,294 events")
        array = (C.POINTER(_abi.EventHeader) * len(structs))(
            *[C.cast(C.pointer(s), C.POINTER(_abi.EventHeader)) for s in structs])
        result = _abi.BatchResult(struct_size=C.sizeof(_abi.BatchResult))
        with self._lock:
            ptr = self._live()
            status = ptr.contents.handle_events(ptr, array, len(structs), C.byref(result))
            if status != _abi.JC_OK:
                index = result.failed_index if result.failed_index < len(structs) else None
                raise self._failed(f"handle_events (event {index})" if index is not None else "handle_events",
                                   status, index, result.conflicts)
        return BatchResult(result.accepted, result.duplicates, result.skipped, result.conflicts)

    def _collect(self, what, call):
        found = []
        with self._lock:
            self._live()
            self._sink = found.append
            try:
                status = call()
            finally:
                self._sink = None
            if status != _abi.JC_OK:
                raise self._failed(what, status)
        return found

    def _extension(self, ext_id, struct, minimum_member):
        p = self._live().contents
        if p.struct_size < _abi.PluginStruct.get_extension.offset + C.sizeof(C.c_void_p) or not p.get_extension:
            return None
        address = p.get_extension(self._ptr, ext_id)
        if not address:
            return None
        ext = struct.from_address(address)
        return ext if _abi.covers(ext.struct_size, struct, minimum_member) else None

    def set_explanations(self, enabled: bool) -> None:
        """Whether the findings of the calls that follow carry their explanation, the computation behind each one
        (jc.explanations/1, ABI 1.5; 13-17 % of the shipped plugins' evaluation). Every instance starts with them. A
        host that shows only the messages, titles and actions (a task list, a banner after a save) turns them off,
        and on again for the call whose findings someone reads in full. The plugin then leaves them unmade; a
        plugin without the extension still makes them, and this package leaves them out as it copies them."""
        if not isinstance(enabled, bool):
            raise TypeError(f"enabled must be True or False, not {enabled!r}")
        ext = self._extension(b"jc.explanations/1", _abi.ExplanationsExtension, "set_explanations")
        with self._lock:
            self._live()
            if ext is not None:
                status = ext.set_explanations(self._ptr, 1 if enabled else 0)
                if status != _abi.JC_OK:
                    raise self._failed("jc.explanations/1 set_explanations", status)
            self._strip_explanations = not enabled and ext is None

    def set_messages(self, enabled: bool) -> None:
        """Whether the findings of the calls that follow carry their words for people: message_nl, message_en,
        action_nl, action_en and explanation (jc.messages/1, ABI 1.7; about a third of the shipped plugins'
        evaluation). Every instance starts with them. A host that keeps one task per finding by its id, severity
        and due date turns them off for the nightly pass or the change feed, and on again for the employee someone
        opens (findings_of). Every other member is the same either way. The plugin then leaves them unmade; a plugin
        without the extension still makes them, and this package leaves them out as it copies them."""
        if not isinstance(enabled, bool):
            raise TypeError(f"enabled must be True or False, not {enabled!r}")
        ext = self._extension(b"jc.messages/1", _abi.MessagesExtension, "set_messages")
        with self._lock:
            self._live()
            if ext is not None:
                status = ext.set_messages(self._ptr, 1 if enabled else 0)
                if status != _abi.JC_OK:
                    raise self._failed("jc.messages/1 set_messages", status)
            self._without_words = not enabled
            self._strip_words = not enabled and ext is None

    def evaluate(self, as_of: DateLike) -> List[Finding]:
        """Every finding of the tenant as of a date."""
        days = _days(as_of)
        return self._collect("evaluate", lambda: self._ptr.contents.evaluate(self._ptr, days))

    def findings_of(self, employees: Union[str, Iterable[str]], as_of: DateLike) -> List[Finding]:
        """The findings of some employees as of a date, computed for them alone, the employer-level findings that
        involve them included (jc.findings/1). A plugin without it is evaluated whole and its findings filtered."""
        keys = [employees] if isinstance(employees, str) else list(employees)
        days = _days(as_of)
        ext = self._extension(b"jc.findings/1", _abi.FindingsExtension, "evaluate_employees")
        if ext is None:
            return [f for f in self.evaluate(days) if any(f.involves(k) for k in keys)]
        keep = []
        array = (_abi.Str * max(len(keys), 1))(*[_key_str(k, keep) for k in keys])
        return self._collect("evaluate_employees",
                             lambda: ext.evaluate_employees(self._ptr, array, len(keys), days))

    def changes(self, as_of: DateLike, employees: Optional[Iterable[str]] = None) -> List[Finding]:
        """What is new, updated or resolved since this plugin's state last reported (jc.findings/1), each Finding
        with its `change`; the state records what it reported, so the feed is right across restarts. `employees`:
        only theirs. Raises Unsupported for a plugin of ABI before 1.2."""
        days = _days(as_of)
        ext = self._extension(b"jc.findings/1", _abi.FindingsExtension, "evaluate_changes")
        if ext is None:
            raise Unsupported(f"plugin {self.plugin.id} keeps no record of what it reported (ABI before 1.2)",
                              _abi.JC_E_UNSUPPORTED)
        if employees is None:
            return self._collect("evaluate_changes",
                                 lambda: ext.evaluate_changes(self._ptr, None, _abi.ALL_EMPLOYEES, days))
        keys, keep = list(employees), []
        array = (_abi.Str * max(len(keys), 1))(*[_key_str(k, keep) for k in keys])
        return self._collect("evaluate_changes", lambda: ext.evaluate_changes(self._ptr, array, len(keys), days))

    def status(self, employee: str, as_of: DateLike) -> List[TrajectoryStatus]:
        """The employee's trajectories as of a date: budgets, dues, figures (jc.status/1); [] for an employee the
        plugin has no trajectory of. Raises Unsupported for a plugin without jc.status/1."""
        days = _days(as_of)
        ext = self._extension(b"jc.status/1", _abi.StatusExtension, "query")
        if ext is None:
            raise Unsupported(f"plugin {self.plugin.id} has no jc.status/1", _abi.JC_E_UNSUPPORTED)
        found, errors, keep = [], [], []
        key = _key_str(employee, keep)

        def sink(context, status):
            try:
                if not status:
                    raise ValueError("jc_trajectory_status is NULL")
                found.append(_copy_status(self.plugin.id, status.contents))
                return _abi.JC_OK
            except Exception as e:  # noqa: BLE001: an exception may not cross into the plugin
                errors.append(str(e))
                return _abi.JC_E_INVALID_ARGUMENT
        callback = _abi.StatusSinkFn(sink)
        with self._lock:
            self._live()
            status = ext.query(self._ptr, key, days, None, callback)
            if errors:
                raise PluginError(f"plugin {self.plugin.id}: jc.status/1: {errors[0]}", _abi.JC_E_INVALID_ARGUMENT)
            if status != _abi.JC_OK:
                raise self._failed("jc.status/1 query", status)
        return found

    def knows(self, employee: str) -> bool:
        """True when the plugin holds any event of the employee (jc.status/1 knows)."""
        ext = self._extension(b"jc.status/1", _abi.StatusExtension, "knows")
        if ext is None:
            raise Unsupported(f"plugin {self.plugin.id} has no jc.status/1 knows", _abi.JC_E_UNSUPPORTED)
        keep = []
        key = _key_str(employee, keep)
        with self._lock:
            self._live()
            answer = ext.knows(self._ptr, key)
            if answer < 0:
                raise self._failed("jc.status/1 knows", answer)
        return answer == 1

    def erase(self, employee: str) -> Tuple[int, int]:
        """Removes every stored event and finding of the employee (GDPR art. 17, jc.erase/1): nothing of the key is
        left in the state files; other employees untouched. Returns (events erased, findings erased)."""
        ext = self._extension(b"jc.erase/1", _abi.EraseExtension, "erase_employee")
        if ext is None:
            raise Unsupported(f"plugin {self.plugin.id} has no jc.erase/1 (ABI before 1.2)", _abi.JC_E_UNSUPPORTED)
        keep = []
        key = _key_str(employee, keep)
        events, findings = C.c_uint64(0), C.c_uint64(0)
        with self._lock:
            self._live()
            status = ext.erase_employee(self._ptr, key, C.byref(events), C.byref(findings))
            if status != _abi.JC_OK:
                raise self._failed("jc.erase/1 erase_employee", status)
        return events.value, findings.value

    def close(self):
        """Destroys the instance (its state stays on disk). Safe to call twice."""
        with self._lock:
            if self._ptr:
                ptr, self._ptr = self._ptr, None
                ptr.contents.destroy(ptr)
                self.plugin._instances -= 1


class Plugin:
    """A loaded plugin library, checked as the C++ host runtime checks it (jobcoach.loader)."""

    def __init__(self, manifest, library, entry):
        self.manifest_path, self._library, self._entry = manifest.path, library, entry
        d = entry.descriptor.contents
        text = lambda b: b.decode("utf-8", "replace") if b else ""  # noqa: E731
        self.id, self.name = manifest.id, text(d.name) or manifest.name
        self.vendor, self.version, self.description = text(d.vendor), text(d.version), text(d.description)
        self.abi_version = (entry.abi_version.major, entry.abi_version.minor)
        self.min_host_abi = (entry.min_host_abi.major, entry.min_host_abi.minor)
        self.schemes = manifest.schemes
        self._instances = 0
        self._initialised = True

    @classmethod
    def load(cls, manifest_path, loaded_ids=(), allowlist=None):
        """The plugin of one manifest; LoadError names the check that refused it. `allowlist`: SHA-256 digests (hex)
        of the libraries this host accepts, or None for no allowlist."""
        return cls(*check_and_load(str(manifest_path), loaded_ids, allowlist))

    def create(self, state_path=None, rule_pack_dir=None) -> Instance:
        """A new instance: `state_path` a SQLite file for the tenant's state (kept across restarts; None: in memory),
        `rule_pack_dir` a directory of rule packs to use instead of the plugin's own."""
        return Instance(self, state_path, rule_pack_dir)

    def close(self):
        """Calls the plugin's deinit (reference-counted by the plugin); every instance must be closed first."""
        if self._instances:
            raise JobcoachError(f"plugin {self.id}: {self._instances} instance(s) still open")
        if self._initialised:
            self._initialised = False
            self._entry.deinit()

    def __repr__(self):
        return f"<jobcoach.Plugin {self.id} {self.version} ABI {self.abi_version[0]}.{self.abi_version[1]}>"


def load_plugins(directory=None, allowlist=None):
    """Loads every plugin of a directory (default: the installed plugins, default_plugin_dir()) in path order.
    Returns (plugins, refusals): refusals are the LoadErrors of the plugins refused; one refused plugin does not
    stop the others."""
    directory = str(directory or default_plugin_dir())
    plugins, refusals = [], []
    why = untrusted(directory, True)
    if why:
        return [], [LoadError(directory, "permissions", why)]
    for manifest in find_manifests(directory):
        try:
            plugins.append(Plugin.load(manifest, [p.id for p in plugins], allowlist))
        except JobcoachError as e:
            refusals.append(e)
    return plugins, refusals
