/* SPDX-License-Identifier: Apache-2.0 */
/* Compiles every public header as C11 with -Wall -Wextra -pedantic -Werror -Wpadded. */
#include <jobcoach/jobcoach.h>

#include "layout_x86_64.h"

int jc_header_check_c(void);
int jc_header_check_c(void) { return (int)sizeof(jc_finding); }
