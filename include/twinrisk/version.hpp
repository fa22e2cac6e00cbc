#pragma once
/// twinrisk's version: the one place it is stated (CMake reads these three lines).
#define TWINRISK_VERSION_MAJOR 0
#define TWINRISK_VERSION_MINOR 1
#define TWINRISK_VERSION_PATCH 0

namespace twinrisk {

/// The library version as "major.minor.patch".
inline constexpr const char* version_string = "0.1.0";

/// Version of the native `*.twin.json` format written by this library (the `"twinrisk"` field).
inline constexpr int twin_format_version = 1;

}  // namespace twinrisk
