/* Compiles every public header as C11 with -Wall -Wextra -pedantic -Werror -Wpadded. */
#include <jobcoach/jobcoach.h>

_Static_assert(sizeof(jc_event_header) == 48, "jc_event_header layout is frozen");
_Static_assert(offsetof(jc_event_header, date) == 40, "jc_event_header layout is frozen");
_Static_assert(offsetof(jc_plugin_entry, init) == 32, "jc_plugin_entry layout is frozen");
_Static_assert(offsetof(jc_host, emit_finding) == 56, "jc_host layout is frozen");
_Static_assert(offsetof(jc_finding, explanation) == JC_FINDING_SIZE_V1_0, "jc_finding 1.0 layout is frozen");
_Static_assert(sizeof(jc_finding) == JC_FINDING_SIZE_V1_0 + 16, "jc_finding 1.1 appends one jc_str");

int jc_header_check_c(void);
int jc_header_check_c(void) { return (int)sizeof(jc_finding); }
