// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/evaluate_everyone.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

namespace jobcoach::rules {

unsigned evaluate_threads(std::string *note)
{
    const unsigned machine = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
    if (const char *v = std::getenv("JOBCOACH_EVALUATE_THREADS"); v != nullptr) {
        unsigned n = 0;
        const char *end = v + std::strlen(v);
        if (const auto [p, ec] = std::from_chars(v, end, n); ec == std::errc() && p == end && n >= 1 && n <= 64)
            return n;
        if (note != nullptr) {
            std::string shown(v, std::min<size_t>(static_cast<size_t>(end - v), 32));
            for (char &c : shown)
                if (c < 0x20 || c > 0x7e)
                    c = '?'; // the message stays printable UTF-8, whatever the environment holds
            *note = "JOBCOACH_EVALUATE_THREADS='" + shown + "' is not a number from 1 to 64: evaluating on " +
                    std::to_string(machine) + " thread(s)";
        }
    }
    return machine;
}

bool nothing_unclaimed_in_row(std::string_view row, std::string_view employee, const AssignmentScope &scope,
                              Date as_of)
{
    UnclaimedGlance glance(scope, as_of);
    EventStore::Glance events(row, employee);
    // A few events first: an employee of the plugin's own schemes is told by its first grant, an early event.
    std::array<EventStore::Glimpse, 32> some;
    size_t wanted = 4;
    for (size_t n; (n = events.next(std::span(some.data(), wanted))) != 0; wanted = some.size())
        for (size_t i = 0; i < n; ++i)
            if (!glance.add(some[i].type, some[i].date, some[i].scheme))
                return false;
    return glance.nothing_unclaimed();
}

bool nothing_unclaimed_in_firsts(EventStore::Firsts firsts, std::string_view row, std::string_view employee,
                                 const AssignmentScope &scope, Date as_of)
{
    if (!firsts.known())
        return nothing_unclaimed_in_row(row, employee, scope, as_of);
    UnclaimedGlance glance(scope, as_of);
    try {
        for (EventStore::First f; firsts.next(f);)
            if (!glance.add(f.type, f.date, f.scheme))
                return false; // (whether they are of the row or not: the full evaluation decides)
    } catch (const std::runtime_error &) {
        return nothing_unclaimed_in_row(row, employee, scope, as_of); // damaged firsts: the row tells
    }
    return glance.nothing_unclaimed() && (firsts.of(row) || nothing_unclaimed_in_row(row, employee, scope, as_of));
}

namespace {

// The cycles of employees read, while helpers run, beyond the calling thread's oldest own employees not yet
// evaluated (evaluate_everyone).
constexpr size_t own_lag = 2;

// One evaluation's step for one employee: the row decoded, the employee evaluated, the findings sorted.
class Evaluator {
public:
    explicit Evaluator(Evaluation &evaluation) : evaluation_(evaluation) {}
    // The employee's findings go to `out`, sorted (sort_findings), or with `order` set, in the order they were
    // made, and their sorted order into *order (sorted_order: a helper packs them in it, unmoved).
    void employee(std::string_view key, std::string_view row, std::string_view firsts, FindingList &out,
                  std::vector<uint32_t> *order = nullptr)
    {
        if (order != nullptr)
            order->clear();
        // The plugin that reads everyone passes over an employee with nothing for it, undecoded, told by the
        // row's firsts where they are kept (R-7: the uwv plugin meets every employee of the municipal schemes).
        if (const AssignmentScope *scope = evaluation_.unclaimed_scope())
            if (nothing_unclaimed_in_firsts(EventStore::Firsts(firsts), row, key, *scope, evaluation_.as_of()))
                return;
        const size_t n = EventStore::decode_employee_row(row, key, events_, &decoded_over_);
        // The pointers to the events, kept from the employees before while the events have not moved (the
        // decoder grows them, never shrinks them): made anew only for events past the most any employee had
        // (each employee's pointers made anew were a push_back per event, 1.7 % of a pass).
        if (pointed_ != events_.data()) {
            pointers_.clear();
            pointed_ = events_.data();
        }
        for (size_t i = pointers_.size(); i < n; ++i)
            pointers_.push_back(&events_[i]);
        evaluation_.employee(key, std::span<const Event *const>(pointers_.data(), n), out);
        if (order != nullptr)
            sorted_order(out.live(), *order);
        else
            sort_findings(out);
    }
    // The order of the findings of the employee a batch packs (Batch::run).
    std::vector<uint32_t> &order() { return order_; }

