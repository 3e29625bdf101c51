#pragma once
/// @file
/// Whole-buffer gzip for `.nii.gz`: libdeflate (about twice zlib's inflate speed) with the output
/// size taken from the gzip trailer, and zlib's streaming inflate as the fallback for what
/// libdeflate's one-shot call cannot take (several gzip members, data over 4 GiB whose trailer
/// size wrapped, a trailer that a truncated file no longer has).

#include <libdeflate.h>
#include <zlib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "osteon/io/detail/image_file.hpp"

namespace osteon::io::detail {

inline bool is_gzip(const unsigned char* bytes, std::size_t size) {
  return size >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;
}

/// zlib streaming inflate of every gzip member; throws naming the file on corrupt or truncated data.
inline std::vector<unsigned char> gunzip_streaming(const std::vector<unsigned char>& compressed, const char* function,
                                                   const std::string& path) {
  std::vector<unsigned char> out(std::max<std::size_t>(compressed.size() * 4, 1 << 16));
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) fail_file(function, path, "zlib could not start");
  struct End {
    z_stream& s;
    ~End() { inflateEnd(&s); }
  } end{stream};
  stream.next_in = const_cast<Bytef*>(compressed.data());
  std::size_t consumed = 0, produced = 0;
  while (true) {
    if (produced == out.size()) out.resize(out.size() * 2);
    const std::size_t in_chunk = std::min<std::size_t>(compressed.size() - consumed, 1u << 30);
    const std::size_t out_chunk = std::min<std::size_t>(out.size() - produced, 1u << 30);
    stream.next_in = const_cast<Bytef*>(compressed.data() + consumed);
    stream.avail_in = static_cast<uInt>(in_chunk);
    stream.next_out = out.data() + produced;
    stream.avail_out = static_cast<uInt>(out_chunk);
    const int status = inflate(&stream, Z_NO_FLUSH);
    consumed += in_chunk - stream.avail_in;
    produced += out_chunk - stream.avail_out;
    if (status == Z_STREAM_END) {
      if (consumed == compressed.size()) break;
      if (inflateReset(&stream) != Z_OK) fail_file(function, path, "corrupt gzip data");
      continue;  // the next gzip member
    }
    if (status == Z_BUF_ERROR && consumed == compressed.size()) {
      fail_file(function, path, "truncated gzip data (the file ends inside the compressed stream)");
    }
    if (status != Z_OK && status != Z_BUF_ERROR) {
      fail_file(function, path, "corrupt gzip data (zlib: ", stream.msg != nullptr ? stream.msg : "error", ")");
    }
  }
  out.resize(produced);
  return out;
}

/// The decompressed bytes of a gzip file held in memory.
inline std::vector<unsigned char> gunzip(const std::vector<unsigned char>& compressed, const char* function,
                                         const std::string& path) {
  if (compressed.size() >= 18) {
    const unsigned char* tail = compressed.data() + compressed.size() - 4;
    const std::uint64_t size = std::uint64_t(tail[0]) | std::uint64_t(tail[1]) << 8 | std::uint64_t(tail[2]) << 16 |
                               std::uint64_t(tail[3]) << 24;
    // DEFLATE expands at most ~1032:1; a larger trailer size is a truncated file's stray bytes.
    if (size > 0 && size <= 1032 * std::uint64_t(compressed.size())) {
      std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> decompressor(
          libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
      if (decompressor) {
        std::vector<unsigned char> out(size);
        std::size_t in_used = 0, out_used = 0;
        const libdeflate_result result = libdeflate_gzip_decompress_ex(
            decompressor.get(), compressed.data(), compressed.size(), out.data(), out.size(), &in_used, &out_used);
        if (result == LIBDEFLATE_SUCCESS && in_used == compressed.size() && out_used == out.size()) return out;
      }
    }
  }
  return gunzip_streaming(compressed, function, path);
}

/// One gzip member of `bytes` at `level` (libdeflate levels 1-12; 6 is zlib's default ratio).
inline std::vector<unsigned char> gzip(const unsigned char* bytes, std::size_t size, int level, const char* function,
                                       const std::string& path) {
  std::unique_ptr<libdeflate_compressor, void (*)(libdeflate_compressor*)> compressor(
      libdeflate_alloc_compressor(level), libdeflate_free_compressor);
  if (!compressor) fail_file(function, path, "libdeflate could not start (compression level ", level, ")");
  std::vector<unsigned char> out(libdeflate_gzip_compress_bound(compressor.get(), size));
  const std::size_t written = libdeflate_gzip_compress(compressor.get(), bytes, size, out.data(), out.size());
  if (written == 0) fail_file(function, path, "gzip compression failed");
  out.resize(written);
  return out;
}

}  // namespace osteon::io::detail
