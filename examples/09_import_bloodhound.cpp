// What does my Active Directory look like to an attacker? A SharpHound or AzureHound collection
// (files, folders or .zip archives) becomes a twin; attack paths run on it; it goes back to
// BloodHound CE as OpenGraph. Run: 09_import_bloodhound <collection folder or files...>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "twinrisk/io/bloodhound.hpp"
#include "twinrisk/io/opengraph.hpp"
#include "twinrisk/model/assumed_scenario.hpp"
#include "twinrisk/model/node_names.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"

int main(int argc, char** argv) try {
  using namespace twinrisk;
  if (argc < 2) {
    std::cerr << "usage: 09_import_bloodhound <collection folder, .json or .zip files...>\n";
    return 2;
  }
  const std::vector<std::filesystem::path> collection(argv + 1, argv + argc);
  //! [import]
  auto [ad, summary] = import_bloodhound(collection, {.entry = bloodhound_entry_rule::enabled_users});
  std::cout << summary.to_text();  // what was read, what it became, and what could not be mapped
  auto top = k_most_probable_paths(ad, ad.entry_points(), ad.crown_jewels(), get(&edge::probability, ad), {.k = 3});
  const std::vector<std::string> name = node_labels(ad);  // JON.SNOW@NORTH.LOCAL, not a SID
  for (const attack_path& p : top.paths) std::cout << to_string(p, ad, [&](std::size_t v) { return name[v]; }) << '\n';
  twin priced = with_assumed_scenario(ad);  // a threat and losses, when the data has no money in it
  //! [import]
  //! [opengraph]
  const auto out = std::filesystem::temp_directory_path() / "twinrisk-example.opengraph.json";
  write_opengraph_file(priced, out);  // open it in BloodHound CE (File ingest)
  //! [opengraph]
  std::filesystem::remove(out);
  std::cout << priced.info().threats.size() << " assumed threat(s)\n";
  return 0;
} catch (const twinrisk::error& e) {
  std::cerr << "import_bloodhound: " << e.what() << "\n";
  return 1;
}
