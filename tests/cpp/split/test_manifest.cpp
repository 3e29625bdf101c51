// Manifests: FNV-1a against its published test vectors, CSV round trip, refusal of other data,
// atomic writes.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "osteon/split.hpp"
#include "test_support.hpp"

namespace split = osteon::split;

namespace {


std::uint64_t fnv(const std::string& text) {
  split::detail::Fnv1a64 hasher;
  hasher.bytes(text);
  return hasher.value();
}

}  // namespace

TEST_CASE("FNV-1a 64 matches the reference test vectors (Noll's fnv test suite)") {
  CHECK(fnv("") == 0xcbf29ce484222325ULL);
  CHECK(fnv("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(fnv("foobar") == 0x85944171f73967e8ULL);
}

TEST_CASE("label_text: integral values as integers, others with 17 digits") {
  CHECK(split::label_text(1.0) == "1");
  CHECK(split::label_text(-2.0) == "-2");
  CHECK(split::label_text(0.1) == "0.10000000000000001");
  CHECK_THROWS_AS(split::label_text(std::nan("")), std::invalid_argument);
}

TEST_CASE("content hash: documented byte stream, sensitive to every input") {
  split::CohortRecord record{{"a", "b"}, {"0", "1"}, {"p", "p"}, {}};
  // The stream spelled out by hand from the documentation in content_hash.hpp.
  const std::string stream = "15:osteon-split-v11:21:01:a1:01:p1:b1:11:p";
  char expected[32];
  std::snprintf(expected, sizeof expected, "fnv1a64:%016llx", static_cast<unsigned long long>(fnv(stream)));
  CHECK(split::content_hash(record) == expected);
  auto other = record;
  other.labels[1] = "0";
  CHECK(split::content_hash(other) != split::content_hash(record));
  other = record;
  other.strata.push_back({"F", "M"});
  CHECK(split::content_hash(other) != split::content_hash(record));
  // Numeric and text ids of the same value hash alike.
  CHECK(split::content_hash(split::cohort_record(std::vector<int>{1, 2}, std::vector<double>{0.0, 1.0},
                                                 std::vector<int>{5, 5})) ==
        split::content_hash(split::cohort_record(std::vector<std::string>{"1", "2"}, std::vector<int>{0, 1},
                                                 std::vector<std::string>{"5", "5"})));
}

TEST_CASE("manifest round trip: holdout, k-fold and nested; refuses other data") {
  std::vector<std::string> ids;
  std::vector<int> y;
  std::vector<std::string> hips;
  for (int h = 0; h < 24; ++h) {
    for (const char* view : {"ap", "frog"}) {
      ids.push_back("hip" + std::to_string(h) + "_" + view);
      y.push_back(h % 3 == 0);
      hips.push_back(h == 5 ? "hip,\"5\"" : "hip" + std::to_string(h));  // a field that needs quoting
    }
  }
  const auto record = split::cohort_record(ids, y, hips);
  const auto dir = osteon::test::scratch_dir("split_manifest");
  const std::string path = (dir / "hips.csv").string();
  const auto options = split::SplitOptions().seed(11);

  const auto holdout = split::stratified_holdout(y, hips, 0.25, options);
  split::write_manifest(path, split::make_manifest(record, holdout, 11));
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    CHECK_MESSAGE(entry.path().filename().string().rfind(".hips.csv.", 0) != 0, "temporary left: " << entry.path());
  }
  auto manifest = split::read_manifest(path, record);
  CHECK(manifest.kind() == split::ManifestKind::Holdout);
  CHECK(manifest.seed == 11);
  CHECK(manifest.groups == hips);
  CHECK(manifest.splits().holdout.test == holdout.test);
  CHECK(manifest.splits().holdout.train == holdout.train);

  const auto folds = split::stratified_kfold(y, 4, hips, options);
  split::write_manifest(path, split::make_manifest(record, folds, 11));
  manifest = split::read_manifest(path, record);
  CHECK(manifest.kind() == split::ManifestKind::KFold);
  const auto read_folds = manifest.splits().folds;
  REQUIRE(read_folds.size() == 4);
  for (std::size_t f = 0; f < 4; ++f) {
    CHECK(read_folds[f].test == folds[f].test);
    CHECK(read_folds[f].train == folds[f].train);
  }

  const auto design = split::nested_split(y, 3, hips, 0.25, options);
  split::write_manifest(path, split::make_manifest(record, design, 11));
  manifest = split::read_manifest(path, record);
  CHECK(manifest.kind() == split::ManifestKind::Nested);
  CHECK(manifest.splits().holdout.test == design.holdout.test);
  CHECK(manifest.splits().folds[2].test == design.folds[2].test);

  // Other labels, other order, fewer samples: refused with the reason.
  auto relabelled = y;
  relabelled[3] = 1 - relabelled[3];
  CHECK_THROWS_WITH_AS(split::read_manifest(path, split::cohort_record(ids, relabelled, hips)),
                       doctest::Contains("was made for other data"), std::invalid_argument);
  auto swapped = ids;
  std::swap(swapped[0], swapped[1]);
  CHECK_THROWS_WITH_AS(split::read_manifest(path, split::cohort_record(swapped, y, hips)),
                       doctest::Contains("sample 0 is 'hip0_ap' in the manifest but 'hip0_frog'"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(split::read_manifest(path, split::cohort_record(std::vector<std::string>(ids.begin(), ids.end() - 2),
                                                                        std::vector<int>(y.begin(), y.end() - 2),
                                                                        std::vector<std::string>(hips.begin(), hips.end() - 2))),
                       doctest::Contains("lists 48 samples but the data has 46"), std::invalid_argument);
}

TEST_CASE("read_manifest refuses malformed or leaking files") {
  const auto dir = osteon::test::scratch_dir("split_manifest");
  const std::string path = (dir / "bad.csv").string();
  auto write = [&](const std::string& text) { std::ofstream(path, std::ios::binary) << text; };
  write("id,group\n");
  CHECK_THROWS_WITH_AS(split::read_manifest(path), doctest::Contains("does not start with the header"), std::invalid_argument);
  write("sample_id,group,fold,seed,content_hash\na,p1,train,1,fnv1a64:0\nb,p1,test,1,fnv1a64:0\n");
  CHECK_THROWS_WITH_AS(split::read_manifest(path), doctest::Contains("group p1 is on both sides"), std::invalid_argument);
  write("sample_id,group,fold,seed,content_hash\na,p1,train,1,fnv1a64:0\nb,p2,test,2,fnv1a64:0\n");
  CHECK_THROWS_WITH_AS(split::read_manifest(path), doctest::Contains("line 3: seed / content_hash differ"), std::invalid_argument);
  write("sample_id,group,fold,seed,content_hash\na,p1,x,1,fnv1a64:0\n");
  CHECK_THROWS_WITH_AS(split::read_manifest(path), doctest::Contains("fold[0] must be 'train', 'test' or a fold number, got 'x'"), std::invalid_argument);
  CHECK_THROWS_AS(split::read_manifest((dir / "missing.csv").string()), std::runtime_error);
  CHECK_THROWS_AS(split::write_manifest((dir / "no_such_dir" / "m.csv").string(), split::Manifest{}), std::runtime_error);
}
