#pragma once
// What every fuzz target shares: the input as text, and the twins the overlay readers need.
// A target calls one reader; a twinrisk::error is the expected answer to bad input, anything
// else escaping (another exception, a crash, a leak, a hang, UB) is a finding.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "twinrisk/io/twin_json.hpp"
#include "twinrisk_sample/sample_twin.hpp"

namespace twinrisk_fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// The bundled sample twin, read once.
inline const twinrisk::twin& sample() {
  static const twinrisk::twin t = twinrisk::read_twin_json(twinrisk_sample::sample_twin, "acme.twin.json");
  return t;
}

/// Streams `input` into a streaming importer (BloodHound, OpenGraph, Nessus) as one file named
/// `file`, then builds the twin.
template <class Importer>
void import_one(Importer importer, std::string_view input, const char* file) {
  std::istringstream in{std::string(input)};
  importer.add_stream(in, file);
  (void)std::move(importer).finish();
}

}  // namespace twinrisk_fuzz

/// Defines the fuzz entry point around `body`, which reads `input` (a std::string_view).
#define TWINRISK_FUZZ_TARGET(body)                                                        \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {     \
    [[maybe_unused]] const std::string_view input = twinrisk_fuzz::text(data, size);      \
    try {                                                                                  \
      body;                                                                                \
    } catch (const twinrisk::error&) {                                                     \
    }                                                                                      \
    return 0;                                                                              \
  }
