#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# docs/design.md "Layers, and what each may know": the public headers, the host runtime and every host (the demo
# included) know plugins only through the C ABI. None of them includes, links or names the plugins' rule engine
# (jobcoach/rules, jobcoach::rules) or reads a plugin's rule packs (rulepacks/ is the plugins' own).
#   layers_check.sh SOURCE_DIR
set -euo pipefail
cd "$1"
found=$(grep -rnE 'jobcoach/rules|jobcoach::rules|jobcoach_rules|rules::|RulePack' host_demo plugin_api || true)
if [ -n "$found" ]; then
  echo "the host side reaches into the plugins' engine:" >&2
  echo "$found" >&2
  exit 1
fi
found=$(grep -rn '"rulepacks"' host_demo || true)
if [ -n "$found" ]; then
  echo "the demo host reads a plugin's rule packs:" >&2
  echo "$found" >&2
  exit 1
fi
echo "host_demo/ and plugin_api/ know the plugins only through the public headers"
