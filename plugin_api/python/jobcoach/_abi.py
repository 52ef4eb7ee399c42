# SPDX-License-Identifier: Apache-2.0
"""The C ABI as ctypes structs: jobcoach/types.h, version.h, events.h, finding.h, host.h, plugin.h, entry.h and
the extensions jc.findings/1, jc.status/1, jc.erase/1, jc.explanations/1 and jc.messages/1 (jobcoach/ext/). Layouts are pinned
against the headers by tests/hosts/python_layout.py; members are only ever appended, and a struct a plugin hands
over is read only as far as its struct_size covers."""
import ctypes as C

ABI_VERSION = (1, 7)          # JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR of the headers this mirrors (1.6's
                              # host extension jc.threads/1 is one a host may offer, and this one does not)
EVENT_SCHEMA_VERSION = 1      # JC_EVENT_SCHEMA_VERSION
ENTRY_SYMBOL = "jc_plugin_entry_v1"

JC_OK = 0
STATUS_NAMES = {0: "JC_OK", -1: "JC_E_INVALID_ARGUMENT", -2: "JC_E_INVALID_EVENT", -3: "JC_E_UNSUPPORTED",
                -4: "JC_E_VERSION", -5: "JC_E_STORAGE", -6: "JC_E_RULE_PACK", -7: "JC_E_INTERNAL",
                -8: "JC_E_OUT_OF_MEMORY"}
JC_E_INVALID_ARGUMENT, JC_E_INVALID_EVENT, JC_E_UNSUPPORTED = -1, -2, -3
DATE_NONE = -2**31            # JC_DATE_NONE
DATE_MIN, DATE_MAX = -25567, 84005   # 1900-01-01 and 2199-12-31 as days since 1970-01-01
NO_VALUE = -2**63             # JC_NO_VALUE
LOG_WARNING = 2
SEVERITIES = ("info", "warning", "high", "critical")
CHANGES = {0: "", 1: "new", 2: "updated", 3: "resolved"}
JC_CHANGE_RESOLVED = 3
ALL_EMPLOYEES = 0xFFFFFFFF    # JC_ALL_EMPLOYEES


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


class Finding(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("severity", C.c_int32), ("employee", Str), ("scheme", Str),
                ("rule", Str), ("kind", Str), ("subject", Str), ("due", C.c_int32), ("reserved0", C.c_uint32),
                ("observed_minutes", C.c_int64), ("limit_minutes", C.c_int64), ("amount_cents", C.c_int64),
                ("message_nl", Str), ("message_en", Str), ("source", Str), ("employer", Str),
                ("employees", C.POINTER(Str)), ("employee_count", C.c_uint32), ("reserved1", C.c_uint32),
                ("explanation", Str),                                                    # since ABI 1.1
                ("id", Str), ("trajectory", C.c_uint32), ("change", C.c_uint32),         # since ABI 1.2
                ("title_nl", Str), ("title_en", Str), ("action_nl", Str), ("action_en", Str)]  # since ABI 1.4


FINDING_SIZE_V1_0 = Finding.explanation.offset


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
    ("get_extension", C.CFUNCTYPE(C.c_void_p, PluginPtr, C.c_char_p)),   # since ABI 1.1
]


class FindingsExtension(C.Structure):
    """jc.findings/1 (jobcoach/ext/findings.h), since ABI 1.2."""
    _fields_ = [("struct_size", C.c_uint32), ("reserved0", C.c_uint32),
                ("evaluate_employees", C.CFUNCTYPE(C.c_int32, PluginPtr, C.POINTER(Str), C.c_uint32, C.c_int32)),
                ("evaluate_changes", C.CFUNCTYPE(C.c_int32, PluginPtr, C.POINTER(Str), C.c_uint32, C.c_int32))]


class EraseExtension(C.Structure):
    """jc.erase/1 (jobcoach/ext/erase.h), since ABI 1.2."""
    _fields_ = [("struct_size", C.c_uint32), ("reserved0", C.c_uint32),
                ("erase_employee", C.CFUNCTYPE(C.c_int32, PluginPtr, Str, C.POINTER(C.c_uint64),
                                               C.POINTER(C.c_uint64)))]


