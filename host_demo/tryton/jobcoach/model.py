# SPDX-License-Identifier: Apache-2.0
"""The module's models: what Tryton lacks (coaching grants, extensions, reports submitted), the findings, and the
hooks on Tryton's own employees and timesheet lines that turn saves into jobcoach events (docs/formats.md).

Every record that yields events keeps the ids of the events it sent (jobcoach_events: "revision|digest|ids"). A
change retracts them (event.retracted) and sends the record anew under new ids; a deletion retracts them. An event
is sent only for an employee with a coaching grant, under a pseudonymous key (bridge.employee_key): no name, no
medical data, only dates and numbers leave Tryton."""
import hashlib
import json

from trytond.exceptions import UserError
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import bridge

COACH_FORMS = [(None, ""), ('extern', "External"), ('intern', "Internal"), ('gemeente', "Gemeente")]
ACTIVITIES = [('coaching', "Coaching"), ('visit', "Workplace visit"), ('contact', "Contact")]
SEVERITIES = [('info', "Info"), ('warning', "Warning"), ('high', "High"), ('critical', "Critical")]
INTERNAL = '_jobcoach_internal'   # context key: a write of the module's own bookkeeping, which sends nothing
ERASING = '_jobcoach_erasing'     # context key: records removed by an erasure, which retract nothing


def as_of():
    """The date findings are evaluated on: the context's jobcoach_as_of, else today."""
    return Transaction().context.get('jobcoach_as_of') or Pool().get('ir.date').today()


class EventSource:
    """A model whose records yield jobcoach events. A subclass gives _jobcoach_company(), _jobcoach_employee_key()
    and _jobcoach_make() -> [event dict without id]; the hooks below send them when records are created, changed
    or deleted (a write of the module's own bookkeeping, INTERNAL, sends nothing)."""
    __slots__ = ()
    _jobcoach_tag = ''

    @classmethod
    def create(cls, vlist):
        records = super().create(vlist)
        if not Transaction().context.get(INTERNAL):
            # The employment goes first, once: the plugins need the contract of an employee's first coached record.
            Employee = Pool().get('company.employee')
            unsent = {e for e in cls._jobcoach_employees(records) if not e.jobcoach_events}
            Employee._jobcoach_sync(list(unsent))
            cls._jobcoach_sync(records)
        return records

    @classmethod
    def write(cls, *args):
        super().write(*args)
        if not Transaction().context.get(INTERNAL):
            cls._jobcoach_sync(sum(args[::2], []))

    @classmethod
    def delete(cls, records):
        cls._jobcoach_retract_all(records)
        super().delete(records)

    @classmethod
    def _jobcoach_employees(cls, records):
        """The employees the records belong to, whose contract must reach the plugins before them."""
        return [r.employee for r in records]

    @classmethod
    def _jobcoach_sync(cls, records):
        for record in records:
            events = record._jobcoach_make()
            digest = hashlib.sha256(json.dumps(events, sort_keys=True, default=str).encode()).hexdigest()[:16]
            revision, old_digest, old_ids = cls._jobcoach_parse(record.jobcoach_events)
            if digest == old_digest or (not events and not old_ids):
                continue
            revision += 1
            company = record._jobcoach_company()
            retractions = cls._jobcoach_retractions(record, old_ids, revision)
            ids = [f"{cls._jobcoach_tag}-{record.id}-r{revision}-{n}" for n in range(len(events))]
            bridge.send(company, retractions + [dict(e, id=i) for e, i in zip(events, ids)])
            cls._jobcoach_note_sent(record, f"{revision}|{digest}|{' '.join(ids)}")

    @classmethod
    def _jobcoach_note_sent(cls, record, value):
        """Keeps the ids sent in the record's jobcoach_events, as bookkeeping: in SQL, so that the record's
        write_date stays as the user left it. A write through the ORM would change it, and a form that shows the
        record (an employee, while a timesheet line of theirs is saved) would then be refused on its next save as
        modified in the meanwhile."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.jobcoach_events], [value], where=table.id == record.id))
        # What ModelStorage.write does to the caches, so that the new value is read back.
        Transaction().counter += 1
        record._local_cache.pop(record.id, None)
        for cache in Transaction().cache.values():
            cache.get(cls.__name__, {}).pop(record.id, None)

    @staticmethod
    def _jobcoach_parse(text):
        if not text:
            return 0, '', []
        revision, digest, ids = text.split('|', 2)
        return int(revision), digest, ids.split()

    @classmethod
    def _jobcoach_retractions(cls, record, old_ids, revision):
        key = record._jobcoach_employee_key()
        return [{'type': 'event.retracted', 'id': f"{old}-x{revision}", 'employee': key, 'date': as_of(),
                 'retracts': old} for old in old_ids]

    @classmethod
    def _jobcoach_retract_all(cls, records):
        if Transaction().context.get(ERASING):
            return
        for record in records:
            revision, _, old_ids = cls._jobcoach_parse(record.jobcoach_events)
            if old_ids:
                bridge.send(record._jobcoach_company(), cls._jobcoach_retractions(record, old_ids, revision + 1))


def schemes():
    """The schemes the loaded plugins cover (their descriptors), for a selection."""
    return [(s, s) for p in bridge.plugins() for s in p.schemes]


def optional_schemes():
    return [(None, "")] + schemes()


def employee_key(employee):
    """The pseudonymous key the plugins know an employee by: the employee's jobcoach key (an HR suite's own
    pseudonymous number), else employee-<id>. Never a name."""
    return employee.jobcoach_key or bridge.employee_key(employee.id)


def employee_of(key):
    """The employee id of a key, or None."""
    Employee = Pool().get('company.employee')
    found = Employee.search([('jobcoach_key', '=', key)], limit=1)
    if found:
        return found[0].id
    employee = bridge.employee_id(key)
    return employee if employee is not None and Employee.search([('id', '=', employee)], limit=1) else None


class EmployeeRecord(EventSource, ModelSQL, ModelView):
    """What the module's records share: an employee and a date; the hooks that send their events."""
    __slots__ = ()
    employee = fields.Many2One('company.employee', "Employee", required=True, ondelete='RESTRICT')
    company = fields.Function(fields.Many2One('company.company', "Company"), 'on_change_with_company')
    date = fields.Date("Date", required=True)
    jobcoach_events = fields.Char("Jobcoach Events", readonly=True)

    @fields.depends('employee', '_parent_employee.company')
    def on_change_with_company(self, name=None):
        return self.employee.company.id if self.employee else None

    def _jobcoach_company(self):
        return self.employee.company.id

    def _jobcoach_employee_key(self):
        return employee_key(self.employee)

    def _jobcoach_base(self, type_):
        event = {'type': type_, 'employee': self._jobcoach_employee_key(), 'date': self.date}
        if getattr(self, 'scheme', None):
            event['scheme'] = self.scheme
        return event


