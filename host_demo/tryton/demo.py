#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The jobcoach plugins inside Tryton, on the bundled sample: a Tryton database (SQLite) with the jobcoach module,
the sample's events entered as Tryton records through the ORM (proteus, Tryton's scripting library), one save at a
time as an HR user would, and the findings Tryton then shows, compared with jobcoach-demo's for the same events.

    /usr/bin/python3 host_demo/tryton/demo.py --plugins DIR --demo JOBCOACH_DEMO --events FILE --as-of DATE
                                              --workdir DIR [--serve]

host_demo/tryton/demo.sh builds everything and runs this. With --serve, trytond then serves the database and
Tryton's web client (sao) on http://localhost:8000 (user admin, password admin) until Ctrl-C."""
import argparse
import collections
import datetime
from decimal import Decimal
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]  # jobcoach/ here is the Tryton module
sys.path.insert(0, HERE)
import module_path  # noqa: E402

DATABASE = "jobcoach_demo"
PASSWORD = "admin"


def write_config(args, work):
    conf = os.path.join(work, "trytond.conf")
    with open(conf, "w") as f:
        f.write(f"""[database]
uri = sqlite://
path = {work}/db

[web]
listen = localhost:{args.port}
root = {work}/web

[jobcoach]
plugin_dir = {args.plugins}
state_dir = {work}/state
event_journal = {work}/journal.jsonl
""")
    return conf


def web_root(work):
    """Tryton's web client (Debian's tryton-sao) and the page that signs in and opens a view, served together."""
    web = os.path.join(work, "web")
    os.makedirs(web)
    sao = "/usr/share/tryton-sao/www"
    if os.path.isdir(sao):
        for name in os.listdir(sao):
            os.symlink(os.path.join(sao, name), os.path.join(web, name))
    shutil.copy(os.path.join(HERE, "web", "jobcoach-open.html"), web)


def create_database(conf, env, work):
    os.makedirs(os.path.join(work, "db"))
    open(os.path.join(work, "db", DATABASE + ".sqlite"), "w").close()
    with open(os.path.join(work, "password"), "w") as f:
        f.write(PASSWORD)
    env = dict(env, TRYTONPASSFILE=os.path.join(work, "password"))
    for step in (["--all", "--email", "admin@example.invalid"], ["-u", "jobcoach", "--activate-dependencies"]):
        done = subprocess.run(["trytond-admin", "-c", conf, "-d", DATABASE] + step, env=env, capture_output=True,
                              text=True)
        if done.returncode != 0:
            sys.exit(f"demo.py: trytond-admin {' '.join(step)} failed:\n{done.stderr[-3000:]}")


