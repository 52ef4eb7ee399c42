// SPDX-License-Identifier: Apache-2.0
#include "report.hpp"

#include "output.hpp"

#include <jobcoach/dates.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace jobcoach::demo {

namespace {


const char *tr(Lang lang, const char *en, const char *nl) { return lang == Lang::nl ? nl : en; }

std::string iso(jc_date d) { return d == JC_DATE_NONE ? std::string() : dates::iso(d); }

std::string html(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}


// Text with each web address in it (http:// or https://, up to a space, ';', '>' or a closing parenthesis) made a link.
std::string linked(std::string_view s)
{
    std::string out;
    while (!s.empty()) {
        size_t at = std::min(s.find("https://"), s.find("http://"));
        if (at == std::string_view::npos) {
            out += html(s);
            break;
        }
        size_t end = s.find_first_of(" ;)>\n", at);
        end = end == std::string_view::npos ? s.size() : end;
        while (end > at && (s[end - 1] == '.' || s[end - 1] == ','))
            --end;
        const std::string_view address = s.substr(at, end - at);
        out += html(s.substr(0, at));
        out += fmt::format("<a href=\"{}\">{}</a>", html(address), html(address));
        s.remove_prefix(end);
    }
    return out;
}

const std::string &message(const host::Finding &f, Lang lang) { return lang == Lang::nl ? f.message_nl : f.message_en; }

const std::string &title(const host::Finding &f, Lang lang)
{
    const std::string &t = lang == Lang::nl ? f.title_nl : f.title_en;
    return t.empty() ? f.rule : t; // a plugin older than ABI 1.4, or a pack without titles: the rule id
}

const std::string &action(const host::Finding &f, Lang lang) { return lang == Lang::nl ? f.action_nl : f.action_en; }

// Colours: one per state, also named in the page's legend (the screenshot test looks for them).
constexpr const char *trajectory_fill = "#1f6fb2";
constexpr const char *span_fill = "#9cc3e6";
constexpr const char *due_done = "#2e8b3a";
constexpr const char *due_open = "#e0a100";
constexpr const char *due_overdue = "#c62828";
constexpr const char *as_of_line = "#111111";

const char *severity_colour(int32_t severity)
{
    switch (severity) {
    case JC_SEVERITY_CRITICAL:
    case JC_SEVERITY_HIGH: return due_overdue;
    case JC_SEVERITY_WARNING: return due_open;
    default: return "#5470c6";
    }
}

// The timeline of one employee: a row per trajectory with its budget spans, due dates above and findings
// below, a tick per year, and the report date.
void write_timeline(std::ostream &out, const EmployeeReport &e, jc_date as_of, Lang lang)
{
    constexpr int width = 960, left = 130, right = 20, row_height = 56, top = 28;
    // An open-ended trajectory (a municipal package without a maximum) is drawn to a year past the report date
    // or its last due date, with an arrow: its far-away formal end would squash everything else.
    auto shown_end = [&](const host::TrajectoryStatus &t, jc_date end) {
        if (t.close_reason != "open-ended")
            return end;
        jc_date until = as_of + 365;
        for (const auto &d : t.dues)
            until = std::max(until, d.due + 30);
        return std::min(end, until);
    };
    jc_date first = as_of, last = as_of;
    for (const auto &t : e.trajectories) {
        first = std::min(first, t.start);
        last = std::max({last, shown_end(t, t.close), shown_end(t, t.max_end)});
    }
    for (const auto &f : e.findings)
        if (f.due != JC_DATE_NONE) {
            first = std::min(first, f.due);
            last = std::max(last, f.due);
        }
    first -= 15;
    last += 15;
    const double scale = static_cast<double>(width - left - right) / std::max<jc_date>(last - first, 1);
    auto x = [&](jc_date d) { return left + (d - first) * scale; };
    const int rows = static_cast<int>(e.trajectories.size()) + 1; // the last row: findings
    const int height = top + rows * row_height + 10;

    out << fmt::format(R"(<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{} {}">)",
                       width, height, width, height, tr(lang, "Timeline of", "Tijdlijn van"), html(e.employee))
        << "\n";
    // Year ticks.
    for (int year = dates::year(first) + 1; year <= dates::year(last); ++year) {
        const double tx = x(dates::from_ymd(year, 1, 1));
        out << fmt::format(R"(<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}" stroke="#d0d0d0"/><text x="{:.1f}" y="14" font-size="11" fill="#555">{}</text>)",
                           tx, top - 8, tx, height - 4, tx + 3, year)
            << "\n";
    }
    int row = 0;
    for (const auto &t : e.trajectories) {
        const int y = top + row * row_height;
        out << fmt::format(R"(<text x="4" y="{}" font-size="12" font-weight="bold">{} #{}</text>)", y + 26, html(t.scheme), t.number)
            << fmt::format(R"(<text x="4" y="{}" font-size="10" fill="#555">{}</text>)", y + 40, html(t.level)) << "\n";
        const jc_date close = shown_end(t, t.close);
        if (close < t.close)
            out << fmt::format(R"(<path d="M {:.1f} {} l 10 8 l -10 8 z" fill="{}"><title>{}</title></path>)", x(close + 1),
                               y + 16, trajectory_fill, tr(lang, "open-ended", "zonder einddatum"))
                << "\n";
        // The maximum end beyond the close: dashed.
        if (t.max_end > t.close && close == t.close)
            out << fmt::format(R"(<rect x="{:.1f}" y="{}" width="{:.1f}" height="16" fill="none" stroke="{}" stroke-dasharray="4 3"/>)",
                               x(t.close), y + 16, x(t.max_end) - x(t.close), trajectory_fill)
                << "\n";
        out << fmt::format(R"(<rect class="trajectory" x="{:.1f}" y="{}" width="{:.1f}" height="16" fill="{}"><title>{} #{}: {} ({}); {} {}</title></rect>)",
                           x(t.start), y + 16, std::max(x(close + 1) - x(t.start), 2.0), trajectory_fill, html(t.scheme), t.number,
                           span_dates(t.start, t.close, lang), html(t.close_reason), tr(lang, "maximum end", "uiterste einde"), iso(t.max_end))
            << "\n";
        for (const auto &b : t.budgets) {
            out << fmt::format(R"(<rect x="{:.1f}" y="{}" width="{:.1f}" height="6" fill="{}" stroke="#fff"><title>{} {}: {} / {}</title></rect>)",
                               x(b.first), y + 34, std::max(x(b.last + 1) - x(b.first), 2.0), span_fill,
                               html(span_label(b.subject, lang)), span_dates(b.first, b.last, lang),
                               hours(lang, b.used_minutes), hours(lang, b.limit_minutes))
                << "\n";
        }
        for (const auto &d : t.dues) {
            const char *colour = d.satisfied ? due_done : d.due < as_of ? due_overdue : due_open;
            const char *state = d.satisfied ? tr(lang, "done", "gedaan")
                                : d.due < as_of ? tr(lang, "overdue", "te laat")
                                                : tr(lang, "open", "open");
            // In words: the duty's rule title from the plugin (ABI 1.4), else its kind, as the calendar names it.
            const std::string &title = lang == Lang::nl ? d.title_nl : d.title_en;
            out << fmt::format(R"(<circle class="due" cx="{:.1f}" cy="{}" r="5" fill="{}"><title>{} {} #{}: {} ({})</title></circle>)",
                               x(d.due), y + 9, colour, iso(d.due), html(title.empty() ? d.kind : title), d.number,
                               state, html(d.rule))
                << "\n";
        }
        ++row;
    }
    const int fy = top + row * row_height;
    out << fmt::format(R"(<text x="4" y="{}" font-size="12" font-weight="bold">{}</text>)", fy + 22, tr(lang, "findings", "bevindingen")) << "\n";
    for (const auto &f : e.findings) {
        if (f.due == JC_DATE_NONE)
            continue;
        const double fx = x(f.due);
        out << fmt::format(R"(<path class="finding" d="M {:.1f} {} l 7 12 l -14 0 z" fill="{}"><title>{} {}: {}</title></path>)",
                           fx, fy + 10, severity_colour(f.severity), iso(f.due), html(f.rule), html(message(f, lang)))
            << "\n";
    }
    const double ax = x(as_of);
    out << fmt::format(R"(<line class="as-of" x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="6 3"/>)",
                       ax, top - 6, ax, height - 4, as_of_line)
        << fmt::format(R"(<text x="{:.1f}" y="{}" font-size="11" fill="{}" text-anchor="{}">{} {}</text>)",
                       ax > width - 140 ? ax - 4 : ax + 4, top + 4, as_of_line, ax > width - 140 ? "end" : "start",
                       tr(lang, "as of", "peildatum"), iso(as_of))
        << "\n</svg>\n";
}

