// detail::write_file_atomically: regular files are replaced whole, and nothing that is not a
// regular file (a device, a FIFO, through a symbolic link or not) is ever replaced by one.

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <string>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/detail/file_io.hpp"

namespace fs = std::filesystem;
using twinrisk::detail::write_file_atomically;

namespace {

/// Writes `text` into the FIFO at `fifo` while another thread reads it; returns what was read.
std::string write_through_fifo(const fs::path& fifo, const fs::path& target, const std::string& text) {
  auto reader = std::async(std::launch::async, [&fifo] { return twinrisk::detail::read_file(fifo); });  // blocks until a writer opens
  write_file_atomically(target, std::string_view(text));
  return reader.get();
}

}  // namespace

TEST_CASE("write_file_atomically replaces a regular file whole and leaves no temporary") {
  const auto dir = twinrisk_test::scratch_dir("file_io_regular");
  std::ofstream(dir / "out.txt") << "old content, longer than the new";
  write_file_atomically(dir / "out.txt", std::string_view("new"));
  CHECK(twinrisk::detail::read_file(dir / "out.txt") == "new");
  CHECK_FALSE(fs::exists(dir / "out.txt.tmp"));
  write_file_atomically(dir / "fresh.txt", std::string_view("made"));
  CHECK(twinrisk::detail::read_file(dir / "fresh.txt") == "made");
}

TEST_CASE("write_file_atomically follows a symbolic link: the file it names is replaced, the link stays") {
  const auto dir = twinrisk_test::scratch_dir("file_io_symlink");
  std::ofstream(dir / "real.txt") << "old";
  fs::create_symlink("real.txt", dir / "link.txt");
  write_file_atomically(dir / "link.txt", std::string_view("new"));
  CHECK(fs::is_symlink(fs::symlink_status(dir / "link.txt")));
  CHECK(twinrisk::detail::read_file(dir / "real.txt") == "new");
  CHECK_FALSE(fs::exists(dir / "real.txt.tmp"));
  CHECK_FALSE(fs::exists(dir / "link.txt.tmp"));
}

TEST_CASE("write_file_atomically writes into a FIFO in place, directly or through a symbolic link") {
  const auto dir = twinrisk_test::scratch_dir("file_io_fifo");
  REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
  CHECK(write_through_fifo(dir / "pipe", dir / "pipe", "through the pipe") == "through the pipe");
  CHECK(fs::is_fifo(fs::symlink_status(dir / "pipe")));
  CHECK_FALSE(fs::exists(dir / "pipe.tmp"));

  fs::create_symlink("pipe", dir / "link");
  CHECK(write_through_fifo(dir / "pipe", dir / "link", "via the link") == "via the link");
  CHECK(fs::is_fifo(fs::symlink_status(dir / "pipe")));
  CHECK(fs::is_symlink(fs::symlink_status(dir / "link")));
}

TEST_CASE("write_file_atomically writes into a character device in place (a null device made with mknod, as root)") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: mknod needs root");
    return;
  }
  const auto dir = twinrisk_test::scratch_dir("file_io_device");
  const fs::path null_device = dir / "null";  // the same device as /dev/null (1, 3); /dev/null itself is never touched
  REQUIRE(::mknod(null_device.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
  write_file_atomically(null_device, std::string_view("discarded"));
  CHECK(fs::is_character_file(fs::symlink_status(null_device)));
  CHECK_FALSE(fs::exists(dir / "null.tmp"));
  // A failing writer leaves the device as it was.
  CHECK_THROWS_AS(write_file_atomically(null_device, [](std::ostream&) { throw twinrisk::error("writer failed"); }),
                  twinrisk::error);
  CHECK(fs::is_character_file(fs::symlink_status(null_device)));
}
