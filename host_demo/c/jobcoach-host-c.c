/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach-host-c: a complete host in plain C11 (no C++), for host developers who integrate the C ABI directly.
 *
 *   jobcoach-host-c --plugins DIR --events FILE --as-of YYYY-MM-DD
 *
 * It finds the plugins' manifests (*.plugin.json in DIR or one level below, in path order), loads each library,
 * applies the version rule (jobcoach/version.h), creates one in-memory instance per plugin, hands it every event
 * of FILE (JSON Lines, docs/formats.md) dated on or before the date in one batch, evaluates, and prints the findings
 * as JSON Lines exactly as `jobcoach-demo evaluate --format jsonl` does: findings that several plugins report
 * alike once, sorted by employee, due date (none first), rule id, subject.
 *
 * What a production host adds (jobcoach-demo and the C++ host runtime do): the owner and permission checks on
 * plugin files, the sealed-symbol check, state_path for durable state, batches of bounded size, an allowlist.
 *
 * Exit codes: 0 success; 1 a plugin failed; 2 bad input (the message names the file, line and field).
 * Dependencies: libc, libdl, and Jansson for JSON.
 */
#define _POSIX_C_SOURCE 200809L
#include <jobcoach/jobcoach.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- small helpers ------------------------------------------------------------------------------------------ */

static void die(int code, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("jobcoach-host-c: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(code);
}

static void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count, size);
    if (p == NULL)
        die(1, "out of memory");
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xcalloc(n + 1, 1);
    if (n > 0)
        memcpy(p, s, n);
    return p;
}

/* Days since 1970-01-01 from a civil date, and back (H. Hinnant's algorithms; proleptic Gregorian). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

/* Parses YYYY-MM-DD within the ABI's range; returns 0 and sets *out, or -1 for anything else. */
static int parse_date(const char *text, jc_date *out)
{
    int y, m, d, n = 0;
    if (text == NULL || strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        text[4] != '-' || text[7] != '-')
        return -1;
    const int32_t days = days_from_civil(y, m, d);
    int y2, m2, d2;
    civil_from_days(days, &y2, &m2, &d2);
    if (y2 != y || m2 != m || d2 != d || days < JC_DATE_MIN || days > JC_DATE_MAX)
        return -1;
    *out = days;
    return 0;
}

/* ---- plugins ------------------------------------------------------------------------------------------------ */

typedef struct loaded_plugin {
    char *manifest;
    void *library;
    const jc_plugin_entry *entry;
    const jc_plugin *instance;
    jc_host host;
} loaded_plugin;

typedef struct finding_copy {
    size_t seq; /* arrival order: the sort is stable */
    int32_t severity;
    jc_date due;
    int64_t observed_minutes, limit_minutes, amount_cents;
    char *employee, *scheme, *rule, *kind, *subject, *message_nl, *message_en, *source, *employer;
    char *id;            /* ABI 1.2; "" from an older plugin */
    uint32_t trajectory; /* ABI 1.2; 0 when none or from an older plugin */
    uint32_t change;     /* ABI 1.2, in a change feed: JC_CHANGE_*; 0 elsewhere */
    char *title_nl, *title_en, *action_nl, *action_en; /* ABI 1.4; "" from an older plugin */
    char **employees;
    uint32_t employee_count;
} finding_copy;

static struct {
    finding_copy *items;
    size_t count, capacity;
} findings;

static int in_evaluate = 0;
static const char *state_prefix = NULL; /* --state: each plugin's state is <prefix>.<plugin id> */

static void JC_ABI host_log(const jc_host *host, int32_t level, jc_str message)
{
    (void)host;
    if (level >= JC_LOG_WARNING)
        fprintf(stderr, "jobcoach-host-c: plugin says: %.*s\n", (int)message.size, message.data);
}

static const void *JC_ABI host_get_extension(const jc_host *host, const char *id)
{
    (void)host;
    (void)id;
    return NULL; /* this host offers no extensions */
}

static char *copy_str(jc_str s) { return xstrndup(s.data, s.data != NULL ? s.size : 0); }