    // The one list this thread makes the findings it packs at once in (Batch::run), for all its employees: the
    // same few findings, warm in the cache, are made over employee after employee. (A list per employee of the
    // batch each kept its own: a batch's worth of findings, cold by the time each was made over again, and
    // evaluating on threads took a tenth longer.)
    FindingList &scratch() { return scratch_; }

private:
    Evaluation &evaluation_;
    FindingList scratch_;
    std::vector<Event> events_; // decoded over, employee after employee (written by the decoder alone)
    EventStore::DecodedOver decoded_over_;
    std::vector<uint32_t> order_;
    std::vector<const Event *> pointers_; // &events_[i] for i < pointers_.size(), while events_.data() == pointed_
    const Event *pointed_ = nullptr;
};

// Some employees' rows, copied out of the statement, and then their findings.
struct Batch {
    uint64_t number = 0; // in key order
    std::string keys, rows, firsts;
    struct Ends {
        size_t key, row, firsts;
    };
    std::vector<Ends> ends; // each employee's end in keys, rows and firsts
    // Each employee's findings, kept from batch to batch with their storage (FindingList), when they are not
    // packed: [0] as the helper made them, [1] as the calling thread did. A thread makes its findings over only
    // in its own: a batch goes to whichever thread is free, and a string that grows frees its storage, which a
    // free into another thread's malloc arena does under that arena's lock while its thread allocates.
    std::vector<FindingList> findings[2];
    // The findings packed (pack_findings), when the sink takes them so (PackedSink), by whichever thread ran the
    // batch: each employee's end in `packed`. That thread made each employee's findings in its one list
    // (Evaluator::scratch), and the calling thread reads only these bytes.
    std::string packed;
    std::vector<size_t> packed_ends;
    size_t evaluated = 0; // the employees before the one that failed, or all
    std::exception_ptr error;
    bool here = false; // evaluated by the calling thread, not by its helper

