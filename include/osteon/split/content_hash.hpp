#pragma once
/// @file
/// A stable content hash of the inputs of a split (sample ids, labels, groups, strata), written
/// into manifests so that a manifest is never applied to other data.
///
/// Hash: FNV-1a 64 (Fowler, Noll & Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3) over
/// this byte stream, every field written as `<decimal byte length>:<bytes>` so no field can run
/// into the next:
///   field("osteon-split-v1"), field(n_samples), field(n_strata_keys),
///   then for each sample: field(id), field(label), field(group), field(key_1) … field(key_m).
/// Numbers become text: integers exactly (std::to_string), floating-point values as integers when
/// integral ("0", "1"), else with printf("%.17g"), so 1 and 1.0 hash alike. The hash is written as "fnv1a64:" + 16 lowercase hex digits.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::split {

/// The inputs of a split as text, the form manifests store and hash.
struct CohortRecord {
  std::vector<std::string> sample_ids;           ///< one per sample, e.g. image file names
  std::vector<std::string> labels;               ///< label_text(y[i])
  std::vector<std::string> groups;               ///< patient / hip id, or the sample id itself
  std::vector<std::vector<std::string>> strata;  ///< extra stratification keys, one column each
};

/// Canonical text of a numeric label: integral values as integers, others with 17 digits.
///
/// Example:
///   osteon::split::label_text(1.0);  // "1"
///   osteon::split::label_text(0.5);  // "0.5"
inline std::string label_text(double value) {
  OSTEON_CHECK_ARG(std::isfinite(value), "label_text: label is not finite (", value, ")");
  // std::to_chars, not snprintf: the bytes (and so the hash) must not depend on the C locale.
  char buffer[32];
  std::to_chars_result written{};
  if (value == std::floor(value) && std::fabs(value) < 9.0e15) {
    written = std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(value));
  } else {
    written = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 17);  // as %.17g
  }
  return std::string(buffer, written.ptr);
}

namespace detail {

/// Text of one id or key: strings as they are, integers exactly (64-bit ids stay distinct),
/// floating-point values as label_text.
template <typename T>
std::string to_text(const T& value) {
  if constexpr (std::is_integral_v<T>) {
    return std::to_string(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    return label_text(static_cast<double>(value));
  } else {
    return std::string(value);
  }
}

template <typename Iterable>
std::vector<std::string> texts(const Iterable& values) {
  std::vector<std::string> out;
  for (const auto& value : values) out.push_back(to_text(value));
  return out;
}

class Fnv1a64 {
 public:
  void bytes(std::string_view data) {
    for (const char byte : data) {
      hash_ ^= static_cast<unsigned char>(byte);
      hash_ *= 0x100000001b3ULL;
    }
  }
  void field(std::string_view data) {
    bytes(std::to_string(data.size()));
    bytes(":");
    bytes(data);
  }
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace detail

/// Builds the record of a cohort from ids, numeric labels, groups (any ids) and integer strata.
///
/// Example:
///   auto record = osteon::split::cohort_record(image_names, outcome, hip_ids);
template <typename Ids, typename Labels, typename Groups>
CohortRecord cohort_record(const Ids& sample_ids, const Labels& y, const Groups& groups,
                           const std::vector<std::vector<std::int64_t>>& strata = {}) {
  CohortRecord record;
  record.sample_ids = detail::texts(sample_ids);
  record.labels = detail::texts(y);
  record.groups = detail::texts(groups);
  for (const auto& key : strata) record.strata.push_back(detail::texts(key));
  return record;
}

/// "fnv1a64:<16 hex digits>" of a record (see the file comment for the exact byte stream).
/// Throws if the columns differ in length.
///
/// Example:
///   std::string hash = osteon::split::content_hash(record);
inline std::string content_hash(const CohortRecord& record) {
  const std::size_t n = record.sample_ids.size();
  OSTEON_CHECK_ARG(record.labels.size() == n, "content_hash: labels must have one entry per sample: ",
                   record.labels.size(), " labels, ", n, " sample ids");
  OSTEON_CHECK_ARG(record.groups.size() == n, "content_hash: groups must have one entry per sample: ",
                   record.groups.size(), " groups, ", n, " sample ids");
  for (std::size_t key = 0; key < record.strata.size(); ++key) {
    OSTEON_CHECK_ARG(record.strata[key].size() == n, "content_hash: strata[", key, "] must have one entry per ",
                     "sample: ", record.strata[key].size(), " values, ", n, " sample ids");
  }
  detail::Fnv1a64 hasher;
  hasher.field("osteon-split-v1");
  hasher.field(std::to_string(n));
  hasher.field(std::to_string(record.strata.size()));
  for (std::size_t i = 0; i < n; ++i) {
    hasher.field(record.sample_ids[i]);
    hasher.field(record.labels[i]);
    hasher.field(record.groups[i]);
    for (const auto& key : record.strata) hasher.field(key[i]);
  }
  char text[32];
  std::snprintf(text, sizeof text, "fnv1a64:%016llx", static_cast<unsigned long long>(hasher.value()));
  return text;
}

}  // namespace osteon::split