/* [callback] Copies the finding: the plugin's memory is only valid during this call. */
static jc_status JC_ABI host_emit_finding(const jc_host *host, const jc_finding *f)
{
    (void)host;
    if (!in_evaluate)
        return JC_E_UNSUPPORTED;
    if (f == NULL || f->struct_size < JC_FINDING_SIZE_V1_0 || f->employee.size == 0 || f->rule.size == 0 ||
        f->kind.size == 0 || f->scheme.size == 0) {
        fprintf(stderr, "jobcoach-host-c: a plugin emitted a finding that is NULL, too small or lacks a required member\n");
        return JC_E_INVALID_ARGUMENT;
    }
    if (findings.count == findings.capacity) {
        findings.capacity = findings.capacity ? findings.capacity * 2 : 64;
        findings.items = realloc(findings.items, findings.capacity * sizeof *findings.items);
        if (findings.items == NULL)
            die(1, "out of memory");
    }
    finding_copy *c = &findings.items[findings.count];
    *c = (finding_copy){.seq = findings.count, .severity = f->severity, .due = f->due,
                        .observed_minutes = f->observed_minutes, .limit_minutes = f->limit_minutes,
                        .amount_cents = f->amount_cents};
    c->employee = copy_str(f->employee);
    c->scheme = copy_str(f->scheme);
    c->rule = copy_str(f->rule);
    c->kind = copy_str(f->kind);
    c->subject = copy_str(f->subject);
    c->message_nl = copy_str(f->message_nl);
    c->message_en = copy_str(f->message_en);
    c->source = copy_str(f->source);
    c->employer = copy_str(f->employer);
    /* Members appended in 1.2 are read only when the plugin's struct covers them. */
    const int has_id = f->struct_size >= JC_FINDING_SIZE_V1_2;
    c->id = copy_str(has_id ? f->id : (jc_str){NULL, 0});
    c->trajectory = has_id ? f->trajectory : 0;
    c->change = has_id ? f->change : JC_CHANGE_NONE;
    /* Appended in 1.4: the rule's title and what to do next. */
    const int has_words = f->struct_size >= offsetof(jc_finding, action_en) + sizeof(jc_str);
    const jc_str none = {NULL, 0};
    c->title_nl = copy_str(has_words ? f->title_nl : none);
    c->title_en = copy_str(has_words ? f->title_en : none);
    c->action_nl = copy_str(has_words ? f->action_nl : none);
    c->action_en = copy_str(has_words ? f->action_en : none);
    c->employee_count = f->employees != NULL ? f->employee_count : 0;
    c->employees = xcalloc(c->employee_count + 1, sizeof *c->employees);
    for (uint32_t i = 0; i < c->employee_count; ++i)
        c->employees[i] = copy_str(f->employees[i]);
    ++findings.count;
    return JC_OK;
}

static int compare_paths(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The plugin extension `id` of an instance, or NULL: none offered, or an instance of ABI 1.0 (no get_extension). */
static const void *plugin_extension(const jc_plugin *instance, const char *id)
{
    if (instance->struct_size < offsetof(jc_plugin, get_extension) + sizeof(void *) || !instance->get_extension)
        return NULL;
    return instance->get_extension(instance, id);
}

/* Adds the *.plugin.json files of `dir` to the list. */
static void scan_manifests(const char *dir, char ***list, size_t *count, int descend)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        const size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = xcalloc(n, 1);
        snprintf(path, n, "%s/%s", dir, e->d_name);
        const size_t len = strlen(e->d_name);
        struct stat st;
        if (len > 12 && strcmp(e->d_name + len - 12, ".plugin.json") == 0) {
            *list = realloc(*list, (*count + 1) * sizeof **list);
            (*list)[(*count)++] = path;
        } else if (descend && lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            scan_manifests(path, list, count, 0);
            free(path);
        } else {
            free(path);
        }
    }
    closedir(d);
}