class CoachingRecord(EmployeeRecord):
    """A record of one scheme: a grant, an extension, a report, a transfer."""
    __slots__ = ()
    scheme = fields.Selection('get_schemes', "Scheme", required=True)

    @classmethod
    def get_schemes(cls):
        return schemes()


class Grant(CoachingRecord):
    "Jobcoach Coaching Grant"
    __name__ = 'jobcoach.grant'
    _jobcoach_tag = 'grant'
    level = fields.Char("Level or Package", help="UWV: laag, midden or hoog; a gemeente scheme: its package")
    granted_hours = fields.Float("Granted Hours", digits=(16, 2), help="Leave empty where the rules set the budget")
    coach_form = fields.Selection(COACH_FORMS, "Coach Form")
    prior_months = fields.Integer("Prior Months", help="Months of coaching the employee had before this grant")
    justification = fields.Text("Justification")
    end_date = fields.Date("Coaching Ended")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('date', 'DESC'))

    def get_rec_name(self, name):
        return f"{self.employee.rec_name}: {self.scheme} {self.date}"

    def _jobcoach_make(self):
        event = self._jobcoach_base('coaching.granted')
        for field in ('level', 'coach_form', 'justification', 'prior_months'):
            if getattr(self, field) not in (None, ''):
                event[field] = getattr(self, field)
        if self.granted_hours is not None:
            event['granted_hours'] = self.granted_hours
        events = [event]
        if self.end_date:
            events.append({'type': 'coaching.ended', 'employee': event['employee'], 'date': self.end_date,
                           'scheme': self.scheme})
        return events


class Extension(CoachingRecord):
    "Jobcoach Trajectory Extension"
    __name__ = 'jobcoach.extension'
    _jobcoach_tag = 'extension'
    months = fields.Integer("Months", required=True)
    justification = fields.Text("Justification")

    def _jobcoach_make(self):
        event = dict(self._jobcoach_base('coaching.extended'), months=self.months)
        if self.justification:
            event['justification'] = self.justification
        return [event]


