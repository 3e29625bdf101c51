#pragma once
/// @file
/// Atomic file replacement for everything osteon saves (split manifests, state dicts, checkpoints,
/// reports): the bytes go to a temporary file of a unique name in the target's folder, which is
/// flushed to disk and then renamed over the target, so a crash, a kill, a full disk or a second
/// writer never leaves a torn file behind: a reader sees the previous file or the new one, whole.
///
/// The protocol (POSIX; see docs/reliability.md):
///   1. remove the temporaries of earlier writers of the same target that died (SIGKILL, power
///      loss) before they could clean up: `.<name>.<pid>.<random>.tmp` whose pid is not alive;
///   2. create `.<name>.<pid>.<random>.tmp` (O_CREAT | O_EXCL, mode 0666 & ~umask) and write it;
///   3. fsync it, rename(2) it over `<name>` (atomic within one file system), fsync the folder so
///      the rename itself survives a power loss;
///   4. on any failure — the writer throws, a write fails (ENOSPC), fsync or rename fails — the
///      temporary is removed and the target keeps its previous contents.
/// Two processes writing one path concurrently each write their own temporary; the last rename
/// wins and the file is always one writer's complete output.

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#define OSTEON_ATOMIC_FILE_POSIX 1
#endif

#include "osteon/core/check.hpp"

