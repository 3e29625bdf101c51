// load_state_dict_file / save_state_dict_file under hostile files and crashes: every bad file is
// std::invalid_argument (ValueError in Python) naming the path; a torn file (cut short, a flipped
// byte) is detected by the zip central directory and CRC-32; writers SIGKILLed at random moments
// and concurrent writers leave the previous or a new complete file, and no temporary of a live one.
#include <doctest/doctest.h>

#include <torch/torch.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "crash_support.hpp"
#include "errors_matrix.hpp"
#include "osteon/io/state_dict.hpp"

namespace fs = std::filesystem;
namespace io = osteon::io;

namespace {

fs::path fresh_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("osteon_test_io_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void spit(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// A dict whose every tensor is filled with `version`: a mix of versions means a torn file.
io::StateDict versioned_dict(int version, int64_t numel = 1 << 18) {
  io::StateDict dict;
  for (const char* name : {"conv1.weight", "bn1.running_mean", "fc.weight", "fc.bias"}) {
    dict.insert(name, torch::full({numel}, static_cast<float>(version)));
  }
  return dict;
}

int check_one_version(const fs::path& path) {
  const auto dict = io::load_state_dict_file(path.string());
  REQUIRE(dict.size() == 4);
  const float version = dict["conv1.weight"][0].item<float>();
  for (const auto& item : dict) {
    REQUIRE_MESSAGE(torch::equal(item.value(), torch::full_like(item.value(), version)), "mixed versions");
  }
  return static_cast<int>(version);
}

void expect_bad_file(const fs::path& path, const std::string& fragment) {
  const std::string named = "load_state_dict_file: path '" + path.string() + "'";
  try {
    io::load_state_dict_file(path.string());
    FAIL("accepted a bad file: " << fragment);
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    CHECK_MESSAGE(message.find(named) != std::string::npos, message);
    CHECK_MESSAGE(message.find(fragment) != std::string::npos, message);
  }
}

}  // namespace

// KNOWN FAILING since the merge of the reliability branch (2026-12-03; issue 16 stays open): run
// and reported, but not failing the program (doctest::may_fail) until fixed. See docs/reliability.md.
TEST_CASE("load_state_dict_file: missing, directory, empty, random bytes, other formats" * doctest::may_fail()) {
  const auto dir = fresh_dir("bad");
  expect_bad_file(dir / "missing.pt", "cannot open path");
  expect_bad_file(dir, "is a directory, not a state-dict file");
  spit(dir / "empty.pt", "");
  expect_bad_file(dir / "empty.pt", "is not a torch.save zip archive");
  std::mt19937 random(7);
  std::string noise(4096, '\0');
  for (auto& byte : noise) byte = static_cast<char>(random());
  noise[0] = 'x';
  spit(dir / "noise.pt", noise);
  expect_bad_file(dir / "noise.pt", "is not a torch.save zip archive");
  noise[0] = 'P';
  noise[1] = 'K';
  spit(dir / "pk_noise.pt", noise);
  expect_bad_file(dir / "pk_noise.pt", "is not a readable torch.save archive (truncated or corrupt");
  spit(dir / "legacy.pt", std::string("\x80\x02\x8a\x0a", 4) + std::string(60, 'l'));  // legacy torch.save
  expect_bad_file(dir / "legacy.pt", "_use_new_zipfile_serialization=True");
}

// KNOWN FAILING since the merge of the reliability branch (2026-12-03; issue 16 stays open): run
// and reported, but not failing the program (doctest::may_fail) until fixed. See docs/reliability.md.
TEST_CASE("load_state_dict_file: a file cut short or with a flipped byte is refused (torn-file detection)" * doctest::may_fail()) {
  const auto dir = fresh_dir("torn");
  const auto path = dir / "w.pt";
  io::save_state_dict_file(versioned_dict(3, 1000), path.string());
  const std::string whole = slurp(path);
  CHECK(check_one_version(path) == 3);
  int refused = 0, cuts = 0;
  for (std::size_t cut = 0; cut < whole.size(); cut += std::max<std::size_t>(1, whole.size() / 97)) {
    spit(dir / "cut.pt", whole.substr(0, cut));
    ++cuts;
    try {
      io::load_state_dict_file((dir / "cut.pt").string());
    } catch (const std::invalid_argument&) {
      ++refused;
    }
  }
  CHECK(refused == cuts);
  // A flipped byte inside a tensor record: the zip reader's CRC-32 check catches it.
  auto flipped = whole;
  const auto at = flipped.find(std::string("\x00\x00\x40\x40", 4), whole.size() / 2);  // 3.0f, little-endian
  REQUIRE(at != std::string::npos);
  flipped[at + 3] = '\x41';
  spit(dir / "flipped.pt", flipped);
  expect_bad_file(dir / "flipped.pt", "truncated or corrupt");
}

TEST_CASE("load_state_dict: a checkpoint of another architecture is refused, listing every key") {
  const auto dir = fresh_dir("arch");
  const auto path = (dir / "linear.pt").string();
  torch::nn::Linear saved(4, 2);
  io::save_state_dict(*saved, path);
  torch::nn::Linear wider(3, 2);
  CHECK_THROWS_WITH_AS(io::load_state_dict(*wider, path),
                       doctest::Contains("Shape mismatch (1): weight (file [2, 4], model [2, 3])"),
                       std::invalid_argument);
  torch::nn::Sequential other(torch::nn::Conv2d(1, 1, 3));
  CHECK_THROWS_WITH_AS(io::load_state_dict(*other, path),
                       doctest::Contains("Missing keys (2): 0.weight, 0.bias. Unexpected keys (2): weight, bias."),
                       std::invalid_argument);
  // Nothing was copied by the failed loads.
  const auto before = wider->weight.clone();
  CHECK_THROWS(io::load_state_dict(*wider, path));
  CHECK(torch::equal(before, wider->weight));
}

TEST_CASE("save_state_dict_file: writers SIGKILLed at random moments, concurrent writers: always one whole version") {
  torch::set_num_threads(1);  // the forked writers run no parallel region
  const auto dir = fresh_dir("kill");
  const auto path = dir / "checkpoint.pt";
  io::save_state_dict_file(versioned_dict(1), path.string());  // 4 MB
  const auto report = osteon::test::kill_writers_at_random(
      path, 40, 30000, [&](int version) { io::save_state_dict_file(versioned_dict(version % 1000 + 2), path.string()); },
      [&] { check_one_version(path); });
  CHECK(report.kills == 40);
  MESSAGE("state-dict writers killed: " << report.kills << ", whole after each: " << report.intact_reads
                                        << ", leftovers of killed writers seen: " << report.leftovers_seen);
  io::save_state_dict_file(versioned_dict(5), path.string());
  CHECK(osteon::test::temporaries_of(path).empty());
  CHECK(check_one_version(path) == 5);
  osteon::test::concurrent_writers(
      path, 3, 4, [&](int writer, int round) { io::save_state_dict_file(versioned_dict(10 * writer + round), path.string()); },
      [&] { check_one_version(path); });
}

// KNOWN FAILING since the merge of the reliability branch (2026-12-03; issue 16 stays open): run
// and reported, but not failing the program (doctest::may_fail) until fixed. See docs/reliability.md.
TEST_CASE("bad-input matrix: state-dict files" * doctest::may_fail()) {
  // {"saved": {"cut": f | n} | {"flip": true}}: a state dict saved here, then cut or with one byte flipped.
  const auto saved = [](const osteon::test::Json& spec, const std::string& path) {
    io::StateDict dict;
    dict.insert("w", torch::full({1000}, 3.0f));
    dict.insert("b", torch::full({10}, 3.0f));
    io::save_state_dict_file(dict, path);
    std::string whole = slurp(path);
    const auto& how = spec["saved"];
    if (how.contains("cut")) {
      const auto& cut = how["cut"];
      const auto size = static_cast<double>(whole.size());
      const std::size_t n = cut.is_number_float() ? static_cast<std::size_t>(size * cut.get<double>())
                            : cut.get<int64_t>() < 0 ? whole.size() - static_cast<std::size_t>(-cut.get<int64_t>())
                                                      : cut.get<std::size_t>();
      whole.resize(n);
    } else {
      const auto at = whole.find(std::string("\x00\x00\x40\x40", 4), whole.size() / 2);
      REQUIRE(at != std::string::npos);
      whole[at + 3] = '\x41';
    }
    spit(path, whole);
  };
  const int run = osteon::test::run_error_rows({"io"}, [&](const osteon::test::Json& row) {
    io::load_state_dict_file(osteon::test::matrix_file(row["args"]["path"], osteon::test::row_file_name(row), saved));
  });
  CHECK(run >= 12);
}
