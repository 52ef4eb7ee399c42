# SPDX-License-Identifier: Apache-2.0
"""Between Tryton and the plugins: one plugin instance per company (tenant) and plugin, its state beside Tryton's
database; events queued per database transaction and handed to the plugins when it commits.

Where the state lives: [jobcoach] state_dir in trytond.conf, else the environment's JOBCOACH_STATE_DIR, else
<[database] path>/jobcoach. A file per database, company and plugin: <db>-company-<id>.<plugin id>.db. Several
trytond worker processes may share it: each sees the others' committed batches (the plugins' SQLite locking).
Which plugins: [jobcoach] plugin_dir, else jobcoach.default_plugin_dir() (the installed ones)."""
import json
import logging
import os
import threading

import jobcoach
from trytond.config import config
from trytond.transaction import Transaction

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_plugins = None
_instances = {}  # (database, company id) -> [jobcoach.Instance], one per plugin


def plugins():
    """The plugins, loaded once per process with the loader's checks; a refused one is logged and left out."""
    global _plugins
    with _lock:
        if _plugins is None:
            directory = config.get('jobcoach', 'plugin_dir', default=None) or jobcoach.default_plugin_dir()
            loaded, refused = jobcoach.load_plugins(directory)
            for e in refused:
                logger.warning("jobcoach plugin refused: %s", e)
            if not loaded:
                raise jobcoach.JobcoachError(f"no jobcoach plugin could be loaded from {directory}")
            _plugins = loaded
        return _plugins


def state_dir():
    directory = (config.get('jobcoach', 'state_dir', default=None) or os.environ.get('JOBCOACH_STATE_DIR')
                 or os.path.join(config.get('database', 'path'), 'jobcoach'))
    os.makedirs(directory, mode=0o700, exist_ok=True)
    return directory


def instances(company_id):
    """The plugin instances of a company of the current database."""
    database = Transaction().database.name
    key = (database, company_id)
    with _lock:
        found = _instances.get(key)
    if found is None:
        name = 'memory' if database == ':memory:' else database
        found = [p.create(os.path.join(state_dir(), f"{name}-company-{company_id}.{p.id}.db")) for p in plugins()]
        with _lock:
            found = _instances.setdefault(key, found)
    return found


def forget_instances():
    """Closes every instance (a test's database is dropped, or a process ends)."""
    with _lock:
        for found in _instances.values():
            for instance in found:
                instance.close()
        _instances.clear()


def employee_key(employee_id):
    """The pseudonymous key the plugins know an employee by: never a name."""
    return f"employee-{employee_id}"


def employee_id(key):
    prefix = "employee-"
    return int(key[len(prefix):]) if key.startswith(prefix) and key[len(prefix):].isdigit() else None


class EventQueue:
    """Tryton's two-phase commit: the events of one transaction, per company, handed to the plugins in commit()
    (before the database commits: a plugin that refuses one makes the save fail, and the transaction rolls back),
    then the findings of the employees they touched are brought up to date in the same transaction. A rollback
    (tpc_abort) drops the queue: nothing is sent.

    The one window: the plugins have stored a batch and then the database commit itself fails. Tryton retries a
    request that failed on a database conflict; the retry sends the same events under the same ids, which the
    plugins count once (duplicates). A record changed again after such a failure is refused by the plugins (an id
    stored before with other content), with their words, rather than counted twice."""

    def __init__(self):
        self.events = {}  # company id -> [event dict]

    def __eq__(self, other):
        return isinstance(other, EventQueue)

    def __hash__(self):
        return hash(EventQueue)

    def add(self, company_id, events):
        self.events.setdefault(company_id, []).extend(events)

    def tpc_begin(self, trans):
        pass

    def commit(self, trans):
        from trytond.pool import Pool
        Finding = Pool().get('jobcoach.finding')
        events, self.events = self.events, {}
        for company_id, batch in events.items():
            for instance in instances(company_id):
                instance.handle_events(batch)
            _journal(batch)
            touched = sorted({e['employee'] for e in batch})
            Finding.apply_changes(company_id, touched)

    def tpc_vote(self, trans):
        pass

    def tpc_finish(self, trans):
        pass

    def tpc_abort(self, trans):
        self.events = {}


def _journal(batch):
    """[jobcoach] event_journal, or JOBCOACH_EVENT_JOURNAL: every event handed to the plugins, appended as JSON
    Lines (docs/formats.md), so a support desk can replay what Tryton sent with jobcoach-demo. Pseudonymous keys,
    dates and numbers only."""
    path = config.get('jobcoach', 'event_journal', default=None) or os.environ.get('JOBCOACH_EVENT_JOURNAL')
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        for event in batch:
            f.write(json.dumps(event, default=lambda d: d.isoformat(), separators=(",", ":")) + "\n")


def send(company_id, events):
    """Queues events of a company for the commit of the current transaction."""
    if events:
        Transaction().join(EventQueue()).add(company_id, events)
