#pragma once
// A progress bar on stderr for the long phases of a subcommand: drawn only when stderr is a
// terminal and the phase has run for more than a second, so pipes, logs and quick runs stay
// clean. A ticker thread reads a twinrisk::progress_meter that the algorithm advances.

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "twinrisk/execution.hpp"

namespace twinrisk_cli {

class progress_bar {
 public:
  /// Starts watching `meter` under `label` ("simulate", ...). Draws nothing unless stderr is a terminal.
  progress_bar(std::string label, const twinrisk::progress_meter& meter);
  /// Erases the bar and stops the ticker.
  ~progress_bar();
  progress_bar(const progress_bar&) = delete;
  progress_bar& operator=(const progress_bar&) = delete;

 private:
  void tick();
  std::string label_;
  const twinrisk::progress_meter& meter_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false, drawn_ = false;
  std::thread ticker_;
};

}  // namespace twinrisk_cli
