#pragma once
/// @file
/// `ManifestDataset`: a study described by a CSV file (RFC 4180, core/csv.hpp), one row per
/// sample, read through osteon's image readers (io/). Columns, by name (all configurable):
///   sample_id            the sample's id (default column "sample_id"; the row number if absent)
///   group                patient / hip: what splits and the group-aware sampler keep whole
///                        (default "group"; the id if absent)
///   image / image_ap, …  one column per view (the hip study's AP and frog-leg: two)
///   mask                 optional segmentation mask (same spatial size as the images)
///   label columns        numbers; integer columns give an int64 label, others float32
///   strata columns       copied into Sample::meta (sex, centre)
///   fold                 optional split / fold column (as osteon::split manifests write it),
///                        or a separate split manifest joined on sample_id
/// Paths are relative to the manifest's folder (absolute paths are kept). Every problem is
/// reported at construction, naming the file, the line and the column: a missing column, an
/// empty or non-numeric label, a file that does not exist. Images are decoded on `get` (in the
/// loader's worker threads): (C, spatial...) float32 with the file's intensities (HU stay HU;
/// colour images channel-first), masks uint8, spacing from the file.

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "osteon/core/csv.hpp"
#include "osteon/data/dataset.hpp"
#include "osteon/data/read_sample_image.hpp"
#include "osteon/split/manifest.hpp"

