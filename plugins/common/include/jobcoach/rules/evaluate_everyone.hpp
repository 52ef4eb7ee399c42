// SPDX-License-Identifier: Apache-2.0
// Evaluating everyone from a plugin's state, on the calling thread or spread over helper threads.
#pragma once

#include "jobcoach/rules/engine.hpp"
#include "jobcoach/rules/event_store.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace jobcoach::rules {

// How many threads evaluate everyone: JOBCOACH_EVALUATE_THREADS from the environment when it is a number from
// 1 to 64 (1: the calling thread alone), otherwise the machine's hardware threads, at most 8. When it is set to
// anything else, `note` (when given) says so, and what is used instead.
unsigned evaluate_threads(std::string *note = nullptr);

// Takes one employee's findings, sorted (the key is empty for the employer-level findings, which come last). May
// take the findings' contents: the list is cleared, and its findings made over, afterwards.
using EmployeeSink = std::function<void(std::string_view employee, FindingList &findings)>;

// Takes one employee's findings as pack_findings (finding.hpp) packed them, in place of an EmployeeSink, for the
// employees evaluated in batches beside helper threads: the thread that evaluated the batch packs them, the
// calling thread hands them on from one run of bytes. `packed` is valid for the call.
using PackedSink = std::function<void(std::string_view employee, std::string_view packed)>;

// Threads an evaluation of everyone takes beyond the calling one as it goes, from a count it shares with other
// evaluations (the host's, jc.threads/1), and gives back once they have ended. Both are called on the calling
// thread only.
struct ThreadShare {
    std::function<unsigned(unsigned wanted)> take; // how many it took: 0 when none is free now
    std::function<void(unsigned count)> give_back;
};

// Evaluates every employee whose row the store holds (EventStore::for_each_row with the evaluation's concerning
// schemes) as of `as_of`, and then the employer-level findings.
//
// With threads > 1 and more than one batch of employees, `threads` - 1 helper threads decode and evaluate
// batches of employees, each with an Evaluation of its own (merged before the employer-level findings), while
// the calling thread reads the rows, evaluates a share of the employees itself and hands the findings on.
// Whatever `threads`:
// - the sink is called on the calling thread only, once per employee with findings or not, in key order, with
//   the findings a single-threaded evaluation gives, and last with the employer-level findings;
// - memory holds at most a few batches per thread (batch_employees employees each), and the calling thread's
//   share of three cycles (at most 8 batches' worth each), not the tenant;
// - every helper thread has ended when this returns or throws;
// - the findings borrow their pack texts from `packs` (Evaluation::borrow_pack_texts; a packed one views them):
//   a sink that keeps one keeps it valid only while `packs` lives.
// Throws what the evaluation throws (RulePackError; std::runtime_error for a damaged row), or what the sink
// throws, after the sink took the findings of every employee before the one that failed. The findings carry the
// words `wording` names (Evaluation::word). With `packed` set, the findings of the employees
// of the helpers' batches go to it instead of to `sink`, packed (whichever thread evaluated the batch: the
// calling thread takes one from a helper's queue while it waits), with all that is said above of the sink (order,
// thread, errors); those of the calling thread's own share while helpers run, of every employee while none does,
// and the employer-level ones go to `sink`.
// With `share` set, `threads` is the most that evaluate: a helper thread starts only for a thread taken from the
// share, asked for before the first employee and again after every batch_employees employees while the calling
// thread evaluates alone (once helpers run, no more are asked for); what was taken is given back once the helpers
// have ended, before this returns or throws.
void evaluate_everyone(const EventStore &store, Date as_of, const std::vector<std::unique_ptr<SchemeRules>> &schemes,
                       const RulePackSet &packs, unsigned threads, const EmployeeSink &sink, Wording wording = {},
                       const PackedSink &packed = {}, const ThreadShare *share = nullptr);

// nothing_unclaimed (common_rules.hpp) for an employee's stored row from EventStore::for_each_row, told from a
// glance at its events before they are decoded (UnclaimedGlance over EventStore::Glance): whether the plugin that
// reports unclaimed entries passes over the employee. Throws std::runtime_error for a damaged row.
bool nothing_unclaimed_in_row(std::string_view row, std::string_view employee, const AssignmentScope &scope,
                              Date as_of);

// The same told from the row's firsts (EventStore::Firsts, known): UnclaimedGlance over each first as over each
// event, which tells the same, as it reads of each type and scheme only whether one is there and the earliest
// date. True only when they are of `row` (Firsts::of): a row written since by a plugin that did not keep them is
// glanced at instead, as is a row whose kept firsts are damaged. Throws std::runtime_error for a damaged row.
bool nothing_unclaimed_in_firsts(EventStore::Firsts firsts, std::string_view row, std::string_view employee,
                                 const AssignmentScope &scope, Date as_of);

// The employees a helper thread takes at a time.
inline constexpr size_t batch_employees = 64;

} // namespace jobcoach::rules
