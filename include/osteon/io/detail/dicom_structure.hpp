#pragma once
/// @file
/// A guard in front of GDCM: Debian's GDCM 3.0 is built with assertions, and some truncated files
/// (an element header cut in half) end the process with an assertion failure instead of a false
/// from `Reader::Read()`. `check_dicom_structure` walks the data elements — tags and lengths
/// only, sequences and encapsulated pixel data item by item — and reports the first element whose
/// header or value runs past the end of the file. It decodes nothing; GDCM still reads the file.
/// It also notes the top-level tags and the media storage class, so that files GDCM is known to
/// abort on while being valid enough (a DICOMDIR with odd offsets, a multi-frame RT Dose without
/// Number of Frames) and files without pixel data are refused before GDCM sees them.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::io::detail {

class DicomStructure {
 public:
  explicit DicomStructure(const std::vector<unsigned char>& bytes) : bytes_(bytes) {}

  /// After check(): whether the top-level data set holds `group,element`.
  bool has_top_level(std::uint16_t group, std::uint16_t element) const {
    const std::uint32_t key = std::uint32_t(group) << 16 | element;
    for (std::uint32_t tag : top_level_) {
      if (tag == key) return true;
    }
    return false;
  }
  /// After check(): Media Storage SOP Class UID (0002,0002), empty when absent.
  const std::string& media_storage() const { return media_storage_; }

  /// Empty when the structure is intact, else what is wrong.
  std::string check() {
    std::size_t offset = 0;
    if (bytes_.size() >= 132 && std::memcmp(bytes_.data() + 128, "DICM", 4) == 0) offset = 132;
    bool explicit_vr = true, big_endian = false;
    // File meta information: group 0002, always explicit VR little endian.
    while (offset + 4 <= bytes_.size() && read16(offset, false) == 0x0002) {
      const std::uint16_t element = read16(offset + 2, false);
      std::size_t value_offset = 0;
      std::uint32_t length = 0;
      if (!element_header(offset, true, false, value_offset, length)) return problem_;
      if (length == kUndefined || value_offset + length > bytes_.size()) return fail(offset, 0x0002, element);
      if (element == 0x0002) media_storage_ = trimmed_text(value_offset, length);
      if (element == 0x0010) {
        std::string syntax(reinterpret_cast<const char*>(bytes_.data() + value_offset), length);
        while (!syntax.empty() && (syntax.back() == '\0' || syntax.back() == ' ')) syntax.pop_back();
        if (syntax == "1.2.840.10008.1.2") explicit_vr = false;
        if (syntax == "1.2.840.10008.1.2.2") big_endian = true;
        if (syntax == "1.2.840.10008.1.2.1.99") return {};  // deflated: GDCM inflates and checks
      }
      offset = value_offset + length;
    }
    if (offset == 0 && bytes_.size() >= 6) {
      // No preamble / meta: guess the encoding as GDCM does, from the first element's VR bytes.
      explicit_vr = is_vr(bytes_[4], bytes_[5]);
      big_endian = read16(0, false) == 0x0800;  // group 0008 written big endian
    }
    walk(offset, bytes_.size(), explicit_vr, big_endian, 0);
    return problem_;
  }

 private:
  static constexpr std::uint32_t kUndefined = 0xFFFFFFFFu;

