#include "zip_entries.hpp"

#include <array>
#include <memory>
#include <streambuf>

#include "twinrisk/error.hpp"

#ifdef TWINRISK_CLI_HAS_LIBZIP
#include <zip.h>
#endif

namespace twinrisk_cli {

#ifdef TWINRISK_CLI_HAS_LIBZIP
namespace {

// A read-only streambuf over one open zip entry.
class zip_entry_buf : public std::streambuf {
 public:
  zip_entry_buf(zip_file_t* file, std::string name) : file_(file), name_(std::move(name)) {}
  ~zip_entry_buf() override { zip_fclose(file_); }
  zip_entry_buf(const zip_entry_buf&) = delete;
  zip_entry_buf& operator=(const zip_entry_buf&) = delete;

 protected:
  int_type underflow() override {
    const zip_int64_t n = zip_fread(file_, buffer_.data(), buffer_.size());
    if (n < 0) throw twinrisk::input_error({.file = name_}, std::string("cannot decompress: ") + zip_file_strerror(file_));
    if (n == 0) return traits_type::eof();
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(buffer_[0]);
  }

 private:
  zip_file_t* file_;
  std::string name_;
  std::array<char, 1 << 16> buffer_{};
};

}  // namespace

bool zip_supported() { return true; }

void for_each_zip_entry(const std::filesystem::path& archive, std::string_view suffix,
                        const std::function<void(std::istream&, const std::string&)>& f) {
  int err = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> z(zip_open(archive.c_str(), ZIP_RDONLY, &err), &zip_discard);
  if (!z) {
    zip_error_t e;
    zip_error_init_with_code(&e, err);
    const std::string why = zip_error_strerror(&e);
    zip_error_fini(&e);
    throw twinrisk::input_error({.file = archive.string()}, "cannot open the archive: " + why);
  }
  const zip_int64_t n = zip_get_num_entries(z.get(), 0);
  std::size_t used = 0;
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* raw = zip_get_name(z.get(), static_cast<zip_uint64_t>(i), 0);
    if (raw == nullptr) continue;
    const std::string entry = raw;
    if (entry.empty() || entry.back() == '/' || !entry.ends_with(suffix)) continue;
    const std::string name = archive.string() + ":" + entry;
    zip_file_t* file = zip_fopen_index(z.get(), static_cast<zip_uint64_t>(i), 0);
    if (file == nullptr) throw twinrisk::input_error({.file = name}, std::string("cannot open: ") + zip_strerror(z.get()));
    zip_entry_buf buf(file, name);
    std::istream in(&buf);
    in.exceptions(std::ios::badbit);  // a decompression error (thrown by underflow) is not swallowed as EOF
    f(in, name);
    ++used;
  }
  if (used == 0) throw twinrisk::input_error({.file = archive.string()}, "the archive has no " + std::string(suffix) + " files");
}

#else

bool zip_supported() { return false; }

void for_each_zip_entry(const std::filesystem::path& archive, std::string_view,
                        const std::function<void(std::istream&, const std::string&)>&) {
  throw twinrisk::input_error({.file = archive.string()},
                              "this twinrisk was built without libzip (install libzip-dev and rebuild), unzip the archive first");
}

#endif

}  // namespace twinrisk_cli