namespace osteon::data {

/// Options of ManifestDataset.
struct ManifestDatasetOptions {
  TORCH_ARG(std::string, id_column) = "sample_id";
  TORCH_ARG(std::string, group_column) = "group";
  /// One column per view; the sample's images come in this order.
  TORCH_ARG(std::vector<std::string>, image_columns) = std::vector<std::string>{"image"};
  /// Empty: no mask.
  TORCH_ARG(std::string, mask_column) = "";
  TORCH_ARG(std::vector<std::string>, label_columns) = {};
  TORCH_ARG(std::vector<std::string>, strata_columns) = {};
  /// Split / fold column of the manifest itself (used when present; Sample::meta["fold"]).
  TORCH_ARG(std::string, fold_column) = "fold";
  /// An osteon::split manifest (sample_id, group, fold, …) joined on sample_id; overrides fold_column.
  TORCH_ARG(std::string, split_manifest) = "";
  /// Keep only rows whose fold is one of these ("train", "test", "0", …); empty keeps all.
  TORCH_ARG(std::vector<std::string>, folds) = {};
  /// Reads one file into an io::Image; the default (io::read_image) reads PNG, JPEG, TIFF, NIfTI and DICOM by content.
  TORCH_ARG(ImageReader, reader) = read_image_file;
};

/// A dataset read from a manifest CSV (see the file comment).
///
/// Example:
///   osteon::data::ManifestDataset hips("study/manifest.csv",
///       osteon::data::ManifestDatasetOptions().image_columns({"image_ap", "image_frog"})
///           .label_columns({"outcome"}).strata_columns({"sex"}));
///   osteon::data::Sample first = hips.get(0);   // first.images: AP and frog-leg, (1, H, W) each
class ManifestDataset : public Dataset {
 public:
  explicit ManifestDataset(std::string path, ManifestDatasetOptions options = {})
      : path_(std::move(path)), options_(std::move(options)) {
    const char* who = "ManifestDataset";
    auto records = read_csv(path_, who, CsvDialect{/*trim_whitespace=*/true});
    OSTEON_CHECK_ARG(!records.empty(), who, ": \"", path_, "\" is empty (a header line is needed)");
    const auto& header = records.front().fields;
    std::map<std::string, std::size_t> column;
    for (std::size_t c = 0; c < header.size(); ++c) {
      OSTEON_CHECK_ARG(column.emplace(header[c], c).second, who, ": \"", path_, "\" has the column \"", header[c], "\" twice");
    }
    const auto require = [&](const std::string& name, const char* role) {
      const auto found = column.find(name);
      std::string names;
      for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
      OSTEON_CHECK_ARG(found != column.end(), who, ": \"", path_, "\" has no ", role, " column \"", name, "\" (columns: ", names, ")");
      return found->second;
    };
    const auto optional = [&](const std::string& name) -> std::ptrdiff_t {
      const auto found = column.find(name);
      return found == column.end() ? -1 : static_cast<std::ptrdiff_t>(found->second);
    };
    OSTEON_CHECK_ARG(!options_.image_columns().empty(), who, ": image_columns is empty");
    std::vector<std::size_t> image_at;
    for (const auto& name : options_.image_columns()) image_at.push_back(require(name, "image"));
    const auto mask_at = options_.mask_column().empty() ? -1 : static_cast<std::ptrdiff_t>(require(options_.mask_column(), "mask"));
    std::vector<std::size_t> label_at, strata_at;
    for (const auto& name : options_.label_columns()) label_at.push_back(require(name, "label"));
    for (const auto& name : options_.strata_columns()) strata_at.push_back(require(name, "strata"));
    const auto id_at = optional(options_.id_column()), group_at = optional(options_.group_column());
    const auto fold_at = optional(options_.fold_column());
    std::map<std::string, std::string> split_folds;
    if (!options_.split_manifest().empty()) {
      const auto split = osteon::split::read_manifest(options_.split_manifest());
      for (std::size_t i = 0; i < split.sample_ids.size(); ++i) split_folds[split.sample_ids[i]] = split.folds[i];
    }
    const std::set<std::string> keep(options_.folds().begin(), options_.folds().end());
    const auto folder = std::filesystem::path(path_).parent_path();
    std::vector<bool> integral(label_at.size(), true);
    std::set<std::string> seen_ids;
    for (std::size_t r = 1; r < records.size(); ++r) {
      const auto& fields = records[r].fields;
      const auto line = records[r].line;
      OSTEON_CHECK_ARG(fields.size() == header.size(), who, ": \"", path_, "\" line ", line, " has ", fields.size(),
                       " fields, the header has ", header.size());
      Row row;
      row.line = line;
      row.id = id_at >= 0 ? fields[id_at] : std::to_string(r - 1);
      OSTEON_CHECK_ARG(!row.id.empty(), who, ": \"", path_, "\" line ", line, " column \"", options_.id_column(), "\" is empty");
      OSTEON_CHECK_ARG(seen_ids.insert(row.id).second, who, ": \"", path_, "\" line ", line, " repeats sample id \"", row.id, "\"");
      row.group = group_at >= 0 && !fields[group_at].empty() ? fields[group_at] : row.id;
      if (!options_.split_manifest().empty()) {
        const auto found = split_folds.find(row.id);
        OSTEON_CHECK_ARG(found != split_folds.end(), who, ": sample \"", row.id, "\" (\"", path_, "\" line ", line,
                         ") is not in the split manifest \"", options_.split_manifest(), "\"");
        row.meta["fold"] = found->second;
      } else if (fold_at >= 0) {
        row.meta["fold"] = fields[fold_at];
      }
      if (!keep.empty() && !keep.count(row.meta["fold"])) continue;
      const auto resolve = [&](std::size_t c) {
        const auto& text = fields[c];
        OSTEON_CHECK_ARG(!text.empty(), who, ": \"", path_, "\" line ", line, " column \"", header[c], "\": no file named");
        auto file = std::filesystem::path(text);
        if (file.is_relative()) file = folder / file;
        OSTEON_CHECK_ARG(std::filesystem::exists(file), who, ": \"", path_, "\" line ", line, " column \"", header[c],
                         "\": file \"", file.string(), "\" does not exist");
        return file.string();
      };
      for (const auto c : image_at) row.images.push_back(resolve(c));
      if (mask_at >= 0) row.mask = resolve(static_cast<std::size_t>(mask_at));
      for (std::size_t l = 0; l < label_at.size(); ++l) {
        const auto& text = fields[label_at[l]];
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        OSTEON_CHECK_ARG(!text.empty() && end == text.c_str() + text.size() && std::isfinite(value), who, ": \"", path_,
                         "\" line ", line, " column \"", header[label_at[l]], "\" is not a number: \"", text, "\"");
        integral[l] = integral[l] && value == std::floor(value);
        row.labels.push_back(value);
      }
      for (std::size_t s = 0; s < strata_at.size(); ++s) row.meta[header[strata_at[s]]] = fields[strata_at[s]];
      rows_.push_back(std::move(row));
    }
    integer_labels_ = std::all_of(integral.begin(), integral.end(), [](bool b) { return b; });
  }

