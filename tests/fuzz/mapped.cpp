// Mapped inventories: a mapping file and one data file in one input, split at the first line
// "---" (the mapping alone when there is none). Sources without "files" take the data.
#include "fuzz_support.hpp"
#include "twinrisk/io/mapped.hpp"

namespace twinrisk_fuzz {

inline void import_mapped(std::string_view input) {
  const std::size_t cut = input.find("\n---\n");
  twinrisk::mapped_importer importer(twinrisk::parse_mapping(input.substr(0, cut), "fuzz.mapping.json"));
  if (cut != std::string_view::npos) import_one(std::move(importer), input.substr(cut + 5), "fuzz");
}

}  // namespace twinrisk_fuzz

TWINRISK_FUZZ_TARGET(mapped, twinrisk_fuzz::import_mapped(input))
