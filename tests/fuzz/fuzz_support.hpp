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
#include <vector>

#include "twinrisk/io/twin_json.hpp"
#include "twinrisk_sample/sample_twin.hpp"

namespace twinrisk_fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A fuzz target: calls one reader on `input`.
using target_function = void (*)(std::string_view input);

/// The targets compiled into this binary, by name.
inline std::vector<std::pair<std::string_view, target_function>>& targets() {
  static std::vector<std::pair<std::string_view, target_function>> all;
  return all;
}

/// Registers a target at start-up (TWINRISK_FUZZ_TARGET).
struct registration {
  registration(std::string_view name, target_function run) { targets().emplace_back(name, run); }
};

/// The bundled sample twin, read once.
inline const twinrisk::twin& sample() {
  static const twinrisk::twin t = twinrisk::parse_twin_json(twinrisk_sample::sample_twin, "acme.twin.json");
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

/// Defines the fuzz target NAME around `body`, which reads `input` (a std::string_view), and
/// registers it for tests/fuzz/entry_point.cpp, which runs the one a binary is named after.
#define TWINRISK_FUZZ_TARGET(name, body)                                                   \
  namespace twinrisk_fuzz::target_##name {                                                 \
  void run([[maybe_unused]] std::string_view input) {                                       \
    try {                                                                                   \
      body;                                                                                 \
    } catch (const twinrisk::error&) {                                                      \
    }                                                                                       \
  }                                                                                         \
  const registration registered(#name, &run);                                               \
  }
