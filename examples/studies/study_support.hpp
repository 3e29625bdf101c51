#pragma once
// Small helpers shared by the study implementations in examples/studies/ (one TU each): tensors to
// host vectors, row selection, the command-line error convention (exit 2, one line naming the flag).
#include <osteon/core/check.hpp>

#include <torch/torch.h>

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace osteon::studies {

/// A tensor's values as doubles on the host (after the computation, for the report).
inline std::vector<double> to_vector(const torch::Tensor& t) {
  const auto c = t.to(torch::kDouble).contiguous().cpu();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

/// The rows `rows` of `t` (first dimension).
inline torch::Tensor rows_of(const torch::Tensor& t, const std::vector<std::int64_t>& rows) {
  return t.index_select(0, torch::tensor(rows, torch::kLong));
}

/// `values` without NaN (for figures; the tables count the NaN).
inline std::vector<double> finite_only(const std::vector<double>& values) {
  std::vector<double> out;
  for (const double v : values) if (std::isfinite(v)) out.push_back(v);
  return out;
}

/// Parses argv with CLI11; on a parse error prints ONE line naming the flag ("<program>: <what>;
/// see --help") and returns 2; on --help prints the help and returns 0; otherwise returns -1.
inline int parse_or_exit(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    std::string what = error.what();
    for (auto& c : what) if (c == '\n') c = ' ';
    std::fprintf(stderr, "%s: %s; see --help\n", app.get_name().c_str(), what.c_str());
    return 2;
  }
  return -1;
}

}  // namespace osteon::studies
