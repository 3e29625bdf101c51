#pragma once
// Helpers of the libFuzzer targets: read the fuzzer's bytes as doubles, labels and small integers.
// Every target calls the public API on those values and accepts only two outcomes: a result, or
// std::invalid_argument (the documented error for bad input). Anything else — another exception, a
// crash, a sanitizer report, a hang — is a finding.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <vector>

namespace osteon::fuzz {

class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return position_ >= size_; }
  std::uint8_t byte() { return position_ < size_ ? data_[position_++] : 0; }
  double number() {  // raw doubles (NaN, Inf, denormals) one time in four, small ones otherwise
    const std::uint8_t kind = byte();
    if ((kind & 3) == 0) {
      double value = 0;
      std::uint8_t raw[sizeof(double)] = {};
      for (auto& b : raw) b = byte();
      std::memcpy(&value, raw, sizeof value);
      return value;
    }
    return static_cast<double>(static_cast<std::int8_t>(byte())) / 8.0;
  }
  std::vector<double> numbers(std::size_t n) {
    std::vector<double> out;
    for (std::size_t i = 0; i < n && !empty(); ++i) out.push_back(number());
    return out;
  }
  std::vector<double> labels(std::size_t n) {  // mostly 0/1, sometimes anything
    std::vector<double> out;
    for (std::size_t i = 0; i < n && !empty(); ++i) {
      const std::uint8_t b = byte();
      out.push_back(b < 240 ? static_cast<double>(b & 1) : number());
    }
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t position_ = 0;
};

/// Runs `body`; std::invalid_argument is the documented refusal, anything else aborts (a finding).
template <typename Body>
void expect_result_or_invalid_argument(Body&& body) {
  try {
    body();
  } catch (const std::invalid_argument&) {
  } catch (const std::exception& error) {
    std::fprintf(stderr, "unexpected exception: %s\n", error.what());
    std::abort();
  }
}

}  // namespace osteon::fuzz
