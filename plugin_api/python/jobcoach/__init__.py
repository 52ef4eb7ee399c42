# SPDX-License-Identifier: Apache-2.0
"""jobcoach: the jobcoach plugins' C ABI for Python hosts (Odoo, Frappe HR, Tryton), with ctypes only.

    import jobcoach
    plugins, refused = jobcoach.load_plugins()          # the installed plugins; refused: LoadErrors
    for plugin in plugins:
        with plugin.create(state_path=f"/var/lib/hr/tenant-42.{plugin.id}.db") as instance:
            instance.handle_events([{"type": "timesheet.logged", "id": "ts-9", "employee": "E-17",
                                     "date": "2026-03-02", "minutes": 90, "scheme": "uwv-extern"}])
            for finding in instance.findings_of("E-17", datetime.date.today()):   # one save: that employee
                print(finding.id, finding.severity, finding.message_en)
            for finding in instance.changes(datetime.date.today()):   # the task list: new, updated, resolved
                ...

The version rule of jobcoach/version.h: a plugin loads when its major is this package's (ABI_VERSION) and the
minor it needs is at most this one's; members and extensions a plugin of an older minor lacks read as empty or
raise Unsupported. Errors are exceptions (JobcoachError) that carry the plugin's last_error."""
from ._abi import ABI_VERSION, EVENT_SCHEMA_VERSION, SEVERITIES
from .errors import EventError, JobcoachError, LoadError, PluginError, Unsupported
from .events import check as check_event, from_days, read_events, to_days
from .loader import default_plugin_dir, find_manifests
from .output import jsonl_line, settle
from .plugin import (BatchResult, Budget, Due, Figure, Finding, Instance, Plugin, TrajectoryStatus,
                     load_plugins)

__version__ = "1.0.0"  # the packages' version; the ABI is ABI_VERSION
__all__ = ["ABI_VERSION", "EVENT_SCHEMA_VERSION", "SEVERITIES", "BatchResult", "Budget", "Due", "EventError",
           "Figure", "Finding", "Instance", "JobcoachError", "LoadError", "Plugin", "PluginError",
           "TrajectoryStatus", "Unsupported", "check_event", "default_plugin_dir", "find_manifests", "from_days",
           "jsonl_line", "load_plugins", "read_events", "settle", "to_days"]
