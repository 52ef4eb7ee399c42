#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""jobcoach_host: a host in Python, a thin user of the `jobcoach` package (the C ABI through ctypes).

    python3 jobcoach_host.py --plugins DIR --events FILE --as-of YYYY-MM-DD

loads the plugins of DIR (the loader's checks and the version rule: jobcoach.load_plugins), creates one instance
per plugin (in memory, or --state), hands it every event of FILE (JSON Lines, docs/formats.md) dated on or before
the date in one batch, evaluates, and prints the findings as JSON Lines exactly as `jobcoach-demo evaluate
--format jsonl` does. The package is installed by python3-jobcoach; from a source tree, plugin_api/python is used.
"""
import argparse
import os
import sys

try:
    import jobcoach
except ImportError:  # a source tree: the package beside the plugin API
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "plugin_api", "python"))
    import jobcoach

PROG = "jobcoach_host.py"


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Loads the jobcoach plugins of DIR, feeds every event of FILE dated on or before the date, "
                    "and prints the findings as JSON Lines (as jobcoach-demo evaluate --format jsonl).",
        epilog="Example: python3 jobcoach_host.py --plugins /usr/lib/jobcoach/plugins "
               "--events /usr/share/jobcoach/samples/sample-events.jsonl --as-of 2026-11-23")
    parser.add_argument("--plugins", metavar="DIR", default=jobcoach.default_plugin_dir(),
                        help="plugin directory (default: %(default)s)")
    parser.add_argument("--events", required=True, metavar="FILE", help="event file (JSON Lines, docs/formats.md)")
    parser.add_argument("--as-of", required=True, metavar="DATE", help="evaluation date, YYYY-MM-DD")
    parser.add_argument("--state", metavar="DB", help="keep each plugin's state in DB.<plugin id>")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--employee", metavar="KEY",
                       help="that employee's findings, computed for the employee alone (as jobcoach-demo "
                            "evaluate --employee)")
    which.add_argument("--changes", action="store_true",
                       help="with --state: what is new, updated or resolved since the last --changes run (as "
                            "jobcoach-demo changes)")
    args = parser.parse_args(argv)
    if args.changes and not args.state:
        parser.error("--changes needs --state")
    try:
        as_of = jobcoach.to_days(args.as_of)
    except ValueError:
        print(f'{PROG}: --as-of "{args.as_of}" is not a date YYYY-MM-DD between 1900 and 2199', file=sys.stderr)
        return 2
    try:
        events = [e for e in jobcoach.read_events(args.events) if jobcoach.to_days(e["date"]) <= as_of]
    except (OSError, ValueError) as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 2
    plugins, refused = jobcoach.load_plugins(args.plugins)
    for e in refused:
        print(f"{PROG}: refused {e}", file=sys.stderr)
    if not plugins:
        print(f"{PROG}: no plugin could be loaded from {args.plugins}", file=sys.stderr)
        return 1
    findings, exit_code = [], 0
    for plugin in plugins:
        try:
            with plugin.create(f"{args.state}.{plugin.id}" if args.state else None) as instance:
                instance.set_explanations(False)  # printed without them, as jobcoach-demo prints by default
                instance.handle_events(events)
                if args.changes:
                    findings += instance.changes(as_of)
                elif args.employee:
                    findings += instance.findings_of(args.employee, as_of)
                else:
                    findings += instance.evaluate(as_of)
        except jobcoach.JobcoachError as e:
            print(f"{PROG}: {e}", file=sys.stderr)
            exit_code = max(exit_code, 2 if e.status == -2 else 1)
    for f in jobcoach.settle(findings):
        print(jobcoach.jsonl_line(f))
    for plugin in reversed(plugins):
        plugin.close()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