class Report(EmployeeRecord):
    "Jobcoach Report Submitted"
    __name__ = 'jobcoach.report'
    _jobcoach_tag = 'report'
    scheme = fields.Selection('get_optional_schemes', "Scheme", help="Leave empty for the trajectory in force")
    kind = fields.Selection([('plan', "Plan"), ('evaluation', "Evaluation"), ('plan-revision', "Plan revision"),
                             ('necessity-review', "Necessity review"), ('period-report', "Period report"),
                             ('continuation', "Continuation"), ('contract-end-notice', "Contract end notice"),
                             ('lks-check', "LKS check")], "Kind", required=True)

    @classmethod
    def get_optional_schemes(cls):
        return optional_schemes()

    def _jobcoach_make(self):
        return [dict(self._jobcoach_base('report.submitted'), kind=self.kind)]


class Transfer(CoachingRecord):
    "Jobcoach Budget Transfer"
    __name__ = 'jobcoach.transfer'
    _jobcoach_tag = 'transfer'
    minutes = fields.Integer("Minutes", required=True, help="Minutes moved into the current budget span")
    justification = fields.Text("Justification")

    def _jobcoach_make(self):
        event = dict(self._jobcoach_base('budget.transferred'), minutes=self.minutes)
        if self.justification:
            event['justification'] = self.justification
        return [event]


class Absence(EmployeeRecord):
    "Jobcoach Absence"
    __name__ = 'jobcoach.absence'
    _jobcoach_tag = 'absence'
    end_date = fields.Date("End Date")

    def _jobcoach_make(self):
        """A long absence pauses the deadlines (no reason is kept or sent: never medical data)."""
        key = self._jobcoach_employee_key()
        events = [{'type': 'absence.started', 'employee': key, 'date': self.date}]
        if self.end_date:
            events.append({'type': 'absence.ended', 'employee': key, 'date': self.end_date})
        return events


