#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Tests of `jobcoach-demo report`, as a reader of each format would check it.

    report_test.py CHECK DEMO SAMPLE PLUGIN_DIR WORK_DIR

CHECK is one of:
  screenshot  the HTML page in headless Chromium (Debian's package): the screenshot shows the timeline, i.e. a
              trajectory bar (a long horizontal run of its colour), due-date markers and finding markers
  phone       the page in a 390 px wide window: nothing wider than the window (the timeline scrolls in its own
              box), text no smaller than 12 px, the triage first; a screenshot to look at
  print       printed to PDF by headless Chromium: A4 pages, no page ending in a heading, table headers repeated
              on the pages a table continues on; the pages as PNG to look at
  html        one self-contained page (no external resource), the chosen language, the triage first (late and
              most severe first, every finding that warns or worse, in words), an SVG timeline per employee with
              findings and a line for each employee without
  ics         parsed by a real iCalendar parser (python3-icalendar): every event has a UID, a date and an alarm at
              the rule pack's lead time or on the report date, never before it; UIDs are unique and stable across
              runs; every overdue duty is an entry on the report date marked overdue; a due date on the report
              date is an open entry, the day after the same UID is overdue
  csv         RFC 4180 with ',' and with ';': a byte-order mark, CRLF line ends, the same rows either way, as many
              rows as findings
  spreadsheet LibreOffice (Debian's package, headless) imports the CSV as a spreadsheet user's import does (UTF-8,
              which the byte-order mark tells its import dialog; ',' in English, ';' and the Dutch locale in Dutch),
              and every cell reads back right: texts with é and €, the raw integers, hours and euros as numbers
Run with Debian's python3, which has the packages the checks need.
"""
import csv
import datetime
import html.parser
import io
import json
import os
import subprocess
import sys

check, demo, sample, plugin_dir, work = sys.argv[1:6]
os.makedirs(work, exist_ok=True)
AS_OF = "2026-11-23"
failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def run(*args, as_of=AS_OF):
    out = subprocess.run([demo, "report", "--events", sample, "--as-of", as_of, *args], check=True,
                         capture_output=True)
    return out.stdout


def findings(as_of=AS_OF):
    out = subprocess.run([demo, "evaluate", "--events", sample, "--as-of", as_of], check=True, capture_output=True)
    return [json.loads(line) for line in out.stdout.decode().splitlines()]


def employees():
    return sorted({json.loads(l)["employee"] for l in open(sample) if l.strip() and not l.startswith("#")})


def parameter(pack, name, as_of=AS_OF):
    """The version of a rule-pack parameter valid on as_of (the latest valid_from on or before it)."""
    path = next(os.path.join(d, pack) for d, _, files in sorted(os.walk(plugin_dir)) if pack in files)
    versions = json.load(open(path))["parameters"][name]
    valid = [v for v in versions if v["valid_from"] <= as_of] or versions[:1]
    return max(valid, key=lambda v: v["valid_from"])["value"]


def near(image, rgb, tolerance=24):
    """A mask (mode "L", 255 or 0) of the pixels of an RGB image whose every channel lies within `tolerance` of
    rgb's: computed by PIL per band, not pixel by pixel in Python (a 1366 x 9000 screenshot took 40 s so)."""
    from PIL import ImageChops
    bands = [band.point([255 if abs(v - c) <= tolerance else 0 for v in range(256)])
             for band, c in zip(image.split(), rgb)]
    return ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2])


def count(mask):
    """How many pixels of a mask from near() are set."""
    return mask.histogram()[255]