/* Loads the plugin of one manifest; returns 0, or -1 after saying why on stderr (the plugin is refused). */
static int load_plugin(const char *manifest_path, loaded_plugin *p)
{
    json_error_t error;
    json_t *manifest = json_load_file(manifest_path, 0, &error);
    if (manifest == NULL) {
        fprintf(stderr, "jobcoach-host-c: refused %s: line %d: %s\n", manifest_path, error.line, error.text);
        return -1;
    }
    const char *library = NULL, *id = NULL;
    int major = -1, minor = -1;
    if (json_unpack(manifest, "{s:s, s:s, s:{s:i, s:i}}", "id", &id, "library", &library, "abi_version", "major",
                    &major, "minor", &minor) != 0 ||
        strchr(library, '/') != NULL) {
        fprintf(stderr, "jobcoach-host-c: refused %s: needs id, a library file name and abi_version\n", manifest_path);
        json_decref(manifest);
        return -1;
    }
    const jc_version host_abi = {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, JC_ABI_VERSION_PATCH};
    if (!jc_version_is_compatible(host_abi, (jc_version){(uint32_t)major, (uint32_t)minor, 0})) {
        fprintf(stderr, "jobcoach-host-c: refused %s: needs host ABI %d.%d\n", manifest_path, major, minor);
        json_decref(manifest);
        return -1;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", manifest_path);
    *strrchr(dir, '/') = '\0';
    char path[4352];
    snprintf(path, sizeof path, "%s/%s", dir, library);
    char expected_id[256];
    snprintf(expected_id, sizeof expected_id, "%s", id);
    json_decref(manifest);

    p->library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (p->library == NULL) {
        fprintf(stderr, "jobcoach-host-c: refused %s: %s\n", path, dlerror());
        return -1;
    }
    /* POSIX allows converting a dlsym result to a function pointer. */
    jc_plugin_entry_fn entry_fn;
    *(void **)&entry_fn = dlsym(p->library, JC_PLUGIN_ENTRY_SYMBOL);
    p->entry = entry_fn != NULL ? entry_fn() : NULL;
    const jc_plugin_entry *e = p->entry;
    if (e == NULL || e->struct_size < offsetof(jc_plugin_entry, create) + sizeof e->create || e->create == NULL ||
        e->init == NULL || e->deinit == NULL || e->descriptor == NULL ||
        !jc_version_is_compatible(host_abi, e->min_host_abi) || e->descriptor->id == NULL ||
        strcmp(e->descriptor->id, expected_id) != 0) {
        fprintf(stderr, "jobcoach-host-c: refused %s: not a compatible jobcoach plugin with id %s\n", path, expected_id);
        dlclose(p->library);
        return -1;
    }
    char message[512] = "";
    if (e->init(dir, message, sizeof message) != JC_OK) {
        fprintf(stderr, "jobcoach-host-c: refused %s: init failed: %s\n", path, message);
        dlclose(p->library);
        return -1;
    }
    p->host = (jc_host){sizeof(jc_host), 0, host_abi, NULL, "jobcoach-host-c", "1.0.0", host_get_extension,
                        host_log, host_emit_finding};
    /* With --state, each plugin keeps its events and what it last reported in DB.<plugin id>; else in memory. */
    char state_path[4096];
    if (state_prefix != NULL && snprintf(state_path, sizeof state_path, "%s.%s", state_prefix, expected_id) >= (int)sizeof state_path)
        die(2, "--state %s: the path is too long", state_prefix);
    const jc_instance_config config = {sizeof config, 0, state_prefix != NULL ? state_path : NULL, NULL};
    if (e->create(&p->host, &config, &p->instance, message, sizeof message) != JC_OK) {
        fprintf(stderr, "jobcoach-host-c: refused %s: create failed: %s\n", expected_id, message);
        e->deinit();
        dlclose(p->library);
        return -1;
    }
    p->manifest = xstrndup(manifest_path, strlen(manifest_path));
    return 0;
}

/* ---- events ------------------------------------------------------------------------------------------------- */

typedef struct event_list {
    jc_event_header **items;
    json_t **lines; /* the parsed lines: the events' strings point into them */
    size_t count, capacity;
} event_list;

static const char *file_name;
static size_t line_number;

static void bad(const char *field, const char *what)
{
    die(2, "%s:%zu: field '%s': %s; nothing was applied", file_name, line_number, field, what);
}

static jc_str text(json_t *o, const char *field, int required)
{
    json_t *v = json_object_get(o, field);
    if (v == NULL || json_is_null(v)) {
        if (required)
            bad(field, "missing");
        return (jc_str){NULL, 0};
    }
    if (!json_is_string(v))
        bad(field, "must be a string");
    const jc_str s = {json_string_value(v), json_string_length(v)};
    if (strcmp(field, "justification") != 0) /* ids and keys reach terminals and calendars */
        for (size_t i = 0; i < s.size; ++i)
            if ((unsigned char)s.data[i] < 0x20 || s.data[i] == 0x7F)
                bad(field, "holds a control character");
    return s;
}

static jc_date date(json_t *o, const char *field, int required)
{
    const jc_str s = text(o, field, required);
    jc_date d = JC_DATE_NONE;
    if (s.data != NULL && parse_date(s.data, &d) != 0)
        bad(field, "not a date YYYY-MM-DD between 1900 and 2199");
    return d;
}

/* Hours as minutes, rounded to the nearest minute; -1 when absent. */
static int64_t hours(json_t *o, const char *field)
{
    json_t *v = json_object_get(o, field);
    if (v == NULL || json_is_null(v))
        return -1;
    if (!json_is_number(v))
        bad(field, "must be a number");
    const double h = json_number_value(v) * 60.0;
    const int64_t minutes = (int64_t)(h < 0 ? h - 0.5 : h + 0.5);
    if (h > 0 && minutes < 1)
        bad(field, "rounds to 0 minutes (at least 1 minute is needed)");
    return minutes;
}

static int64_t integer(json_t *o, const char *field, int64_t absent)
{
    json_t *v = json_object_get(o, field);
    if (v == NULL || json_is_null(v))
        return absent;
    if (!json_is_integer(v))
        bad(field, "must be an integer");
    return json_integer_value(v);
}

static int boolean(json_t *o, const char *field, int absent)
{
    json_t *v = json_object_get(o, field);
    if (v == NULL || json_is_null(v))
        return absent;
    if (!json_is_boolean(v))
        bad(field, "must be true or false");
    return json_is_true(v);
}

#define NEW_EVENT(T, type_id) \
    T *ev = xcalloc(1, sizeof(T)); \
    ev->header.struct_size = sizeof(T); \
    ev->header.type = type_id; \
    h = &ev->header

/* Builds the ABI struct of one JSON line (the plugins validate the values and name what is wrong). */
static jc_event_header *to_event(json_t *o)
{
    const jc_str type = text(o, "type", 1);
    jc_event_header *h = NULL;
    if (strcmp(type.data, "contract.started") == 0) {
        NEW_EVENT(jc_event_contract_started, JC_EVENT_CONTRACT_STARTED);
        ev->employer = text(o, "employer", 1);
        ev->weekly_minutes = (int32_t)hours(o, "weekly_hours");
        ev->end = date(o, "end", 0);
        ev->paid = boolean(o, "paid", 1);
        ev->paid_prospect = boolean(o, "paid_prospect", 1);
    } else if (strcmp(type.data, "contract.changed") == 0) {
        NEW_EVENT(jc_event_contract_changed, JC_EVENT_CONTRACT_CHANGED);
        ev->weekly_minutes = (int32_t)hours(o, "weekly_hours");
        json_t *end = json_object_get(o, "end");
        ev->end_change = end == NULL ? JC_END_UNCHANGED : json_is_null(end) ? JC_END_OPEN : JC_END_SET;
        ev->end = ev->end_change == JC_END_SET ? date(o, "end", 1) : JC_DATE_NONE;
    } else if (strcmp(type.data, "contract.ended") == 0) {
        NEW_EVENT(jc_event_contract_ended, JC_EVENT_CONTRACT_ENDED);
    } else if (strcmp(type.data, "coaching.granted") == 0) {
        NEW_EVENT(jc_event_coaching_granted, JC_EVENT_COACHING_GRANTED);
        ev->scheme = text(o, "scheme", 1);
        ev->level = text(o, "level", 0);
        ev->granted_minutes = hours(o, "granted_hours");
        ev->prior_months = (int32_t)integer(o, "prior_months", -1);
        ev->coach_form = text(o, "coach_form", 0);
        ev->justification = text(o, "justification", 0);
    } else if (strcmp(type.data, "coaching.extended") == 0) {
        NEW_EVENT(jc_event_coaching_extended, JC_EVENT_COACHING_EXTENDED);
        ev->scheme = text(o, "scheme", 1);
        ev->months = (int32_t)integer(o, "months", 0);
        ev->justification = text(o, "justification", 0);
    } else if (strcmp(type.data, "coaching.ended") == 0) {
        NEW_EVENT(jc_event_coaching_ended, JC_EVENT_COACHING_ENDED);
        ev->scheme = text(o, "scheme", 1);
    } else if (strcmp(type.data, "timesheet.logged") == 0) {
        NEW_EVENT(jc_event_timesheet_logged, JC_EVENT_TIMESHEET_LOGGED);
        if (json_object_get(o, "minutes") != NULL && json_object_get(o, "hours") != NULL)
            bad("hours", "give minutes or hours, not both");
        const int64_t minutes = integer(o, "minutes", -1);
        ev->minutes = (int32_t)(minutes >= 0 ? minutes : hours(o, "hours"));
        if (ev->minutes < 0)
            bad("minutes", "missing (give minutes or hours)");
        const jc_str activity = text(o, "activity", 0);
        ev->activity = activity.data == NULL || strcmp(activity.data, "coaching") == 0 ? JC_ACTIVITY_COACHING
                       : strcmp(activity.data, "visit") == 0                           ? JC_ACTIVITY_VISIT
                       : strcmp(activity.data, "contact") == 0                         ? JC_ACTIVITY_CONTACT
                                                                                       : -1;
        if (ev->activity < 0)
            bad("activity", "must be coaching, visit or contact");
        ev->scheme = text(o, "scheme", 0);
        ev->coach = text(o, "coach", 0);
    } else if (strcmp(type.data, "timesheet.retracted") == 0) {
        NEW_EVENT(jc_event_timesheet_retracted, JC_EVENT_TIMESHEET_RETRACTED);
        ev->retracts = text(o, "retracts", 1);
    } else if (strcmp(type.data, "event.retracted") == 0) {
        NEW_EVENT(jc_event_event_retracted, JC_EVENT_EVENT_RETRACTED);
        ev->retracts = text(o, "retracts", 1);
    } else if (strcmp(type.data, "absence.started") == 0) {
        NEW_EVENT(jc_event_absence, JC_EVENT_ABSENCE_STARTED);
    } else if (strcmp(type.data, "absence.ended") == 0) {
        NEW_EVENT(jc_event_absence, JC_EVENT_ABSENCE_ENDED);
    } else if (strcmp(type.data, "report.submitted") == 0) {
        NEW_EVENT(jc_event_report_submitted, JC_EVENT_REPORT_SUBMITTED);
        ev->kind = text(o, "kind", 1);
        ev->scheme = text(o, "scheme", 0);
    } else if (strcmp(type.data, "budget.transferred") == 0) {
        NEW_EVENT(jc_event_budget_transferred, JC_EVENT_BUDGET_TRANSFERRED);
        ev->scheme = text(o, "scheme", 1);
        ev->minutes = (int32_t)integer(o, "minutes", 0);
        ev->justification = text(o, "justification", 0);
    } else {
        bad("type", "unknown event type");
    }
    h->id = text(o, "id", 1);
    h->employee = text(o, "employee", 1);
    h->date = date(o, "date", 1);
    return h;
}

/* The longest event line, as jobcoach-demo: a justification of 4096 bytes with every character escaped. */
#define MAX_LINE_BYTES (64 * 1024)

/* Reads one line, without its end, into *line (NUL-terminated; it may hold NUL bytes of its own). Returns its
 * length, or -1 at the end of the file. A read error, or a line longer than an event line may be (/dev/zero
 * would otherwise fill the memory), stops the program. */
static long read_line(FILE *f, char **line, size_t *capacity)
{
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF && c != '\n') {
        if (n >= MAX_LINE_BYTES)
            die(2, "%s:%zu: more than %d bytes without an end of line, more than an event line may have; nothing "
                   "was applied", file_name, line_number + 1, MAX_LINE_BYTES);
        if (n + 2 > *capacity) {
            *capacity = *capacity ? *capacity * 2 : 4096;
            *line = realloc(*line, *capacity);
            if (*line == NULL)
                die(1, "out of memory");
        }
        (*line)[n++] = (char)c;
    }
    if (ferror(f))
        die(2, "cannot read %s: %s", file_name, strerror(errno));
    if (c == EOF && n == 0)
        return -1;
    if (*line == NULL) {
        *capacity = 4096;
        if ((*line = malloc(*capacity)) == NULL)
            die(1, "out of memory");
    }
    (*line)[n] = '\0';
    return (long)n;
}

