// AWS IAM authorization details (JSON), with their policy documents.
#include "fuzz_support.hpp"
#include "twinrisk/io/aws_iam.hpp"

TWINRISK_FUZZ_TARGET(aws, twinrisk_fuzz::import_one(twinrisk::aws_iam_importer(), input, "fuzz.json"))