def check_screenshot():
    from PIL import Image
    page = os.path.join(work, "report.html")
    shot = os.path.join(work, "report.png")
    with open(page, "wb") as f:
        f.write(run())
    if os.path.exists(shot):
        os.remove(shot)
    subprocess.run(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--disable-background-networking", "--disable-component-update", "--no-first-run",
                    "--window-size=1366,9000", f"--screenshot={shot}", "file://" + page],
                   check=True, capture_output=True, timeout=120)
    image = Image.open(shot).convert("RGB")
    # The first screen of a laptop (1366 x 768) is the triage: the severity badges and the late dates in red
    # and amber, before any timeline.
    first = image.crop((0, 0, 1366, 768))
    first.save(os.path.join(work, "first-screen.png"))
    red = count(near(first, (0xc6, 0x28, 0x28)))
    print(f"first screen (1366 x 768): {red} px of the high/late red")
    expect(red >= 1500, f"the first screen shows too little of the triage's red ({red} px)")
    width, height = image.size
    trajectory, done, overdue, opened = (0x1f, 0x6f, 0xb2), (0x2e, 0x8b, 0x3a), (0xc6, 0x28, 0x28), (0xe0, 0xa1, 0x00)
    bars = near(image, trajectory)
    # The longest horizontal run of the trajectory's colour: each row of the mask split at its other pixels.
    rows = bars.tobytes()
    longest_run = max((len(run) for y in range(height) for run in rows[y * width:(y + 1) * width].split(b"\0")),
                      default=0)
    counts = {"trajectory": count(bars), "done": count(near(image, done)), "overdue": count(near(image, overdue)),
              "open": count(near(image, opened))}
    print(f"screenshot {width}x{height}: longest trajectory bar {longest_run} px, colour counts {counts}")
    # The legend's square is about 12 px wide: only a drawn timeline has a bar hundreds of pixels long.
    expect(longest_run >= 300, f"no trajectory bar of 300 px or more in the screenshot (longest {longest_run} px)")
    # A legend glyph is ~60 px of a colour; markers of due dates and findings add hundreds.
    for name in ("done", "overdue", "open"):
        expect(counts[name] >= 150, f"too few pixels of the '{name}' markers: {counts[name]}")


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.external, self.lang, self.text = [], [], None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "html":
            self.lang = a.get("lang")
        for key in ("src", "href"):
            # A link (<a href>) is followed by a reader, never loaded with the page: not a resource.
            if key in a and not a[key].startswith("#") and tag != "a":
                self.external.append(f"<{tag} {key}={a[key]}>")
        if tag in ("link", "script", "iframe", "img"):
            self.external.append(f"<{tag}>")

    def handle_data(self, data):
        self.text.append(data)


def check_html():
    found = findings()
    keys = employees()
    with_findings = sorted({f["employee"] for f in found})
    for lang, label, message_key, first in (("en", "Timeline of", "message_en", "Needs action"),
                                            ("nl", "Tijdlijn van", "message_nl", "Actie nodig")):
        page = Page()
        page.feed(run("--lang", lang).decode())
        text = "".join(page.text)
        svgs = [a for t, a in page.tags if t == "svg"]
        sections = [a.get("id") for t, a in page.tags if t == "section" and a.get("class") == "employee"]
        quiet = [a.get("id") for t, a in page.tags if t == "tr" and a.get("id", "").startswith("e-")]
        trajectories = [a for t, a in page.tags if t == "rect" and a.get("class") == "trajectory"]
        expect(page.lang == lang, f"--lang {lang}: <html lang={page.lang}>")
        expect(not page.external, f"--lang {lang}: external resources {page.external}")
        expect(any(t == "meta" and a.get("name") == "viewport" for t, a in page.tags), f"--lang {lang}: no viewport")
        expect(sorted(s[2:] for s in sections) == with_findings,
               f"--lang {lang}: {len(sections)} employee sections for {len(with_findings)} employees with findings")
        expect(sorted(s[2:] for s in sections + quiet) == keys, f"--lang {lang}: not every employee is on the page once")
        expect(len(svgs) == len(sections), f"{len(svgs)} timelines for {len(sections)} employees with findings")
        expect(all(a.get("aria-label", "").startswith(label) for a in svgs), f"--lang {lang}: timeline labels")
        expect(len(trajectories) >= len(sections) - 1, f"only {len(trajectories)} trajectory bars")
        missing = [f["rule"] for f in found if f[message_key].replace("&", "&amp;") not in text and f[message_key] not in text]
        expect(not missing, f"--lang {lang}: findings without their {message_key} on the page: {missing[:3]}")
        # The triage comes first: its heading is the page's first h2, and it lists every finding that warns or
        # worse, late ones (past their date, high or critical) first, then by severity.
        h2 = text.split(first, 1)
        expect(len(h2) == 2 and all(f"e-{k}" not in h2[0] for k in keys), f"--lang {lang}: the triage is not first")
        triage = [a.get("class") for t, a in page.tags if t == "li" and a.get("class") in ("late", "open")]
        action = [f for f in found if f["severity"] != "info"]
        late = [f for f in action if f.get("due", "9999") < AS_OF and f["severity"] in ("high", "critical")]
        expect(len(triage) == len(found), f"--lang {lang}: {len(triage)} triage lines for {len(found)} findings")
        expect(triage[:len(late)] == ["late"] * len(late) and "late" not in triage[len(late):],
               f"--lang {lang}: the {len(late)} late findings are not first in the triage: {triage[:len(late) + 2]}")
        print(f"--lang {lang}: triage first ({len(action)} need action, {len(late)} late first), "
              f"{len(sections)} employees with findings with {len(svgs)} timelines, {len(quiet)} without on a line each, "
              f"{len(found)} findings, no external resource")
    one = Page()
    one.feed(run("--employee", "E-112").decode())
    one_sections = [a.get("id") for t, a in one.tags if t == "section" and a.get("class") == "employee"]
    one_findings = [f for f in found if f["employee"] == "E-112"]
    rows = sum(1 for t, a in one.tags if t == "tr" and a.get("id", "").startswith("f-"))
    expect(one_sections == ["e-E-112"], f"--employee E-112: sections {one_sections}")
    expect(rows == len(one_findings) > 0, f"--employee E-112: {rows} finding rows for {len(one_findings)} findings")
    print(f"--employee E-112: one section, {rows} findings")


