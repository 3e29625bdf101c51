#pragma once
/// @file
/// The `osteon` command-line tool: its subcommands on one CLI11 app, and `main_of(argc, argv)`,
/// the whole program (examples/cli/osteon.cpp only calls it). Contract: `--help` on the tool and
/// on every subcommand; `--version`; bad input → exit code 2 and ONE line on stderr naming the flag
/// or file ("osteon split: --manifest: File does not exist: cohort.csv"); progress on stderr,
/// results on stdout and in files.

#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "osteon/cli/common.hpp"
#include "osteon/cli/compare_command.hpp"
#include "osteon/cli/evaluate_command.hpp"
#include "osteon/cli/split_command.hpp"
#include "osteon/report/software.hpp"

namespace osteon::cli {

/// Runs the tool on argv and returns its exit code.
///
/// Example:
///   int status = osteon::cli::main_of(argc, argv);  // the whole of main: return status;
inline int main_of(int argc, char** argv) {
  CLI::App app{"osteon: musculoskeletal-imaging studies on your own data (split, evaluate, compare)", "osteon"};
  app.set_version_flag("--version", std::string("osteon ") + OSTEON_PROJECT_VERSION);
  app.require_subcommand(1);
  int exit_code = kExitOk;
  add_split_command(app, exit_code);
  add_evaluate_command(app, exit_code);
  add_compare_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    // One line naming the flag or file (CLI11's own text, with the subcommand that was parsed).
    std::string where = "osteon";
    for (const auto* sub : app.get_subcommands()) where += " " + sub->get_name();
    std::string message = error.what();
    for (char& c : message) if (c == '\n') c = ' ';
    std::fprintf(stderr, "%s: %s (see %s --help)\n", where.c_str(), message.c_str(), where.c_str());
    return kExitBadInput;
  }
  return exit_code;
}

}  // namespace osteon::cli
