// Tests that read ../shared (reference data beside the project, not in it): a user's clone has
// no ../shared, so they skip and say why; CI has it, so there a missing file fails the test.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace assent::testing {

// Whether `path` (under ../shared) is missing: then the test should return, having said so,
// or having failed when the environment says it is CI (`CI` set).
inline bool shared_missing(const std::string& path) {
  if (std::filesystem::exists(path)) return false;
  if (std::getenv("CI") != nullptr)
    FAIL_CHECK(path << " is missing, and CI must have ../shared beside the project");
  else
    MESSAGE("skipped: " << path << " is absent (it lives beside the project, in ../shared)");
  return true;
}

}  // namespace assent::testing
