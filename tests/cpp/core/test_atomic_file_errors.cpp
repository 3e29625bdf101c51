// Atomic writes under failure: unique temporaries, nothing left behind when the writer throws or
// the stream fails, stale temporaries of dead writers removed, writers killed with SIGKILL at
// random moments and concurrent writers on one path never leave a torn file. CSV reader errors
// (non-UTF-8 bytes, directories).
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "crash_support.hpp"
#include "osteon/core/atomic_file.hpp"
#include "osteon/core/csv.hpp"

namespace fs = std::filesystem;

namespace {

using osteon::test::slurp;

fs::path fresh_dir(const std::string& name) { return osteon::test::fresh_dir("core_" + name); }

// A file of `lines` lines "v<version> <i>" and a last line "end <version>": complete iff the last
// line is there and every line carries the same version.
void write_version(const fs::path& path, int version, int lines = 20000) {
  osteon::write_file_atomically(path.string(), "test_writer", [&](std::ostream& out) {
    for (int i = 0; i < lines; ++i) out << 'v' << version << ' ' << i << '\n';
    out << "end " << version << '\n';
  });
}

void check_complete_version(const fs::path& path) {
  const std::string text = slurp(path);
  REQUIRE_MESSAGE(!text.empty(), "target missing or empty");
  const auto end = text.rfind("end ");
  REQUIRE_MESSAGE(end != std::string::npos, "torn file: no end line");
  const std::string version = text.substr(end + 4, text.size() - end - 5);
  REQUIRE_MESSAGE(text.compare(0, version.size() + 2, "v" + version + " ") == 0, "torn file: mixed versions");
  REQUIRE(text.back() == '\n');
}

}  // namespace

TEST_CASE("write_file_atomically: the target appears whole, and no temporary is left") {
  const auto dir = fresh_dir("basic");
  const auto target = dir / "table.csv";
  write_version(target, 1, 10);
  check_complete_version(target);
  CHECK(osteon::test::temporaries_of(target).empty());
  write_version(target, 2, 10);
  CHECK(slurp(target).rfind("end 2\n") != std::string::npos);
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
}

TEST_CASE("write_file_atomically: temporary names are unique, in the target's folder") {
  const fs::path target = "/some/folder/model.pt";
  const auto a = osteon::detail::temporary_name(target, 4242);
  const auto b = osteon::detail::temporary_name(target, 4242);
  CHECK(a != b);
  CHECK(a.parent_path() == target.parent_path());
  CHECK(a.filename().string().rfind(".model.pt.4242.", 0) == 0);
  CHECK(osteon::detail::temporary_owner(a.filename().string(), "model.pt") == 4242);
  CHECK(osteon::detail::temporary_owner(a.filename().string(), "model") == -1);
  CHECK(osteon::detail::temporary_owner("model.pt", "model.pt") == -1);
  CHECK(osteon::detail::temporary_owner(".model.pt.12x.0123456789abcdef.tmp", "model.pt") == -1);
  CHECK(osteon::detail::temporary_owner(".model.pt.12.0123456789abcdeg.tmp", "model.pt") == -1);
}

TEST_CASE("write_file_atomically: a writer that throws mid-write leaves the old file and no temporary") {
  const auto dir = fresh_dir("throw");
  const auto target = dir / "m.csv";
  write_version(target, 1, 100);
  const std::string before = slurp(target);
  CHECK_THROWS_WITH_AS(osteon::write_file_atomically(target.string(), "test_writer",
                                                     [](std::ostream& out) {
                                                       out << std::string(1 << 20, 'x');  // past the buffer
                                                       throw std::logic_error("writer failed halfway");
                                                     }),
                       "writer failed halfway", std::logic_error);
  CHECK(slurp(target) == before);
  CHECK(osteon::test::temporaries_of(target).empty());
  CHECK_THROWS_WITH_AS(osteon::write_file_atomically(target.string(), "test_writer",
                                                     [](std::ostream& out) { out.setstate(std::ios::badbit); }),
                       doctest::Contains("test_writer: writing '"), std::runtime_error);
  CHECK(slurp(target) == before);
  CHECK(osteon::test::temporaries_of(target).empty());
}