void write_budgets(std::ostream &out, const EmployeeReport &e, Lang lang)
{
    bool any = false;
    for (const auto &t : e.trajectories)
        any = any || !t.budgets.empty();
    if (!any)
        return;
    out << "<table class=\"budgets\"><thead><tr><th>" << tr(lang, "trajectory", "traject") << "</th><th>"
        << tr(lang, "span", "periode") << "</th><th>" << tr(lang, "dates", "data") << "</th><th>"
        << tr(lang, "used of budget", "gebruikt van budget") << "</th><th></th></tr></thead>\n";
    for (const auto &t : e.trajectories)
        for (const auto &b : t.budgets) {
            const int64_t pct = b.limit_minutes > 0 ? b.used_minutes * 100 / b.limit_minutes : (b.used_minutes > 0 ? 999 : 0);
            // Compared in minutes, not in the rounded percentage: one minute over is over. The warning threshold
            // is the plugin's own (jc.status/1: the value its rule uses for this span); amber needs one.
            const char *colour = b.used_minutes > b.limit_minutes ? due_overdue
                                 : b.warning_pct > 0 && b.used_minutes * 100 >= b.limit_minutes * b.warning_pct
                                     ? due_open
                                     : due_done;
            out << fmt::format("<tr{}><td>{} #{}</td><td>{}</td><td>{}</td>"
                               "<td class=\"bar\"><div class=\"track\"><div class=\"fill\" style=\"width:{}%;background:{}\"></div></div></td>"
                               "<td>{} / {} ({} %)</td></tr>\n",
                               b.current ? " class=\"current\"" : "", html(t.scheme), t.number,
                               html(span_label(b.subject, lang)), span_dates(b.first, b.last, lang),
                               std::min<int64_t>(pct, 100), colour, hours(lang, b.used_minutes),
                               hours(lang, b.limit_minutes), pct);
        }
    out << "</table>\n";
}