def load(events, as_of):
    """Each event as the Tryton record an HR user would save; returns how many saves."""
    from proteus import Model, Wizard, config
    cfg = config.get_config()
    Party, Company, Currency = Model.get('party.party'), Model.get('company.company'), Model.get('currency.currency')
    Employee, Work, Line = Model.get('company.employee'), Model.get('timesheet.work'), Model.get('timesheet.line')
    Grant, Extension, Report = Model.get('jobcoach.grant'), Model.get('jobcoach.extension'), Model.get('jobcoach.report')
    Transfer, Absence, User = Model.get('jobcoach.transfer'), Model.get('jobcoach.absence'), Model.get('res.user')
    eur = Currency(name="Euro", code="EUR", symbol="€", rounding=Decimal("0.01"), digits=2)
    eur.save()
    companies, works, employees, records, open_absence, ends = {}, {}, {}, {}, {}, {}
    saves = 0

    def company_of(employer):
        if employer not in companies:
            wizard = Wizard('company.company.config')
            wizard.execute('company')
            party = Party(name=employer)
            party.save()
            wizard.form.party, wizard.form.currency = party, eur
            wizard.execute('add')
            company, = Company.find([('party', '=', party.id)])
            company.jobcoach_employer_key = employer
            company.save()
            cfg._context = User.get_preferences(True, {})
            companies[employer] = company
        return companies[employer]

    current = [None]

    def in_company(company):
        """The HR user works in the employee's company (Tryton's record rules follow the user's company)."""
        if current[0] != company.id:
            admin = User(cfg.user)
            if company not in admin.companies:
                admin.companies.append(Company(company.id))
            admin.company = Company(company.id)
            admin.save()
            current[0] = company.id
        cfg._context = dict(User.get_preferences(True, {}), jobcoach_as_of=as_of)

    for e in events:
        key, kind, date = e['employee'], e['type'], datetime.date.fromisoformat(e['date'])
        if kind == 'contract.started':
            company = company_of(e['employer'])
            in_company(company)
            party = Party(name=key)  # the sample's keys are its names: fictional, pseudonymous
            party.save()
            employee = Employee(party=party, company=company, start_date=date, jobcoach_key=key)
            if e.get('end'):  # Tryton takes no hours after an employment's end: entered when the end comes
                ends[key] = datetime.date.fromisoformat(e['end'])
            employee.jobcoach_weekly_hours = e.get('weekly_hours')
            employee.jobcoach_paid = e.get('paid', True)
            employee.jobcoach_paid_prospect = e.get('paid_prospect', True)
            employee.save()
            employees[key] = employee
            work = Work(name="Jobcoaching", company=company, jobcoaching=True)
            if company.id not in works:
                work.save()
                works[company.id] = work
            saves += 1
            continue
        employee = employees[key]
        in_company(employee.company)
        if kind == 'coaching.granted':
            record = Grant(employee=employee, scheme=e['scheme'], date=date, level=e.get('level'),
                           coach_form=e.get('coach_form'), prior_months=e.get('prior_months'),
                           justification=e.get('justification'))
            record.granted_hours = e.get('granted_hours')
        elif kind == 'coaching.extended':
            record = Extension(employee=employee, scheme=e['scheme'], date=date, months=e['months'],
                               justification=e.get('justification'))
        elif kind == 'report.submitted':
            record = Report(employee=employee, scheme=e.get('scheme'), kind=e['kind'], date=date)
        elif kind == 'budget.transferred':
            record = Transfer(employee=employee, scheme=e['scheme'], date=date, minutes=e['minutes'],
                              justification=e.get('justification'))
        elif kind == 'absence.started':
            record = open_absence[key] = Absence(employee=employee, date=date)
        elif kind == 'absence.ended':
            record = open_absence.pop(key)
            record.end_date = date
        elif kind == 'timesheet.logged':
            minutes = e['minutes'] if 'minutes' in e else round(e['hours'] * 60)
            record = Line(employee=employee, company=employee.company, work=works[employee.company.id], date=date,
                          duration=datetime.timedelta(minutes=minutes), jobcoach_activity=e.get('activity', 'coaching'),
                          jobcoach_scheme=e.get('scheme'), jobcoach_coach=e.get('coach'))
        elif kind in ('timesheet.retracted', 'event.retracted'):
            records.pop(e['retracts']).delete()  # a correction in an HR suite: the record is deleted
            saves += 1
            continue
        else:
            sys.exit(f"demo.py: {e['id']}: no Tryton record for {kind} in this demo")
        record.save()
        records[e['id']] = record
        saves += 1
    for key, end in ends.items():
        employee = employees[key]
        in_company(employee.company)
        employee.end_date = end
        employee.save()
        saves += 1
    return saves


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plugins", required=True)
    parser.add_argument("--demo", required=True, help="jobcoach-demo, for the comparison")
    parser.add_argument("--events", required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--serve", action="store_true", help="then serve Tryton and its web client until Ctrl-C")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--show", default="E-104", metavar="KEY", help="the employee the web client opens")
    parser.add_argument("--screenshot", metavar="PNG",
                        help="serve the web client, open the employee's form in headless Chromium, save a screenshot "
                             "and the page as Chromium laid it out (the same name with .html)")
    args = parser.parse_args()
    args.plugins = os.path.abspath(args.plugins)
    as_of = datetime.date.fromisoformat(args.as_of)
    work = os.path.abspath(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "state"))
    paths = module_path.declare(os.path.join(work, "module"))
    sys.path[:0] = paths
    env = dict(os.environ, PYTHONPATH=":".join(paths + [os.environ.get("PYTHONPATH", "")]).rstrip(":"),
               PYTHONWARNINGS="ignore")
    conf = write_config(args, work)
    web_root(work)
    create_database(conf, env, work)
    os.environ["PYTHONWARNINGS"] = "ignore"
    import warnings
    warnings.simplefilter("ignore")
    import jobcoach
    from proteus import Model, config
    config.set_trytond(DATABASE, config_file=conf)
    events = [e for e in jobcoach.read_events(args.events) if e["date"] <= args.as_of]
    import time
    started = time.monotonic()
    saves = load(events, as_of)
    seconds = time.monotonic() - started
    Finding = Model.get('jobcoach.finding')
    shown = Finding.find([('state', '=', 'open')])
    print(f"Tryton database {DATABASE} (SQLite) in\n  {work}/db\n{saves} saves from {len(events)} sample events in "
          f"{seconds:.1f} s\n({1000 * seconds / saves:.0f} ms a save, the plugins and the findings' update "
          f"included);\n{len(shown)} open findings as of {args.as_of}:")
    by_employee = collections.defaultdict(list)
    for f in shown:
        by_employee[f.employee_key].append(f)
    import textwrap
    width = max(60, min(shutil.get_terminal_size((80, 24)).columns, 120))
    for key in sorted(by_employee):
        print(f"\n{key}")
        for f in sorted(by_employee[key], key=lambda f: (f.due or datetime.date.min, f.rule)):
            print(textwrap.fill(f"{f.severity:<8} {str(f.due or ''):<10}  {f.title_en}", width,
                                initial_indent="  ", subsequent_indent=" " * 23))
            print(textwrap.fill(f.message_en, width, initial_indent=" " * 23, subsequent_indent=" " * 23))
    demo = subprocess.run([args.demo, "evaluate", "--plugins", args.plugins, "--events", args.events, "--as-of",
                           args.as_of, "--format", "jsonl"], capture_output=True, text=True, check=True)
    # The events' ids are Tryton's (timesheet-12-r1-0), not the sample's: a finding's subject that names an
    # event, and the id made from it, differ; everything else is compared.
    def alike(employee, rule, kind, severity, due, observed, limit):
        return (employee, rule, kind, severity, due, observed, limit)
    expected = collections.Counter(
        alike(d["employee"], d["rule"], d["kind"], d["severity"], d.get("due"),
              d.get("observed_minutes"), d.get("limit_minutes"))
        for d in map(json.loads, demo.stdout.splitlines()))
    minutes = lambda h: None if h is None else round(h * 60)  # noqa: E731
    got = collections.Counter(
        alike(f.employee_key, f.rule, f.kind, f.severity, f.due.isoformat() if f.due else None,
              minutes(f.observed_hours), minutes(f.limit_hours)) for f in shown)
    if not expected:
        print("demo.py: jobcoach-demo gives no finding for these events: nothing to compare", file=sys.stderr)
        return 1
    if got != expected:
        print(f"\nThe findings in Tryton differ from jobcoach-demo's:\n  only in Tryton: {sorted(got - expected)}"
              f"\n  only in jobcoach-demo: {sorted(expected - got)}", file=sys.stderr)
        return 1
    print(f"\nThese {len(shown)} findings are jobcoach-demo's for the same events\n(employee, rule, kind, severity, "
          "due date and numbers).")
    employee = prepare_web_client(args.show)
    url = (f"http://localhost:{args.port}/jobcoach-open.html?db={DATABASE}&password={PASSWORD}"
           f"&open=model/company.employee/{employee}")
    if args.screenshot:
        return screenshot(conf, env, url, args)
    if args.serve:
        print(f"Tryton's web client: http://localhost:{args.port} (user admin, password admin).\n"
              f"{args.show}'s findings:\n  {url}\nCtrl-C ends it.")
        os.execvpe("trytond", ["trytond", "-c", conf], env)
    return 0


