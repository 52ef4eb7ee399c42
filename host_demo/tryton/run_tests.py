#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the jobcoach Tryton module's tests from a source tree, as Tryton runs a module's tests, without installing
it: the module is declared to trytond (a trytond.modules entry point in a temporary directory), then
`python3 -m unittest trytond.modules.jobcoach.tests` runs on SQLite in memory (DB_NAME=:memory:).

    /usr/bin/python3 host_demo/tryton/run_tests.py      (Debian's python3, which Debian's trytond serves)

An installed module (setup.py, or copied into trytond/modules) is tested the usual way:
DB_NAME=:memory: python3 -m unittest trytond.modules.jobcoach.tests"""
import os
import sys
import tempfile
import unittest

here = os.path.dirname(os.path.abspath(__file__))
import module_path  # noqa: E402  (beside this file)
# This directory holds the module as jobcoach/: off the path, so that `import jobcoach` is the Python package.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
with tempfile.TemporaryDirectory(prefix="jobcoach-tryton-module-") as tmp:
    os.environ.setdefault("DB_NAME", ":memory:")
    sys.path[:0] = module_path.declare(tmp)
    import trytond.modules  # noqa: E402
    trytond.modules.__path__.append(os.path.join(tmp, "trytond", "modules"))
    trytond.modules.update_egg_modules()
    result = unittest.main(module=None, argv=[sys.argv[0], "-v", "trytond.modules.jobcoach.tests.test_jobcoach"],
                           exit=False).result
sys.exit(0 if result.wasSuccessful() else 1)
