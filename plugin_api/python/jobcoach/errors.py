# SPDX-License-Identifier: Apache-2.0
"""The exceptions of the jobcoach package. Every one is a JobcoachError."""
from ._abi import STATUS_NAMES


class JobcoachError(RuntimeError):
    """Something the jobcoach ABI refused or failed. `status` is the jc_status of the call (None when no plugin
    call failed) and `last_error` the plugin's own words (jc_plugin.last_error, or create's error buffer)."""

    def __init__(self, message, status=None, last_error=""):
        super().__init__(message)
        self.status = status
        self.last_error = last_error

    @property
    def status_name(self):
        return STATUS_NAMES.get(self.status, f"status {self.status}") if self.status is not None else ""


class LoadError(JobcoachError):
    """A plugin the loader refused: `check` names the loader check that refused it (as jobcoach-validate and the
    C++ host runtime name them: permissions, manifest, version, allowlist, symbol, load, entry, descriptor, init)
    and `path` the manifest."""

    def __init__(self, path, check, reason, status=None, last_error=""):
        super().__init__(f"{path}: {check} check: {reason}", status, last_error)
        self.path, self.check, self.reason = path, check, reason


class EventError(JobcoachError, ValueError):
    """An event the package could not turn into its ABI struct: `field` names the member, `index` the event's place
    in the batch (from 0) or `line` its line in a file. Nothing of the batch or file was applied."""

    def __init__(self, field, message, index=None, line=None, path=None):
        where = f"{path}:{line}: " if path and line else f"event {index}: " if index is not None else ""
        super().__init__(f"{where}field '{field}': {message}")
        self.field, self.reason, self.index, self.line, self.path = field, message, index, line, path


class PluginError(JobcoachError):
    """A plugin call that failed. For handle_events, `failed_index` is the batch index of the refused event (the
    batch was not applied) when the plugin named one, and `conflicts` how many of its events reuse a stored id
    with other content (ABI 1.2; correct a record with event.retracted of the old id and a new id)."""

    def __init__(self, message, status=None, last_error="", failed_index=None, conflicts=0):
        super().__init__(message, status, last_error)
        self.failed_index, self.conflicts = failed_index, conflicts


class Unsupported(PluginError):
    """The plugin lacks the extension a call needs (built against an older ABI minor)."""
