#pragma once
/// @file
/// `osteon split`: a manifest of the user's samples in (one row per sample: an id, a label and a
/// group such as the patient), a split manifest out (split/manifest.hpp format), stratified by the
/// label and grouped so that no group lies on two sides; `--check` audits an existing split
/// manifest for leaking groups.
///
///   osteon split --manifest cohort.csv --id-column image --label-column outcome --group-column patient \
///                --test-size 0.25 --seed 7 --out split.csv
///   osteon split --manifest cohort.csv … --folds 10 --holdout 0.1 --out femur_split.csv   (nested)
///   osteon split --check split.csv

#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "osteon/cli/common.hpp"
#include "osteon/core/options.hpp"
#include "osteon/data/csv_table.hpp"
#include "osteon/split/holdout.hpp"
#include "osteon/split/kfold.hpp"
#include "osteon/split/manifest.hpp"
#include "osteon/split/nested.hpp"

namespace osteon::cli {

/// Flags of `osteon split`.
struct SplitCommandOptions {
  OSTEON_ARG(std::string, manifest) = "";
  OSTEON_ARG(std::string, id_column) = "sample_id";
  OSTEON_ARG(std::string, label_column) = "label";
  OSTEON_ARG(std::string, group_column) = "";  ///< empty: every sample its own group
  OSTEON_ARG(double, test_size) = 0.25;
  OSTEON_ARG(std::int64_t, folds) = 0;         ///< 0: a holdout split; k ≥ 2: k-fold (nested with holdout)
  OSTEON_ARG(double, holdout) = 0.0;           ///< with --folds: share held out before the folds
  OSTEON_ARG(std::uint64_t, seed) = 0;
  OSTEON_ARG(std::string, out) = "split_manifest.csv";
  OSTEON_ARG(std::string, check) = "";         ///< audit this split manifest instead
};

/// Runs `osteon split` (see the file comment); writes the manifest and prints one summary line.
inline void run_split(const SplitCommandOptions& o) {
  if (!o.check().empty()) {
    const auto manifest = split::read_manifest(o.check());  // refuses leaking groups, naming the group
    std::printf("%s: %zu samples, %zu groups on one side each; no leakage\n", o.check().c_str(),
                manifest.sample_ids.size(), std::set<std::string>(manifest.groups.begin(), manifest.groups.end()).size());
    return;
  }
  OSTEON_CHECK_ARG(!o.manifest().empty(), "--manifest is required (or --check FILE)");
  const auto table = data::CsvTable::read(o.manifest());
  const auto& ids = table.text(o.id_column());
  const auto labels = label_codes(table, o.label_column());
  const auto groups = o.group_column().empty() ? ids : table.text(o.group_column());
  const auto options = split::SplitOptions().seed(o.seed());
  const auto record = split::cohort_record(ids, labels, groups);
  split::Manifest manifest;
  std::string what;
  if (o.folds() == 0) {
    manifest = split::make_manifest(record, split::stratified_holdout(labels, groups, o.test_size(), options), o.seed());
    what = "holdout (test size " + osteon::detail::concat(o.test_size()) + ")";
  } else if (o.holdout() > 0.0) {
    manifest = split::make_manifest(record, split::nested_split(labels, o.folds(), groups, o.holdout(), options), o.seed());
    what = osteon::detail::concat(o.holdout(), " held out, ", o.folds(), "-fold CV on the rest");
  } else {
    manifest = split::make_manifest(record, split::stratified_kfold(labels, o.folds(), groups, options), o.seed());
    what = osteon::detail::concat(o.folds(), "-fold CV");
  }
  split::write_manifest(o.out(), manifest);
  std::printf("%s: %zu samples, %s, grouped by %s, seed %llu; no group on two sides\n", o.out().c_str(), ids.size(),
              what.c_str(), o.group_column().empty() ? "sample" : o.group_column().c_str(),
              static_cast<unsigned long long>(o.seed()));
}

/// Registers `split` on `app`; the callback stores the exit code in `exit_code`.
inline CLI::App* add_split_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SplitCommandOptions>();
  auto* command = app.add_subcommand("split", "Split a manifest by group, stratified by label; write a split manifest");
  command->add_option("--manifest", options->manifest(), "CSV with one row per sample")->check(CLI::ExistingFile);
  command->add_option("--id-column", options->id_column(), "column of sample ids")->capture_default_str();
  command->add_option("--label-column", options->label_column(), "column of labels (stratification)")->capture_default_str();
  command->add_option("--group-column", options->group_column(), "column of groups (patient); default: the sample id");
  command->add_option("--test-size", options->test_size(), "test share of a holdout split")->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--folds", options->folds(), "k-fold cross-validation instead of a holdout (k >= 2)");
  command->add_option("--holdout", options->holdout(), "with --folds: share held out first (nested design)")
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--seed", options->seed(), "seed of the split")->capture_default_str();
  command->add_option("--out", options->out(), "split manifest to write")->capture_default_str();
  command->add_option("--check", options->check(), "audit an existing split manifest for leaking groups")
      ->check(CLI::ExistingFile);
  command->callback([options, &exit_code] { exit_code = run_guarded("split", [&] { run_split(*options); }); });
  return command;
}

}  // namespace osteon::cli
