# SPDX-License-Identifier: Apache-2.0
"""The jobcoach module in Tryton, with Tryton's own test framework (on SQLite: DB_NAME=:memory:). Employees,
grants and timesheet lines are made through the ORM and committed; the findings are what a jobcoach sees.

Environment: JOBCOACH_PLUGIN_PATH (the plugins, when they are not the installed ones), JC_TEST_DEMO (jobcoach-demo,
for the comparison; else the one on PATH)."""
import datetime
import os
import shutil
import subprocess
import tempfile
import unittest

from trytond.modules.company.tests import create_company, create_employee, set_company
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .. import bridge

D = datetime.date


class JobcoachTestCase(test_tryton.ModuleTestCase):
    "Test Jobcoach module"
    module = 'jobcoach'

    @classmethod
    def setUpClass(cls):
        cls.state = tempfile.mkdtemp(prefix="jobcoach-tryton-")
        os.environ['JOBCOACH_STATE_DIR'] = cls.state
        os.environ['JOBCOACH_EVENT_JOURNAL'] = os.path.join(cls.state, "journal.jsonl")
        bridge.forget_instances()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        bridge.forget_instances()
        shutil.rmtree(cls.state)

    def employee_with_grant(self, name):
        pool = Pool()
        Grant, Work = pool.get('jobcoach.grant'), pool.get('timesheet.work')
        company = create_company()
        with set_company(company):
            employee = create_employee(company, name)
            employee.start_date = D(2026, 1, 5)
            employee.jobcoach_weekly_hours = 20
            employee.save()
            Grant.create([{'employee': employee.id, 'scheme': 'uwv-extern', 'date': D(2026, 1, 5),
                           'level': 'midden', 'coach_form': 'extern'}])
            work, = Work.create([{'name': "Jobcoaching", 'company': company.id, 'jobcoaching': True}])
        Transaction().commit()
        return company, employee, work

    def log(self, company, employee, work, day, minutes):
        """Timesheet lines of `minutes` in all on a January day, at most 600 a line; the last line."""
        Line = Pool().get('timesheet.line')
        with set_company(company):
            while minutes > 0:
                line, = Line.create([{'company': company.id, 'employee': employee.id, 'work': work.id,
                                      'date': D(2026, 1, day), 'duration': datetime.timedelta(minutes=min(minutes, 600))}])
                minutes -= 600
        Transaction().commit()
        return line

    def findings(self, employee, **where):
        Finding = Pool().get('jobcoach.finding')
        domain = [('employee', '=', employee.id)] + [(k, '=', v) for k, v in where.items()]
        return Finding.search(domain)

    def uwv(self, company):
        return next(i for i in bridge.instances(company.id) if i.plugin.id == 'nl.jobcoach.uwv')

    @with_transaction(context={'jobcoach_as_of': D(2026, 2, 1)})
    def test_budget_warning_at_80_percent_overrun_and_a_deletion_that_resolves_it(self):
        company, employee, work = self.employee_with_grant("Budget")
        key = bridge.employee_key(employee.id)
        limit = self.uwv(company).status(key, D(2026, 2, 1))[0].budgets[0].limit_minutes
        warn_from = -(-limit * 80 // 100)
        self.log(company, employee, work, 7, warn_from - 1)
        self.assertEqual(self.findings(employee, kind='budget.warning'), [])
        last = self.log(company, employee, work, 8, 1)
        warning, = self.findings(employee, kind='budget.warning', state='open')
        self.assertEqual((warning.severity, warning.observed_hours, warning.limit_hours),
                         ('warning', round(warn_from / 60, 2), round(limit / 60, 2)))
        self.assertTrue(warning.title_en and warning.message_nl and warning.action_en)
        self.log(company, employee, work, 9, limit - warn_from)  # exactly 100 %: still a warning
        self.assertEqual([f.kind for f in self.findings(employee, state='open', rule='uwv-extern.budget')],
                         ['budget.warning'])
        over = self.log(company, employee, work, 10, 1)
        exceeded, = self.findings(employee, state='open', rule='uwv-extern.budget')
        self.assertEqual((exceeded.id, exceeded.kind, exceeded.severity),
                         (warning.id, 'budget.exceeded', 'high'))  # one record per finding id
        Line = Pool().get('timesheet.line')
        Line.delete([over, last] + Line.search([('employee', '=', employee.id), ('date', '=', D(2026, 1, 9))]))
        # a correction: back under 80 %
        Transaction().commit()
        resolved, = self.findings(employee, rule='uwv-extern.budget')
        self.assertEqual((resolved.id, resolved.state, resolved.resolved), (warning.id, 'resolved', D(2026, 2, 1)))
        budget = self.uwv(company).status(key, D(2026, 2, 1))[0].budgets[0]
        self.assertEqual(budget.used_minutes, warn_from - 1)

    @with_transaction(context={'jobcoach_as_of': D(2026, 2, 1)})
    def test_the_modules_bookkeeping_leaves_a_form_open_on_the_employee_saveable(self):
        pool = Pool()
        Employee, Grant = pool.get('company.employee'), pool.get('jobcoach.grant')
        company = create_company()
        with set_company(company):
            employee = create_employee(company, "Form")
            employee.start_date = D(2026, 1, 5)
            employee.jobcoach_weekly_hours = 20
            employee.save()
            # The employee was last saved a while ago (a test runs in one transaction, whose writes all bear its
            # start time).
            table = Employee.__table__()
            Transaction().connection.cursor().execute(*table.update(
                [table.write_date], [datetime.datetime(2026, 1, 5, 9, 0)], where=table.id == employee.id))
            Transaction().commit()
            # A user opens the employee's form (the client keeps its timestamp) ...
            opened, = Employee.read([employee.id], ['_timestamp'])
            self.assertFalse(Employee(employee.id).jobcoach_events)
            # ... while a grant of theirs is saved elsewhere: the employment is sent first, and noted on the employee.
            Grant.create([{'employee': employee.id, 'scheme': 'uwv-extern', 'date': D(2026, 1, 5),
                           'level': 'midden', 'coach_form': 'extern'}])
            Transaction().commit()
            self.assertTrue(Employee(employee.id).jobcoach_events)
            # Saving the form is not refused as "modified in the meanwhile": the user's data did not change.
            Transaction().timestamp = {f'company.employee,{employee.id}': opened['_timestamp']}
            Employee.write([Employee(employee.id)], {'jobcoach_weekly_hours': 24})
            Transaction().commit()
        key = bridge.employee_key(employee.id)
        self.assertEqual(self.uwv(company).status(key, D(2026, 2, 1))[0].scheme, 'uwv-extern')

    @with_transaction(context={'jobcoach_as_of': D(2026, 2, 1)})
    def test_a_changed_line_is_retracted_and_sent_anew_and_a_rolled_back_save_sends_nothing(self):
        company, employee, work = self.employee_with_grant("Correction")
        key = bridge.employee_key(employee.id)
        line = self.log(company, employee, work, 6, 90)
        line.duration = datetime.timedelta(minutes=45)
        line.save()
        Transaction().commit()
        self.assertEqual(self.uwv(company).status(key, D(2026, 2, 1))[0].budgets[0].used_minutes, 45)
        Line = Pool().get('timesheet.line')
        with set_company(company):
            Line.create([{'company': company.id, 'employee': employee.id, 'work': work.id,
                          'date': D(2026, 1, 7), 'duration': datetime.timedelta(hours=5)}])
        Transaction().rollback()
        self.assertEqual(self.uwv(company).status(key, D(2026, 2, 1))[0].budgets[0].used_minutes, 45)

    @with_transaction(context={'jobcoach_as_of': D(2026, 2, 1)})
    def test_only_jobcoaching_hours_are_sent_and_coaching_without_a_grant_is_a_finding(self):
        pool = Pool()
        Work, Line = pool.get('timesheet.work'), pool.get('timesheet.line')
        company, employee, work = self.employee_with_grant("Hours")
        with set_company(company):
            other_work, = Work.create([{'name': "Payroll", 'company': company.id}])
            Line.create([{'company': company.id, 'employee': employee.id, 'work': other_work.id,
                          'date': D(2026, 1, 6), 'duration': datetime.timedelta(hours=3)}])
            plain = create_employee(company, "No grant")
            plain.start_date = D(2026, 1, 5)
            plain.jobcoach_weekly_hours = 24
            plain.save()
        Transaction().commit()
        key = bridge.employee_key(employee.id)
        self.assertEqual(self.uwv(company).status(key, D(2026, 2, 1))[0].budgets[0].used_minutes, 0)
        self.assertFalse(self.uwv(company).knows(bridge.employee_key(plain.id)))  # no grant, no hours: not sent
        self.log(company, plain, work, 12, 90)
        unassigned, = self.findings(plain, kind='coaching.unassigned', state='open')
        self.assertEqual(unassigned.observed_hours, 1.5)

    @with_transaction(context={'jobcoach_as_of': D(2026, 2, 1)})
    def test_a_coached_employee_without_weekly_hours_is_asked_for_them(self):
        pool = Pool()
        Grant = pool.get('jobcoach.grant')
        company = create_company()
        with set_company(company):
            employee = create_employee(company, "No hours")
            employee.start_date = D(2026, 1, 5)
            employee.save()
            with self.assertRaises(Exception) as caught:
                Grant.create([{'employee': employee.id, 'scheme': 'uwv-extern', 'date': D(2026, 1, 5)}])
        self.assertIn("weekly hours", str(caught.exception))

    @with_transaction(context={'jobcoach_as_of': D(2026, 2, 1)})
    def test_an_event_a_plugin_refuses_fails_the_save_with_its_words_and_nothing_is_kept(self):
        company, employee, work = self.employee_with_grant("Refused")
        Line = Pool().get('timesheet.line')
        with set_company(company):
            Line.create([{'company': company.id, 'employee': employee.id, 'work': work.id, 'date': D(2026, 1, 6),
                          'duration': datetime.timedelta(hours=25)}])
        with self.assertRaises(Exception) as caught:
            Transaction().commit()
        self.assertIn("at most 24 hours", str(caught.exception))
        # Tryton rolled the save back (its own business; on SQLite in memory the test's shared connection cannot
        # show it); the plugins kept nothing of it.
        key = bridge.employee_key(employee.id)
        self.assertEqual(self.uwv(company).status(key, D(2026, 2, 1))[0].budgets[0].used_minutes, 0)

    @with_transaction()
    def test_a_report_due_appears_with_the_daily_cron_and_goes_when_it_is_submitted(self):
        company, employee, work = self.employee_with_grant("Report")
        Finding, Report = Pool().get('jobcoach.finding'), Pool().get('jobcoach.report')
        with Transaction().set_context(jobcoach_as_of=D(2026, 7, 20)):
            Finding.refresh_all()
            due, = self.findings(employee, kind='report.due', state='open')
            self.assertEqual((due.due, due.severity), (D(2026, 8, 1), 'warning'))
            Report.create([{'employee': employee.id, 'scheme': 'uwv-extern', 'kind': 'period-report',
                            'date': D(2026, 7, 18)}])
            Transaction().commit()
            self.assertEqual(self.findings(employee, kind='report.due', state='open'), [])

    @with_transaction(context={'jobcoach_as_of': D(2026, 2, 1)})
    def test_an_erased_employee_leaves_nothing_in_the_state_and_the_others_stay(self):
        company, employee, work = self.employee_with_grant("Erase")
        _, other, other_work = self.employee_with_grant("Stays")
        self.log(company, employee, work, 6, 600)
        self.log(other.company, other, other_work, 6, 600)
        Employee = Pool().get('company.employee')
        Employee.jobcoach_erase([employee])
        Transaction().commit()
        key = bridge.employee_key(employee.id)
        self.assertFalse(self.uwv(company).knows(key))
        self.assertEqual(self.findings(employee), [])
        self.assertEqual(Pool().get('jobcoach.grant').search([('employee', '=', employee.id)]), [])
        self.assertTrue(self.uwv(other.company).knows(bridge.employee_key(other.id)))
        for name in os.listdir(self.state):
            if name.startswith("memory-company-%d." % company.id):
                with open(os.path.join(self.state, name), "rb") as f:
                    self.assertNotIn(key.encode(), f.read(), name)

    @with_transaction(context={'jobcoach_as_of': D(2026, 2, 1)})
    def test_the_findings_in_tryton_are_jobcoach_demos_for_the_same_events(self):
        company, employee, work = self.employee_with_grant("Same")
        for day, minutes in ((6, 600), (7, 600), (8, 600), (9, 600), (12, 600)):
            self.log(company, employee, work, day, minutes)
        key = bridge.employee_key(employee.id)
        journal = os.environ['JOBCOACH_EVENT_JOURNAL']
        mine = os.path.join(self.state, "same.jsonl")
        with open(journal) as f, open(mine, "w") as out:
            out.writelines(line for line in f if f'"employee":"{key}"' in line)
        demo_path = os.environ.get('JC_TEST_DEMO') or shutil.which('jobcoach-demo')
        if not demo_path:
            self.skipTest("jobcoach-demo is neither given (JC_TEST_DEMO) nor on PATH")
        demo = subprocess.run([demo_path, 'evaluate', '--events', mine, '--as-of', '2026-02-01',
                               '--employee', key, '--format', 'jsonl'], capture_output=True, text=True, check=True)
        import json
        expected = sorted((f['id'], f['kind'], f['severity'], f.get('due')) for f in map(json.loads,
                                                                                          demo.stdout.splitlines()))
        shown = sorted((f.finding_id, f.kind, f.severity, f.due.isoformat() if f.due else None)
                       for f in self.findings(employee, state='open'))
        self.assertTrue(expected)
        self.assertEqual(shown, expected)


def suite():
    suite = unittest.TestSuite()
    suite.addTests(unittest.TestLoader().loadTestsFromTestCase(JobcoachTestCase))
    return suite
