#pragma once
/// @file
/// A minimal signed 128-bit integer (two's complement on two 64-bit words) for the exact balancing
/// objective: its squared deviations outgrow int64, and `__int128` is not portable (MSVC), nor is
/// floating point (FMA contraction differs between compilers), so neither would keep a split
/// identical on every platform.

#include <cstdint>

namespace osteon::detail {

struct Int128 {
  std::uint64_t high = 0;
  std::uint64_t low = 0;

  /// x² for |x| < 2^63.
  static Int128 square(std::int64_t x) {
    const std::uint64_t magnitude = x < 0 ? 0 - static_cast<std::uint64_t>(x) : static_cast<std::uint64_t>(x);
    const std::uint64_t a_low = magnitude & 0xffffffffu;
    const std::uint64_t a_high = magnitude >> 32u;
    const std::uint64_t low_low = a_low * a_low;
    const std::uint64_t cross = a_low * a_high;  // appears twice
    const std::uint64_t high_high = a_high * a_high;
    // magnitude² = high_high·2^64 + 2·cross·2^32 + low_low, carried word by word.
    const std::uint64_t middle = (low_low >> 32u) + (cross & 0xffffffffu) * 2u;
    Int128 out;
    out.low = (low_low & 0xffffffffu) | (middle << 32u);
    out.high = high_high + (cross >> 32u) * 2u + (middle >> 32u);
    return out;
  }

  friend Int128 operator+(Int128 a, Int128 b) {
    Int128 out;
    out.low = a.low + b.low;
    out.high = a.high + b.high + (out.low < a.low ? 1u : 0u);
    return out;
  }
  friend Int128 operator-(Int128 a, Int128 b) {
    Int128 out;
    out.low = a.low - b.low;
    out.high = a.high - b.high - (a.low < b.low ? 1u : 0u);
    return out;
  }
  friend bool operator<(Int128 a, Int128 b) {
    const auto a_high = static_cast<std::int64_t>(a.high);
    const auto b_high = static_cast<std::int64_t>(b.high);
    return a_high != b_high ? a_high < b_high : a.low < b.low;
  }
  bool is_negative() const { return static_cast<std::int64_t>(high) < 0; }
};

}  // namespace osteon::detail