void write_findings(std::ostream &out, const EmployeeReport &e, Lang lang)
{
    if (e.findings.empty()) {
        out << "<p class=\"none\">" << tr(lang, "No findings.", "Geen bevindingen.") << "</p>\n";
        return;
    }
    out << "<table class=\"findings\"><thead><tr><th>" << tr(lang, "due", "datum") << "</th><th>"
        << tr(lang, "severity", "ernst") << "</th><th>" << tr(lang, "rule", "regel") << "</th><th>"
        << tr(lang, "finding", "bevinding") << "</th><th>" << tr(lang, "source", "bron") << "</th></tr></thead>\n";
    for (const auto &f : e.findings)
        out << fmt::format("<tr{}><td class=\"nowrap\">{}</td><td><span class=\"sev\" style=\"background:{}\">{}</span></td>"
                           "<td class=\"rule\"><b>{}</b><br>{}</td><td>{}{}</td><td class=\"source\">{}</td></tr>\n",
                           f.id.empty() ? std::string() : " id=\"f-" + html(f.id) + "\"", iso(f.due),
                           severity_colour(f.severity), severity_label(f.severity, lang), html(title(f, lang)), html(f.rule),
                           html(message(f, lang)),
                           action(f, lang).empty() ? std::string()
                                                   : fmt::format("<br><strong>{}</strong> {}", tr(lang, "To do:", "Te doen:"),
                                                                 html(action(f, lang))),
                           linked(f.source));
    out << "</table>\n";
}

// RFC 5545 3.3.11: TEXT escapes backslash, semicolon, comma and newline.
std::string ics_text(std::string_view s)
{
    std::string out;
    for (char c : s) {
        if (c == '\\' || c == ';' || c == ',')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c != '\r')
            out += c;
    }
    return out;
}

