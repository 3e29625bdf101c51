#pragma once
/// @file
/// Split manifests: a split written to CSV with the seed and a content hash of its inputs, read
/// back only onto the data it was made for.
///
/// Format (RFC 4180 CSV, UTF-8, one row per sample in the order of the data):
///   sample_id,group,fold,seed,content_hash
///   hip001_ap,hip001,test,2024,fnv1a64:9f0c…
/// `fold` is "train" / "test" for a holdout, the test fold 0…k−1 for k-fold, and for a nested
/// design "test" for held-out samples and the fold for the others.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "osteon/core/atomic_file.hpp"
#include "osteon/core/check.hpp"
#include "osteon/core/csv.hpp"
#include "osteon/split/content_hash.hpp"
#include "osteon/split/indices.hpp"
#include "osteon/split/leakage.hpp"

namespace osteon::split {

/// What a manifest holds.
enum class ManifestKind {
  Holdout, KFold, Nested,
  // Deprecated in 0.2 (enumerators are PascalCase); removed in 0.3.
  holdout [[deprecated("use ManifestKind::Holdout")]] = Holdout,
  kfold [[deprecated("use ManifestKind::KFold")]] = KFold,
  nested [[deprecated("use ManifestKind::Nested")]] = Nested,
};

/// A split as written to / read from a manifest.
struct Manifest {
  std::vector<std::string> sample_ids;
  std::vector<std::string> groups;
  std::vector<std::string> folds;  ///< "train", "test" or the fold number, per sample
  std::uint64_t seed = 0;
  std::string content_hash;

  /// holdout if only train/test, kfold if only fold numbers, nested if test + fold numbers.
  ///
  /// Example:
  ///   if (manifest.kind() == osteon::split::ManifestKind::KFold) { /* use splits().folds */ }
  ManifestKind kind() const {
    bool has_train = false, has_test = false, has_fold = false;
    for (const auto& fold : folds) {
      has_train |= fold == "train";
      has_test |= fold == "test";
      has_fold |= fold != "train" && fold != "test";
    }
    OSTEON_CHECK_ARG(!(has_train && has_fold), "Manifest: fold column mixes 'train' with fold numbers");
    if (has_fold) return has_test ? ManifestKind::Nested : ManifestKind::KFold;
    return ManifestKind::Holdout;
  }