class Finding(ModelSQL, ModelView):
    "Jobcoach Finding"
    __name__ = 'jobcoach.finding'
    company = fields.Many2One('company.company', "Company", required=True, readonly=True)
    employee = fields.Many2One('company.employee', "Employee", readonly=True, ondelete='CASCADE')
    employee_key = fields.Char("Employee Key", readonly=True,
                               help="The key the plugins name: the employee's, or an employer's for its cluster")
    employer = fields.Char("Employer Key", readonly=True)
    plugin = fields.Char("Plugin", readonly=True, required=True)
    finding_id = fields.Char("Finding Id", readonly=True, required=True)
    state = fields.Selection([('open', "Open"), ('resolved', "Resolved")], "State", readonly=True, required=True)
    severity = fields.Selection(SEVERITIES, "Severity", readonly=True)
    scheme = fields.Char("Scheme", readonly=True)
    rule = fields.Char("Rule", readonly=True)
    kind = fields.Char("Kind", readonly=True)
    trajectory = fields.Integer("Trajectory", readonly=True)
    due = fields.Date("Due", readonly=True)
    observed_hours = fields.Float("Observed Hours", digits=(16, 2), readonly=True)
    limit_hours = fields.Float("Limit Hours", digits=(16, 2), readonly=True)
    title_nl = fields.Char("Title (nl)", readonly=True)
    title_en = fields.Char("Title (en)", readonly=True)
    message_nl = fields.Text("Message (nl)", readonly=True)
    message_en = fields.Text("Message (en)", readonly=True)
    action_nl = fields.Text("To Do (nl)", readonly=True)
    action_en = fields.Text("To Do (en)", readonly=True)
    source = fields.Char("Source", readonly=True)
    explanation = fields.Text("Explanation", readonly=True)
    opened = fields.Date("Opened", readonly=True)
    resolved = fields.Date("Resolved", readonly=True)
    title = fields.Function(fields.Char("Title"), 'get_in_language')
    message = fields.Function(fields.Text("Message"), 'get_in_language')
    action = fields.Function(fields.Text("To Do"), 'get_in_language')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [('finding_unique', Unique(t, t.company, t.plugin, t.finding_id),
                                 "A finding is recorded once per company and plugin.")]
        cls._order = [('state', 'ASC'), ('due', 'ASC'), ('id', 'ASC')]

    def get_in_language(self, name):
        language = Transaction().language or 'en'
        nl, en = getattr(self, f"{name}_nl"), getattr(self, f"{name}_en")
        return (nl or en) if language.startswith('nl') else (en or nl)

    def get_rec_name(self, name):
        return f"{self.title or self.kind} ({self.severity})"

    @classmethod
    def _finding_values(cls, company_id, f, date):
        minutes = lambda m: None if m is None else round(m / 60, 2)  # noqa: E731
        return {'company': company_id, 'employee': employee_of(f.employee), 'employee_key': f.employee,
                'employer': f.employer or None, 'plugin': f.plugin, 'finding_id': f.id,
                'severity': f.severity if f.severity in dict(SEVERITIES) else None, 'scheme': f.scheme,
                'rule': f.rule, 'kind': f.kind, 'trajectory': f.trajectory or None, 'due': f.due,
                'observed_hours': minutes(f.observed_minutes), 'limit_hours': minutes(f.limit_minutes),
                'title_nl': f.title_nl, 'title_en': f.title_en, 'message_nl': f.message_nl,
                'message_en': f.message_en, 'action_nl': f.action_nl, 'action_en': f.action_en,
                'source': f.source, 'explanation': f.explanation}

    @classmethod
    def apply_changes(cls, company_id, employee_keys=None):
        """Brings the records up to date from each plugin's change feed (jc.findings/1): a new or updated finding
        is open with its latest words and numbers, a resolved one is marked resolved. One record per finding id."""
        date = as_of()
        for instance in bridge.instances(company_id):
            for f in instance.changes(date, employee_keys):
                found = cls.search([('company', '=', company_id), ('plugin', '=', f.plugin),
                                    ('finding_id', '=', f.id)], limit=1)
                if f.change == 'resolved':
                    if found:
                        cls.write(found, {'state': 'resolved', 'resolved': date})
                    continue
                values = dict(cls._finding_values(company_id, f, date), state='open', resolved=None)
                if found:
                    cls.write(found, values)
                else:
                    cls.create([dict(values, opened=date)])

    @classmethod
    def refresh_all(cls):
        """The daily cron: the findings of every company as of today (dues come nearer, budgets' spans end)."""
        for company in Pool().get('company.company').search([]):
            cls.apply_changes(company.id)