// RFC 5545 3.1: lines of at most 75 octets, folded with CRLF and a space, never inside a UTF-8 sequence.
void ics_line(std::ostream &out, std::string_view line)
{
    size_t limit = 75;
    while (line.size() > limit) {
        size_t cut = limit;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
            --cut;
        out << line.substr(0, cut) << "\r\n ";
        line.remove_prefix(cut);
        limit = 74; // the leading space counts
    }
    out << line << "\r\n";
}

// A stable UID: FNV-1a 64 of what names the duty (not its date, which may move), so a later export replaces
// the entry. The employee key is pseudonymous already; hashing keeps the UID to safe characters.
std::string uid(std::initializer_list<std::string_view> parts)
{
    uint64_t h = 14695981039346656037ull;
    for (auto part : parts) {
        for (unsigned char c : part) {
            h ^= c;
            h *= 1099511628211ull;
        }
        h ^= 0x1f;
        h *= 1099511628211ull;
    }
    return fmt::format("{:016x}@jobcoach", h);
}

std::string ics_date(jc_date d)
{
    const std::string s = dates::iso(d);
    return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
}

} // namespace

Report make_report(jc_date as_of, std::vector<host::TrajectoryStatus> statuses, const std::vector<host::Finding> &findings)
{
    std::map<std::string, EmployeeReport> by_employee;
    for (auto &t : statuses) {
        auto &e = by_employee[t.employee];
        e.employee = t.employee;
        e.trajectories.push_back(std::move(t));
    }
    for (const auto &f : findings) {
        auto &e = by_employee[f.employee];
        e.employee = f.employee;
        e.findings.push_back(f);
    }
    Report r;
    r.as_of = as_of;
    for (auto &[key, e] : by_employee) {
        std::stable_sort(e.trajectories.begin(), e.trajectories.end(), [](const auto &a, const auto &b) {
            return std::tie(a.start, a.scheme, a.number) < std::tie(b.start, b.scheme, b.number);
        });
        r.employees.push_back(std::move(e));
    }
    return r;
}