    // The findings of the thread that ran the batch last.
    std::vector<FindingList> &made() { return findings[here ? 1 : 0]; }
    size_t size() const { return ends.size(); }
    std::string_view key(size_t k) const
    {
        const size_t from = k == 0 ? 0 : ends[k - 1].key;
        return std::string_view(keys).substr(from, ends[k].key - from);
    }
    std::string_view row(size_t k) const
    {
        const size_t from = k == 0 ? 0 : ends[k - 1].row;
        return std::string_view(rows).substr(from, ends[k].row - from);
    }
    std::string_view firsts_of(size_t k) const
    {
        const size_t from = k == 0 ? 0 : ends[k - 1].firsts;
        return std::string_view(firsts).substr(from, ends[k].firsts - from);
    }
    void add(std::string_view key, std::string_view row, std::string_view row_firsts)
    {
        keys.append(key);
        rows.append(row);
        firsts.append(row_firsts);
        ends.push_back({keys.size(), rows.size(), firsts.size()});
    }
    void reset()
    {
        keys.clear();
        rows.clear();
        firsts.clear();
        ends.clear();
        packed.clear();
        packed_ends.clear();
        evaluated = 0;
        error = nullptr;
    }
    // Evaluates every employee of the batch (`by_caller`: on the calling thread; `pack`: the findings are
    // packed); an exception stops it and is kept for the calling thread.
    void run(Evaluator &evaluator, bool by_caller, bool pack) noexcept
    {
        here = by_caller;
        auto &out = made();
        try {
            if (!pack && out.size() < size())
                out.resize(size());
            for (size_t k = 0; k < size(); ++k) {
                FindingList &made = pack ? evaluator.scratch() : out[k];
                made.clear();
                evaluator.employee(key(k), row(k), firsts_of(k), made, pack ? &evaluator.order() : nullptr);
                if (pack) { // packed in their sorted order, the list then made over for the next employee's
                    pack_findings(made.live(), packed, evaluator.order());
                    packed_ends.push_back(packed.size());
                }
                evaluated = k + 1;
            }
        } catch (...) {
            error = std::current_exception();
        }
    }
    // Hands each evaluated employee's findings to the sink (packed, when the batch's helper packed them), then
    // throws the error, if any.
    void hand_on(const EmployeeSink &sink, const PackedSink &packed_sink)
    {
        if (!packed_ends.empty()) {
            for (size_t k = 0; k < evaluated; ++k) {
                const size_t from = k == 0 ? 0 : packed_ends[k - 1];
                packed_sink(key(k), std::string_view(packed).substr(from, packed_ends[k] - from));
            }
        } else {
            auto &out = made();
            for (size_t k = 0; k < evaluated; ++k)
                sink(key(k), out[k]);
        }
        if (error)
            std::rethrow_exception(error);
    }
};

// The threads that evaluate and the batches between them. Only the calling thread makes, feeds, drains and
// ends it. Batch n goes to helper n modulo their count. While the calling thread waits for the next batch in
// order, it evaluates a batch still queued itself (the newest), so that `threads` threads evaluate in all and
// none waits while there is work. The findings a thread makes are cleared and made over by that thread
// (Batch::findings): the calling thread clears what it made once handed on, a helper what it made when it next
// runs the batch. With a PackedSink, each thread packs the findings of the batches it runs, the calling thread
// those it takes from the queue too, and makes them over at once, employee after employee, in one list of its
// own (Evaluator::scratch); the calling thread then reads only the packed bytes. (When the calling thread freed a
// helper's findings, each free went to the helper's malloc arena, under its lock: handing the findings on took
// ten times as long. When it kept the findings of a batch it took, each employee's in a list of the batch, they
// were cold by the time it made them over again, and the plugins one after the other took 5-7 % longer:
// tests/bench/JOURNAL.md, "A batch the calling thread takes, packed".)
class Helpers {
public:
    // Starts threads - 1 helper threads, each with an evaluation of its own; `here` is the calling thread's.
    // False (none left running) when the system has no thread to give.
    // The findings go to `sink`, or packed to `packed` when set (evaluate_everyone); both must outlive this.
    bool start(unsigned threads, Evaluator &here, Date as_of, const std::vector<std::unique_ptr<SchemeRules>> &schemes,
               const RulePackSet &packs, Wording wording, const EmployeeSink &sink, const PackedSink &packed)
    {
        here_ = &here;
        sink_ = &sink;
        packed_ = &packed;
        // Room for every batch of the cycles read beyond the calling thread's oldest own employees waiting
        // (evaluate_everyone), and one more: submit() then never hands a batch on before their turn.
        slots_.resize((own_lag + 2) * static_cast<size_t>(threads) + 2);
        lanes_ = std::vector<Lane>(threads - 1);
        for (auto &lane : lanes_) {
            lane.evaluation = std::make_unique<Evaluation>(as_of, schemes, packs);
            lane.evaluation->word(wording);
            lane.evaluation->borrow_pack_texts(true);
        }
        try {
            for (auto &lane : lanes_)
                lane.thread = std::thread([this, &lane] { work(lane); });
        } catch (const std::system_error &) {
            stop();
            lanes_.clear();
            return false;
        }
        return true;
    }
    ~Helpers() { stop(); }

