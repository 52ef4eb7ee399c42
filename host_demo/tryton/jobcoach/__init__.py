# SPDX-License-Identifier: Apache-2.0
"""Tryton module jobcoach: the jobcoach rule plugins inside Tryton (6.0).

Saving a timesheet line, a coaching grant, a report, an extension or an employee's dates sends the matching
events to the plugins when the database transaction commits (a rolled-back save sends nothing); the findings are
records of jobcoach.finding, kept up to date from the plugins' change feed; a daily cron advances the date."""
from trytond import backend
from trytond.pool import Pool

from . import model

if backend.name == 'sqlite':
    # Tryton 6.0's SQLite backend declares Boolean columns BOOLEAN but registers no converter for them, so they
    # read back as 0 and 1, and the web client shows a true checkbox unchecked (PostgreSQL gives booleans).
    import sqlite3
    sqlite3.register_converter('BOOLEAN', lambda value: value not in (b'0', b''))

__all__ = ['register']


def register():
    Pool.register(
        model.Grant,
        model.Extension,
        model.Report,
        model.Transfer,
        model.Absence,
        model.Finding,
        model.Company,
        model.Employee,
        model.Work,
        model.TimesheetLine,
        model.Cron,
        module='jobcoach', type_='model')
