# SPDX-License-Identifier: Apache-2.0
# Reads `abidiff --leaf-changes-only` and enforces the evolution policy (plugin_api/include/jobcoach/EVOLUTION.md):
# a struct may only grow at its end, functions may only be added. Prints each violation; exits 1 when there is one.
function violation(why) { print "ABI gate: " why; bad = 1 }
function number(s) { gsub(/[^0-9]/, "", s); return s + 0 }

/^Leaf changes summary:/ || /^Changed leaf types summary:/ || /^$/ { next }
/^Removed\/Changed\/Added (functions|variables) summary:/ {
    if (number($4) > 0) violation($2 " removed: " $0)
    if (number($6) > 0) violation($2 " changed: " $0)
    next
}
/^Removed\/Changed\/Added .* summary:/ { next }
/^[0-9]+ Added (function|variable)s?:/ { block = "added"; next }
/^  \[A\] / && block == "added" { next }
/^'.*' changed:$/ {
    block = "type"; type = $0; old_size = -1; inserting = 0
    if ($0 !~ /^'struct /) violation(type " (only structs may change)")
    next
}
block == "type" && /^  type size changed from [0-9]+ to [0-9]+ \(in bits\)$/ {
    old_size = $5 + 0
    if ($7 + 0 <= old_size) violation(type " shrinks from " $5 " to " $7 " bits")
    next
}
block == "type" && /^  [0-9]+ data member insertions?:$/ { inserting = 1; next }
block == "type" && inserting && /^    '.*', at offset [0-9]+ \(in bits\)/ {
    offset = $0; sub(/.*at offset /, "", offset); offset = number(substr(offset, 1, index(offset, " ")))
    if (old_size < 0 || offset < old_size) violation(type " gains a member inside it, not at its end:" substr($0, 4))
    next
}
{ violation((block == "type" ? type " " : "") "not an append:" $0) }
END { exit bad }