namespace {

// A finding needs action when it warns or worse; it is late when its date has passed and it is high or critical.
bool needs_action(const host::Finding &f) { return f.severity >= JC_SEVERITY_WARNING; }
bool late(const host::Finding &f, jc_date as_of) { return f.due != JC_DATE_NONE && f.due < as_of && f.severity >= JC_SEVERITY_HIGH; }

// Triage order: late first, then by severity (most severe first), then by date, then employee.
bool more_urgent(const host::Finding &a, const host::Finding &b, jc_date as_of)
{
    const auto key = [as_of](const host::Finding &f) { return std::make_tuple(!late(f, as_of), -f.severity, f.due, std::cref(f.employee)); };
    return key(a) < key(b);
}

// When, in words: "15 days late (2026-11-08)", "since 2026-11-05 (18 days ago)", "in 6 days (2026-11-29)".
std::string when(const host::Finding &f, jc_date as_of, Lang lang)
{
    if (f.due == JC_DATE_NONE)
        return {};
    const int64_t days = static_cast<int64_t>(f.due) - static_cast<int64_t>(as_of);
    const bool nl = lang == Lang::nl;
    if (days == 0)
        return fmt::format("{} ({})", nl ? "vandaag" : "today", iso(f.due));
    const int64_t n = days < 0 ? -days : days;
    const char *unit = n == 1 ? (nl ? "dag" : "day") : (nl ? "dagen" : "days");
    // Only a duty's deadline is "late" (its kind says so: report.overdue, trajectory.expired); an event in the
    // past, such as hours logged outside a contract, is "since".
    const bool deadline = f.kind.ends_with(".overdue") || f.kind.ends_with(".expired");
    if (days < 0)
        return deadline ? fmt::format("{} {} {} ({})", n, unit, nl ? "te laat" : "late", iso(f.due))
                        : fmt::format("{} {} ({} {} {})", nl ? "sinds" : "since", iso(f.due), n, unit, nl ? "geleden" : "ago");
    return fmt::format("{} {} {} ({})", nl ? "over" : "in", n, unit, iso(f.due));
}

const host::Finding *most_urgent(const EmployeeReport &e, jc_date as_of)
{
    const host::Finding *top = nullptr;
    for (const auto &f : e.findings)
        if (top == nullptr || more_urgent(f, *top, as_of))
            top = &f;
    return top;
}

void write_triage_item(std::ostream &out, const host::Finding &f, jc_date as_of, Lang lang)
{
    out << fmt::format("<li class=\"{}\"><span class=\"sev\" style=\"background:{}\">{}</span> "
                       "<a class=\"who\" href=\"#e-{}\">{}</a> <span class=\"title\">{}</span> <span class=\"when\">{}</span>"
                       "<span class=\"what\">{}</span>",
                       late(f, as_of) ? "late" : "open", severity_colour(f.severity), severity_label(f.severity, lang),
                       html(f.employee), html(f.employee), html(title(f, lang)), html(when(f, as_of, lang)),
                       html(message(f, lang)));
    if (!action(f, lang).empty())
        out << fmt::format("<span class=\"todo\"><strong>{}</strong> {}</span>", tr(lang, "To do:", "Te doen:"),
                           html(action(f, lang)));
    out << "</li>\n";
}

// Screen, phone (tables reflow into blocks under 700 px, the timeline scrolls in its box) and print (A4, table
// headers repeated on every page, a heading never left at the foot of a page).
constexpr const char *page_style =
    "*{box-sizing:border-box}\n"
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:0 auto;padding:16px;max-width:1180px;color:#111;font-size:15px;line-height:1.4}\n"
    "h1{font-size:22px;margin:4px 0}h2{font-size:18px;margin:26px 0 6px;border-bottom:1px solid #ccc}\n"
    "h3{font-size:15px;margin:14px 0 4px}.nowrap{white-space:nowrap}\n"
    "table{border-collapse:collapse;margin:8px 0;font-size:14px;width:100%}td,th{padding:3px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#f0f0f0}tr.current td{font-weight:bold}td,li{overflow-wrap:anywhere}\n"
    ".track{width:100%;min-width:80px;max-width:240px;height:12px;background:#e8e8e8;border-radius:3px}.fill{height:12px;border-radius:3px}\n"
    ".sev{color:#fff;padding:1px 6px;border-radius:3px;font-size:13px;white-space:nowrap}.legend span{margin-right:14px;white-space:nowrap}\n"
    "ol.triage{padding-left:0;list-style:none}ol.triage li{padding:6px 0;border-bottom:1px solid #e4e4e4}\n"
    "ol.triage .who{font-weight:bold;margin:0 6px}ol.triage .when{color:#555}ol.triage li.late .when{color:#c62828;font-weight:bold}\n"
    "ol.triage .what,ol.triage .todo{display:block;margin-top:2px}ol.triage .title{font-weight:bold}\n"
    ".timeline-box{overflow-x:auto}.timeline-box svg{display:block;width:100%;min-width:600px;height:auto}\n"
    "td.rule,td.source{font-size:12px;color:#444}\n"
    "@media (max-width:700px){body{padding:10px}\n"
    " table.findings thead,table.budgets thead{display:none}\n"
    " table.findings tr,table.budgets tr{display:block;border-top:1px solid #ddd;padding:6px 0}\n"
    " table.findings td{display:block;padding:1px 0}table.budgets td{display:inline-block;padding:1px 8px 1px 0}\n"
    " table.budgets td.bar{display:block}\n"
    " .timeline-box svg{min-width:560px}}\n"
    "@media print{@page{size:A4;margin:14mm 12mm}\n"
    " body{max-width:none;padding:0;font-size:10pt}a{color:inherit;text-decoration:none}\n"
    " thead{display:table-header-group}tr,li,svg,.legend{break-inside:avoid}h2,h3{break-after:avoid}\n"
    " .timeline-box{overflow:visible}.timeline-box svg{min-width:0}}\n";

void write_legend(std::ostream &out, Lang lang)
{
    out << "<p class=\"legend\">"
        << fmt::format("<span style=\"color:{}\">&#9632; {}</span> ", trajectory_fill, tr(lang, "trajectory", "traject"))
        << fmt::format("<span style=\"color:{}\">&#9632; {}</span> ", span_fill, tr(lang, "period or year", "periode of jaar"))
        << fmt::format("<span style=\"color:{}\">&#9679; {}</span> ", due_done, tr(lang, "due date met", "termijn gehaald"))
        << fmt::format("<span style=\"color:{}\">&#9679; {}</span> ", due_open, tr(lang, "due date open", "termijn open"))
        << fmt::format("<span style=\"color:{}\">&#9679; {}</span> ", due_overdue, tr(lang, "overdue", "te laat"))
        << fmt::format("<span>&#9650; {}</span>", tr(lang, "finding", "bevinding")) << "</p>\n";
}

// The employees without findings, one line each: a tenant of thousands stays a page to scroll, not thousands of
// timelines.
void write_quiet(std::ostream &out, const std::vector<const EmployeeReport *> &without, Lang lang)
{
    out << "<section class=\"quiet\" id=\"without-findings\">\n<h2>"
        << tr(lang, "Employees without findings", "Werknemers zonder bevindingen") << " (" << without.size()
        << ")</h2>\n<table class=\"quiet\"><thead><tr><th>" << tr(lang, "employee", "werknemer") << "</th><th>"
        << tr(lang, "trajectories", "trajecten") << "</th></tr></thead>\n";
    for (const EmployeeReport *e : without) {
        std::string trajectories;
        for (const auto &t : e->trajectories) {
            trajectories += fmt::format("{}{} #{} {}", trajectories.empty() ? "" : "; ", t.scheme, t.number,
                                        span_dates(t.start, t.close, lang));
            for (const auto &b : t.budgets)
                if (b.current)
                    trajectories += fmt::format(fmt::runtime(tr(lang, ", {}: {} of {}", ", {}: {} van {}")),
                                                span_label(b.subject, lang),
                                                hours(lang, b.used_minutes), hours(lang, b.limit_minutes));
        }
        out << fmt::format("<tr id=\"e-{}\"><td>{}</td><td>{}</td></tr>\n", html(e->employee), html(e->employee), html(trajectories));
    }
    out << "</table>\n</section>\n";
}

} // namespace

