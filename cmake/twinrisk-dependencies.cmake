# twinrisk's dependencies, all from Debian 12 packages (see cmake/setup-debian.sh); nothing is
# downloaded. The installed package config (twinrisk-config.cmake) finds the same ones.
include(GNUInstallDirs)
find_package(Boost 1.74 REQUIRED)                 # Boost::headers (Boost.Graph is header-only here)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)       # Eigen3::Eigen
find_package(TBB 2021 REQUIRED CONFIG)            # TBB::tbb
find_package(nlohmann_json 3.11 REQUIRED CONFIG)  # nlohmann_json::nlohmann_json
find_package(EXPAT 2.2 REQUIRED)                  # EXPAT::EXPAT: streaming XML for scan reports (io/nessus.hpp)