/* Reads every event of the file dated on or before as_of. Any bad line stops the program (exit 2). */
static event_list read_events(const char *path, jc_date as_of)
{
    event_list list = {0};
    FILE *f = fopen(path, "r");
    if (f == NULL)
        die(2, "cannot read %s: %s", path, strerror(errno));
    file_name = path;
    char *line = NULL;
    size_t capacity = 0;
    long n;
    while ((n = read_line(f, &line, &capacity)) >= 0) {
        ++line_number;
        char *text = line;
        if (line_number == 1 && n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a byte-order mark (Windows) */
            text += 3;
            n -= 3;
        }
        if (n > 0 && text[n - 1] == '\r')
            text[--n] = '\0';
        size_t first = strspn(text, " \t");
        if (first == (size_t)n || text[first] == '#')
            continue;
        json_error_t error;
        /* JSON_REJECT_DUPLICATES: parsers differ on which value of a repeated key wins, so none is taken. */
        json_t *o = json_loadb(text, (size_t)n, JSON_REJECT_DUPLICATES, &error);
        if (o == NULL || !json_is_object(o))
            die(2, "%s:%zu: not a JSON object: %s; nothing was applied", path, line_number, o ? "" : error.text);
        jc_event_header *h = to_event(o);
        if (h->date > as_of) {
            free(h);
            json_decref(o);
            continue;
        }
        if (list.count == list.capacity) {
            list.capacity = list.capacity ? list.capacity * 2 : 256;
            list.items = realloc(list.items, list.capacity * sizeof *list.items);
            list.lines = realloc(list.lines, list.capacity * sizeof *list.lines);
            if (list.items == NULL || list.lines == NULL)
                die(1, "out of memory");
        }
        list.items[list.count] = h;
        list.lines[list.count++] = o;
    }
    free(line);
    fclose(f);
    return list;
}

