// SPDX-License-Identifier: Apache-2.0
// Domain events as the ABI structs a host hands to plugins.
#pragma once

#include <jobcoach/jobcoach.h>
#include <jobcoach/rules/event.hpp>

#include <span>
#include <vector>

namespace jobcoach::demo {

// Owns the ABI form of a list of events. The structs borrow the strings of the source events, which must
// outlive this object.
class AbiEvents {
public:
    explicit AbiEvents(std::span<const rules::Event *const> events);
    std::span<const jc_event_header *const> headers() const { return headers_; }

private:
    union Any {
        jc_event_header header;
        jc_event_contract_started contract_started;
        jc_event_contract_changed contract_changed;
        jc_event_contract_ended contract_ended;
        jc_event_coaching_granted coaching_granted;
        jc_event_coaching_extended coaching_extended;
        jc_event_coaching_ended coaching_ended;
        jc_event_timesheet_logged timesheet_logged;
        jc_event_timesheet_retracted timesheet_retracted;
        jc_event_absence absence;
        jc_event_report_submitted report_submitted;
        jc_event_budget_transferred budget_transferred;
        jc_event_event_retracted event_retracted;
    };
    std::vector<Any> storage_;
    std::vector<const jc_event_header *> headers_;
};

} // namespace jobcoach::demo
