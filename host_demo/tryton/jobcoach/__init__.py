# SPDX-License-Identifier: Apache-2.0
"""Tryton module jobcoach: the jobcoach rule plugins inside Tryton (6.0).

Saving a timesheet line, a coaching grant, a report, an extension or an employee's dates sends the matching
events to the plugins when the database transaction commits (a rolled-back save sends nothing); the findings are
records of jobcoach.finding, kept up to date from the plugins' change feed; a daily cron advances the date."""
from trytond.pool import Pool

from . import model

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
