#pragma once
/// @file
/// The "software" block of a report: osteon's version and those of the libraries compiled in, as
/// name / version pairs. A program that links more (LibTorch, PLplot) appends its own entries.

#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <boost/version.hpp>
#include <nlohmann/json.hpp>

#include "osteon/core/check.hpp"

#if __has_include("osteon/version.hpp")
#include "osteon/version.hpp"
#endif

#ifndef OSTEON_PROJECT_VERSION
#define OSTEON_PROJECT_VERSION "0.1.0"  // CMake passes the project version on osteon::report
#endif

namespace osteon::report {

/// Name / version pairs, in the order they are printed.
using SoftwareVersions = std::vector<std::pair<std::string, std::string>>;

/// The versions known at compile time: osteon, the C++ compiler and standard, Eigen, Boost,
/// nlohmann-json.
///
/// Example:
///   auto versions = osteon::report::compiled_software_versions();  // versions[0] == {"osteon", "0.1.0"}
inline SoftwareVersions compiled_software_versions() {
  SoftwareVersions versions;
  versions.emplace_back("osteon", OSTEON_PROJECT_VERSION);
#if defined(__clang__)
  versions.emplace_back("compiler", std::string("clang ") + __clang_version__);
#elif defined(__GNUC__)
  versions.emplace_back("compiler", osteon::detail::concat("g++ ", __GNUC__, ".", __GNUC_MINOR__, ".", __GNUC_PATCHLEVEL__));
#endif
  versions.emplace_back("C++ standard", std::to_string(__cplusplus));
  versions.emplace_back("Eigen", osteon::detail::concat(EIGEN_WORLD_VERSION, ".", EIGEN_MAJOR_VERSION, ".", EIGEN_MINOR_VERSION));
  versions.emplace_back("Boost", osteon::detail::concat(BOOST_VERSION / 100000, ".", BOOST_VERSION / 100 % 1000, ".",
                                                        BOOST_VERSION % 100));
  versions.emplace_back("nlohmann-json", osteon::detail::concat(NLOHMANN_JSON_VERSION_MAJOR, ".", NLOHMANN_JSON_VERSION_MINOR,
                                                                ".", NLOHMANN_JSON_VERSION_PATCH));
  return versions;
}

}  // namespace osteon::report
