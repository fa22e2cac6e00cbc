#pragma once
// The loss model the money subcommands (`loss`, `plan`) share: the twin's threats and assets.

#include "cli_common.hpp"
#include "twinrisk/risk/simulate_loss.hpp"

namespace twinrisk_cli {

/// The loss model of a loaded twin. Throws: twinrisk::input_error when it states no threats or
/// no node states a loss (nothing to simulate).
twinrisk::loss_model checked_loss_model(const loaded_twin& loaded);

}  // namespace twinrisk_cli
