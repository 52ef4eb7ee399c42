// SPDX-License-Identifier: Apache-2.0
#include "abi_events.hpp"

#include <cstring>

namespace jobcoach::demo {

namespace {
jc_str str(const std::string &s) { return jc_str{s.empty() ? nullptr : s.data(), s.size()}; }
jc_date date(const std::optional<rules::Date> &d) { return d ? d->days : JC_DATE_NONE; }
} // namespace

AbiEvents::AbiEvents(std::span<const rules::Event *const> events)
{
    using rules::EventType;
    storage_.resize(events.size());
    headers_.reserve(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
        const rules::Event &e = *events[i];
        Any &a = storage_[i];
        std::memset(&a, 0, sizeof a);
        jc_event_header h{};
        h.type = static_cast<uint32_t>(e.type);
        h.id = str(e.id);
        h.employee = str(e.employee);
        h.date = e.date.days;
        switch (e.type) {
        case EventType::contract_started:
            h.struct_size = sizeof(a.contract_started);
            a.contract_started = {h, str(e.employer), e.weekly_minutes, date(e.end), e.paid ? 1 : 0, e.paid_prospect ? 1 : 0};
            break;
        case EventType::contract_changed:
            h.struct_size = sizeof(a.contract_changed);
            a.contract_changed = {h, e.weekly_minutes, static_cast<int32_t>(e.end_change), date(e.end), 0};
            break;
        case EventType::coaching_granted:
            h.struct_size = sizeof(a.coaching_granted);
            a.coaching_granted = {h, str(e.scheme), str(e.level), e.granted_minutes, e.prior_months, 0, str(e.coach_form),
                                  str(e.justification)};
            break;
        case EventType::coaching_extended:
            h.struct_size = sizeof(a.coaching_extended);
            a.coaching_extended = {h, str(e.scheme), e.months, 0, str(e.justification)};
            break;
        case EventType::coaching_ended:
            h.struct_size = sizeof(a.coaching_ended);
            a.coaching_ended = {h, str(e.scheme)};
            break;
        case EventType::timesheet_logged:
            h.struct_size = sizeof(a.timesheet_logged);
            a.timesheet_logged = {h, e.minutes, static_cast<int32_t>(e.activity), str(e.scheme), str(e.coach)};
            break;
        case EventType::timesheet_retracted:
            h.struct_size = sizeof(a.timesheet_retracted);
            a.timesheet_retracted = {h, str(e.retracts)};
            break;
        case EventType::event_retracted:
            h.struct_size = sizeof(a.event_retracted);
            a.event_retracted = {h, str(e.retracts)};
            break;
        case EventType::report_submitted:
            h.struct_size = sizeof(a.report_submitted);
            a.report_submitted = {h, str(e.kind), str(e.scheme)};
            break;
        case EventType::budget_transferred:
            h.struct_size = sizeof(a.budget_transferred);
            a.budget_transferred = {h, str(e.scheme), e.minutes, 0, str(e.justification)};
            break;
        case EventType::contract_ended:
        case EventType::absence_started:
        case EventType::absence_ended:
            h.struct_size = sizeof(a.absence);
            a.absence = {h};
            break;
        }
        headers_.push_back(&a.header);
    }
}

} // namespace jobcoach::demo
