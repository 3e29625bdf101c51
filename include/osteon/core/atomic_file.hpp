#pragma once
/// @file
/// Atomic file replacement for everything osteon saves (split manifests, checkpoints): the bytes go
/// to a temporary file beside the target, which replaces the target only once it is complete, so a
/// crash or a full disk never leaves a half-written manifest or checkpoint behind.

#include <filesystem>
#include <fstream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "osteon/core/check.hpp"

namespace osteon {

/// Writes `path` atomically: `write(std::ostream&)` fills `<path>.partial` (same directory, so the
/// final std::filesystem::rename is atomic on POSIX file systems), which then replaces `path`. On
/// any failure — the writer throws, the stream fails, the rename fails — the temporary file is
/// removed, `path` keeps its old contents, and std::runtime_error names `function` and the cause.
///
/// Example:
///   osteon::write_file_atomically("split.csv", "write_manifest",
///                                 [&](std::ostream& out) { out << "sample_id,fold\n"; });
template <typename Writer>
void write_file_atomically(const std::string& path, const char* function, Writer&& write) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  fs::path temporary = target;
  temporary += ".partial";
  struct RemoveUnlessCommitted {
    const fs::path& file;
    bool committed = false;
    ~RemoveUnlessCommitted() {
      if (committed) return;
      std::error_code ignored;
      fs::remove(file, ignored);
    }
  } guard{temporary};
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(detail::concat(function, ": cannot open '", temporary.string(), "' for writing"));
    std::forward<Writer>(write)(static_cast<std::ostream&>(out));
    out.flush();
    if (!out) throw std::runtime_error(detail::concat(function, ": writing '", temporary.string(), "' failed"));
  }
  std::error_code error;
  fs::rename(temporary, target, error);
  if (error) {
    throw std::runtime_error(detail::concat(function, ": cannot replace '", path, "': ", error.message()));
  }
  guard.committed = true;
}

}  // namespace osteon
