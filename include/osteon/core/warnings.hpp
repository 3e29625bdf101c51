#pragma once
/// @file
/// osteon's one warning channel (torch-free). Every warning the library gives — MONAI's
/// single-channel notes in the losses, for instance — goes through `osteon::warn`, and the
/// application decides where it lands: the default handler writes each distinct message once to
/// stderr; `set_warning_handler` routes them elsewhere (a logger, a test's list, or — as the
/// Python module does — Python's `warnings.warn`, so that they are `UserWarning`s that
/// `warnings.catch_warnings` and `pytest.warns` see).
///
/// The handler is called on the thread that warns, outside the channel's lock, so a handler may
/// block (the Python one takes the GIL) or throw (the exception leaves the warning call site).

#include <functional>
#include <iostream>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "osteon/core/check.hpp"

namespace osteon {

/// Receives one warning message (no trailing newline).
using WarningHandler = std::function<void(const std::string& message)>;

namespace detail {

struct WarningChannel {
  std::mutex mutex;
  WarningHandler handler;           ///< empty: the default handler
  std::set<std::string> printed;    ///< messages the default handler already wrote
};

inline WarningChannel& warning_channel() {
  static WarningChannel channel;
  return channel;
}

}  // namespace detail

/// The default handler: writes `osteon warning: <message>` to std::cerr, each distinct message
/// once per process (a loss that warns on every batch prints one line, not one per batch).
inline void default_warning_handler(const std::string& message) {
  auto& channel = detail::warning_channel();
  {
    std::lock_guard<std::mutex> lock(channel.mutex);
    if (!channel.printed.insert(message).second) return;
  }
  std::cerr << "osteon warning: " << message << '\n';
}

/// Routes every later warning to `handler` (an empty function restores the default) and returns
/// the handler that was set before, so that a caller can put it back.
///
/// Example:
///   std::vector<std::string> seen;
///   auto previous = osteon::set_warning_handler([&](const std::string& m) { seen.push_back(m); });
///   osteon::warn("dice_loss: single-channel prediction, softmax=true ignored");
///   osteon::set_warning_handler(previous);
inline WarningHandler set_warning_handler(WarningHandler handler) {
  auto& channel = detail::warning_channel();
  std::lock_guard<std::mutex> lock(channel.mutex);
  std::swap(channel.handler, handler);
  return handler;
}

/// Gives one warning through the current handler; the parts are streamed as by
/// `OSTEON_CHECK_ARG` (floating-point values in their shortest round-trip form).
///
/// Example:
///   osteon::warn("focal_loss: use_softmax=true with a single channel gives 0");
template <typename... Parts>
void warn(const Parts&... parts) {
  const std::string message = detail::concat(parts...);
  WarningHandler handler;
  {
    auto& channel = detail::warning_channel();
    std::lock_guard<std::mutex> lock(channel.mutex);
    handler = channel.handler;
  }
  if (handler) handler(message);
  else default_warning_handler(message);
}

/// Sets a handler for the lifetime of a scope and restores the previous one after it.
///
/// Example:
///   int count = 0;
///   {
///     osteon::ScopedWarningHandler quiet([&](const std::string&) { ++count; });
///     osteon::warn("counted, not printed");
///   }
class ScopedWarningHandler {
 public:
  explicit ScopedWarningHandler(WarningHandler handler) : previous_(set_warning_handler(std::move(handler))) {}
  ~ScopedWarningHandler() { set_warning_handler(std::move(previous_)); }
  ScopedWarningHandler(const ScopedWarningHandler&) = delete;
  ScopedWarningHandler& operator=(const ScopedWarningHandler&) = delete;

 private:
  WarningHandler previous_;
};

}  // namespace osteon