def prepare_web_client(key):
    """The first sign-in's configuration wizard marked done, and the admin working in the company of the employee
    to show; returns that employee's id."""
    from proteus import Model, config
    Item, User, Employee = (Model.get('ir.module.config_wizard.item'), Model.get('res.user'),
                            Model.get('company.employee'))
    for item in Item.find([('state', '!=', 'done')]):
        item.state = 'done'
        item.save()
    employee, = Employee.find([('jobcoach_key', '=', key)])
    admin = User(config.get_config().user)
    admin.company = employee.company
    admin.save()
    return employee.id


def screenshot(conf, env, url, args):
    """Serves Tryton, opens the employee's form in headless Chromium as a signed-in user, and saves what it shows."""
    import socket
    import tempfile
    import time
    profile = tempfile.mkdtemp(prefix="jobcoach-chromium-")  # a fresh browser: nothing cached from a run before
    os.makedirs(os.path.dirname(os.path.abspath(args.screenshot)), exist_ok=True)
    log = open(os.path.join(os.path.dirname(conf), "trytond.log"), "w")
    server = subprocess.Popen(["trytond", "-c", conf], env=env, stdout=log, stderr=log)
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError(f"trytond ended with {server.returncode} before serving on port {args.port} "
                                   "(is the port in use? --port chooses another)")
            try:
                socket.create_connection(("localhost", args.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"trytond does not serve on port {args.port} after 60 s")
        chromium = ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--disable-background-networking", "--disable-component-update", "--no-first-run",
                    "--window-size=1366,900", "--virtual-time-budget=20000",
                    f"--user-data-dir={profile}"]
        subprocess.run(chromium + [f"--screenshot={args.screenshot}", url], check=True, capture_output=True,
                       timeout=180)
        text = subprocess.run(chromium + ["--dump-dom", url], check=True, capture_output=True, text=True,
                              timeout=180).stdout
        with open(os.path.splitext(args.screenshot)[0] + ".html", "w") as f:
            f.write(text)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"Screenshot of {args.show}'s form in Tryton's web client:\n  {args.screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