CHROMIUM = ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]

# Measures the laid-out page from inside it and posts the figures to the frame around it.
MEASURE = """<script>window.addEventListener('load', () => {
  const d = document.documentElement;
  let smallest = 99, wide = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('svg') || !e.textContent.trim()) continue;
    if ([...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
      smallest = Math.min(smallest, parseFloat(getComputedStyle(e).fontSize));
    const r = e.getBoundingClientRect();
    if (r.right > d.clientWidth + 1 && !e.closest('.timeline-box')) wide.push(e.tagName + '.' + e.className);
  }
  parent.postMessage(JSON.stringify({scroll: d.scrollWidth, client: d.clientWidth, smallest, wide: wide.slice(0, 5)}), '*');
});</script>"""

# A phone's width: the page in a 390 x 844 frame (a headless window has a minimum width of its own).
FRAME = """<!DOCTYPE html><html><body style="margin:0"><iframe src="{page}" width="390" height="844"
style="border:0"></iframe><script>window.addEventListener('message',
e => document.body.setAttribute('data-measured', e.data));</script></body></html>"""


def check_phone():
    for lang in ("en", "nl"):
        probe = os.path.join(work, f"phone-{lang}.html")
        with open(probe, "w") as f:
            f.write(run("--lang", lang).decode().replace("</body>", MEASURE + "</body>"))
        frame = os.path.join(work, f"phone-frame-{lang}.html")
        with open(frame, "w") as f:
            f.write(FRAME.format(page=os.path.basename(probe)))
        dom = subprocess.run(CHROMIUM + ["--window-size=600,900", "--virtual-time-budget=5000", "--dump-dom", "file://" + frame],
                             check=True, capture_output=True, timeout=120).stdout.decode()
        start = dom.find("data-measured=")
        expect(start >= 0, f"{lang}: the page was not measured")
        if start < 0:
            continue
        at = start + len("data-measured=")
        raw = dom[at + 1:dom.index(dom[at], at + 1)]
        m = json.loads(raw.replace("&quot;", '"').replace("&amp;", "&"))
        print(f"{lang} at 390 px: page {m['scroll']} px wide in a {m['client']} px frame, smallest text "
              f"{m['smallest']} px, elements past the edge: {m['wide']}")
        expect(m["client"] <= 390, f"{lang}: the frame is {m['client']} px wide, not a phone's")
        expect(m["scroll"] <= m["client"], f"{lang}: the page is {m['scroll']} px wide in a {m['client']} px frame")
        expect(not m["wide"], f"{lang}: elements reach past the frame's edge: {m['wide']}")
        expect(m["smallest"] >= 12, f"{lang}: text of {m['smallest']} px")
        shot = os.path.join(work, f"phone-{lang}.png")
        subprocess.run(CHROMIUM + ["--window-size=600,900", f"--screenshot={shot}", "file://" + frame],
                       check=True, capture_output=True, timeout=120)
        print(f"  screenshot (the frame at the left): {shot}")


