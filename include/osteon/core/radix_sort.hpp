#pragma once
/// @file
/// LSD radix sort of doubles (optionally carrying a payload), O(n) instead of O(n log n): the
/// sort dominates AUC and DeLong, and at n = 1e6 this runs several times faster than std::sort.
/// Doubles are mapped to unsigned keys that order as the doubles do (flip all bits of negatives,
/// the sign bit of positives; −0.0 is folded into +0.0 first so that equal values get equal
/// keys). NaN must be excluded by the caller. Eight passes of 8-bit digits (256 buckets keep the
/// scatter cache-friendly; measured faster here than 11- or 16-bit digits); passes whose digit is
/// the same for every key (the high exponent bits, typically) are skipped.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::detail {

/// Unsigned key with the order of the double: a < b ⇔ key(a) < key(b), a == b ⇔ key(a) == key(b).
inline std::uint64_t orderable_key(double value) {
  value += 0.0;  // −0.0 → +0.0
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  constexpr std::uint64_t sign = 0x8000000000000000ULL;
  return (bits & sign) ? ~bits : (bits | sign);
}

/// Inverse of orderable_key.
inline double from_orderable_key(std::uint64_t key) {
  constexpr std::uint64_t sign = 0x8000000000000000ULL;
  const std::uint64_t bits = (key & sign) ? (key & ~sign) : ~key;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

/// Sorts `records` ascending by `key_of(record)` (a std::uint64_t), stably.
template <typename Record, typename KeyOf>
void radix_sort(std::vector<Record>& records, KeyOf key_of) {
  constexpr int kDigitBits = 8;
  constexpr int kPasses = 8;  // 8 × 8 = 64
  constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
  const std::size_t n = records.size();
  OSTEON_CHECK_ARG(n < (std::size_t{1} << 32), "radix_sort: at most 2^32 - 1 values (32-bit bucket counts), got ", n);
  if (n < 256) {
    std::stable_sort(records.begin(), records.end(),
                     [&](const Record& a, const Record& b) { return key_of(a) < key_of(b); });
    return;
  }
  std::vector<std::array<std::uint32_t, kBuckets>> counts(kPasses);
  for (auto& histogram : counts) histogram.fill(0);
  for (const Record& record : records) {
    const std::uint64_t key = key_of(record);
    for (int pass = 0; pass < kPasses; ++pass) ++counts[pass][(key >> (pass * kDigitBits)) & (kBuckets - 1)];
  }
  std::vector<Record> buffer(n);
  for (int pass = 0; pass < kPasses; ++pass) {
    auto& histogram = counts[pass];
    if (std::any_of(histogram.begin(), histogram.end(), [n](std::uint32_t c) { return c == n; })) continue;
    std::uint32_t offset = 0;
    for (auto& count : histogram) {
      const std::uint32_t bucket_size = count;
      count = offset;
      offset += bucket_size;
    }
    const int shift = pass * kDigitBits;
    for (const Record& record : records) buffer[histogram[(key_of(record) >> shift) & (kBuckets - 1)]++] = record;
    records.swap(buffer);
  }
}

/// The order-preserving keys of NaN-free doubles, sorted: what the placement walk needs, without
/// converting back.
inline std::vector<std::uint64_t> sorted_keys(const std::vector<double>& values) {
  std::vector<std::uint64_t> keys(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) keys[i] = orderable_key(values[i]);
  if (keys.size() < 256) std::sort(keys.begin(), keys.end());
  else radix_sort(keys, [](std::uint64_t key) { return key; });
  return keys;
}

/// Sorts doubles ascending (NaN-free), in place.
inline void radix_sort_doubles(std::vector<double>& values) {
  if (values.size() < 256) {
    std::sort(values.begin(), values.end());
    return;
  }
  std::vector<std::uint64_t> keys(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) keys[i] = orderable_key(values[i]);
  radix_sort(keys, [](std::uint64_t key) { return key; });
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = from_orderable_key(keys[i]);
}

}  // namespace osteon::detail
