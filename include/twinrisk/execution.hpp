#pragma once
/// How parallel algorithms run: `seq` (the serial reference) or `par{.max_threads = n}`, plus a
/// cancellation token. Results never depend on the choice: work is split into fixed blocks that
/// merge in block order.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace twinrisk {

/// Run on the calling thread only.
struct seq_t {};
inline constexpr seq_t seq{};

/// Run on oneTBB worker threads; `max_threads` = 0 means as many as oneTBB allows (which
/// `--threads` / `tbb::global_control` may limit).
struct par {
  int max_threads = 0;
};

/// Asks a running algorithm to stop; it then returns what it has, marked as cancelled.
/// Thread-safe; copies share the flag.
class cancellation_token {
 public:
  cancellation_token() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  void cancel() noexcept { flag_->store(true, std::memory_order_relaxed); }
  [[nodiscard]] bool cancelled() const noexcept { return flag_->load(std::memory_order_relaxed); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
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

}  // namespace detail
}  // namespace twinrisk
