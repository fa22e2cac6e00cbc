// GCP IAM: Cloud Asset Inventory exports (array, JSON Lines) and bare policies.
#include "fuzz_support.hpp"
#include "twinrisk/io/gcp.hpp"

TWINRISK_FUZZ_TARGET(gcp, twinrisk_fuzz::import_one(twinrisk::gcp_importer({.resource = "projects/fuzz"}), input, "fuzz.json"))
