#pragma once
/// How parallel algorithms run: `seq` (the serial reference) or `par{.max_threads = n}`, plus a
/// cancellation token. Results never depend on the choice: work is split into fixed blocks that
/// merge in block order.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

namespace twinrisk {

/// Run on the calling thread only.
struct seq_t {};
inline constexpr seq_t seq{};

/// Run on oneTBB worker threads; `max_threads` = 0 means as many as oneTBB allows (which
/// `--threads` / `tbb::global_control` may limit).
struct par {
  int max_threads = 0;
};

/// Asks a running algorithm to stop; it then returns what it has, marked as cancelled. Stops on
/// `cancel()` (from any thread or a signal handler) or once a deadline passes: a time limit for
/// any algorithm that takes a token. Algorithms check it between units of work (a block of
/// trials, a task of years, 4,096 path extensions), so a stop takes effect within milliseconds.
/// Thread-safe; copies share the state.
class cancellation_token {
 public:
  using clock = std::chrono::steady_clock;

  cancellation_token() : state_(std::make_shared<state>()) {}
  void cancel() noexcept { state_->cancelled.store(true, std::memory_order_relaxed); }
  /// Cancels once `deadline` has passed (the earlier deadline wins when set twice).
  void cancel_at(clock::time_point deadline) noexcept {
    const std::int64_t at = deadline.time_since_epoch().count();
    std::int64_t current = state_->deadline.load(std::memory_order_relaxed);
    while (at < current && !state_->deadline.compare_exchange_weak(current, at, std::memory_order_relaxed)) {
    }
  }
  void cancel_after(clock::duration limit) noexcept { cancel_at(clock::now() + limit); }

  [[nodiscard]] bool cancelled() const noexcept {
    if (state_->cancelled.load(std::memory_order_relaxed)) return true;
    if (state_->deadline.load(std::memory_order_relaxed) == no_deadline || !deadline_passed()) return false;
    state_->cancelled.store(true, std::memory_order_relaxed);
    return true;
  }
  /// Whether the stop came from the deadline (it has passed) rather than from cancel() alone.
  [[nodiscard]] bool deadline_passed() const noexcept {
    const std::int64_t at = state_->deadline.load(std::memory_order_relaxed);
    return at != no_deadline && clock::now().time_since_epoch().count() >= at;
  }

 private:
  static constexpr std::int64_t no_deadline = std::numeric_limits<std::int64_t>::max();
  struct state {
    std::atomic<bool> cancelled{false};
    std::atomic<std::int64_t> deadline{no_deadline};  // clock ticks since its epoch
  };
  std::shared_ptr<state> state_;
};

/// How far a long algorithm has got, for progress bars: it sets `total` when it starts and
/// adds to `done` as units of work finish. Read it from any thread.
struct progress_meter {
  std::atomic<std::uint64_t> done{0}, total{0};

  /// done / total in [0, 1]; 0 before the algorithm starts.
  [[nodiscard]] double fraction() const noexcept {
    const std::uint64_t t = total.load(std::memory_order_relaxed);
    return t == 0 ? 0.0 : std::min(1.0, static_cast<double>(done.load(std::memory_order_relaxed)) / static_cast<double>(t));
  }
};

namespace detail {

/// Runs `f()` on the calling thread (seq) or inside a task arena of the requested size (par).
template <class F>
void run_with(seq_t, F&& f) {
  f();
}
template <class F>
void run_with(par p, F&& f) {
  // More threads than oneTBB may use (cores, or --threads) would only draw its warning.
  const int allowed = static_cast<int>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  const int threads = std::min(p.max_threads, allowed);
  if (threads <= 0) {
    f();
  } else {
    tbb::task_arena arena(threads);
    arena.execute(f);
  }
}

template <class Exec>
inline constexpr bool is_parallel = std::is_same_v<Exec, par>;

/// Calls `body(begin, end)` over [0, n) in fixed blocks, on oneTBB workers when `parallel`.
/// Bodies that write only their own block's slots give the same result for every thread count.
template <class Body>
void for_vertex_blocks(bool parallel, std::size_t n, Body&& body) {
  if (!parallel) {
    body(std::size_t{0}, n);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096),
                    [&body](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
}

/// Calls task(i) for every i in [begin, end): on oneTBB's threads when `parallel` (each index once,
/// in any order — callers write results by index), in order on the calling thread otherwise.
template <class Index, class Task>
void for_each_index(bool parallel, Index begin, Index end, Task&& task) {
  if (parallel) {
    tbb::parallel_for(begin, end, [&task](Index i) { task(i); });
  } else {
    for (Index i = begin; i < end; ++i) task(i);
  }
}

/// for_each_index that stops handing out indices once `cancel` (may be null) fires: the tasks
/// already running finish, the rest never start — a cancelled run of 2^28 blocks does not walk
/// them all to skip them. Callers count the work done themselves.
template <class Index, class Task>
void for_each_index(bool parallel, Index begin, Index end, const cancellation_token* cancel, Task&& task) {
  if (cancel == nullptr) {
    for_each_index(parallel, begin, end, std::forward<Task>(task));
  } else if (parallel) {
    tbb::task_group_context group;
    tbb::parallel_for(
        tbb::blocked_range<Index>(begin, end),
        [&](const tbb::blocked_range<Index>& r) {
          for (Index i = r.begin(); i < r.end(); ++i) {
            if (cancel->cancelled()) {
              group.cancel_group_execution();
              return;
            }
            task(i);
          }
        },
        group);
  } else {
    for (Index i = begin; i < end && !cancel->cancelled(); ++i) task(i);
  }
}

}  // namespace detail
}  // namespace twinrisk