    // A batch to fill: the next one submitted.
    std::unique_ptr<Batch> spare()
    {
        if (lanes_.empty())
            return std::make_unique<Batch>();
        auto &spares = lanes_[submitted_ % lanes_.size()].spares;
        if (spares.empty())
            return std::make_unique<Batch>();
        auto b = std::move(spares.back());
        spares.pop_back();
        return b;
    }
    // Gives a batch to its helper; first hands on the oldest batch while as many as the slots are out.
    void submit(std::unique_ptr<Batch> b)
    {
        while (submitted_ - handed_on_ >= slots_.size())
            hand_on_next();
        b->number = submitted_++;
        Lane &lane = lanes_[b->number % lanes_.size()];
        {
            const std::lock_guard lock(mutex_);
            lane.todo.push_back(std::move(b));
        }
        lane.ready.notify_one();
    }
    // Hands on every batch submitted, in order.
    void drain() { hand_on_before(submitted_); }
    // Hands on, in order, every batch numbered below `number` (those submitted before it was submitted()).
    void hand_on_before(uint64_t number)
    {
        while (handed_on_ < number)
            hand_on_next();
    }
    // The number the next batch submitted gets.
    uint64_t submitted() const { return submitted_; }
    // Whether the calling thread has had to wait for a helper's batch (or evaluated one of theirs itself)
    // since it last asked, and whether a helper has waited for a batch: what the calling thread's share of
    // the employees is balanced by (evaluate_everyone).
    bool caller_waited() { return std::exchange(caller_waited_, false); }
    bool helper_waited() { return starved_.exchange(0, std::memory_order_relaxed) != 0; }
    // Ends the threads (a batch being evaluated is finished first, those waiting are dropped).
    void stop() noexcept
    {
        {
            const std::lock_guard lock(mutex_);
            closing_ = true;
            for (auto &lane : lanes_)
                lane.todo.clear();
        }
        for (auto &lane : lanes_)
            lane.ready.notify_all();
        for (auto &lane : lanes_)
            if (lane.thread.joinable())
                lane.thread.join();
    }
    // Calls fn with each helper's evaluation, for Evaluation::absorb once they have stopped.
    template <class Fn> void each_evaluation(Fn fn)
    {
        for (auto &lane : lanes_)
            fn(*lane.evaluation);
    }

private:
    struct Lane {
        std::unique_ptr<Evaluation> evaluation;
        std::thread thread;
        std::condition_variable ready;
        std::deque<std::unique_ptr<Batch>> todo;    // guarded by mutex_
        std::vector<std::unique_ptr<Batch>> spares; // the calling thread's
    };

    void work(Lane &lane)
    {
        Evaluator evaluator(*lane.evaluation);
        for (;;) {
            std::unique_ptr<Batch> b;
            {
                std::unique_lock lock(mutex_);
                if (lane.todo.empty() && !closing_)
                    starved_.fetch_add(1, std::memory_order_relaxed);
                lane.ready.wait(lock, [&] { return closing_ || !lane.todo.empty(); });
                if (closing_)
                    return;
                b = std::move(lane.todo.front());
                lane.todo.pop_front();
            }
            b->run(evaluator, false, static_cast<bool>(*packed_));
            put(std::move(b));
        }
    }
    void put(std::unique_ptr<Batch> b)
    {
        {
            const std::lock_guard lock(mutex_);
            auto &slot = slots_[b->number % slots_.size()];
            slot = std::move(b);
        }
        done_.notify_one();
    }
    void hand_on_next()
    {
        std::unique_ptr<Batch> b;
        for (;;) {
            std::unique_ptr<Batch> stolen;
            {
                std::unique_lock lock(mutex_);
                auto &slot = slots_[handed_on_ % slots_.size()];
                if (slot != nullptr) {
                    b = std::move(slot);
                    break;
                }
                caller_waited_ = true;
                // Not evaluated yet: take the newest batch still queued, or wait.
                Lane *fullest = nullptr;
                for (auto &lane : lanes_)
                    if (!lane.todo.empty() && (fullest == nullptr || lane.todo.size() > fullest->todo.size()))
                        fullest = &lane;
                if (fullest == nullptr) {
                    done_.wait(lock, [&] { return slot != nullptr; });
                    b = std::move(slot);
                    break;
                }
                stolen = std::move(fullest->todo.back());
                fullest->todo.pop_back();
            }
            stolen->run(*here_, true, static_cast<bool>(*packed_));
            put(std::move(stolen));
        }
        ++handed_on_;
        b->hand_on(*sink_, *packed_);
        if (b->here) // the calling thread's findings: cleared here, at once
            for (auto &f : b->findings[1])
                f.clear();
        b->reset();
        lanes_[b->number % lanes_.size()].spares.push_back(std::move(b));
    }

