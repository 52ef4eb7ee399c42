/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/jobcoach.h: the whole C ABI of the jobcoach plugin system, version 1.
 *
 * Start with types.h (conventions that hold everywhere), then entry.h (lifecycle), plugin.h, host.h,
 * events.h, finding.h, and version.h (the compatibility rule and how the ABI may evolve).
 */
#ifndef JOBCOACH_JOBCOACH_H
#define JOBCOACH_JOBCOACH_H

#include "types.h"
#include "version.h"
#include "events.h"
#include "finding.h"
#include "host.h"
#include "plugin.h"
#include "entry.h"
#include "ext/status.h"
#include "ext/findings.h"
#include "ext/erase.h"
#include "ext/explanations.h"
#include "ext/threads.h"
#include "ext/messages.h"

#endif /* JOBCOACH_JOBCOACH_H */
