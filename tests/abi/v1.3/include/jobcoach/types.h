/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/types.h: the basic types of the jobcoach plugin ABI.
 *
 * Conventions for the whole ABI (read these once, they hold for every header):
 *
 * - Layout: only fixed-width integers, pointers and structs of them. No bool, no enums, no C++ types.
 *   Padding is explicit (members named `reserved*`, which senders set to 0 and readers ignore).
 * - Growth: every struct that may grow starts with `uint32_t struct_size`, set by whoever fills the struct to
 *   sizeof() as it was compiled. A reader reads only min(struct_size, its own sizeof) bytes and treats missing
 *   trailing members as absent (0 / NULL / the member's documented "absent" value). Members are only ever
 *   appended, never removed, reordered or retyped (see EVOLUTION in jobcoach/version.h).
 * - Strings: jc_str, UTF-8, not necessarily NUL-terminated, borrowed: valid only for the duration of the call
 *   that carries it, unless a member's comment says otherwise. The receiver copies what it keeps.
 *   {NULL, 0} is the absent string. `const char *` members are NUL-terminated UTF-8 with the lifetime their
 *   comment states.
 * - Memory: whoever allocates frees. Nothing is ever freed across the boundary.
 * - Errors: functions return jc_status; JC_OK is 0, errors are negative. A reader that meets an unknown
 *   negative code treats it as a generic failure.
 * - Exceptions: no C++ exception ever crosses the boundary, in either direction.
 * - Threads: every function pointer carries a tag:
 *     [thread-safe]          may be called from any thread, concurrently with anything.
 *     [loader-thread]        called only by the thread that loads plugins, never concurrently with any other
 *                            call into the same library.
 *     [instance-serialized]  the host never calls two such functions of one instance at the same time; it may
 *                            call them from different threads one after the other (with a happens-before
 *                            edge, e.g. a mutex). Different instances may be driven concurrently. A host
 *                            that breaks this rule gets JC_E_INVALID_ARGUMENT from the overlapping call of a
 *                            plugin built with the SDK (which then does nothing and leaves last_error alone),
 *                            never undefined behaviour; other plugins need not detect it.
 *     [callback]             called by the plugin, only from inside a call the host made into that instance,
 *                            on the thread that made it.
 */
#ifndef JOBCOACH_TYPES_H
#define JOBCOACH_TYPES_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define JC_ABI __cdecl
#define JC_EXPORT __declspec(dllexport)
#else
#define JC_ABI
#define JC_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. 0 is success; every error is negative. */
typedef int32_t jc_status;
#define JC_OK 0
#define JC_E_INVALID_ARGUMENT (-1) /* a NULL pointer, a struct_size too small, a bad config value */
#define JC_E_INVALID_EVENT (-2)    /* an event in a batch failed validation; the batch was not applied */
#define JC_E_UNSUPPORTED (-3)      /* the function or extension is not supported */
#define JC_E_VERSION (-4)          /* the ABI versions are not compatible */
#define JC_E_STORAGE (-5)          /* the plugin's state store failed (disk, permissions, corruption) */
#define JC_E_RULE_PACK (-6)        /* a rule pack is missing or malformed */
#define JC_E_INTERNAL (-7)         /* anything else; last_error says what */
#define JC_E_OUT_OF_MEMORY (-8)    /* an allocation failed; the call changed nothing (a batch was not applied),
                                    * and the instance stays usable. Added in 1.1's headers after 1.1.0: a host
                                    * must treat any negative status it does not know as a failure. */

/* A borrowed UTF-8 string: `size` bytes at `data`, not necessarily NUL-terminated. {NULL, 0} is absent. */
typedef struct jc_str {
    const char *data;
    size_t size;
} jc_str;

/* Civil dates (Dutch calendar, no time of day) are int32_t day numbers: days since 1970-01-01 in the
 * proleptic Gregorian calendar (1970-01-01 is 0, 1969-12-31 is -1). Valid dates lie in years 1900..2199. */
typedef int32_t jc_date;
#define JC_DATE_NONE INT32_MIN /* an absent date */
#define JC_DATE_MIN (-25567)   /* 1900-01-01 */
#define JC_DATE_MAX 84005      /* 2199-12-31 (1.1.1: was 83603, 2198-11-24, by mistake) */

/* An absent 64-bit number (observed minutes, limits, amounts). */
#define JC_NO_VALUE INT64_MIN

/* Finding severities, ordered: info < warning < high < critical (docs/rules.md C-10). */
#define JC_SEVERITY_INFO 0
#define JC_SEVERITY_WARNING 1
#define JC_SEVERITY_HIGH 2
#define JC_SEVERITY_CRITICAL 3

/* Log levels for jc_host.log. */
#define JC_LOG_DEBUG 0
#define JC_LOG_INFO 1
#define JC_LOG_WARNING 2
#define JC_LOG_ERROR 3
#define JC_LOG_PLUGIN_MISBEHAVING 4 /* the host reports a plugin that broke the contract */
#define JC_LOG_HOST_MISBEHAVING 5   /* the plugin reports a host that broke the contract */

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_TYPES_H */
