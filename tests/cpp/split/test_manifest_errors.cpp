// Manifests under hostile edits and crashes: an edited group column (issue 16: it leaked a group),
// directories and non-UTF-8 files as manifests, torn (truncated) files, writers killed at random
// moments and concurrent writers.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "crash_support.hpp"
#include "osteon/split.hpp"

namespace split = osteon::split;
namespace fs = std::filesystem;

namespace {

using osteon::test::slurp;

fs::path fresh_dir(const std::string& name) { return osteon::test::fresh_dir("split_" + name); }

void spit(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

struct Cohort {
  std::vector<std::string> ids, hips;
  std::vector<int> y;
  split::CohortRecord record;
};

Cohort hips_cohort(int n_hips) {
  Cohort cohort;
  for (int h = 0; h < n_hips; ++h) {
    for (const char* view : {"ap", "frog"}) {
      cohort.ids.push_back("hip" + std::to_string(h) + "_" + view);
      cohort.hips.push_back("hip" + std::to_string(h));
      cohort.y.push_back(h % 4 == 0);
    }
  }
  cohort.record = split::cohort_record(cohort.ids, cohort.y, cohort.hips);
  return cohort;
}

}  // namespace

TEST_CASE("read_manifest with data: an edited group column is refused (issue 16 regression)") {
  const auto cohort = hips_cohort(12);
  const auto dir = fresh_dir("groups");
  const auto path = (dir / "split.csv").string();
  const auto holdout = split::stratified_holdout(cohort.y, cohort.hips, 0.25, split::SplitOptions().seed(3));
  split::write_manifest(path, split::make_manifest(cohort.record, holdout, 3));
  // Move the frog view of one test hip to the training side and give it a group of its own: the
  // file's own groups no longer leak, and the content hash (of the data) still matches.
  const auto test_sample = holdout.test.front();
  const auto partner = test_sample % 2 == 0 ? test_sample + 1 : test_sample - 1;
  auto text = slurp(path);
  const std::string row = cohort.ids[static_cast<std::size_t>(partner)] + "," +
                          cohort.hips[static_cast<std::size_t>(partner)] + ",test,";
  const auto at = text.find(row);
  REQUIRE(at != std::string::npos);
  text.replace(at, row.size(), cohort.ids[static_cast<std::size_t>(partner)] + ",edited_group,train,");
  spit(path, text);
  CHECK_NOTHROW(split::read_manifest(path));  // on its own the file is consistent
  const std::string expected = "has group 'edited_group' in the manifest but '" +
                               cohort.hips[static_cast<std::size_t>(partner)] +
                               "' in the data (was the group column edited?)";
  CHECK_THROWS_WITH_AS(split::read_manifest(path, cohort.record), doctest::Contains(expected.c_str()),
                       std::invalid_argument);
}

TEST_CASE("read_manifest with data: the leakage check uses the data's groups") {
  // Groups equal in file and data, fold column edited so a hip straddles: refused.
  const auto cohort = hips_cohort(8);
  const auto dir = fresh_dir("folds");
  const auto path = (dir / "split.csv").string();
  const auto folds = split::stratified_kfold(cohort.y, 2, cohort.hips, split::SplitOptions().seed(1));
  split::write_manifest(path, split::make_manifest(cohort.record, folds, 1));
  auto text = slurp(path);
  const auto at = text.find("hip0_frog,hip0,");
  REQUIRE(at != std::string::npos);
  const auto fold_at = at + std::string("hip0_frog,hip0,").size();
  text[fold_at] = text[fold_at] == '0' ? '1' : '0';
  spit(path, text);
  CHECK_THROWS_WITH_AS(split::read_manifest(path, cohort.record), doctest::Contains("group hip0 is on both sides"),
                       std::invalid_argument);
}

TEST_CASE("read_manifest: directories, non-UTF-8 bytes, empty files") {
  const auto dir = fresh_dir("bad_files");
  CHECK_THROWS_WITH_AS(split::read_manifest(dir.string()),
                       ("read_manifest: path \"" + dir.string() + "\" is a directory, not a manifest file").c_str(),
                       std::invalid_argument);
  const auto path = dir / "latin1.csv";
  spit(path, "sample_id,group,fold,seed,content_hash\nh\xfc" "ft_1,p1,train,1,fnv1a64:0\n");
  CHECK_THROWS_WITH_AS(split::read_manifest(path.string()),
                       doctest::Contains("line 2 column 2: byte 0xfc is not UTF-8"), std::invalid_argument);
  spit(path, "");
  CHECK_THROWS_WITH_AS(split::read_manifest(path.string()), doctest::Contains("does not start with the header"),
                       std::invalid_argument);
}

TEST_CASE("read_manifest: a manifest cut at any byte is refused, never read as a smaller split") {
  const auto cohort = hips_cohort(10);
  const auto dir = fresh_dir("torn");
  const auto path = dir / "split.csv";
  const auto torn = dir / "torn.csv";
  split::write_manifest(path.string(), split::make_manifest(cohort.record, split::stratified_kfold(
                                                                               cohort.y, 2, cohort.hips), 0));
  const std::string whole = slurp(path);
  int refused = 0;
  // (The last byte is the final newline: without it the file is still whole.)
  for (std::size_t cut = 0; cut + 1 < whole.size(); ++cut) {
    spit(torn, whole.substr(0, cut));
    bool threw = false;
    try {
      split::read_manifest(torn.string(), cohort.record);
    } catch (const std::invalid_argument&) {
      threw = true;
    }
    refused += threw;
    CHECK_MESSAGE(threw, "a manifest cut at byte " << cut << " of " << whole.size() << " was accepted");
  }
  CHECK(refused == static_cast<int>(whole.size()) - 1);
  CHECK_NOTHROW(split::read_manifest(path.string(), cohort.record));
}

TEST_CASE("write_manifest: writers SIGKILLed at random moments, concurrent writers: always a whole manifest") {
  const auto cohort = hips_cohort(2000);  // 4000 rows, ~200 kB: kills land mid-write
  const auto dir = fresh_dir("kill");
  const auto path = dir / "split.csv";
  const auto write = [&](int version) {
    const auto seed = static_cast<std::uint64_t>(version % 7);
    const auto holdout = split::stratified_holdout(cohort.y, cohort.hips, 0.25, split::SplitOptions().seed(seed));
    split::write_manifest(path.string(), split::make_manifest(cohort.record, holdout, seed));
  };
  const auto verify = [&] {
    const auto manifest = split::read_manifest(path.string(), cohort.record);
    REQUIRE(manifest.sample_ids.size() == cohort.ids.size());
  };
  write(0);
  const auto report = osteon::test::kill_writers_at_random(path, 40, 20000, write, verify);
  CHECK(report.kills == 40);
  MESSAGE("manifest writers killed: " << report.kills << ", whole after each: " << report.intact_reads
                                      << ", leftovers of killed writers seen: " << report.leftovers_seen);
  write(1);
  CHECK(osteon::test::temporaries_of(path).empty());
  osteon::test::concurrent_writers(path, 3, 6, [&](int writer, int round) { write(writer * 10 + round); }, verify);
}
