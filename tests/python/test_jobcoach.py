# SPDX-License-Identifier: Apache-2.0
"""The jobcoach Python package against the built plugins, with the standard unittest runner.

Environment (tests/CMakeLists.txt sets it): JC_TEST_PLUGIN_DIR (the built plugins), JC_TEST_TEST_PLUGINS (the test
plugins of tests/plugin), JC_TEST_DEMO (jobcoach-demo), JC_TEST_SAMPLE (the bundled sample)."""
import ctypes
import dataclasses
import datetime
import os
import shutil
import stat
import subprocess
import tempfile
import threading
import unittest

import jobcoach
from jobcoach import _abi

PLUGINS = os.environ["JC_TEST_PLUGIN_DIR"]
TEST_PLUGINS = os.environ["JC_TEST_TEST_PLUGINS"]
DEMO = os.environ["JC_TEST_DEMO"]
SAMPLE = os.environ["JC_TEST_SAMPLE"]
AS_OF = datetime.date(2026, 2, 1)


def contract_and_grant(employee="E1", employer="ACME"):
    return [{"id": f"{employee}-c", "type": "contract.started", "employee": employee, "date": "2026-01-05",
             "employer": employer, "weekly_hours": 20},
            {"id": f"{employee}-g", "type": "coaching.granted", "employee": employee, "date": "2026-01-05",
             "scheme": "uwv-extern", "level": "midden", "coach_form": "extern"}]


def hours(tag, minutes, day, employee="E1"):
    """Timesheet entries of `minutes` in all (at most 600 an entry) on a January day."""
    out = []
    while minutes > 0:
        m = min(minutes, 600)
        minutes -= m
        out.append({"id": f"{employee}-{tag}-{len(out)}", "type": "timesheet.logged", "employee": employee,
                    "date": f"2026-01-{day:02d}", "minutes": m, "scheme": "uwv-extern", "coach": "C-7"})
    return out


class Loading(unittest.TestCase):
    def test_the_built_plugins_load_with_the_version_rule(self):
        plugins, refused = jobcoach.load_plugins(PLUGINS)
        self.assertEqual(refused, [])
        self.assertEqual(sorted(p.id for p in plugins), ["nl.jobcoach.gemeente", "nl.jobcoach.uwv"])
        for p in plugins:
            self.assertEqual(p.abi_version[0], jobcoach.ABI_VERSION[0])
            self.assertLessEqual(p.min_host_abi[1], jobcoach.ABI_VERSION[1])
            self.assertTrue(p.version and p.vendor)

    def refusal(self, name):
        manifests = jobcoach.find_manifests(os.path.join(TEST_PLUGINS, name))
        self.assertEqual(len(manifests), 1, name)
        with self.assertRaises(jobcoach.LoadError) as caught:
            jobcoach.Plugin.load(manifests[0])
        return caught.exception

    def test_a_plugin_that_needs_a_newer_minor_is_refused_by_the_version_check(self):
        e = self.refusal("newer_minor")
        self.assertEqual(e.check, "version")
        self.assertIn(f"this host has {jobcoach.ABI_VERSION[0]}.{jobcoach.ABI_VERSION[1]}", str(e))

    def test_a_plugin_of_another_major_is_refused(self):
        self.assertEqual(self.refusal("other_major").check, "version")

    def test_a_library_that_is_not_ours_is_refused_before_it_runs(self):
        e = self.refusal("no_entry")
        self.assertEqual(e.check, "symbol")
        self.assertIn("jc_plugin_entry_v1", str(e))

    def test_a_manifest_that_lies_about_the_major_is_refused(self):
        self.assertEqual(self.refusal("lying_major").check, "version")

    def test_the_good_test_plugin_loads_so_the_refusals_are_the_checks(self):
        plugins, refused = jobcoach.load_plugins(os.path.join(TEST_PLUGINS, "good"))
        self.assertEqual((len(plugins), refused), (1, []))
        plugins[0].close()

    def test_a_file_others_may_write_is_refused_by_the_permissions_check(self):
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, "uwv")
            shutil.copytree(os.path.join(PLUGINS, "uwv"), copy)
            os.chmod(tmp, 0o755)
            manifest = jobcoach.find_manifests(copy)[0]
            os.chmod(manifest, 0o666)
            with self.assertRaises(jobcoach.LoadError) as caught:
                jobcoach.Plugin.load(manifest)
            self.assertEqual(caught.exception.check, "permissions")
            self.assertIn("writable by others", str(caught.exception))

    def test_an_allowlist_without_the_librarys_hash_refuses_it(self):
        manifest = jobcoach.find_manifests(os.path.join(PLUGINS, "uwv"))[0]
        with self.assertRaises(jobcoach.LoadError) as caught:
            jobcoach.Plugin.load(manifest, allowlist=["00" * 32])
        self.assertEqual(caught.exception.check, "allowlist")

    def test_findings_of_each_minor_have_the_members_of_that_minor(self):
        events = contract_and_grant()
        seen = {}
        for name in ("v1_0", "v1_2", "v1_3"):
            plugins, refused = jobcoach.load_plugins(os.path.join(TEST_PLUGINS, name))
            self.assertEqual(refused, [], name)
            with plugins[0].create() as i:
                i.handle_events(events)
                [f] = i.evaluate(AS_OF)
                seen[name] = (bool(f.explanation), bool(f.id), bool(f.title_en))
        # 1.0 has neither explanation nor id; 1.2 and 1.3 have both, and no title (1.4)
        self.assertEqual(seen, {"v1_0": (False, False, False), "v1_2": (True, True, False),
                                "v1_3": (True, True, False)})

    def test_one_id_loads_once(self):
        manifest = jobcoach.find_manifests(os.path.join(PLUGINS, "uwv"))[0]
        with self.assertRaises(jobcoach.LoadError) as caught:
            jobcoach.Plugin.load(manifest, loaded_ids=["nl.jobcoach.uwv"])
        self.assertEqual(caught.exception.check, "manifest")


