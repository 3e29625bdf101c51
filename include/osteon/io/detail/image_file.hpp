#pragma once
/// @file
/// Shared pieces of the image readers: the checks every reader makes before handing a path to a
/// C library (exists, is a regular file, can be opened), an owning FILE*, and the error text
/// `"<function>: '<path>': <what>"` that every reader's exceptions use.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::io::detail {

/// std::invalid_argument("<function>: '<path>': <parts...>").
template <typename... Parts>
[[noreturn]] void fail_file(const char* function, const std::string& path, const Parts&... parts) {
  throw std::invalid_argument(::osteon::detail::concat(function, ": '", path, "': ", parts...));
}

/// Throws unless `path` names a readable regular file.
inline void require_readable_file(const char* function, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) fail_file(function, path, "no such file");
  if (fs::is_directory(status)) fail_file(function, path, "is a folder, not a file");
  if (!fs::is_regular_file(status)) fail_file(function, path, "is not a regular file");
}

/// An open FILE*, closed on destruction.
struct OpenFile {
  std::FILE* handle = nullptr;
  OpenFile(const char* function, const std::string& path, const char* mode) {
    handle = std::fopen(path.c_str(), mode);
    if (handle == nullptr) fail_file(function, path, "cannot open: ", std::strerror(errno));
  }
  ~OpenFile() {
    if (handle != nullptr) std::fclose(handle);
  }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
};

/// The first `count` bytes of the file (fewer if it is shorter).
inline std::vector<unsigned char> read_file_head(const char* function, const std::string& path, std::size_t count) {
  require_readable_file(function, path);
  OpenFile file(function, path, "rb");
  std::vector<unsigned char> head(count);
  head.resize(std::fread(head.data(), 1, count, file.handle));
  return head;
}

/// Lower-case file name ending that decides a writer's format (".nii.gz", ".png").
inline bool has_suffix(const std::string& path, const std::string& suffix) {
  if (path.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    char c = path[path.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

}  // namespace osteon::io::detail