void write_html(std::ostream &out, const Report &report, Lang lang, PageLimits limits)
{
    const std::string as_of = iso(report.as_of);
    out << "<!DOCTYPE html>\n<html lang=\"" << tr(lang, "en", "nl") << "\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<title>" << tr(lang, "Jobcoach report as of ", "Jobcoachrapport per ") << as_of << "</title>\n"
        << "<style>\n" << page_style << "</style>\n</head>\n<body>\n";
    std::vector<const host::Finding *> action, info;
    for (const auto &e : report.employees)
        for (const auto &f : e.findings)
            (needs_action(f) ? action : info).push_back(&f);
    const auto by_urgency = [&](const host::Finding *a, const host::Finding *b) { return more_urgent(*a, *b, report.as_of); };
    std::stable_sort(action.begin(), action.end(), by_urgency);
    std::stable_sort(info.begin(), info.end(), by_urgency);
    const auto late_count = std::count_if(action.begin(), action.end(), [&](const host::Finding *f) { return late(*f, report.as_of); });
    out << "<h1>" << tr(lang, "Jobcoach report as of ", "Jobcoachrapport per ") << "<span class=\"nowrap\">" << as_of << "</span></h1>\n"
        << fmt::format(fmt::runtime(tr(lang, "<p class=\"counts\">{} employees; <strong>{} need action</strong>, {} of them late; {} for information.</p>\n",
                                       "<p class=\"counts\">{} werknemers; <strong>{} vragen actie</strong>, waarvan {} te laat; {} ter informatie.</p>\n")),
                       report.employees.size(), action.size(), late_count, info.size());

    // The triage: what needs doing, the most urgent first, in words; then what is only for information.
    out << "<section class=\"triage\" id=\"triage\">\n<h2>" << tr(lang, "Needs action", "Actie nodig") << " (" << action.size() << ")</h2>\n";
    // At most limits.triage lines each: the rest are in each employee's line below and in the CSV.
    auto list = [&](const std::vector<const host::Finding *> &items, const char *css) {
        out << "<ol class=\"" << css << "\">\n";
        for (size_t i = 0; i < items.size() && i < limits.triage; ++i)
            write_triage_item(out, *items[i], report.as_of, lang);
        out << "</ol>\n";
        if (items.size() > limits.triage)
            out << fmt::format(fmt::runtime(tr(lang, "<p class=\"more\">And {} more, less urgent: each employee below names their "
                                                     "most urgent finding, and the CSV export lists them all.</p>\n",
                                               "<p class=\"more\">En nog {}, minder dringend: elke werknemer hieronder noemt de "
                                               "meest dringende bevinding, en de CSV-export bevat ze allemaal.</p>\n")),
                               items.size() - limits.triage);
    };
    if (action.empty())
        out << "<p class=\"none\">" << tr(lang, "Nothing needs action.", "Niets vraagt actie.") << "</p>\n";
    else
        list(action, "triage");
    if (!info.empty()) {
        out << "<h3>" << tr(lang, "For information", "Ter informatie") << " (" << info.size() << ")</h3>\n";
        list(info, "triage info");
    }
    out << "</section>\n";

    // Then each employee with findings, the one with the most urgent first: timeline, budgets, findings.
    std::vector<const EmployeeReport *> with, without;
    for (const auto &e : report.employees)
        (e.findings.empty() ? without : with).push_back(&e);
    std::stable_sort(with.begin(), with.end(), [&](const EmployeeReport *a, const EmployeeReport *b) {
        return more_urgent(*most_urgent(*a, report.as_of), *most_urgent(*b, report.as_of), report.as_of);
    });
    if (!with.empty()) {
        out << "<h2>" << tr(lang, "Employees with findings", "Werknemers met bevindingen") << " (" << with.size() << ")</h2>\n";
        write_legend(out, lang);
    }
    for (size_t i = 0; i < with.size() && i < limits.sections; ++i) {
        const EmployeeReport *e = with[i];
        out << fmt::format("<section class=\"employee\" id=\"e-{}\">\n<h2>{}</h2>\n<div class=\"timeline-box\">\n", html(e->employee),
                           html(e->employee));
        write_timeline(out, *e, report.as_of, lang);
        out << "</div>\n";
        write_budgets(out, *e, lang);
        write_findings(out, *e, lang);
        out << "</section>\n";
    }
    if (with.size() > limits.sections) { // a large tenant: the less urgent employees with findings, a line each
        out << "<section class=\"more-employees\" id=\"more-with-findings\">\n<h2>"
            << tr(lang, "More employees with findings", "Meer werknemers met bevindingen") << " (" << with.size() - limits.sections
            << ")</h2>\n<table class=\"quiet\"><thead><tr><th>" << tr(lang, "employee", "werknemer") << "</th><th>"
            << tr(lang, "findings", "bevindingen") << "</th><th>" << tr(lang, "most urgent", "meest dringend") << "</th></tr></thead>\n";
        for (size_t i = limits.sections; i < with.size(); ++i) {
            const host::Finding &top = *most_urgent(*with[i], report.as_of);
            out << fmt::format("<tr id=\"e-{}\"><td>{}</td><td>{}</td><td><span class=\"sev\" style=\"background:{}\">{}</span> "
                               "{}, {}</td></tr>\n",
                               html(with[i]->employee), html(with[i]->employee), with[i]->findings.size(),
                               severity_colour(top.severity), severity_label(top.severity, lang), html(title(top, lang)),
                               html(when(top, report.as_of, lang)));
        }
        out << "</table>\n</section>\n";
    }
    if (!without.empty())
        write_quiet(out, without, lang);
    out << "</body>\n</html>\n";
}