  /// The split: for a holdout, `holdout` only; for k-fold, `folds` only; nested: both.
  ///
  /// Example:
  ///   osteon::split::Split holdout = manifest.splits().holdout;
  NestedSplit splits() const {
    NestedSplit out;
    std::vector<std::int64_t> fold_of_sample(folds.size(), -1);
    std::int64_t n_folds = 0;
    for (std::size_t i = 0; i < folds.size(); ++i) {
      const auto index = static_cast<std::int64_t>(i);
      if (folds[i] == "test") { out.holdout.test.push_back(index); continue; }
      out.holdout.train.push_back(index);
      if (folds[i] == "train") continue;
      std::size_t parsed = 0;
      long long fold = -1;
      const bool digits = !folds[i].empty() && folds[i].find_first_not_of("0123456789") == std::string::npos;
      try { fold = digits ? std::stoll(folds[i], &parsed) : -1; } catch (const std::exception&) { parsed = 0; }
      OSTEON_CHECK_ARG(digits && parsed == folds[i].size() && fold >= 0 && fold < 100000, "Manifest: fold[", i,
                       "] must be 'train', 'test' or a fold number, got '", folds[i], "'");
      fold_of_sample[i] = fold;
      n_folds = std::max<std::int64_t>(n_folds, fold + 1);
    }
    out.folds.resize(static_cast<std::size_t>(n_folds));
    for (std::size_t i = 0; i < folds.size(); ++i) {
      if (fold_of_sample[i] < 0) continue;
      for (std::int64_t f = 0; f < n_folds; ++f) {
        auto& fold = out.folds[static_cast<std::size_t>(f)];
        (f == fold_of_sample[i] ? fold.test : fold.train).push_back(static_cast<std::int64_t>(i));
      }
    }
    for (std::size_t f = 0; f < out.folds.size(); ++f) {
      OSTEON_CHECK_ARG(!out.folds[f].test.empty(), "Manifest: fold ", f, " has no samples");
    }
    return out;
  }
};

namespace detail {

inline Manifest manifest_base(const CohortRecord& record, std::uint64_t seed) {
  Manifest manifest;
  manifest.content_hash = content_hash(record);
  manifest.sample_ids = record.sample_ids;
  manifest.groups = record.groups;
  manifest.folds.assign(record.sample_ids.size(), "");
  manifest.seed = seed;
  return manifest;
}

inline void mark(Manifest& manifest, const std::vector<std::int64_t>& indices, const std::string& fold) {
  for (const std::int64_t index : indices) {
    OSTEON_CHECK_ARG(index >= 0 && index < static_cast<std::int64_t>(manifest.folds.size()), "make_manifest: index ",
                     index, " outside [0, ", manifest.folds.size(), ")");
    auto& slot = manifest.folds[static_cast<std::size_t>(index)];
    OSTEON_CHECK_ARG(slot.empty() || slot == fold, "make_manifest: sample ", index, " is in two test sets ('", slot,
                     "' and '", fold, "')");
    slot = fold;
  }
}

inline void check_complete(const Manifest& manifest) {
  for (std::size_t i = 0; i < manifest.folds.size(); ++i) {
    OSTEON_CHECK_ARG(!manifest.folds[i].empty(), "make_manifest: sample ", i, " (", manifest.sample_ids[i],
                     ") is in no test set and no training set");
  }
}

}  // namespace detail

/// Manifest of a holdout split.
///
/// Example:
///   auto split = osteon::split::stratified_holdout(y, hips, 0.25, osteon::split::SplitOptions().seed(7));
///   auto manifest = osteon::split::make_manifest(osteon::split::cohort_record(ids, y, hips), split, 7);
inline Manifest make_manifest(const CohortRecord& record, const Split& split, std::uint64_t seed) {
  Manifest manifest = detail::manifest_base(record, seed);
  detail::mark(manifest, split.train, "train");
  detail::mark(manifest, split.test, "test");
  detail::check_complete(manifest);
  check_no_leakage(split, manifest.groups);
  return manifest;
}

/// Manifest of a k-fold split; the test sets must cover every sample once.
///
/// Example:
///   auto folds = osteon::split::stratified_kfold(y, 10, subjects, osteon::split::SplitOptions().seed(1));
///   auto manifest = osteon::split::make_manifest(osteon::split::cohort_record(ids, y, subjects), folds, 1);
inline Manifest make_manifest(const CohortRecord& record, const std::vector<Split>& folds, std::uint64_t seed) {
  Manifest manifest = detail::manifest_base(record, seed);
  for (std::size_t f = 0; f < folds.size(); ++f) detail::mark(manifest, folds[f].test, std::to_string(f));
  detail::check_complete(manifest);
  check_no_leakage(folds, manifest.groups);
  return manifest;
}

/// Manifest of a nested design (held-out samples "test", the others their CV fold).
///
/// Example:
///   auto design = osteon::split::nested_split(y, 10, subjects, 0.1);
///   osteon::split::write_manifest("femur.csv", osteon::split::make_manifest(record, design, 0));
inline Manifest make_manifest(const CohortRecord& record, const NestedSplit& design, std::uint64_t seed) {
  Manifest manifest = detail::manifest_base(record, seed);
  detail::mark(manifest, design.holdout.test, "test");
  for (std::size_t f = 0; f < design.folds.size(); ++f) detail::mark(manifest, design.folds[f].test, std::to_string(f));
  detail::check_complete(manifest);
  check_no_leakage(design, manifest.groups);
  return manifest;
}

/// Writes `manifest` to `path` atomically: into a temporary file in the same directory, then
/// renamed over `path`, so a crash never leaves a half-written manifest. Throws
/// std::runtime_error naming the path if it cannot be written.
///
/// Example:
///   osteon::split::write_manifest("splits/hip_holdout.csv", manifest);
inline void write_manifest(const std::string& path, const Manifest& manifest) {
  write_file_atomically(path, "write_manifest", [&](std::ostream& out) {
    out << "sample_id,group,fold,seed,content_hash\n";
    for (std::size_t i = 0; i < manifest.sample_ids.size(); ++i) {
      out << csv_field(manifest.sample_ids[i]) << ',' << csv_field(manifest.groups[i]) << ','
          << csv_field(manifest.folds[i]) << ',' << manifest.seed << ',' << manifest.content_hash << '\n';
    }
  });
}

/// Reads a manifest without checking it against data (to inspect it). Throws if the file is
/// missing (std::runtime_error) or malformed (std::invalid_argument naming the line).
inline Manifest read_manifest(const std::string& path) {
  std::error_code error;
  OSTEON_CHECK_ARG(!std::filesystem::is_directory(path, error), "read_manifest: path \"", path,
                   "\" is a directory, not a manifest file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("read_manifest: cannot open " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const auto records = parse_csv(buffer.str(), "read_manifest", path);
  const std::vector<std::string> header{"sample_id", "group", "fold", "seed", "content_hash"};
  OSTEON_CHECK_ARG(!records.empty() && records[0].fields == header, "read_manifest: ", path,
                   " does not start with the header sample_id,group,fold,seed,content_hash");
  OSTEON_CHECK_ARG(records.size() > 1, "read_manifest: ", path, " has no samples");
  const auto& first = records[1];
  Manifest manifest;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& row = records[r].fields;
    const std::size_t line = records[r].line;
    OSTEON_CHECK_ARG(row.size() == 5, "read_manifest: ", path, " line ", line, " has ", row.size(),
                     " fields, expected 5");
    if (r == 1) {
      std::size_t parsed = 0;
      // std::stoull would read "-1" as 2^64 - 1 and skip leading blanks: digits only.
      const bool digits = !row[3].empty() && row[3].find_first_not_of("0123456789") == std::string::npos;
      try { manifest.seed = digits ? std::stoull(row[3], &parsed) : 0; } catch (const std::exception&) { parsed = 0; }
      OSTEON_CHECK_ARG(digits && parsed == row[3].size(), "read_manifest: ", path, " line ", line, ": seed '",
                       row[3], "' is not an unsigned integer");
      manifest.content_hash = row[4];
    }
    OSTEON_CHECK_ARG(row[3] == first.fields[3] && row[4] == first.fields[4], "read_manifest: ", path, " line ", line,
                     ": seed / content_hash differ from line ", first.line);
    manifest.sample_ids.push_back(row[0]);
    manifest.groups.push_back(row[1]);
    manifest.folds.push_back(row[2]);
  }
  manifest.kind();  // refuses a fold column that mixes 'train' with fold numbers
  check_no_leakage(manifest.splits(), manifest.groups);
  return manifest;
}

/// Reads a manifest and refuses it unless it was written for exactly this data: same samples in
/// the same order, same labels, groups and strata (compared through the content hash), and the
/// file's own group column equal to the data's (the hash in the file covers the data it was made
/// for, not the file's rows, so an edited group column is caught here). The leakage check then
/// runs on the data's groups: everything the split depends on comes from the data.
///
/// Example:
///   auto manifest = osteon::split::read_manifest("splits/hip_holdout.csv", osteon::split::cohort_record(ids, y, hips));
///   osteon::split::Split split = manifest.splits().holdout;
inline Manifest read_manifest(const std::string& path, const CohortRecord& data) {
  Manifest manifest = read_manifest(path);
  OSTEON_CHECK_ARG(manifest.sample_ids.size() == data.sample_ids.size(), "read_manifest: ", path, " lists ",
                   manifest.sample_ids.size(), " samples but the data has ", data.sample_ids.size());
  for (std::size_t i = 0; i < data.sample_ids.size(); ++i) {
    OSTEON_CHECK_ARG(manifest.sample_ids[i] == data.sample_ids[i], "read_manifest: ", path, ": sample ", i, " is '",
                     manifest.sample_ids[i], "' in the manifest but '", data.sample_ids[i], "' in the data");
  }
  const std::string hash = content_hash(data);
  OSTEON_CHECK_ARG(hash == manifest.content_hash, "read_manifest: ", path, " was made for other data: content hash ",
                   manifest.content_hash, " in the manifest, ", hash, " for the data given (labels, groups or ",
                   "strata differ)");
  for (std::size_t i = 0; i < data.groups.size(); ++i) {
    OSTEON_CHECK_ARG(manifest.groups[i] == data.groups[i], "read_manifest: ", path, ": sample ", i, " ('",
                     data.sample_ids[i], "') has group '", manifest.groups[i], "' in the manifest but '",
                     data.groups[i], "' in the data (was the group column edited?)");
  }
  check_no_leakage(manifest.splits(), data.groups);
  return manifest;
}

}  // namespace osteon::split