class WithUwv(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        plugins, _ = jobcoach.load_plugins(PLUGINS)
        cls.plugins = plugins
        cls.uwv = next(p for p in plugins if p.id == "nl.jobcoach.uwv")

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.state = os.path.join(self.tmp, "tenant.uwv.db")

    def tearDown(self):
        shutil.rmtree(self.tmp)


class Events(WithUwv):
    def test_a_batch_of_dicts_is_stored_once(self):
        with self.uwv.create(self.state) as i:
            self.assertEqual(i.handle_events(contract_and_grant()), jobcoach.BatchResult(2, 0, 0, 0))
            again = i.handle_events(contract_and_grant())
            self.assertEqual((again.accepted, again.duplicates), (0, 2))

    def test_a_dict_the_abi_cannot_carry_names_its_field_and_index_and_applies_nothing(self):
        with self.uwv.create(self.state) as i:
            bad = contract_and_grant() + [dict(hours("x", 60, 6)[0], date="2026-02-30")]
            with self.assertRaises(jobcoach.EventError) as caught:
                i.handle_events(bad)
            e = caught.exception
            self.assertEqual((e.field, e.index), ("date", 2))
            self.assertIn("event 2: field 'date'", str(e))
            self.assertFalse(i.knows("E1"))

    def test_an_event_the_plugin_refuses_raises_with_its_last_error_and_index(self):
        with self.uwv.create(self.state) as i:
            batch = contract_and_grant("E2") + [{"id": "E2-g2", "type": "coaching.granted", "employee": "E2",
                                                 "date": "2026-01-05", "scheme": "uwv-extern",
                                                 "granted_hours": -5}]
            with self.assertRaises(jobcoach.PluginError) as caught:
                i.handle_events(batch)
            e = caught.exception
            self.assertEqual((e.status, e.failed_index), (_abi.JC_E_INVALID_EVENT, 2))
            self.assertIn("granted_hours", e.last_error)
            self.assertEqual(e.last_error, i.last_error())
            self.assertFalse(i.knows("E2"))  # all or nothing

    def test_the_same_id_with_other_content_is_refused_and_counts_nothing_twice(self):
        with self.uwv.create(self.state) as i:
            i.handle_events(contract_and_grant() + hours("a", 60, 6))
            changed = [dict(hours("a", 60, 6)[0], minutes=61)]
            with self.assertRaises(jobcoach.PluginError) as caught:
                i.handle_events(changed)
            self.assertIn("other content", caught.exception.last_error)
            self.assertEqual((caught.exception.conflicts, caught.exception.failed_index), (1, 0))
            budget = i.status("E1", AS_OF)[0].budgets[0]
            self.assertEqual(budget.used_minutes, 60)

    def test_read_events_names_the_file_and_line(self):
        path = os.path.join(self.tmp, "bad.jsonl")
        with open(path, "w") as f:
            f.write('{"id":"a","type":"absence.started","employee":"E1","date":"2026-01-05"}\n')
            f.write('{"id":"b","type":"absence.ended","employee":"E1","date":"2026-13-01"}\n')
        with self.assertRaises(jobcoach.EventError) as caught:
            jobcoach.read_events(path)
        self.assertEqual((caught.exception.line, caught.exception.field), (2, "date"))
        self.assertIn(f"{path}:2:", str(caught.exception))

    def test_strings_are_read_by_their_length(self):
        raw = b"a\x00b"
        buffer = ctypes.create_string_buffer(raw, len(raw))
        self.assertEqual(_abi.read_str(_abi.Str(ctypes.addressof(buffer), 3)), "a\x00b")
        self.assertEqual(_abi.read_str(_abi.Str(ctypes.addressof(buffer), 1)), "a")
        self.assertEqual(_abi.read_str(_abi.Str(None, 0)), "")


class Findings(WithUwv):
    def test_the_budget_warns_from_80_percent_and_keeps_its_id_when_it_is_exceeded(self):
        with self.uwv.create(self.state) as i:
            i.handle_events(contract_and_grant())
            limit = i.status("E1", AS_OF)[0].budgets[0].limit_minutes
            warn_from = -(-limit * 80 // 100)  # the first whole minute at or above 80 %
            i.handle_events(hours("a", warn_from - 1, 20))
            self.assertEqual([f.kind for f in i.findings_of("E1", AS_OF) if f.kind.startswith("budget")], [])
            i.handle_events(hours("b", 1, 21))
            warning = [f for f in i.findings_of("E1", AS_OF) if f.kind.startswith("budget")]
            self.assertEqual([(f.kind, f.severity, f.observed_minutes, f.limit_minutes) for f in warning],
                             [("budget.warning", "warning", warn_from, limit)])
            i.handle_events(hours("c", limit - warn_from, 22))  # exactly 100 %: still a warning
            self.assertEqual([f.kind for f in i.findings_of("E1", AS_OF) if f.kind.startswith("budget")],
                             ["budget.warning"])
            i.handle_events(hours("d", 1, 23))
            exceeded = [f for f in i.findings_of("E1", AS_OF) if f.kind.startswith("budget")]
            self.assertEqual([(f.kind, f.severity) for f in exceeded], [("budget.exceeded", "high")])
            self.assertEqual(exceeded[0].id, warning[0].id)
            self.assertEqual(exceeded[0].trajectory, 1)
            self.assertTrue(exceeded[0].title_en and exceeded[0].action_nl and exceeded[0].message_nl)

    def test_one_employees_findings_are_theirs_from_the_whole_evaluation(self):
        with self.uwv.create(self.state) as i:
            i.handle_events(e for e in jobcoach.read_events(SAMPLE) if e["date"] <= "2026-11-23")
            everyone = i.evaluate("2026-11-23")
            employees = sorted({f.employee for f in everyone})
            self.assertGreater(len(employees), 2)
            for key in employees:
                mine = i.findings_of(key, "2026-11-23")
                self.assertEqual(sorted(jobcoach.jsonl_line(f) for f in mine),
                                 sorted(jobcoach.jsonl_line(f) for f in everyone if f.involves(key)), key)
            ids = [f.id for f in everyone]
            self.assertTrue(all(ids))
            self.assertEqual(len(ids), len(set(ids)))

    def test_findings_without_explanations_differ_in_nothing_else_and_come_back_with_them(self):
        with self.uwv.create(self.state) as i:
            i.handle_events(e for e in jobcoach.read_events(SAMPLE) if e["date"] <= "2026-11-23")
            explained = i.evaluate("2026-11-23")
            i.set_explanations(False)
            plain = i.evaluate("2026-11-23")
            plain_of_one = i.findings_of(explained[0].employee, "2026-11-23")
            i.set_explanations(True)
            again = i.evaluate("2026-11-23")
            with self.assertRaises(TypeError):
                i.set_explanations(0)
        self.assertTrue(explained and all(f.explanation for f in explained))
        # left out by the plugin itself (jc.explanations/1): the package copies what it is given
        self.assertEqual(plain, [dataclasses.replace(f, explanation="") for f in explained])
        self.assertTrue(plain_of_one and not any(f.explanation for f in plain_of_one))
        self.assertEqual(again, explained)

    def test_a_plugin_without_the_extension_has_its_explanations_left_out_by_the_package(self):
        plugins, refused = jobcoach.load_plugins(os.path.join(TEST_PLUGINS, "v1_2"))
        self.assertEqual(refused, [])
        with plugins[0].create() as i:
            self.assertIsNone(i._extension(b"jc.explanations/1", _abi.ExplanationsExtension, "set_explanations"))
            i.handle_events(contract_and_grant())
            [explained] = i.evaluate(AS_OF)
            i.set_explanations(False)
            [plain] = i.evaluate(AS_OF)
            i.set_explanations(True)
            [again] = i.evaluate(AS_OF)
        self.assertTrue(explained.explanation)
        self.assertEqual(plain, dataclasses.replace(explained, explanation=""))
        self.assertEqual(again, explained)

    def test_findings_without_words_differ_in_nothing_else_and_come_back_with_them(self):
        with self.uwv.create(self.state) as i:
            i.handle_events(e for e in jobcoach.read_events(SAMPLE) if e["date"] <= "2026-11-23")
            worded = i.evaluate("2026-11-23")
            i.set_messages(False)
            plain = i.evaluate("2026-11-23")
            plain_of_one = i.findings_of(worded[0].employee, "2026-11-23")
            i.set_messages(True)
            again = i.evaluate("2026-11-23")
            with self.assertRaises(TypeError):
                i.set_messages(0)
        self.assertTrue(worded and all(f.message_nl and f.message_en and f.explanation for f in worded))
        # left out by the plugin itself (jc.messages/1): the package copies what it is given
        self.assertEqual(plain, [dataclasses.replace(f, message_nl="", message_en="", action_nl="", action_en="",
                                                     explanation="") for f in worded])
        self.assertTrue(plain_of_one and not any(f.message_en or f.action_en for f in plain_of_one))
        self.assertEqual(again, worded)

    def test_a_plugin_without_the_messages_extension_has_its_words_left_out_by_the_package(self):
        plugins, refused = jobcoach.load_plugins(os.path.join(TEST_PLUGINS, "v1_2"))
        self.assertEqual(refused, [])
        with plugins[0].create() as i:
            self.assertIsNone(i._extension(b"jc.messages/1", _abi.MessagesExtension, "set_messages"))
            i.handle_events(contract_and_grant())
            [worded] = i.evaluate(AS_OF)
            i.set_messages(False)
            [plain] = i.evaluate(AS_OF)
            i.set_messages(True)
            [again] = i.evaluate(AS_OF)
        self.assertTrue(worded.message_en and worded.explanation)
        self.assertEqual(plain, dataclasses.replace(worded, message_nl="", message_en="", action_nl="", action_en="",
                                                    explanation=""))
        self.assertEqual(again, worded)

    def test_the_package_prints_what_jobcoach_demo_prints(self):
        demo = subprocess.run([DEMO, "evaluate", "--plugins", PLUGINS, "--events", SAMPLE, "--as-of", "2026-11-23",
                               "--format", "jsonl"], capture_output=True, text=True, check=True).stdout
        events = [e for e in jobcoach.read_events(SAMPLE) if e["date"] <= "2026-11-23"]
        found = []
        for p in self.plugins:
            with p.create() as i:
                i.handle_events(events)
                found += i.evaluate("2026-11-23")
        self.assertEqual("".join(jobcoach.jsonl_line(f) + "\n" for f in jobcoach.settle(found)), demo)


class Lifecycle(WithUwv):
    def test_changes_new_nothing_updated_resolved_across_restarts(self):
        with self.uwv.create(self.state) as i:
            i.handle_events(contract_and_grant())
            limit = i.status("E1", AS_OF)[0].budgets[0].limit_minutes
            i.handle_events(hours("a", limit * 80 // 100 + 1, 20))
            new = i.changes(AS_OF)
        self.assertEqual([(f.kind, f.change) for f in new], [("budget.warning", "new")])
        with self.uwv.create(self.state) as i:  # a restart: the record is in the state
            self.assertEqual(i.changes(AS_OF), [])
            i.handle_events(hours("b", limit, 21))
            updated = i.changes(AS_OF)
        self.assertEqual([(f.kind, f.change, f.id) for f in updated], [("budget.exceeded", "updated", new[0].id)])
        with self.uwv.create(self.state) as i:
            i.handle_events([{"id": f"r-b-{n}", "type": "event.retracted", "employee": "E1", "date": "2026-01-22",
                              "retracts": f"E1-b-{n}"} for n in range(len(hours("b", limit, 21)))])
            i.handle_events([{"id": "r-a", "type": "event.retracted", "employee": "E1", "date": "2026-01-22",
                              "retracts": "E1-a-0"}])
            resolved = i.changes(AS_OF)
        self.assertIn(("resolved", new[0].id), [(f.change, f.id) for f in resolved])

    def test_changes_of_some_employees_leave_the_others_for_later(self):
        with self.uwv.create(self.state) as i:
            i.handle_events(contract_and_grant("E1") + contract_and_grant("E2"))
            limit = i.status("E1", AS_OF)[0].budgets[0].limit_minutes
            i.handle_events(hours("a", limit + 1, 20, "E1") + hours("a", limit + 1, 20, "E2"))
            self.assertEqual({f.employee for f in i.changes(AS_OF, ["E1"])}, {"E1"})
            self.assertEqual({f.employee for f in i.changes(AS_OF)}, {"E2"})


class StatusAndErasure(WithUwv):
    def test_status_gives_the_trajectory_its_budgets_and_dues(self):
        with self.uwv.create(self.state) as i:
            i.handle_events(contract_and_grant() + hours("a", 90, 6))
            [t] = i.status("E1", AS_OF)
            self.assertEqual((t.employee, t.scheme, t.number, t.level, t.start),
                             ("E1", "uwv-extern", 1, "midden", datetime.date(2026, 1, 5)))
            self.assertEqual(t.budgets[0].used_minutes, 90)
            self.assertTrue(t.budgets[0].current and t.budgets[0].basis and t.budgets[0].basis_nl)
            self.assertEqual(t.budgets[0].warning_pct, 80)
            self.assertTrue(all(d.finding_id and d.lead_days >= 0 for d in t.dues if not d.satisfied))
            self.assertEqual(i.status("nobody", AS_OF), [])

    def test_erasure_leaves_no_byte_of_the_key_and_the_others_untouched(self):
        key = "ERASE-ME-7f3a"
        with self.uwv.create(self.state) as i:
            i.handle_events(contract_and_grant(key) + contract_and_grant("E2") + hours("a", 120, 6, key))
            i.changes(AS_OF)
            before = [jobcoach.jsonl_line(f) for f in i.findings_of("E2", AS_OF)]
            events, findings = i.erase(key)
            self.assertEqual(events, 3)
            self.assertFalse(i.knows(key))
            self.assertTrue(i.knows("E2"))
            self.assertEqual([jobcoach.jsonl_line(f) for f in i.findings_of("E2", AS_OF)], before)
        for name in os.listdir(self.tmp):
            with open(os.path.join(self.tmp, name), "rb") as f:
                self.assertNotIn(key.encode(), f.read(), name)


class Misuse(WithUwv):
    def test_a_closed_instance_says_so(self):
        i = self.uwv.create()
        i.close()
        i.close()
        with self.assertRaises(jobcoach.JobcoachError) as caught:
            i.evaluate(AS_OF)
        self.assertIn("closed", str(caught.exception))

    def test_an_impossible_as_of_date_is_refused_before_the_plugin(self):
        with self.uwv.create() as i:
            with self.assertRaises(ValueError):
                i.evaluate("2026-02-29")

    def test_a_bad_state_path_raises_with_the_plugins_words(self):
        with self.assertRaises(jobcoach.PluginError) as caught:
            self.uwv.create("/proc/no/such/dir/state.db")
        self.assertTrue(caught.exception.last_error)
        self.assertLess(caught.exception.status, 0)

    def test_a_plugin_with_open_instances_is_not_deinitialised(self):
        plugins, _ = jobcoach.load_plugins(PLUGINS)
        uwv = next(p for p in plugins if p.id == "nl.jobcoach.uwv")
        i = uwv.create()
        with self.assertRaises(jobcoach.JobcoachError):
            uwv.close()
        i.close()
        for p in plugins:
            p.close()

    def test_two_threads_on_one_instance_take_turns(self):
        with self.uwv.create(self.state) as i:
            i.handle_events(contract_and_grant())
            errors = []

            def work(n):
                try:
                    for k in range(20):
                        i.handle_events(hours(f"t{n}-{k}", 10, 6))
                        i.findings_of("E1", AS_OF)
                except Exception as e:  # noqa: BLE001
                    errors.append(e)
            threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(errors, [])
            self.assertEqual(i.status("E1", AS_OF)[0].budgets[0].used_minutes, 2 * 20 * 10)


if __name__ == "__main__":
    unittest.main()
