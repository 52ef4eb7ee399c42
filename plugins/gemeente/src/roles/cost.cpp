// SPDX-License-Identifier: Apache-2.0
// Role cost: the cost per coach form (the latest grant's coach_form, else default_coach_form) at the pack's
// hourly_rate_cents, in the status; no finding. The shipped packs' rule of this role: wsp-rijnmond.cost.
#include "../roles.hpp"
#include "../texts.hpp"

#include <map>

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

void Cost::evaluate(const TrajectoryContext &ctx, const Emitter &) const
{
    if (ctx.status == nullptr)
        return;
    struct Sum {
        int64_t minutes = 0;
        int64_t cents = 0;
        bool rated = true;
    };
    std::map<std::string, Sum> forms;
    for (const Event *e : ctx.counted()) {
        std::string form;
        for (const Event *g : ctx.t.grants)
            if (g->date <= e->date && !g->coach_form.empty())
                form = g->coach_form;
        if (form.empty())
            form = ctx.params.text("default_coach_form", e->date);
        Sum &c = forms[form];
        c.minutes += e->minutes;
        if (ctx.params.has_row("hourly_rate_cents", form, e->date))
            c.cents += static_cast<int64_t>(ctx.params.row("hourly_rate_cents", form, e->date).at(0)) * e->minutes / 60;
        else
            c.rated = false;
    }
    for (const auto &[form, c] : forms)
        ctx.status->figures.push_back(texts::cost_figure(form, c.minutes, c.cents, c.rated));
}

} // namespace jobcoach::gemeente