TEST_CASE("write_file_atomically: impossible targets are named in the error") {
  const auto dir = fresh_dir("bad_target");
  CHECK_THROWS_WITH_AS(write_version(dir, 1), doctest::Contains("it is a directory"), std::runtime_error);
  CHECK_THROWS_WITH_AS(write_version(dir / "missing_folder" / "x.csv", 1),
                       doctest::Contains("test_writer: cannot create a temporary file beside '"), std::runtime_error);
  CHECK_THROWS_WITH_AS(osteon::write_file_atomically("", "test_writer", [](std::ostream&) {}),
                       doctest::Contains("names no file"), std::invalid_argument);
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 0);
}

TEST_CASE("remove_stale_temporaries: temporaries of dead pids go, those of live pids and other files stay") {
  const auto dir = fresh_dir("stale");
  const auto target = dir / "ckpt.pt";
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);  // a pid that is certainly dead now (and not reused this soon)
  const auto dead = osteon::detail::temporary_name(target, child);
  const auto live = osteon::detail::temporary_name(target, ::getpid());
  const auto other = dir / ".other.pt.1.0123456789abcdef.tmp";
  for (const auto& file : {dead, live, other}) std::ofstream(file) << "partial";
  CHECK(osteon::remove_stale_temporaries(target.string()) == 1);
  CHECK(!fs::exists(dead));
  CHECK(fs::exists(live));
  CHECK(fs::exists(other));
  write_version(target, 1, 10);  // a write cleans up as well, and keeps the live writer's file
  CHECK(fs::exists(live));
}

TEST_CASE("write_file_atomically: writers SIGKILLed at random moments never leave a torn file") {
  const auto dir = fresh_dir("kill");
  const auto target = dir / "table.csv";
  write_version(target, 0);
  const auto report = osteon::test::kill_writers_at_random(
      target, 50, 8000, [&](int version) { write_version(target, version); },
      [&] { check_complete_version(target); });
  CHECK(report.kills == 50);
  CHECK(report.intact_reads == 50);
  MESSAGE("kills survived: " << report.kills << ", leftover temporaries of killed writers seen: "
                             << report.leftovers_seen);
  write_version(target, 7);  // the next write removes what killed writers left
  CHECK(osteon::test::temporaries_of(target).empty());
  check_complete_version(target);
}

TEST_CASE("write_file_atomically: concurrent writers on one path, every read is one whole version") {
  const auto dir = fresh_dir("concurrent");
  const auto target = dir / "table.csv";
  write_version(target, 0);
  const int reads = osteon::test::concurrent_writers(
      target, 4, 15, [&](int writer, int round) { write_version(target, 1000 * (writer + 1) + round); },
      [&] { check_complete_version(target); });
  CHECK(reads >= 1);
}

TEST_CASE("CSV reader: non-UTF-8 bytes are named with line and column, the message stays UTF-8") {
  CHECK_THROWS_WITH_AS(osteon::parse_csv("id,score\nA,0.5\nB\xe9,0.7\n", "read_scores", "s.csv"),
                       "read_scores: s.csv line 3 column 2: byte 0xe9 is not UTF-8; save the file as UTF-8 "
                       "(e.g. iconv -f latin1 -t utf-8)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(osteon::parse_csv("\xff\xfe" "a", "f", "x.csv"), doctest::Contains("line 1 column 1: byte 0xff"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(osteon::parse_csv("a\r\n\xc0\xaf", "f", "x.csv"), doctest::Contains("line 2 column 1: byte 0xc0"),
                       std::invalid_argument);  // overlong '/'
  CHECK_THROWS_WITH_AS(osteon::parse_csv("\xed\xa0\x80", "f", "x.csv"), doctest::Contains("byte 0xed"),
                       std::invalid_argument);  // a UTF-16 surrogate
  CHECK_THROWS_WITH_AS(osteon::parse_csv("ok,\xe2\x82", "f", "x.csv"), doctest::Contains("column 4: byte 0xe2"),
                       std::invalid_argument);  // truncated sequence
  CHECK(osteon::parse_csv("h\xc3\xbc" "ft,\xe2\x82\xac,\xf0\x9f\xa6\xb4\n", "f", "x.csv")[0].fields[2] ==
        "\xf0\x9f\xa6\xb4");  // ü, €, 🦴
}

TEST_CASE("CSV reader: a directory or a missing path is named") {
  const auto dir = fresh_dir("csv_dir");
  CHECK_THROWS_WITH_AS(osteon::read_csv(dir.string(), "read_scores"),
                       ("read_scores: path \"" + dir.string() + "\" is a directory, not a file").c_str(),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(osteon::read_csv((dir / "none.csv").string(), "read_scores"),
                       doctest::Contains("read_scores: cannot open path"), std::invalid_argument);
}
