#pragma once
/// @file
/// A portable random number generator and the few draws osteon needs, so that a seed gives the
/// same split and the same bootstrap on every platform and compiler. std::shuffle and the
/// std::*_distribution classes are implementation-defined, so none of them is used.

#include <cmath>
#include <cstdint>
#include <iterator>
#include <utility>

namespace osteon {

/// PCG32 (O'Neill 2014, "PCG: A Family of Simple Fast Space-Efficient Statistically Good
/// Algorithms for Random Number Generation", XSH-RR variant), seeded through splitmix64 so that
/// nearby seeds (0, 1, 2, ...) give unrelated streams.
///
/// Example:
///   osteon::Pcg32 rng(42);
///   uint32_t word = rng();                 // raw 32 bits
///   uint64_t die = rng.uniform_below(6);   // 0..5, unbiased
///   double u = rng.uniform01();            // [0, 1), 53 random bits
class Pcg32 {
 public:
  using result_type = std::uint32_t;

  explicit Pcg32(std::uint64_t seed = 0, std::uint64_t stream = 0) {
    std::uint64_t mix = seed;
    const std::uint64_t initial_state = splitmix64(mix);
    seed_raw(initial_state, splitmix64_value(stream));
  }

  /// The generator of pcg32_srandom_r(initial_state, sequence) in O'Neill's reference C code,
  /// without the splitmix64 scrambling (used to check the core against the reference outputs).
  static Pcg32 from_raw_state(std::uint64_t initial_state, std::uint64_t sequence) {
    Pcg32 rng;
    rng.seed_raw(initial_state, sequence);
    return rng;
  }

  /// The generator's whole state (state, increment), to checkpoint it; from_state restores it,
  /// so the restored generator continues the same sequence.
  ///
  /// Example:
  ///   auto [state, increment] = rng.raw_state();
  ///   auto copy = osteon::Pcg32::from_state(state, increment);  // copy() == rng()
  std::pair<std::uint64_t, std::uint64_t> raw_state() const { return {state_, increment_}; }

  /// The generator whose raw_state() is (state, increment); increment must be odd.
  static Pcg32 from_state(std::uint64_t state, std::uint64_t increment) {
    Pcg32 rng;
    rng.state_ = state;
    rng.increment_ = increment | 1u;
    return rng;
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return 0xffffffffu; }

  result_type operator()() {
    const std::uint64_t old_state = state_;
    state_ = old_state * kMultiplier + increment_;
    const auto xorshifted = static_cast<std::uint32_t>(((old_state >> 18u) ^ old_state) >> 27u);
    const auto rotation = static_cast<std::uint32_t>(old_state >> 59u);
    return (xorshifted >> rotation) | (xorshifted << ((32u - rotation) & 31u));
  }

  /// 64 random bits from two draws.
  std::uint64_t next64() {
    const std::uint64_t high = (*this)();
    return (high << 32u) | (*this)();
  }

  /// Uniform integer in [0, bound), unbiased (Lemire 2019, "Fast random integer generation in an
  /// interval", with rejection). `bound` must be positive.
  std::uint64_t uniform_below(std::uint64_t bound) {
    if (bound <= 0xffffffffu) {
      const auto bound32 = static_cast<std::uint32_t>(bound);
      std::uint64_t product = static_cast<std::uint64_t>((*this)()) * bound32;
      auto low = static_cast<std::uint32_t>(product);
      if (low < bound32) {
        const std::uint32_t threshold = (0u - bound32) % bound32;
        while (low < threshold) {
          product = static_cast<std::uint64_t>((*this)()) * bound32;
          low = static_cast<std::uint32_t>(product);
        }
      }
      return product >> 32u;
    }
    // Wide bounds (> 2^32 samples) are rare: plain rejection on 64 bits.
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
    std::uint64_t draw = next64();
    while (draw >= limit) draw = next64();
    return draw % bound;
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next64() >> 11u) * 0x1.0p-53; }

  /// Standard normal draw (Box–Muller, one of the pair; Box & Muller 1958). Exact up to the
  /// platform's std::log / std::cos, which may differ in the last bit.
  double standard_normal() {
    const double u = 1.0 - uniform01();  // (0, 1]: log(u) is finite
    const double v = uniform01();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }

 private:
  static constexpr std::uint64_t kMultiplier = 6364136223846793005ULL;

  void seed_raw(std::uint64_t initial_state, std::uint64_t sequence) {
    state_ = 0;
    increment_ = (sequence << 1u) | 1u;
    (*this)();
    state_ += initial_state;
    (*this)();
  }

  static std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30u)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27u)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31u);
  }
  static std::uint64_t splitmix64_value(std::uint64_t value) { return splitmix64(value); }

  std::uint64_t state_ = 0;
  std::uint64_t increment_ = 1;
};

/// Fisher–Yates shuffle with Pcg32: the same permutation for the same seed everywhere.
///
/// Example:
///   std::vector<int> ids{0, 1, 2, 3};
///   osteon::Pcg32 rng(7);
///   osteon::shuffle(ids.begin(), ids.end(), rng);
template <typename RandomIt>
void shuffle(RandomIt first, RandomIt last, Pcg32& rng) {
  const auto count = static_cast<std::uint64_t>(std::distance(first, last));
  for (std::uint64_t i = count; i > 1; --i) {
    const std::uint64_t j = rng.uniform_below(i);
    using std::swap;
    swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
  }
}

}  // namespace osteon
