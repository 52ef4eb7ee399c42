#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The Tryton demo as a user meets it: host_demo/tryton/demo.py enters the bundled sample through Tryton's ORM and
checks the findings against jobcoach-demo's (it exits 1 when they differ), then serves Tryton's web client and
opens an employee's form in headless Chromium. This checks what that browser showed: the web client itself (its
teal header), signed in, on the employee's form, with the Jobcoach page listing exactly the employee's open
findings as Tryton holds them (read from Tryton's database), and the screenshot for a person to look at.

    demo_test.py PLUGIN_DIR JOBCOACH_DEMO SAMPLE WORK_DIR"""
import html
import os
import socket
import sqlite3
import subprocess
import sys

from PIL import Image

plugins, demo, sample, work = sys.argv[1:5]
here = os.path.dirname(os.path.abspath(__file__))
source = os.path.dirname(os.path.dirname(here))
shot = os.path.join(work, "web-client", "employee-E-104.png")
with socket.socket() as probe:  # a free port: another test or a server left running may hold any fixed one
    probe.bind(("localhost", 0))
    port = probe.getsockname()[1]
done = subprocess.run(["/usr/bin/python3", "-W", "ignore", os.path.join(source, "host_demo", "tryton", "demo.py"),
                       "--plugins", plugins, "--demo", demo, "--events", sample, "--as-of", "2026-11-23",
                       "--workdir", os.path.join(work, "tryton-demo"), "--show", "E-104", "--screenshot", shot,
                       "--port", str(port)], capture_output=True, text=True, timeout=900)
print(done.stdout[-2500:])
# A line of one word (a path) cannot be wrapped; every other line fits an 80-column terminal.
wide = [line for line in done.stdout.splitlines() if len(line) > 80 and " " in line.strip()]
if wide:
    sys.exit(f"FAILED: {len(wide)} lines of the demo's output are wider than an 80-column terminal: {wide[0]!r}")
if done.returncode != 0:
    sys.exit(f"FAILED: demo.py exits with {done.returncode}:\n{done.stderr[-3000:]}")

failures = []
db = sqlite3.connect(os.path.join(work, "tryton-demo", "db", "jobcoach_demo.sqlite"))
titles = [t for (t,) in db.execute("SELECT title_en FROM jobcoach_finding WHERE employee_key = 'E-104' AND "
                                   "state = 'open'")]
if len(titles) < 2:
    failures.append(f"E-104 has {len(titles)} open findings in Tryton; the sample gives it more")
page = html.unescape(open(os.path.splitext(shot)[0] + ".html", encoding="utf-8").read())
for title in titles:
    if title not in page:
        failures.append(f"the web client does not show the finding {title!r}")
for needed in ("Jobcoach Findings", "Jobcoach Key", "E-104", "ZORG-3"):
    if needed not in page:
        failures.append(f"the employee's form lacks {needed!r}")
if "Sign-in failed" in page:
    failures.append("the web client did not sign in")

image = Image.open(shot).convert("RGB")
if image.size != (1366, 900):
    failures.append(f"the screenshot is {image.size}, not 1366 x 900")
teal = sum(1 for x in range(0, 1366, 4) if image.getpixel((x, 10)) == (38, 127, 130))
if teal < 100:
    failures.append(f"the web client's header is not there: {teal} of 342 points of its colour at the top")
print(f"web client: {len(titles)} open findings of E-104 listed ({'; '.join(titles)}); screenshot {shot}")
if failures:
    sys.exit("FAILED:\n  " + "\n  ".join(failures))