/* ---- findings out ------------------------------------------------------------------------------------------- */

static int compare_due(jc_date a, jc_date b) { return a < b ? -1 : a > b; }

/* The key jobcoach-demo settles on: employee, due, rule, subject, kind, scheme. */
static int compare_key(const finding_copy *a, const finding_copy *b)
{
    int c;
    if ((c = strcmp(a->employee, b->employee)) != 0 || (c = compare_due(a->due, b->due)) != 0 ||
        (c = strcmp(a->rule, b->rule)) != 0 || (c = strcmp(a->subject, b->subject)) != 0 ||
        (c = strcmp(a->kind, b->kind)) != 0 || (c = strcmp(a->scheme, b->scheme)) != 0)
        return c;
    return 0;
}

/* Whether a finding concerns the employee: its own, or an employer-level one that lists the employee. */
static int names(const finding_copy *f, const char *employee)
{
    if (strcmp(f->employee, employee) == 0)
        return 1;
    for (uint32_t i = 0; i < f->employee_count; ++i)
        if (strcmp(f->employees[i], employee) == 0)
            return 1;
    return 0;
}

static int compare_findings(const void *pa, const void *pb)
{
    const finding_copy *a = pa, *b = pb;
    const int c = compare_key(a, b);
    return c != 0 ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

static void free_finding(finding_copy *f)
{
    char **texts[] = {&f->employee, &f->scheme, &f->rule, &f->kind, &f->subject, &f->message_nl, &f->message_en,
                      &f->source, &f->employer, &f->id, &f->title_nl, &f->title_en, &f->action_nl,
                      &f->action_en};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; ++i)
        free(*texts[i]);
    for (uint32_t i = 0; i < f->employee_count; ++i)
        free(f->employees[i]);
    free(f->employees);
}

