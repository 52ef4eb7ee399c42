# SPDX-License-Identifier: Apache-2.0
# Lists "struct index name offset" for every data member of every struct in an abidw XML dump, so that the ABI
# gate can check that each struct of the baseline is a prefix (same names, same offsets) of today's.
/<class-decl name='/ {
    s = $0; sub(/.*<class-decl name='/, "", s); cls = substr(s, 1, index(s, "'") - 1); index_in = 0; next
}
/<\/class-decl>/ { cls = ""; next }
cls != "" && /<data-member / {
    s = $0; sub(/.*layout-offset-in-bits='/, "", s); offset = substr(s, 1, index(s, "'") - 1); next
}
cls != "" && /<var-decl name='/ {
    s = $0; sub(/.*<var-decl name='/, "", s); print cls, index_in++, substr(s, 1, index(s, "'") - 1), offset
}