class Employee(EventSource, metaclass=PoolMeta):
    __name__ = 'company.employee'
    _jobcoach_tag = 'contract'
    jobcoach_key = fields.Char("Jobcoach Key", help="The pseudonymous key the jobcoach plugins know the employee by "
                               "(never a name); empty: employee-<id>")
    jobcoach_weekly_hours = fields.Float("Weekly Hours (contract)", digits=(16, 2),
                                         help="The contract's hours a week, which the jobcoach budgets follow")
    jobcoach_paid = fields.Boolean("Paid Work", help="The contract is paid work (UWV: a condition of jobcoaching)")
    jobcoach_paid_prospect = fields.Boolean("Prospect of Paid Work")
    jobcoach_events = fields.Char("Jobcoach Events", readonly=True)
    jobcoach_grants = fields.One2Many('jobcoach.grant', 'employee', "Coaching Grants")
    jobcoach_findings = fields.One2Many('jobcoach.finding', 'employee', "Jobcoach Findings", readonly=True,
                                        filter=[('state', '=', 'open')])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({'jobcoach_erase': {'invisible': ~Eval('jobcoach_events')}})

    @staticmethod
    def default_jobcoach_paid():
        return True

    @staticmethod
    def default_jobcoach_paid_prospect():
        return True

    def _jobcoach_company(self):
        return self.company.id

    def _jobcoach_employee_key(self):
        return employee_key(self)

    def _jobcoach_coached(self):
        pool = Pool()
        return bool(pool.get('jobcoach.grant').search([('employee', '=', self.id)], limit=1)
                    or pool.get('timesheet.line').search([('employee', '=', self.id), ('work.jobcoaching', '=', True)],
                                                         limit=1))

    def _jobcoach_make(self):
        """The employment as contract.started, once the employee has a grant or jobcoaching hours."""
        if not self.start_date or not self._jobcoach_coached():
            return []
        if not self.jobcoach_weekly_hours:
            raise UserError(f"Employee {self.rec_name}: enter the contract's weekly hours on the Jobcoach page "
                            "first; the jobcoach budgets follow them.")
        event = {'type': 'contract.started', 'employee': self._jobcoach_employee_key(), 'date': self.start_date,
                 'employer': self.company.jobcoach_employer_key or f"company-{self.company.id}"}
        if self.end_date:
            event['end'] = self.end_date
        if self.jobcoach_weekly_hours:
            event['weekly_hours'] = self.jobcoach_weekly_hours
        # Unset (None: an employee from before the module) is the default, paid; the backend may give 0 for False.
        if self.jobcoach_paid is not None and not self.jobcoach_paid:
            event['paid'] = False
        if self.jobcoach_paid_prospect is not None and not self.jobcoach_paid_prospect:
            event['paid_prospect'] = False
        return [event]

    @classmethod
    def _jobcoach_employees(cls, employees):
        return []  # an employee's own events are the contract

    @classmethod
    def delete(cls, employees):
        cls.jobcoach_erase(employees)
        with Transaction().set_context(**{ERASING: True}):  # erased: nothing left to retract
            super().delete(employees)

    @classmethod
    @ModelView.button
    def jobcoach_erase(cls, employees):
        """Erases the employees from the plugins (GDPR art. 17, jc.erase/1): every event and finding of their keys,
        with nothing left in the state files; their grants, extensions, reports and findings here go too. Other
        employees are untouched. The timesheet lines stay, as Tryton's own records, and send nothing more."""
        pool = Pool()
        for employee in employees:
            for instance in bridge.instances(employee.company.id):
                instance.erase(employee_key(employee))
        with Transaction().set_context(**{INTERNAL: True, ERASING: True}):
            for name in ('jobcoach.grant', 'jobcoach.extension', 'jobcoach.report', 'jobcoach.transfer',
                         'jobcoach.absence', 'jobcoach.finding'):
                Model = pool.get(name)
                Model.delete(Model.search([('employee', 'in', [e.id for e in employees])]))
            Line = pool.get('timesheet.line')
            Line.write(Line.search([('employee', 'in', [e.id for e in employees]),
                                    ('jobcoach_events', '!=', None)]), {'jobcoach_events': None})
            cls.write(list(employees), {'jobcoach_events': None})


class Work(metaclass=PoolMeta):
    __name__ = 'timesheet.work'
    jobcoaching = fields.Boolean("Jobcoaching", help="Hours on this work are jobcoaching: they count against the "
                                 "employee's coaching budget")


class TimesheetLine(EventSource, metaclass=PoolMeta):
    __name__ = 'timesheet.line'
    _jobcoach_tag = 'timesheet'
    jobcoach_events = fields.Char("Jobcoach Events", readonly=True)
    jobcoach_scheme = fields.Selection('get_optional_schemes', "Jobcoach Scheme",
                                       help="Leave empty for the employee's trajectory in force")
    jobcoach_activity = fields.Selection(ACTIVITIES, "Jobcoach Activity")
    jobcoach_coach = fields.Char("Coach Key", help="The coach's pseudonymous key, never a name")

    @classmethod
    def get_optional_schemes(cls):
        return optional_schemes()

    @staticmethod
    def default_jobcoach_activity():
        return 'coaching'

    def _jobcoach_company(self):
        return self.company.id

    def _jobcoach_employee_key(self):
        return employee_key(self.employee)

    def _jobcoach_make(self):
        """Hours on a jobcoaching work as timesheet.logged (with or without a grant: coaching without one is a
        finding of its own)."""
        minutes = round(self.duration.total_seconds() / 60) if self.duration else 0
        if not (self.work and self.work.jobcoaching) or minutes <= 0:
            return []
        event = {'type': 'timesheet.logged', 'employee': self._jobcoach_employee_key(), 'date': self.date,
                 'minutes': minutes}
        if self.jobcoach_activity and self.jobcoach_activity != 'coaching':
            event['activity'] = self.jobcoach_activity
        if self.jobcoach_scheme:
            event['scheme'] = self.jobcoach_scheme
        if self.jobcoach_coach:
            event['coach'] = self.jobcoach_coach
        return [event]


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'
    jobcoach_employer_key = fields.Char("Jobcoach Employer Key",
                                        help="The employer's key for the jobcoach plugins; empty: company-<id>")


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(('jobcoach.finding|refresh_all', "Refresh Jobcoach Findings"))