  std::uint16_t read16(std::size_t at, bool big) const {
    return big ? static_cast<std::uint16_t>(bytes_[at] << 8 | bytes_[at + 1])
               : static_cast<std::uint16_t>(bytes_[at] | bytes_[at + 1] << 8);
  }
  std::uint32_t read32(std::size_t at, bool big) const {
    const std::uint32_t b0 = bytes_[at], b1 = bytes_[at + 1], b2 = bytes_[at + 2], b3 = bytes_[at + 3];
    return big ? (b0 << 24 | b1 << 16 | b2 << 8 | b3) : (b0 | b1 << 8 | b2 << 16 | b3 << 24);
  }
  std::string trimmed_text(std::size_t at, std::uint32_t length) const {
    std::string text(reinterpret_cast<const char*>(bytes_.data() + at), length);
    while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.pop_back();
    return text;
  }
  static bool is_vr(unsigned char a, unsigned char b) { return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z'; }
  static bool long_vr(unsigned char a, unsigned char b) {
    static const char* const names[] = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"};
    for (const char* name : names) {
      if (a == name[0] && b == name[1]) return true;
    }
    return false;
  }
  std::string fail(std::size_t at, std::uint16_t group, std::uint16_t element) {
    if (problem_.empty()) {
      char tag[16];
      std::snprintf(tag, sizeof(tag), "(%04X,%04X)", group, element);
      problem_ = ::osteon::detail::concat("truncated or corrupt DICOM: element ", tag, " at byte ", at,
                                          " runs past the end of the file (", bytes_.size(), " bytes)");
    }
    return problem_;
  }

  /// Reads an element header at `at`; false (with problem_ set) when it does not fit.
  bool element_header(std::size_t at, bool explicit_vr, bool big, std::size_t& value_offset, std::uint32_t& length) {
    if (at + 8 > bytes_.size()) {
      fail(at, at + 2 <= bytes_.size() ? read16(at, big) : 0, at + 4 <= bytes_.size() ? read16(at + 2, big) : 0);
      return false;
    }
    const std::uint16_t group = read16(at, big);
    if (group == 0xFFFE || !explicit_vr) {  // items and delimiters have no VR
      length = read32(at + 4, big);
      value_offset = at + 8;
      return true;
    }
    const unsigned char a = bytes_[at + 4], b = bytes_[at + 5];
    if (long_vr(a, b)) {
      if (at + 12 > bytes_.size()) {
        fail(at, group, read16(at + 2, big));
        return false;
      }
      length = read32(at + 8, big);
      value_offset = at + 12;
    } else {
      length = read16(at + 6, big);
      value_offset = at + 8;
    }
    return true;
  }

  /// Walks elements in [offset, end); returns the offset after the last one (or after a
  /// delimiter when `depth` > 0).
  std::size_t walk(std::size_t offset, std::size_t end, bool explicit_vr, bool big, int depth) {
    while (offset < end && problem_.empty()) {
      if (depth > 32) {
        problem_ = "corrupt DICOM: sequences nested deeper than 32 levels";
        return end;
      }
      std::size_t value_offset = 0;
      std::uint32_t length = 0;
      if (!element_header(offset, explicit_vr, big, value_offset, length)) return end;
      const std::uint16_t group = read16(offset, big), element = read16(offset + 2, big);
      if (depth == 0) top_level_.push_back(std::uint32_t(group) << 16 | element);
      if (group == 0xFFFE && (element == 0xE00D || element == 0xE0DD)) return value_offset;  // delimiters
      if (length == kUndefined) {
        // A sequence or encapsulated pixel data: items until the sequence delimiter.
        offset = walk_items(value_offset, end, explicit_vr, big, depth + 1, group, element);
        continue;
      }
      if (value_offset + length > end) {
        fail(offset, group, element);
        return end;
      }
      offset = value_offset + length;
    }
    return offset;
  }

  std::size_t walk_items(std::size_t offset, std::size_t end, bool explicit_vr, bool big, int depth,
                         std::uint16_t group, std::uint16_t element) {
    while (problem_.empty()) {
      if (offset + 8 > end) {
        fail(offset, group, element);
        return end;
      }
      const std::uint16_t item_group = read16(offset, big), item_element = read16(offset + 2, big);
      const std::uint32_t length = read32(offset + 4, big);
      if (item_group != 0xFFFE) {
        problem_ = ::osteon::detail::concat("corrupt DICOM: expected an item in the sequence at byte ", offset);
        return end;
      }
      if (item_element == 0xE0DD) return offset + 8;  // sequence delimiter
      if (length == kUndefined) {
        offset = walk(offset + 8, end, explicit_vr, big, depth);
        continue;
      }
      if (offset + 8 + length > end) {
        fail(offset, group, element);
        return end;
      }
      offset += 8 + length;
    }
    return end;
  }

  const std::vector<unsigned char>& bytes_;
  std::string problem_;
  std::string media_storage_;
  std::vector<std::uint32_t> top_level_;
};

}  // namespace osteon::io::detail
