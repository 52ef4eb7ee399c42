/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/ext/threads.h: the jc.threads/1 host extension: the host's threads for evaluating, shared among the
 * instances it drives, as tokens (GNU make's jobserver).
 *
 * A plugin may spread jc_plugin.evaluate over threads of its own (plugin.h). A host that evaluates several
 * instances at once, each on a thread of its own (the plugins of one tenant, or many tenants), then either has
 * more threads running than the machine has cores, when every instance starts as many as the machine has, or
 * leaves cores idle, when it gives each instance a fixed share and one instance finishes before another. With
 * this extension the host keeps one count of the threads its evaluations use, and a plugin takes a token for
 * each thread it starts beyond the calling one, as it goes (when another instance's evaluation has ended, say),
 * and gives the tokens back once those threads have ended. The calling thread needs no token: the host counts
 * each of its own threads that evaluates, from before it starts any of those it runs at once (counted only as
 * each call began, the plugin of the first call could take the thread the next call then runs on). The C++ host
 * runtime keeps such a count (host::EvaluationThreads). A plugin gets it with
 *
 *     const jc_host_threads *ext = host->get_extension(host, JC_EXT_THREADS);
 *
 * NULL means the host offers none: the plugin then decides alone how many threads it starts (the shipped
 * plugins: JOBCOACH_EVALUATE_THREADS, plugin.h). Added in ABI 1.6; a plugin must not assume it.
 */
#ifndef JOBCOACH_EXT_THREADS_H
#define JOBCOACH_EXT_THREADS_H

#include "../host.h"
#include "../types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JC_EXT_THREADS "jc.threads/1"

typedef struct jc_host_threads {
    uint32_t struct_size; /* sizeof(jc_host_threads) as the host built it */
    uint32_t reserved0;   /* 0 */
    /* [callback] Takes up to `wanted` tokens, without waiting, and returns how many it took: 0 when none is
     * free (the plugin may ask again later in the same call). A token allows the plugin one thread of its own
     * beyond the calling thread, until it gives the token back. Valid only during jc_plugin.evaluate and the
     * functions of jc.findings/1 of the instance this host belongs to, and only on the thread the host called
     * that function on; outside them it takes none and returns 0. */
    uint32_t(JC_ABI *take)(const jc_host *host, uint32_t wanted);
    /* [callback] Gives back `count` tokens this instance took, once the threads they allowed have ended, on
     * the same thread and within the same call as take. Tokens still held when that call returns are taken
     * back by the host (which logs it); a count above what the instance holds gives back what it holds. */
    void(JC_ABI *give_back)(const jc_host *host, uint32_t count);
} jc_host_threads;

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_EXT_THREADS_H */
