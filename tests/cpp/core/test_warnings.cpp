#include <osteon/core/warnings.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

TEST_CASE("warn goes to the handler that is set, and set_warning_handler returns the previous one") {
  std::vector<std::string> seen;
  auto previous = osteon::set_warning_handler([&](const std::string& m) { seen.push_back(m); });
  osteon::warn("dice_loss: single-channel prediction, softmax=true ignored");
  osteon::warn("level ", 0.95, " and n ", 3);
  auto mine = osteon::set_warning_handler(previous);
  CHECK(static_cast<bool>(mine));
  CHECK(seen == std::vector<std::string>{"dice_loss: single-channel prediction, softmax=true ignored",
                                         "level 0.95 and n 3"});
}

TEST_CASE("ScopedWarningHandler restores the outer handler; a throwing handler throws at the call site") {
  int outer = 0, inner = 0;
  osteon::ScopedWarningHandler outer_scope([&](const std::string&) { ++outer; });
  {
    osteon::ScopedWarningHandler inner_scope([&](const std::string&) { ++inner; });
    osteon::warn("a");
  }
  osteon::warn("b");
  CHECK(inner == 1);
  CHECK(outer == 1);
  osteon::ScopedWarningHandler strict([](const std::string& m) { throw std::runtime_error(m); });
  CHECK_THROWS_WITH_AS(osteon::warn("as error"), "as error", std::runtime_error);
}

TEST_CASE("the default handler prints each distinct message once") {
  osteon::ScopedWarningHandler to_default(nullptr);
  osteon::warn("osteon test: printed once");
  osteon::warn("osteon test: printed once");
  auto& channel = osteon::detail::warning_channel();
  CHECK(channel.printed.count("osteon test: printed once") == 1);
}