namespace osteon {
namespace detail {

/// Suffix shared by every temporary file of write_file_atomically.
inline constexpr const char* temporary_suffix = ".tmp";

/// `.<name>.<pid>.<random>.tmp` beside `target`: unique per process and per call.
inline std::filesystem::path temporary_name(const std::filesystem::path& target, long pid) {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint64_t process_salt = [] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device() ^
           static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }();
  // splitmix64 of salt + counter: distinct names within a process, unpredictable across processes
  std::uint64_t z = process_salt + 0x9e3779b97f4a7c15ULL * (counter.fetch_add(1) + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  static const char* hex = "0123456789abcdef";
  std::string random(16, '0');
  for (int i = 0; i < 16; ++i) random[static_cast<std::size_t>(i)] = hex[(z >> (4 * i)) & 15];
  return target.parent_path() / ("." + target.filename().string() + "." + std::to_string(pid) + "." + random +
                                 temporary_suffix);
}

/// The pid in a temporary name of `target` (`.<name>.<pid>.<16 hex>.tmp`), or -1 if `file` is not one.
inline long temporary_owner(const std::string& file, const std::string& target_name) {
  const std::string prefix = "." + target_name + ".";
  const std::size_t tail = 1 + 16 + std::char_traits<char>::length(temporary_suffix);  // ".<hex>.tmp"
  if (file.size() <= prefix.size() + tail || file.compare(0, prefix.size(), prefix) != 0) return -1;
  if (file.compare(file.size() - 4, 4, temporary_suffix) != 0) return -1;
  const std::string pid = file.substr(prefix.size(), file.size() - prefix.size() - tail);
  if (file[file.size() - tail] != '.' || pid.empty() || pid.size() > 10) return -1;
  for (std::size_t i = file.size() - tail + 1; i < file.size() - 4; ++i) {
    const char c = file[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return -1;
  }
  long value = 0;
  for (const char c : pid) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

inline bool process_alive(long pid) {
#ifdef OSTEON_ATOMIC_FILE_POSIX
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
#else
  (void)pid;
  return true;  // cannot tell: keep the file
#endif
}

#ifdef OSTEON_ATOMIC_FILE_POSIX
/// A write-only std::streambuf over a POSIX file descriptor (std::ofstream cannot fsync).
class FdWriteBuffer : public std::streambuf {
 public:
  explicit FdWriteBuffer(int fd) : fd_(fd), buffer_(1 << 16) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* data, std::streamsize n) override {
    if (n >= static_cast<std::streamsize>(buffer_.size())) {  // large records: straight through
      if (!drain() || !write_all(data, static_cast<std::size_t>(n))) return 0;
      return n;
    }
    return std::streambuf::xsputn(data, n);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const auto n = static_cast<std::size_t>(pptr() - pbase());
    if (n > 0 && !write_all(pbase(), n)) return false;
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
  }
  bool write_all(const char* data, std::size_t n) {
    while (n > 0) {
      const ssize_t written = ::write(fd_, data, n);
      if (written < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        return false;
      }
      data += written;
      n -= static_cast<std::size_t>(written);
    }
    return true;
  }
  int fd_;
  std::vector<char> buffer_;
  int error_ = 0;
};

inline std::string errno_text(int error) { return std::error_code(error, std::generic_category()).message(); }
#endif

}  // namespace detail

/// Removes the temporary files that earlier calls of write_file_atomically for `path` left behind
/// when their process died (their pid in the name is not alive any more); temporaries of live
/// writers are kept. write_file_atomically calls it before each write, so leftovers of killed
/// writers do not pile up. Returns how many files it removed; never throws.
///
/// Example:
///   osteon::remove_stale_temporaries("runs/fold0/checkpoint.pt");
inline std::size_t remove_stale_temporaries(const std::string& path) noexcept {
  namespace fs = std::filesystem;
  std::size_t removed = 0;
  try {
    const fs::path target(path);
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    const std::string name = target.filename().string();
    std::error_code error;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
      const long owner = detail::temporary_owner(it->path().filename().string(), name);
      if (owner < 0 || detail::process_alive(owner)) continue;
      std::error_code ignored;
      if (fs::remove(it->path(), ignored)) ++removed;
    }
  } catch (...) {  // best effort: a folder we cannot list has nothing we could remove
  }
  return removed;
}

/// Writes `path` atomically (see the file comment): `write(std::ostream&)` fills a temporary
/// `.<name>.<pid>.<random>.tmp` in the same folder, which is fsync'ed and renamed over `path`,
/// then the folder is fsync'ed. On any failure — the writer throws, the stream fails, fsync or
/// rename fails — the temporary file is removed, `path` keeps its old contents, and
/// std::runtime_error names `function`, the path and the cause (an exception thrown by `write`
/// itself propagates unchanged).
///
/// Example:
///   osteon::write_file_atomically("split.csv", "write_manifest",
///                                 [&](std::ostream& out) { out << "sample_id,fold\n"; });
template <typename Writer>
void write_file_atomically(const std::string& path, const char* function, Writer&& write) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  OSTEON_CHECK_ARG(!path.empty() && !target.filename().empty(), function, ": cannot write to path '", path,
                   "': it names no file");
  std::error_code status_error;
  if (fs::is_directory(target, status_error)) {
    throw std::runtime_error(detail::concat(function, ": cannot write '", path, "': it is a directory"));
  }
  remove_stale_temporaries(path);
#ifdef OSTEON_ATOMIC_FILE_POSIX
  const fs::path temporary = detail::temporary_name(target, static_cast<long>(::getpid()));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int error = errno;
    throw std::runtime_error(detail::concat(function, ": cannot create a temporary file beside '", path, "': ",
                                            detail::errno_text(error)));
  }
  struct Cleanup {  // closes the descriptor, and removes the temporary unless it was renamed
    const fs::path& file;
    int fd;
    bool committed = false;
    ~Cleanup() {
      if (fd >= 0) ::close(fd);
      if (!committed) ::unlink(file.c_str());
    }
  } cleanup{temporary, fd};
  {
    detail::FdWriteBuffer buffer(fd);
    std::ostream out(&buffer);
    std::forward<Writer>(write)(out);
    out.flush();
    if (!out || buffer.error() != 0) {
      throw std::runtime_error(detail::concat(function, ": writing '", path, "' failed: ",
                                              buffer.error() != 0 ? detail::errno_text(buffer.error())
                                                                  : std::string("stream error")));
    }
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    throw std::runtime_error(detail::concat(function, ": flushing '", path, "' to disk failed: ",
                                            detail::errno_text(error)));
  }
  const int closed = ::close(fd);
  cleanup.fd = -1;
  if (closed != 0) {
    const int error = errno;
    throw std::runtime_error(detail::concat(function, ": writing '", path, "' failed: ", detail::errno_text(error)));
  }
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    const int error = errno;
    throw std::runtime_error(detail::concat(function, ": cannot replace '", path, "': ", detail::errno_text(error)));
  }
  cleanup.committed = true;
  // The rename is durable once the folder's entry is on disk (best effort: some file systems
  // refuse fsync on a directory, and the data itself is already safe).
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const int folder_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_fd >= 0) {
    ::fsync(folder_fd);
    ::close(folder_fd);
  }
#else
  const fs::path temporary = detail::temporary_name(target, 0);
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
    if (!out) throw std::runtime_error(detail::concat(function, ": cannot open a temporary file beside '", path, "'"));
    std::forward<Writer>(write)(static_cast<std::ostream&>(out));
    out.flush();
    if (!out) throw std::runtime_error(detail::concat(function, ": writing '", path, "' failed"));
  }
  std::error_code error;
  fs::rename(temporary, target, error);
  if (error) throw std::runtime_error(detail::concat(function, ": cannot replace '", path, "': ", error.message()));
  guard.committed = true;
#endif
}

}  // namespace osteon