void write_ics(std::ostream &out, const Report &report, Lang lang)
{
    ics_line(out, "BEGIN:VCALENDAR");
    ics_line(out, "VERSION:2.0");
    ics_line(out, "PRODID:-//Jobcoach Rules//jobcoach-demo//EN");
    ics_line(out, "CALSCALE:GREGORIAN");
    ics_line(out, "METHOD:PUBLISH");
    ics_line(out, std::string("X-WR-CALNAME:") + tr(lang, "Jobcoach due dates", "Jobcoach-termijnen"));
    // DTSTAMP: when the information was true, the report date (reproducible output, RFC 5545 3.8.7.2).
    const std::string stamp = ics_date(report.as_of) + "T000000Z";
    auto event = [&](const std::string &id, jc_date day, const std::string &summary, const std::string &description,
                     int lead_days) {
        ics_line(out, "BEGIN:VEVENT");
        ics_line(out, "UID:" + id);
        ics_line(out, "DTSTAMP:" + stamp);
        ics_line(out, "DTSTART;VALUE=DATE:" + ics_date(day));
        ics_line(out, "DTEND;VALUE=DATE:" + ics_date(day + 1));
        ics_line(out, "SUMMARY:" + ics_text(summary));
        ics_line(out, "DESCRIPTION:" + ics_text(description));
        ics_line(out, "TRANSP:TRANSPARENT");
        if (lead_days >= 0) { // the plugin's own lead (jc.status/1); none from a plugin older than ABI 1.3
            // Never an alarm before the report date: a lead that reaches back past it rings on that date.
            lead_days = std::min<int>(lead_days, day - report.as_of);
            ics_line(out, "BEGIN:VALARM");
            ics_line(out, "ACTION:DISPLAY");
            ics_line(out, "DESCRIPTION:" + ics_text(summary));
            ics_line(out, lead_days > 0 ? fmt::format("TRIGGER:-P{}D", lead_days) : std::string("TRIGGER:PT0S"));
            ics_line(out, "END:VALARM");
        }
        ics_line(out, "END:VEVENT");
    };
    for (const auto &e : report.employees)
        for (const auto &t : e.trajectories) {
            const std::string number = std::to_string(t.number);
            for (const auto &d : t.dues) {
                if (d.satisfied)
                    continue;
                // An overdue duty stays in the calendar, dated on the report date and marked overdue, so the
                // calendar shows what is late; its UID is the same, so a later export moves it along.
                const bool overdue = d.due < report.as_of;
                const jc_date day = overdue ? report.as_of : d.due;
                // In words: the duty's rule title from the plugin (ABI 1.4), else its kind.
                const std::string &title = lang == Lang::nl ? d.title_nl : d.title_en;
                const std::string what = fmt::format("{}: {} #{} ({})", e.employee, title.empty() ? d.kind : title, d.number, t.scheme);
                // The finding's own id, so that a calendar entry and a host's task of the same duty match.
                event(!d.finding_id.empty() ? d.finding_id + "@jobcoach"
                                            : uid({e.employee, t.scheme, number, d.rule, d.kind, std::to_string(d.number)}),
                      day, overdue ? fmt::format("{}: {}", tr(lang, "OVERDUE", "TE LAAT"), what) : what,
                      fmt::format("{} {}, {} #{}. {}: {}. {}: {}{}.", tr(lang, "Employee", "Werknemer"), e.employee,
                                  tr(lang, "trajectory", "traject"), t.number, tr(lang, "Rule", "Regel"), d.rule,
                                  tr(lang, "Due", "Uiterlijk"), iso(d.due),
                                  overdue ? fmt::format(fmt::runtime(tr(lang, ", {} day(s) overdue", ", {} dag(en) te laat")),
                                                        report.as_of - d.due)
                                          : std::string()),
                      overdue ? (d.lead_days >= 0 ? 0 : -1) : d.lead_days);
            }
            if (t.close_reason != "open-ended" && t.max_end >= report.as_of && t.close >= t.max_end)
                event(!t.max_end_finding_id.empty() ? t.max_end_finding_id + "@jobcoach"
                                                    : uid({e.employee, t.scheme, number, "trajectory.max-end"}),
                      t.max_end,
                      fmt::format("{}: {} #{} ({}) {}", e.employee, tr(lang, "trajectory", "traject"), t.number, t.scheme,
                                  tr(lang, "reaches its maximum end", "bereikt de maximale duur")),
                      fmt::format("{} {}, {} #{} ({}): {} {}.", tr(lang, "Employee", "Werknemer"), e.employee,
                                  tr(lang, "trajectory", "traject"), t.number, t.scheme,
                                  tr(lang, "the last day of jobcoaching is", "de laatste dag jobcoaching is"), iso(t.max_end)),
                      t.max_end_lead_days);
        }
    ics_line(out, "END:VCALENDAR");
}

} // namespace jobcoach::demo