static void put_escaped(const char *s)
{
    for (; *s; ++s) {
        switch (*s) {
        case '"': fputs("\\\"", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        default:
            if ((unsigned char)*s < 0x20)
                printf("\\u%04x", (unsigned)*s);
            else
                putchar(*s);
        }
    }
}

static void put_field(const char *name, const char *value)
{
    printf(",\"%s\":\"", name);
    put_escaped(value);
    putchar('"');
}

static void print_finding(const finding_copy *f)
{
    static const char *const severities[] = {"info", "warning", "high", "critical"};
    fputs("{\"employee\":\"", stdout);
    put_escaped(f->employee);
    putchar('"');
    put_field("scheme", f->scheme);
    put_field("rule", f->rule);
    put_field("kind", f->kind);
    put_field("severity", f->severity >= 0 && f->severity <= 3 ? severities[f->severity] : "unknown");
    if (f->due != JC_DATE_NONE) {
        int y, m, d;
        civil_from_days(f->due, &y, &m, &d);
        printf(",\"due\":\"%04d-%02d-%02d\"", y, m, d);
    }
    if (*f->subject)
        put_field("subject", f->subject);
    if (f->observed_minutes != JC_NO_VALUE)
        printf(",\"observed_minutes\":%lld", (long long)f->observed_minutes);
    if (f->limit_minutes != JC_NO_VALUE)
        printf(",\"limit_minutes\":%lld", (long long)f->limit_minutes);
    if (f->amount_cents != JC_NO_VALUE)
        printf(",\"amount_cents\":%lld", (long long)f->amount_cents);
    put_field("message_nl", f->message_nl);
    put_field("message_en", f->message_en);
    put_field("source", f->source);
    if (*f->employer)
        put_field("employer", f->employer);
    if (f->employee_count > 0) {
        fputs(",\"employees\":[", stdout);
        for (uint32_t i = 0; i < f->employee_count; ++i) {
            fputs(i > 0 ? ",\"" : "\"", stdout);
            put_escaped(f->employees[i]);
            putchar('"');
        }
        putchar(']');
    }
    if (f->trajectory > 0)
        printf(",\"trajectory\":%u", (unsigned)f->trajectory);
    if (*f->id)
        put_field("id", f->id);
    static const char *const changes[] = {"", "new", "updated", "resolved"};
    if (f->change >= JC_CHANGE_NEW && f->change <= JC_CHANGE_RESOLVED)
        put_field("change", changes[f->change]);
    const char *const names[] = {"title_nl", "title_en", "action_nl", "action_en"};
    const char *const words[] = {f->title_nl, f->title_en, f->action_nl, f->action_en};
    for (size_t i = 0; i < 4; ++i)
        if (*words[i])
            put_field(names[i], words[i]);
    fputs("}\n", stdout);
}

/* ---- main --------------------------------------------------------------------------------------------------- */

static void usage(void)
{
    fputs("usage: jobcoach-host-c --plugins DIR --events FILE --as-of YYYY-MM-DD [--state DB]\n"
          "                       [--employee KEY | --changes]\n"
          "Loads the jobcoach plugins of DIR, feeds every event of FILE dated on or before the date, and prints\n"
          "the findings as JSON Lines (as jobcoach-demo evaluate --format jsonl). --state keeps each plugin's\n"
          "state in DB.<plugin id>. --employee prints that employee's findings, computed for the employee alone\n"
          "(jc.findings/1), as jobcoach-demo evaluate --employee; --changes (with --state) prints what is new,\n"
          "updated or resolved since the last --changes run, as jobcoach-demo changes.\n"
          "Example: jobcoach-host-c --plugins /usr/lib/jobcoach/plugins \\\n"
          "           --events /usr/share/jobcoach/samples/sample-events.jsonl --as-of 2026-11-23\n",
          stderr);
}

int main(int argc, char **argv)
{
    const char *plugin_dir = NULL, *events_path = NULL, *as_of_text = NULL, *employee = NULL;
    int want_changes = 0;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage();
            return 0;
        }
        if (strcmp(argv[i], "--changes") == 0) {
            want_changes = 1;
            continue;
        }
        if (i + 1 >= argc) {
            usage();
            return 2;
        }
        if (strcmp(argv[i], "--plugins") == 0)
            plugin_dir = argv[++i];
        else if (strcmp(argv[i], "--events") == 0)
            events_path = argv[++i];
        else if (strcmp(argv[i], "--as-of") == 0)
            as_of_text = argv[++i];
        else if (strcmp(argv[i], "--state") == 0)
            state_prefix = argv[++i];
        else if (strcmp(argv[i], "--employee") == 0)
            employee = argv[++i];
        else {
            usage();
            return 2;
        }
    }
    if (plugin_dir == NULL || events_path == NULL || as_of_text == NULL || (want_changes && employee != NULL) ||
        (want_changes && state_prefix == NULL)) {
        usage();
        return 2;
    }
    jc_date as_of;
    if (parse_date(as_of_text, &as_of) != 0)
        die(2, "--as-of \"%s\" is not a date YYYY-MM-DD between 1900 and 2199", as_of_text);
    event_list events = read_events(events_path, as_of);

    char **manifests = NULL;
    size_t manifest_count = 0;
    scan_manifests(plugin_dir, &manifests, &manifest_count, 1);
    if (manifest_count > 0) /* qsort needs a non-NULL array even for no elements */
        qsort(manifests, manifest_count, sizeof *manifests, compare_paths);
    loaded_plugin *plugins = xcalloc(manifest_count + 1, sizeof *plugins);
    size_t plugin_count = 0;
    for (size_t i = 0; i < manifest_count; ++i)
        if (load_plugin(manifests[i], &plugins[plugin_count]) == 0)
            ++plugin_count;
    if (plugin_count == 0)
        die(1, "no plugin could be loaded from %s", plugin_dir);

    int exit_code = 0;
    for (size_t i = 0; i < plugin_count; ++i) {
        const jc_plugin *instance = plugins[i].instance;
        jc_batch_result result = {.struct_size = sizeof result};
        jc_status status = instance->handle_events(instance, (const jc_event_header *const *)events.items,
                                                   (uint32_t)events.count, &result);
        if (status != JC_OK) {
            fprintf(stderr, "jobcoach-host-c: %s refused the events (event %u): %s\n", plugins[i].manifest,
                    result.failed_index, instance->last_error(instance));
            exit_code = status == JC_E_INVALID_EVENT ? 2 : 1;
            continue;
        }
        /* The save -> findings -> task workflow: one employee's findings (jc.findings/1 evaluate_employees), or
         * the change feed (evaluate_changes: a task per id, opened on new, refreshed on updated, closed on
         * resolved). A plugin without the extension (ABI before 1.2) is evaluated whole; its findings are
         * filtered below, and it has no change feed. */
        const jc_plugin_findings *ext = plugin_extension(instance, JC_EXT_FINDINGS);
        if (ext != NULL && ext->struct_size < offsetof(jc_plugin_findings, evaluate_changes) + sizeof(void *))
            ext = NULL;
        /* This host prints findings without their explanation, as jobcoach-demo does by default: it asks for
         * them so (jc.explanations/1, ABI 1.5), and the plugin leaves the computation behind each one unmade. */
        const jc_plugin_explanations *explanations = plugin_extension(instance, JC_EXT_EXPLANATIONS);
        if (explanations != NULL &&
            explanations->struct_size >= offsetof(jc_plugin_explanations, set_explanations) + sizeof(void *) &&
            explanations->set_explanations(instance, 0) != JC_OK)
            fprintf(stderr, "jobcoach-host-c: %s: set_explanations: %s\n", plugins[i].manifest,
                    instance->last_error(instance));
        in_evaluate = 1;
        if (want_changes && ext == NULL) {
            fprintf(stderr, "jobcoach-host-c: %s keeps no record of what it reported (ABI before 1.2)\n",
                    plugins[i].manifest);
            status = JC_OK;
        } else if (want_changes) {
            status = ext->evaluate_changes(instance, NULL, JC_ALL_EMPLOYEES, as_of);
        } else if (employee != NULL && ext != NULL) {
            const jc_str key = {employee, strlen(employee)};
            status = ext->evaluate_employees(instance, &key, 1, as_of);
        } else {
            status = instance->evaluate(instance, as_of);
        }
        in_evaluate = 0;
        if (status != JC_OK) {
            fprintf(stderr, "jobcoach-host-c: %s failed to evaluate: %s\n", plugins[i].manifest,
                    instance->last_error(instance));
            exit_code = 1;
        }
    }

    /* Settle as jobcoach-demo does: sort (stable), then keep the first of findings with the same key. */
    if (findings.count > 0)
        qsort(findings.items, findings.count, sizeof *findings.items, compare_findings);
    for (size_t i = 0; i < findings.count; ++i)
        if ((i == 0 || compare_key(&findings.items[i - 1], &findings.items[i]) != 0) &&
            (employee == NULL || names(&findings.items[i], employee)))
            print_finding(&findings.items[i]);

    for (size_t i = plugin_count; i-- > 0;) {
        plugins[i].instance->destroy(plugins[i].instance);
        plugins[i].entry->deinit();
        dlclose(plugins[i].library);
        free(plugins[i].manifest);
    }
    free(plugins);
    for (size_t i = 0; i < manifest_count; ++i)
        free(manifests[i]);
    free(manifests);
    for (size_t i = 0; i < events.count; ++i) {
        free(events.items[i]);
        json_decref(events.lines[i]);
    }
    free(events.items);
    free(events.lines);
    for (size_t i = 0; i < findings.count; ++i)
        free_finding(&findings.items[i]);
    free(findings.items);
    return exit_code;
}