def check_print():
    for lang, heading in (("en", "due severity rule finding source"), ("nl", "datum ernst regel bevinding bron")):
        page = os.path.join(work, f"print-{lang}.html")
        pdf = os.path.join(work, f"print-{lang}.pdf")
        with open(page, "wb") as f:
            f.write(run("--lang", lang))
        if os.path.exists(pdf):
            os.remove(pdf)
        subprocess.run(CHROMIUM + ["--no-pdf-header-footer", f"--print-to-pdf={pdf}", "file://" + page],
                       check=True, capture_output=True, timeout=120)
        info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True).stdout.decode()
        size = next(l for l in info.splitlines() if l.startswith("Page size:"))
        pages = int(next(l for l in info.splitlines() if l.startswith("Pages:")).split()[1])
        expect("(A4)" in size, f"{lang}: not A4: {size}")
        texts = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True).stdout.decode().split("\f")
        headings = set(employees()) | {"Needs action", "Actie nodig", "Employees with findings", "Werknemers met bevindingen"}
        ending = []
        continued = bad_continued = 0
        for number, text in enumerate(texts[:pages], 1):
            lines = [l.strip() for l in text.splitlines() if l.strip()]
            if lines and any(lines[-1].startswith(h) and len(lines[-1]) <= len(h) + 8 for h in headings):
                ending.append(f"page {number}: {lines[-1]}")
            # A page that starts inside a findings table (its first line is a finding row: a date, then a
            # severity name) shows the table's header first.
            if number > 1 and lines:
                words = " ".join(lines[0].split()).lower()
                if words.startswith(heading):
                    continued += 1
                elif len(lines[0]) >= 10 and lines[0][:4].isdigit() and lines[0][4] == "-" and \
                        any(s in lines[0] for s in ("critical", "high", "warning", "info", "kritiek", "hoog", "waarschuwing")):
                    bad_continued += 1
        expect(not ending, f"{lang}: pages that end in a heading: {ending}")
        expect(bad_continued == 0, f"{lang}: {bad_continued} pages continue a findings table without its header")
        expect(pages >= 2, f"{lang}: {pages} page(s): the test proves little about page breaks")
        subprocess.run(["pdftoppm", "-r", "50", "-png", pdf, os.path.join(work, f"print-{lang}")], check=True)
        print(f"{lang}: {pages} A4 pages ({size.split(':', 1)[1].strip()}), none ending in a heading, "
              f"{continued} starting with a repeated table header; PNGs in {work}")


