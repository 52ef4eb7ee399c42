// SPDX-License-Identifier: Apache-2.0
// The engine's Date is the ABI's day number with a value type's manners; the calendar itself is
// jobcoach/dates.hpp, which hosts share, so that a date parses and prints the same on both sides of the ABI.
#include "jobcoach/rules/date.hpp"

#include <jobcoach/dates.hpp>

namespace jobcoach::rules {

Date Date::from_ymd(int year, unsigned month, unsigned day) { return Date{dates::from_ymd(year, month, day)}; }

bool Date::in_range(int32_t days) { return dates::in_range(days); }

std::optional<Date> Date::parse(std::string_view s)
{
    if (const auto d = dates::parse(s))
        return Date{*d};
    return std::nullopt;
}

std::string Date::iso() const { return dates::iso(days); }
int Date::year() const { return dates::year(days); }
unsigned Date::month() const { return dates::month(days); }
unsigned Date::day() const { return dates::day(days); }

Date add_months(Date d, int32_t months) { return Date{dates::add_months(d.days, months)}; }

} // namespace jobcoach::rules
