#pragma once
/// Money for people: 31.50 M USD, 350.00 k, 1.20 B EUR.

#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>
#include <string_view>

namespace twinrisk {

/// `amount` with k, M or B and `digits` decimals, then the currency code when there is one.
[[nodiscard]] inline std::string format_money(double amount, std::string_view currency = {}, int digits = 2) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits);
  const double a = std::abs(amount);
  if (a >= 1e9) s << amount / 1e9 << " B";
  else if (a >= 1e6) s << amount / 1e6 << " M";
  else if (a >= 1e3) s << amount / 1e3 << " k";
  else s << amount;
  if (!currency.empty()) s << " " << currency;
  return s.str();
}

}  // namespace twinrisk