class ExplanationsExtension(C.Structure):
    """jc.explanations/1 (jobcoach/ext/explanations.h), since ABI 1.5."""
    _fields_ = [("struct_size", C.c_uint32), ("reserved0", C.c_uint32),
                ("set_explanations", C.CFUNCTYPE(C.c_int32, PluginPtr, C.c_uint32))]


class MessagesExtension(C.Structure):
    """jc.messages/1 (jobcoach/ext/messages.h), since ABI 1.7."""
    _fields_ = [("struct_size", C.c_uint32), ("reserved0", C.c_uint32),
                ("set_messages", C.CFUNCTYPE(C.c_int32, PluginPtr, C.c_uint32))]


class StatusBudget(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("current", C.c_uint32), ("rule", Str), ("subject", Str),
                ("first", C.c_int32), ("last", C.c_int32), ("limit_minutes", C.c_int64),
                ("used_minutes", C.c_int64), ("basis", Str),
                ("warning_pct", C.c_int32), ("reserved0", C.c_uint32),   # since ABI 1.3
                ("basis_nl", Str)]                                       # since ABI 1.4


class StatusDue(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("number", C.c_int32), ("rule", Str), ("kind", Str),
                ("due", C.c_int32), ("satisfied", C.c_uint32),
                ("finding_id", Str),                                     # since ABI 1.2
                ("lead_days", C.c_int32), ("reserved0", C.c_uint32),     # since ABI 1.3
                ("title_nl", Str), ("title_en", Str)]                    # since ABI 1.4


class StatusFigure(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("reserved0", C.c_uint32), ("name", Str), ("value", Str),
                ("name_nl", Str), ("value_nl", Str)]                     # since ABI 1.4


class TrajectoryStatus(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("number", C.c_int32), ("employee", Str), ("scheme", Str),
                ("level", Str), ("close_reason", Str), ("start", C.c_int32), ("max_end", C.c_int32),
                ("close", C.c_int32), ("budget_count", C.c_uint32), ("budgets", C.c_void_p), ("dues", C.c_void_p),
                ("figures", C.c_void_p), ("due_count", C.c_uint32), ("figure_count", C.c_uint32),
                ("max_end_finding_id", Str),                             # since ABI 1.2
                ("max_end_lead_days", C.c_int32), ("reserved0", C.c_uint32)]  # since ABI 1.3


STATUS_BUDGET_SIZE_V1_1 = StatusBudget.warning_pct.offset
STATUS_DUE_SIZE_V1_1 = StatusDue.finding_id.offset
STATUS_FIGURE_SIZE_V1_1 = StatusFigure.name_nl.offset
TRAJECTORY_STATUS_SIZE_V1_1 = TrajectoryStatus.max_end_finding_id.offset

StatusSinkFn = C.CFUNCTYPE(C.c_int32, C.c_void_p, C.POINTER(TrajectoryStatus))


class StatusExtension(C.Structure):
    """jc.status/1 (jobcoach/ext/status.h), since ABI 1.1; `knows` appended in 1.1's headers."""
    _fields_ = [("struct_size", C.c_uint32), ("reserved0", C.c_uint32),
                ("query", C.CFUNCTYPE(C.c_int32, PluginPtr, Str, C.c_int32, C.c_void_p, StatusSinkFn)),
                ("knows", C.CFUNCTYPE(C.c_int32, PluginPtr, Str))]


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


def covers(struct_size, struct, member):
    """True when a struct of `struct_size` bytes (as its maker built it) holds `member` of `struct` whole."""
    field = getattr(struct, member)
    return struct_size >= field.offset + field.size


def read_str(s):
    """A jc_str as Python text, read by its size (it may hold NUL bytes); empty when absent."""
    return C.string_at(s.data, s.size).decode("utf-8", "replace") if s.data and s.size else ""
