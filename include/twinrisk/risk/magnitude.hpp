#pragma once
/// Loss magnitude draws: an event's primary loss, plus its secondary loss with the stated
/// probability (Open FAIR's loss forms), with the distributions' parameters derived once.

#include <optional>

#include "twinrisk/model/scenario.hpp"
#include "twinrisk/sim/distributions.hpp"

namespace twinrisk {

/// A `loss_magnitude` ready for many draws. Precondition: its distributions are valid.
class prepared_magnitude {
 public:
  explicit prepared_magnitude(const loss_magnitude& m)
      : primary_(m.primary), secondary_probability_(m.secondary_probability) {
    if (m.secondary) secondary_.emplace(*m.secondary);
  }

  /// One event's loss: primary, plus secondary in a share `secondary_probability` of events.
  [[nodiscard]] double operator()(random_stream& r) const { return with_primary(primary_(r), r); }

  [[nodiscard]] const distribution_spec& primary() const noexcept { return primary_.spec(); }

  /// One event's loss whose primary part is given (drawn jointly with other assets' by a
  /// copula): `primary`, plus secondary drawn from `r` as above.
  [[nodiscard]] double with_primary(double primary, random_stream& r) const {
    if (secondary_ && r.uniform() < secondary_probability_) primary += (*secondary_)(r);
    return primary;
  }

 private:
  prepared_distribution primary_;
  std::optional<prepared_distribution> secondary_;
  double secondary_probability_;
};

}  // namespace twinrisk
