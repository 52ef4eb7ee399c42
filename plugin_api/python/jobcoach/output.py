# SPDX-License-Identifier: Apache-2.0
"""Findings out as jobcoach-demo prints them: its order and its JSON Lines (docs/formats.md, "Findings")."""
from .events import to_days


def _key(f):
    due = -2**31 if f.due is None else to_days(f.due)
    return (f.employee.encode(), due, f.rule.encode(), f.subject.encode(), f.kind.encode(), f.scheme.encode())


def settle(findings):
    """As jobcoach-demo: sorted by employee, due (none first), rule, subject; findings alike once (two plugins may
    report one employer-level finding)."""
    out = []
    for f in sorted(findings, key=_key):
        if not out or _key(out[-1]) != _key(f):
            out.append(f)
    return out


def _escape(s):
    out = []
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def jsonl_line(f):
    """One Finding as jobcoach-demo's JSON Lines, field for field and in its order."""
    parts = [f'"{k}":"{_escape(getattr(f, k))}"' for k in ("employee", "scheme", "rule", "kind", "severity")]
    if f.due is not None:
        parts.append(f'"due":"{f.due.isoformat()}"')
    if f.subject:
        parts.append(f'"subject":"{_escape(f.subject)}"')
    for k in ("observed_minutes", "limit_minutes", "amount_cents"):
        if getattr(f, k) is not None:
            parts.append(f'"{k}":{getattr(f, k)}')
    parts += [f'"{k}":"{_escape(getattr(f, k))}"' for k in ("message_nl", "message_en", "source")]
    if f.employer:
        parts.append(f'"employer":"{_escape(f.employer)}"')
    if f.employees:
        parts.append('"employees":[' + ",".join(f'"{_escape(e)}"' for e in f.employees) + "]")
    if f.trajectory:
        parts.append(f'"trajectory":{f.trajectory}')
    if f.id:
        parts.append(f'"id":"{_escape(f.id)}"')
    if f.change:
        parts.append(f'"change":"{f.change}"')
    parts += [f'"{k}":"{_escape(getattr(f, k))}"' for k in ("title_nl", "title_en", "action_nl", "action_en")
              if getattr(f, k)]
    return "{" + ",".join(parts) + "}"
