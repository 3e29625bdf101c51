#pragma once
/// @file
/// Argument checks for host-side code. Tensor code uses TORCH_CHECK (→ RuntimeError in Python);
/// host statistics throw std::invalid_argument (→ ValueError) with a message that names the
/// argument and echoes the value.

#include <charconv>
#include <sstream>
#include <type_traits>
#include <stdexcept>
#include <string>
#include <utility>

namespace osteon::detail {

/// Writes one part; floating-point values in their shortest round-trip form ("0.95", not
/// "0.94999999999999996"), so that a message echoes the value the user typed.
template <typename Part>
void stream_part(std::ostringstream& out, const Part& part) {
  if constexpr (std::is_floating_point_v<Part>) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), part);
    out.write(buffer, result.ptr - buffer);
  } else {
    out << part;
  }
}

/// Streams every argument into one string: `concat("n_splits must be >= 2, got ", 1)`.
template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (stream_part(out, parts), ...);
  return out.str();
}

}  // namespace osteon::detail

/// Throws std::invalid_argument with the streamed message when `cond` is false.
///
/// Example:
///   OSTEON_CHECK_ARG(level > 0 && level < 1, "auc_ci: level must be in (0, 1), got ", level);
#define OSTEON_CHECK_ARG(cond, ...)                                               \
  do {                                                                            \
    if (!(cond)) throw std::invalid_argument(::osteon::detail::concat(__VA_ARGS__)); \
  } while (false)