  std::int64_t size() const override { return static_cast<std::int64_t>(rows_.size()); }

  Sample get(std::int64_t index) const override {
    check_index(index, "ManifestDataset::get");
    const auto& row = rows_[static_cast<std::size_t>(index)];
    Sample sample;
    sample.id = row.id;
    sample.group = row.group;
    sample.meta = row.meta;
    for (std::size_t v = 0; v < row.images.size(); ++v) {
      auto image = options_.reader()(row.images[v]);
      if (v == 0) sample.spacing = image.spacing();
      sample.images.push_back(image_tensor(image).to(torch::kFloat));
      sample.meta[options_.image_columns()[v]] = row.images[v];
    }
    if (!row.mask.empty()) {
      sample.mask = image_tensor(options_.reader()(row.mask)).to(torch::kUInt8);
      TORCH_CHECK(sample.mask.sizes().slice(1) == sample.images.front().sizes().slice(1), "ManifestDataset: mask \"", row.mask,
                  "\" (\"", path_, "\" line ", row.line, ") has shape ", sample.mask.sizes(), ", the image ",
                  sample.images.front().sizes());
    }
    if (!row.labels.empty()) {
      sample.label = integer_labels_ ? torch::tensor(std::vector<std::int64_t>(row.labels.begin(), row.labels.end()))
                                     : torch::tensor(std::vector<float>(row.labels.begin(), row.labels.end()));
    }
    return sample;
  }

  std::vector<std::string> groups() const override {
    std::vector<std::string> out;
    for (const auto& row : rows_) out.push_back(row.group);
    return out;
  }
  /// Sample ids in row order (rows filtered by `folds` are not counted).
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& row : rows_) out.push_back(row.id);
    return out;
  }
  /// Indices of the samples whose fold is `fold` (e.g. "test", "3").
  std::vector<std::int64_t> indices_of_fold(const std::string& fold) const {
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const auto found = rows_[i].meta.find("fold");
      if (found != rows_[i].meta.end() && found->second == fold) out.push_back(static_cast<std::int64_t>(i));
    }
    return out;
  }
  /// The label of every sample as one (N, K) tensor, without reading any image.
  torch::Tensor labels() const {
    std::vector<double> values;
    for (const auto& row : rows_) values.insert(values.end(), row.labels.begin(), row.labels.end());
    const auto k = static_cast<std::int64_t>(options_.label_columns().size());
    auto out = torch::tensor(values, torch::kDouble).reshape({size(), k});
    return integer_labels_ ? out.to(torch::kLong) : out.to(torch::kFloat);
  }
  const std::string& path() const { return path_; }

 private:
  struct Row {
    std::size_t line = 0;
    std::string id, group;
    std::vector<std::string> images;
    std::string mask;
    std::vector<double> labels;
    std::map<std::string, std::string> meta;
  };

  std::string path_;
  ManifestDatasetOptions options_;
  std::vector<Row> rows_;
  bool integer_labels_ = true;
};

/// A view of some samples of another dataset (a fold, a holdout side), by index.
///
/// Example:
///   auto train = std::make_shared<osteon::data::Subset>(dataset, dataset->indices_of_fold("train"));
class Subset : public Dataset {
 public:
  Subset(std::shared_ptr<const Dataset> dataset, std::vector<std::int64_t> indices)
      : dataset_(std::move(dataset)), indices_(std::move(indices)) {
    TORCH_CHECK(dataset_ != nullptr, "Subset: dataset is null");
    for (const auto i : indices_) TORCH_CHECK(i >= 0 && i < dataset_->size(), "Subset: index ", i, " out of range [0, ", dataset_->size(), ")");
  }
  std::int64_t size() const override { return static_cast<std::int64_t>(indices_.size()); }
  Sample get(std::int64_t index) const override {
    check_index(index, "Subset::get");
    return dataset_->get(indices_[static_cast<std::size_t>(index)]);
  }
  std::vector<std::string> groups() const override {
    const auto all = dataset_->groups();
    std::vector<std::string> out;
    for (const auto i : indices_) out.push_back(all[static_cast<std::size_t>(i)]);
    return out;
  }

 private:
  std::shared_ptr<const Dataset> dataset_;
  std::vector<std::int64_t> indices_;
};

}  // namespace osteon::data