    Evaluator *here_ = nullptr;
    const EmployeeSink *sink_ = nullptr;
    const PackedSink *packed_ = nullptr;
    std::vector<Lane> lanes_;
    std::mutex mutex_;
    std::condition_variable done_;
    std::vector<std::unique_ptr<Batch>> slots_; // evaluated, by number modulo their count; guarded by mutex_
    bool closing_ = false;                      // guarded by mutex_
    uint64_t submitted_ = 0, handed_on_ = 0;    // the calling thread's
    bool caller_waited_ = false;                // the calling thread's
    std::atomic<unsigned> starved_{0};          // how often a helper found no batch waiting for it
};

} // namespace

void evaluate_everyone(const EventStore &store, Date as_of, const std::vector<std::unique_ptr<SchemeRules>> &schemes,
                       const RulePackSet &packs, unsigned threads, const EmployeeSink &sink, Wording wording,
                       const PackedSink &packed, const ThreadShare *share)
{
    Evaluation evaluation(as_of, schemes, packs);
    evaluation.word(wording);
    evaluation.borrow_pack_texts(true); // (the sink's findings borrow from `packs`: evaluate_everyone.hpp)
    Evaluator here(evaluation);
    // With a share, the helpers wait for its threads; those taken are given back after the helpers have ended
    // (declared before them: destroyed after them).
    const unsigned most = threads;
    struct Taken {
        const ThreadShare *share;
        unsigned count = 0;
        void give_back()
        {
            if (share != nullptr && count > 0)
                share->give_back(std::exchange(count, 0u));
        }
        ~Taken() { give_back(); }
    } taken{share};
    size_t alone = 0; // employees evaluated on the calling thread alone since the share was last asked
    auto ask = [&] {
        taken.count = share->take(most - 1);
        threads = 1 + taken.count;
    };
    if (share != nullptr && most > 1)
        ask();
    Helpers helpers;
    bool helped = false; // the helpers evaluate; started once a batch is full, so a small tenant starts none
    auto batch = helpers.spare();
    // On the calling thread alone: nothing is copied.
    auto here_alone = [&](std::string_view key, std::string_view row, std::string_view firsts) {
        if (batch->findings[1].empty())
            batch->findings[1].resize(1);
        auto &out = batch->findings[1].front();
        out.clear();
        here.employee(key, row, firsts, out);
        sink(key, out);
    };
    // While helpers run, the employees come in cycles, in key order: some for the calling thread (its "own",
    // their rows copied), then a batch for each helper. Once a cycle's rows are read and its batches submitted,
    // the calling thread takes its own employees of two cycles before: it hands on the helpers' batches that
    // come before them, then evaluates them and hands their findings straight to the sink. Their rows and
    // findings stay in its own cache, unpacked, and each helper has the batches of the two cycles since to go
    // on with meanwhile (with those of one cycle, a helper that finished its batch slept until the next came,
    // as often as not). How many employees a cycle gives the calling thread is balanced as it goes: more when
    // it waited for a helper's batch (or evaluated one of theirs itself), fewer when a helper waited for one.
    // (When every batch went to the helpers, every finding crossed between the cores packed, and the calling
    // thread packed those it took from their queues too: tests/bench/JOURNAL.md, "The calling thread's own
    // employees".)
    struct Own {
        std::unique_ptr<Batch> rows;
        uint64_t after = 0; // the helpers' batches numbered below it come before it in key order
    };
    constexpr size_t own_step = 8;            // how much the calling thread's share changes at a time
    constexpr size_t own_most = 8 * batch_employees;
    std::deque<Own> owns;                     // read, not yet evaluated: at most own_lag + 1
    std::vector<std::unique_ptr<Batch>> own_spares;
    auto own = std::make_unique<Batch>();     // being read
    size_t own_share = batch_employees / 2;   // employees of a cycle for the calling thread
    size_t filled = 0;                        // batches submitted to the helpers in this cycle
    bool reading_own = true;                  // the cycle's rows go to `own`, not yet to the helpers
    // The current own employees, read, wait for their turn.
    auto push_own = [&] {
        owns.push_back({std::move(own), helpers.submitted()});
        if (own_spares.empty()) {
            own = std::make_unique<Batch>();
        } else {
            own = std::move(own_spares.back());
            own_spares.pop_back();
        }
    };
    // Hands on the helpers' batches before the oldest own employees waiting, then evaluates those.
    auto run_own = [&] {
        Own o = std::move(owns.front());
        owns.pop_front();
        helpers.hand_on_before(o.after);
        FindingList &out = here.scratch();
        for (size_t k = 0; k < o.rows->size(); ++k) {
            out.clear();
            here.employee(o.rows->key(k), o.rows->row(k), o.rows->firsts_of(k), out);
            sink(o.rows->key(k), out);
        }
        o.rows->reset();
        own_spares.push_back(std::move(o.rows));
        const bool helper_waited = helpers.helper_waited();
        if (helpers.caller_waited())
            own_share = std::min(own_share + own_step, own_most);
        else if (helper_waited)
            own_share -= std::min(own_share, own_step);
    };
    store.for_each_row_with_firsts([&](std::string_view key, std::string_view row, std::string_view firsts) {
        if (threads <= 1) {
            if (share != nullptr && most > 1 && ++alone % batch_employees == 0)
                ask(); // (a thread another evaluation gave back, say)
            if (threads <= 1) {
                here_alone(key, row, firsts);
                return;
            }
        }
        if (helped) {
            if (reading_own) {
                if (own->size() < own_share) {
                    own->add(key, row, firsts);
                    return;
                }
                reading_own = false;
                push_own();
            }
            batch->add(key, row, firsts);
            if (batch->size() == batch_employees) {
                helpers.submit(std::move(batch));
                batch = helpers.spare();
                if (++filled == threads - 1) { // a batch for each helper: the cycle is read
                    if (owns.size() > own_lag)
                        run_own();
                    filled = 0;
                    reading_own = true;
                }
            }
            return;
        }
        if (batch->size() == batch_employees) {
            helped = helpers.start(threads, here, as_of, schemes, packs, wording, sink, packed);
            if (!helped) { // no thread to be had: go on here
                threads = 1;
                taken.give_back();
                share = nullptr; // (not asked again)
                batch->run(here, true, false);
                batch->hand_on(sink, packed);
                batch->reset();
                here_alone(key, row, firsts);
                return;
            }
            helpers.submit(std::move(batch));
            batch = helpers.spare();
            own->add(key, row, firsts); // (the first cycle: the calling thread's employees after that batch)
            return;
        }
        batch->add(key, row, firsts);
    }, evaluation.concerning_schemes());
    if (helped) {
        if (reading_own)
            push_own(); // every batch submitted comes before the calling thread's employees being read
        while (!owns.empty())
            run_own();
        if (batch->size() > 0)
            helpers.submit(std::move(batch));
        helpers.drain();
        helpers.stop();
        taken.give_back();
        helpers.each_evaluation([&](Evaluation &theirs) { evaluation.absorb(theirs); });
    } else if (batch->size() > 0) {
        batch->run(here, true, false);
        batch->hand_on(sink, packed);
    }
    FindingList employer_level;
    evaluation.finish(employer_level);
    sort_findings(employer_level);
    sink({}, employer_level);
}

} // namespace jobcoach::rules
