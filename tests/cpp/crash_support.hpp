#pragma once
// Crash-safety harness shared by the atomic-file, manifest and state-dict tests: forked writers
// killed with SIGKILL at random moments, and concurrent writers on one path. After every kill
// the target must be a complete file of some version (`verify` loads it) and the only temporary
// files left are those of killed writers (which the next write removes).
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "osteon/core/atomic_file.hpp"

namespace osteon::test {

/// A new, empty folder <temp>/osteon_test_<name>_<pid> (removed first if an earlier run left it).
inline std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("osteon_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// The bytes of the file at `path` ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The temporary files of write_file_atomically for `target` now in its folder, with their pids.
inline std::vector<std::pair<std::filesystem::path, long>> temporaries_of(const std::filesystem::path& target) {
  std::vector<std::pair<std::filesystem::path, long>> found;
  for (const auto& entry : std::filesystem::directory_iterator(target.parent_path())) {
    const long pid = osteon::detail::temporary_owner(entry.path().filename().string(), target.filename().string());
    if (pid >= 0) found.emplace_back(entry.path(), pid);
  }
  return found;
}

/// What a crash run saw.
struct CrashReport {
  int kills = 0;           ///< writers killed by SIGKILL while running
  int intact_reads = 0;    ///< loads of the target after a kill that succeeded
  int leftovers_seen = 0;  ///< temporaries of killed writers found (then cleaned by the next write)
};

/// Forks `kills` writers, each calling `write(version)` in a loop with increasing versions, and
/// SIGKILLs each after a random delay in [0, max_delay_us] microseconds. After each kill,
/// `verify()` must load the target (the previous or a new complete version) and every temporary
/// left must belong to a killed (dead) pid. The target must exist before the first kill
/// (write it once first). Bounded: about kills × max_delay_us.
inline CrashReport kill_writers_at_random(const std::filesystem::path& target, int kills, int max_delay_us,
                                          const std::function<void(int version)>& write,
                                          const std::function<void()>& verify, std::uint32_t seed = 20261203) {
  CrashReport report;
  std::mt19937 random(seed);  // the test's own randomness; the library never uses <random> for results
  std::set<long> killed;
  for (int k = 0; k < kills; ++k) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      for (int version = 1;; ++version) write(k * 100000 + version);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(random() % static_cast<std::uint32_t>(max_delay_us + 1)));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ++report.kills;
    killed.insert(static_cast<long>(child));
    verify();  // throws (fails the test) if the target is torn or missing
    ++report.intact_reads;
    for (const auto& temporary : temporaries_of(target)) {  // (no structured binding: clang-14 lambdas)
      const std::string file = temporary.first.string();
      CHECK_MESSAGE(killed.count(temporary.second) == 1, "temporary of a writer that was not killed: " << file);
      ++report.leftovers_seen;
    }
  }
  return report;
}

/// Runs `writers` processes that each write the target `rounds` times (`write(writer, round)`)
/// while this process calls `verify()` in a loop; returns how many reads succeeded. Every read
/// must succeed (the file is never torn) and no temporary may be left when all have exited.
inline int concurrent_writers(const std::filesystem::path& target, int writers, int rounds,
                              const std::function<void(int writer, int round)>& write,
                              const std::function<void()>& verify) {
  std::vector<pid_t> children;
  for (int w = 0; w < writers; ++w) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      int code = 0;
      try {
        for (int r = 0; r < rounds; ++r) write(w, r);
      } catch (...) {
        code = 1;
      }
      ::_exit(code);
    }
    children.push_back(child);
  }
  int reads = 0;
  std::size_t finished = 0;
  while (finished < children.size()) {
    verify();
    ++reads;
    finished = 0;
    for (auto& child : children) {
      if (child == 0) { ++finished; continue; }
      int status = 0;
      if (::waitpid(child, &status, WNOHANG) == child) {
        CHECK_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0), "a concurrent writer failed");
        child = 0;
        ++finished;
      }
    }
  }
  verify();
  CHECK(temporaries_of(target).empty());
  return reads;
}

}  // namespace osteon::test
