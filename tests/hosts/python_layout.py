#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The jobcoach package's ctypes structs have the pinned x86_64 layout of the C headers (tests/abi/layout_x86_64.h):
each struct's size and the offset of the member the header pins.   python_layout.py LAYOUT_H PACKAGE_PARENT_DIR"""
import ctypes
import re
import sys

sys.path.insert(0, sys.argv[2])
from jobcoach import _abi as h  # noqa: E402

events = {f"jc_event_{name.replace('.', '_')}": struct for name, (_, struct) in h.EVENT_TYPES.items()}
events["jc_event_absence"] = events.pop("jc_event_absence_started")
del events["jc_event_absence_ended"]
structs = {"jc_str": h.Str, "jc_version": h.Version, "jc_event_header": h.EventHeader, "jc_finding": h.Finding,
           "jc_host": h.Host, "jc_instance_config": h.InstanceConfig, "jc_batch_result": h.BatchResult,
           "jc_plugin": h.PluginStruct, "jc_plugin_descriptor": h.Descriptor, "jc_plugin_entry": h.Entry,
           "jc_status_budget": h.StatusBudget, "jc_status_due": h.StatusDue, "jc_status_figure": h.StatusFigure,
           "jc_trajectory_status": h.TrajectoryStatus, "jc_plugin_status": h.StatusExtension,
           "jc_plugin_findings": h.FindingsExtension, "jc_plugin_erase": h.EraseExtension,
           "jc_plugin_explanations": h.ExplanationsExtension, "jc_plugin_messages": h.MessagesExtension, **events}
pinned = re.findall(r"JC_LAYOUT\(sizeof\((\w+)\) == (\d+) && offsetof\(\w+, (\w+)\) == (\d+)", open(sys.argv[1]).read())
checked, wrong = 0, []
for name, size, member, offset in pinned:
    if name not in structs:
        continue  # a pin of a constant (JC_FINDING_SIZE_V1_0 …) rather than a struct
    s = structs[name]
    got = (ctypes.sizeof(s), getattr(s, member).offset)
    if got != (int(size), int(offset)):
        wrong.append(f"{name}: size {got[0]}, {member} at {got[1]}; the header pins {size} and {offset}")
    checked += 1
missing = set(structs) - {p[0] for p in pinned}
if missing:
    wrong.append(f"not pinned in {sys.argv[1]}: {sorted(missing)}")
print(f"{checked} structs checked")
if wrong or checked < 28:
    print("\n".join(wrong) or f"only {checked} structs checked", file=sys.stderr)
    sys.exit(1)