def check_ics():
    import icalendar
    raw = run("--format", "ics")
    lines = raw.split(b"\r\n")
    expect(raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), "lines must end in CRLF")
    expect(all(len(l) <= 75 for l in lines), "a line longer than 75 octets")
    calendar = icalendar.Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    report_lead = parameter("common.json", "report_lead_days")
    expiring_lead = parameter("common.json", "expiring_lead_days")
    uids = [str(e["UID"]) for e in events]
    expect(len(events) > 0, "no events")
    expect(len(set(uids)) == len(uids), "UIDs are not unique")
    as_of = datetime.date.fromisoformat(AS_OF)
    packs = {report_lead, expiring_lead, parameter("wsp-rijnmond.json", "visit_due_lead_days")}
    leads, overdue = set(), []
    for e in events:
        start = e["DTSTART"].dt
        expect(isinstance(start, datetime.date) and start >= as_of, f"{e['UID']}: DTSTART {start} is before the report date")
        if str(e["SUMMARY"]).startswith("OVERDUE: "):
            overdue.append(str(e["UID"]))
            expect(start == as_of, f"{e['UID']}: an overdue entry dated {start}, not on the report date")
        alarms = e.walk("VALARM")
        expect(len(alarms) == 1, f"{e['UID']}: {len(alarms)} alarms")
        for a in alarms:
            lead = -a["TRIGGER"].dt.days
            leads.add(lead)
            # Never before the report date; otherwise at the rule's own lead.
            expect(start - datetime.timedelta(days=lead) >= as_of, f"{e['UID']}: the alarm rings before the report date")
            expect(lead in packs or start - datetime.timedelta(days=lead) == as_of,
                   f"{e['UID']}: an alarm {lead} days ahead, neither a rule pack's lead {packs} nor the report date")
    expect(report_lead in leads and expiring_lead in leads, f"alarm lead times {leads}")
    # In plain words, in the chosen language: the duty's title, never its kind's slug ("period-report #1").
    import re
    slugs = [str(e["SUMMARY"]) for e in events if re.search(r"\b[a-z]+-[a-z-]+ #\d", str(e["SUMMARY"]))]
    expect(not slugs, f"summaries with slugs instead of words: {slugs[:3]}")
    dutch = icalendar.Calendar.from_ical(run("--format", "ics", "--lang", "nl")).walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in dutch]
    expect(any("Verantwoordingsrapportage aan UWV" in t for t in summaries), "--lang nl: no Dutch title in the summaries")
    expect(sum(t.startswith("TE LAAT: ") for t in summaries) == len(overdue), "--lang nl: the overdue entries are not marked TE LAAT")
    print(f"summaries in words, e.g. '{next(str(e['SUMMARY']) for e in events if str(e['UID']) in overdue)}' / "
          f"'{next(t for t in summaries if t.startswith('TE LAAT'))}'")
    # Every overdue duty is in the calendar, under the id of its finding.
    late_ids = {f["id"] + "@jobcoach" for f in findings() if f["kind"] == "report.overdue"}
    expect(late_ids and late_ids <= set(overdue), f"overdue duties missing from the calendar: {late_ids - set(overdue)}")
    print(f"{len(events)} events parsed, UIDs unique, {len(overdue)} overdue on the report date, "
          f"alarms at {sorted(leads)} days ahead, none before the report date")

    # A real calendar client reads it as a person would: khal (Debian's package) lists every event, the overdue
    # ones in words, in Dutch.
    cfg = os.path.join(work, "khal")
    os.makedirs(os.path.join(cfg, "cal"), exist_ok=True)
    with open(os.path.join(cfg, "config"), "w") as f:
        f.write(f"[calendars]\n[[jobcoach]]\npath = {cfg}/cal\n[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
                "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n")
    ics_nl = os.path.join(work, "calendar-nl.ics")
    with open(ics_nl, "wb") as f:
        f.write(run("--format", "ics", "--lang", "nl"))
    shown = subprocess.run(["khal", "-c", os.path.join(cfg, "config"), "printics", ics_nl], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    expect(shown and shown[0] == f"{len(events)} events found in {ics_nl}", f"khal: {shown[:1]}")
    late_lines = [l for l in shown if l.startswith(f"{AS_OF}-{AS_OF} TE LAAT: ")]
    expect(len(late_lines) == len(overdue), f"khal shows {len(late_lines)} overdue entries on the report date, not {len(overdue)}")
    print(f"khal: {shown[0]}; e.g. {late_lines[0] if late_lines else '(none)'}")

    # Stable UIDs: a later export names the same duties with the same UIDs and dates.
    later = icalendar.Calendar.from_ical(run("--format", "ics", as_of="2026-12-01")).walk("VEVENT")
    before = {str(e["UID"]): (e["DTSTART"].dt, str(e["SUMMARY"])) for e in events}
    after = {str(e["UID"]): (e["DTSTART"].dt, str(e["SUMMARY"])) for e in later}
    kept = [u for u in before if before[u][0] >= datetime.date(2026, 12, 1)]
    expect(kept and all(after.get(u) == before[u] for u in kept),
           f"UIDs of due dates after 2026-12-01 changed between runs: {[u for u in kept if after.get(u) != before[u]][:3]}")
    print(f"{len(kept)} events of both runs keep their UID, date and summary")

    # The boundary: an open due date on the report date is an entry on that day; the day after, the same UID
    # is an overdue entry on the new report date.
    uid, (day, _) = min(((u, v) for u, v in before.items() if u not in overdue), key=lambda kv: kv[1][0])
    on = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(run("--format", "ics", as_of=day.isoformat())).walk("VEVENT")}
    next_day = day + datetime.timedelta(days=1)
    off = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(run("--format", "ics", as_of=next_day.isoformat())).walk("VEVENT")}
    expect(uid in on and not str(on[uid]["SUMMARY"]).startswith("OVERDUE"), f"the due date {day}: not an open entry as of that day")
    expect(uid in off and str(off[uid]["SUMMARY"]).startswith("OVERDUE") and off[uid]["DTSTART"].dt == next_day,
           f"the due date {day}: not an overdue entry on {next_day} as of the day after")
    print(f"due date {day}: open as of {day}, overdue on {next_day} as of {next_day}, the same UID")


