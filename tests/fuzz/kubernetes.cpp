// Kubernetes objects (`kubectl get -o json` Lists and single objects): one file, then the twin is built.
#include "fuzz_support.hpp"
#include "twinrisk/io/kubernetes.hpp"

TWINRISK_FUZZ_TARGET(kubernetes, twinrisk_fuzz::import_one(twinrisk::kubernetes_importer{}, input, "fuzz.json"))
