# SPDX-License-Identifier: Apache-2.0
"""Declares the jobcoach Tryton module of this source tree to trytond without installing it: a directory holding
trytond/modules/jobcoach (a link to host_demo/tryton/jobcoach) and a trytond.modules entry point, which trytond
finds on PYTHONPATH as it finds an installed module's. Used by run_tests.py and demo.py."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


def declare(directory):
    """Makes `directory` the place trytond finds the module; returns the PYTHONPATH entries a trytond process
    needs (that directory and the directory holding the jobcoach Python package). The module and the package are
    this tree's, or those JOBCOACH_TRYTON_MODULE and JOBCOACH_PYTHON_DIR name (the package test: the installed
    ones)."""
    module = os.environ.get("JOBCOACH_TRYTON_MODULE") or os.path.join(HERE, "jobcoach")
    package_parent = os.environ.get("JOBCOACH_PYTHON_DIR") or os.path.join(SOURCE, "plugin_api", "python")
    os.makedirs(os.path.join(directory, "trytond", "modules"), exist_ok=True)
    link = os.path.join(directory, "trytond", "modules", "jobcoach")
    if not os.path.islink(link):
        os.symlink(module, link)
    info = os.path.join(directory, "trytond_jobcoach.egg-info")
    os.makedirs(info, exist_ok=True)
    with open(os.path.join(info, "PKG-INFO"), "w") as f:
        f.write("Metadata-Version: 1.1\nName: trytond_jobcoach\nVersion: 6.0.0\n")
    with open(os.path.join(info, "entry_points.txt"), "w") as f:
        f.write("[trytond.modules]\njobcoach = trytond.modules.jobcoach\n")
    return [directory, package_parent]