def check_csv():
    comma, semicolon = run("--format", "csv"), run("--format", "csv", "--separator", ";")
    found = findings()
    rows = {}
    for name, raw, delimiter in (("','", comma, ","), ("';'", semicolon, ";")):
        expect(raw.startswith(b"\xef\xbb\xbf"), f"{name}: no UTF-8 byte-order mark")
        text = raw.decode("utf-8-sig")
        expect(text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), f"{name}: lines must end in CRLF")
        rows[name] = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
        expect(len(rows[name]) == len(found) + 1, f"{name}: {len(rows[name]) - 1} rows for {len(found)} findings")
        expect(rows[name][0][:3] == ["employee", "scheme", "rule"], f"{name}: header {rows[name][0][:3]}")
        expect(len({len(r) for r in rows[name]}) == 1, f"{name}: rows of different lengths")
    expect(rows["','"] == rows["';'"], "the two separators give different rows")
    quoted = sum(1 for line in comma.decode().split("\r\n") if '"' in line)
    expect(quoted > 0, "no field needed quoting: the test proves little")
    messages = [r[rows["','"][0].index("message_en")] for r in rows["','"][1:]]
    expect(messages == [f["message_en"] for f in found], "the messages differ from evaluate's")
    print(f"{len(found)} findings, the same rows with ',' and ';', {quoted} lines with quoted fields")


def spreadsheet_cells(path):
    """The cells of the first sheet of a flat ODS file: rows of (value type, value, text)."""
    import xml.etree.ElementTree as ET
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
          "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
    sheet = next(ET.parse(path).iter(f"{{{ns['table']}}}table"))
    rows = []
    for row in sheet.iter(f"{{{ns['table']}}}table-row"):
        cells = []
        for cell in row.findall("table:table-cell", ns):
            repeat = int(cell.get(f"{{{ns['table']}}}number-columns-repeated", "1"))
            value = (cell.get(f"{{{ns['office']}}}value-type"), cell.get(f"{{{ns['office']}}}value"),
                     "\n".join("".join(p.itertext()) for p in cell.findall("text:p", ns)))
            cells.extend([value] * min(repeat, 64))
        while cells and cells[-1] == (None, None, ""):
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def check_spreadsheet():
    found = findings()
    profile = os.path.join(work, "libreoffice-profile")
    for lang, separator, options in (("en", ",", "44,34,76,1"), ("nl", ";", "59,34,76,1,,1043")):
        source = os.path.join(work, f"findings-{lang}.csv")
        with open(source, "wb") as f:
            f.write(run("--format", "csv", "--lang", lang, "--separator", separator))
        target = os.path.join(work, f"findings-{lang}.fods")
        if os.path.exists(target):
            os.remove(target)
        # 76: UTF-8, 1: the first line; 1043: the Dutch locale, whose decimal comma the nl export uses.
        subprocess.run(["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        f"--infilter=CSV:{options}", "--convert-to", "fods", "--outdir", work, source],
                       check=True, capture_output=True, timeout=180)
        rows = spreadsheet_cells(target)
        header = [c[2] for c in rows[0]]
        expect(header[:3] == ["employee", "scheme", "rule"], f"{lang}: header {header[:4]} (a stray byte-order mark?)")
        expect(len(rows) == len(found) + 1, f"{lang}: {len(rows) - 1} rows for {len(found)} findings")
        col = {name: i for i, name in enumerate(header)}
        numbers = texts = 0
        for f, row in zip(found, rows[1:]):
            row = row + [(None, None, "")] * (len(header) - len(row))
            for name in ("employee", "rule", "message_en", "message_nl", "source", "id"):
                expect(row[col[name]][2] == f[name], f"{lang}: {name} reads {row[col[name]][2]!r}, not {f[name]!r}")
                texts += 1
            for raw, shown, divisor in (("observed_minutes", "observed_hours", 60), ("limit_minutes", "limit_hours", 60),
                                        ("amount_cents", "amount_eur", 100)):
                if raw not in f:
                    expect(row[col[raw]][0] is None and row[col[shown]][0] is None, f"{lang}: {shown} not empty")
                    continue
                v = f[raw]
                want = (v // 60 * 100 + v % 60 * 100 // 60) / 100 if divisor == 60 else v / 100
                for name, expected in ((raw, v), (shown, want)):
                    kind, value, _ = row[col[name]]
                    expect(kind == "float" and abs(float(value) - expected) < 1e-9,
                           f"{lang}: {f['employee']} {name} reads as {kind} {value!r}, not the number {expected}")
                    numbers += 1
        expect(numbers > 0, f"{lang}: no number cells checked")
        expect(any(not f["message_nl"].isascii() or not f["source"].isascii() for f in found),
               f"{lang}: no text beyond ASCII was checked: the test proves little about the encoding")
        print(f"{lang} ('{separator}'): {len(rows) - 1} rows, {texts} text cells and {numbers} number cells read back right")


{"screenshot": check_screenshot, "html": check_html, "phone": check_phone, "print": check_print, "ics": check_ics,
 "csv": check_csv, "spreadsheet": check_spreadsheet}[check]()
if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
