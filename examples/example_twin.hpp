#pragma once
// The twin every example runs on: the file given as first argument, else the bundled sample
// (examples/data/acme.twin.json, compiled in so examples run from any folder).

#include <string>

#include "twinrisk/io/load.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk_sample/sample_twin.hpp"

namespace twinrisk_examples {

inline twinrisk::twin example_twin(int argc, char** argv) {
  if (argc > 1) return twinrisk::load_twin(argv[1]);
  return twinrisk::parse_twin_json(twinrisk_sample::sample_twin, std::string(twinrisk_sample::sample_twin_file));
}

}  // namespace twinrisk_examples
