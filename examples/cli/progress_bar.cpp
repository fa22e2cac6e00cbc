#include "progress_bar.hpp"

#include <chrono>
#include <cstdio>

#include <unistd.h>

namespace twinrisk_cli {

progress_bar::progress_bar(std::string label, const twinrisk::progress_meter& meter) : label_(std::move(label)), meter_(meter) {
  if (isatty(STDERR_FILENO) == 1) ticker_ = std::thread([this] { tick(); });
}

progress_bar::~progress_bar() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  if (drawn_) std::fprintf(stderr, "\r\033[K");  // leave the terminal as it was
}

void progress_bar::tick() {
  using namespace std::chrono_literals;
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, 200ms, [this] { return stop_; })) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed < 1.0) continue;
    const double f = meter_.fraction();
    constexpr int width = 30;
    const int filled = static_cast<int>(f * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    const double left = f > 0.01 ? elapsed * (1 - f) / f : 0.0;
    std::fprintf(stderr, "\r%s [%s] %3.0f%%  %.0f s left \033[K", label_.c_str(), bar.c_str(), 100 * f, left);
    std::fflush(stderr);
    drawn_ = true;
  }
}

}  // namespace twinrisk_cli
