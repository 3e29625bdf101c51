#!/usr/bin/env python3
"""Writes every `Example:` block of the public headers into three C++ translation units, so that the
build compiles them and a stale example fails `make test` (tests/doc_examples/CMakeLists.txt
regenerates them whenever a header changes).

An example block is the run of `///   code` lines (three spaces or more after the slashes) that
follows a `/// Example:` line. Each block becomes one function, never called:

    void example_<header>_<line>() {
      using namespace <the header's namespace>;
      <the unit's preamble: declarations of the names the examples use, such as `y`, `logits`>
      { <the folder's preamble (data/, train/), if any>
        { <the header's preamble, if any>
          { <the example> } } }
    }

Each sits in its own block, so an example (or a header's preamble) may redeclare a preamble name.
`#include` lines of an example are dropped (the unit includes every header). Headers that compile without LibTorch
(scripts/check_floors.py decides, with the same lists as the architecture document) go into
doc_examples_host.cpp, linked to osteon::host; report/ and cli/ (torch-free, but PLplot, nlohmann-json
and CLI11) into doc_examples_report.cpp, linked to osteon::report, osteon::io and CLI11; the others
into doc_examples_torch.cpp, linked to osteon::osteon.

Usage: scripts/extract_doc_examples.py [--include DIR] --out-dir DIR
"""
import argparse
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from check_floors import is_torch_free  # noqa: E402  (one list of the torch-free headers)

EXAMPLE = re.compile(r"^\s*///\s*Example:\s*$")
CODE = re.compile(r"^\s*///   (.*)$")

# Names the examples of every header may use, by unit. Values are placeholders: the examples
# are compiled, not run.
HOST_PREAMBLE = """\
  std::vector<int> y{0, 0, 1, 1}, labels{0, 0, 1, 1}, y_true{0, 0, 1, 1}, y_site1{0, 1}, y_site2{0, 1};
  std::vector<double> s{0.1, 0.4, 0.35, 0.8}, scores{0.1, 0.4, 0.35, 0.8}, score_a{0.1, 0.2, 0.3, 0.4},
      score_b{0.2, 0.1, 0.4, 0.3}, model_a = score_a, model_b = score_b, s100b = score_a, ndka = score_b,
      wfns = score_b, score_site1{0.1, 0.2}, score_site2{0.2, 0.1}, x{1, 2, 3}, predicted{1, 2, 3},
      truth{1, 2, 4}, before{1, 2, 3}, after{1, 2, 4}, dice_per_fold{0.9, 0.8};
  std::vector<std::int64_t> hip_ids{0, 0, 1, 1}, patient_ids{0, 0, 1, 1}, groups{0, 0, 1, 1}, sex{0, 1, 0, 1};
  std::vector<double> score = s, scores_a = score_a, scores_b = score_b, a = score_a, b = score_b, c = s;
  std::vector<std::vector<double>> probs{{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}}, probs_model1 = probs, probs_model2 = probs;
  std::vector<std::string> ids{"a", "b", "c", "d"}, image_names = ids;
  std::vector<std::int64_t> hips = hip_ids, subjects = hip_ids, subject_ids = hip_ids, hip_of_image = hip_ids,
      y_codes{0, 0, 1, 1};
  std::vector<int> outcome = y, outcome_per_image = y;
  std::vector<double> p = s, w{1, 2, 1, 1}, s_site1 = score_site1, s_site2 = score_site2;
  double level = 0.95, z = 1.96;
  osteon::metrics::SplitScores split{{0.6, 0.2}, {0.3, 0.5}}, split_a = split, split_b = split;
"""
TORCH_PREAMBLE = """\
  torch::Tensor logits = torch::randn({2, 3, 4, 4, 4}), labels = torch::randint(0, 3, {2, 1, 4, 4, 4}),
      mask = torch::randint(0, 2, {2, 1, 4, 4, 4}), prediction = mask, target = mask, volume = logits,
      images = torch::randn({2, 3, 32, 32}), y = torch::randint(0, 2, {8}), scores = torch::rand({8}),
      model_a = scores, model_b = scores, prob_ap = scores, prob_ap_frog = scores, dice_bc = torch::rand({2, 3}),
      rgb_weight = torch::randn({64, 3, 7, 7}), p = scores;
  torch::nn::Linear model(3, 2);
  osteon::nn::VNet vnet;
"""

# The report/ and cli/ unit: the host names, and those of the tables and figures.
REPORT_PREAMBLE = HOST_PREAMBLE + """\
  std::vector<double> p_ap = s, p_fused = score_b, dice{0.9, 0.8, 0.85}, sens{0.7, 0.8, 0.75}, dice_1 = dice,
      dice_2 = sens, alone{0.7, 0.8}, helped{0.75, 0.85};
  std::vector<std::vector<double>> dice_by_fold{{0.9, 0.8}, {0.85, 0.88}}, sens_by_fold = dice_by_fold;
  auto agreement = osteon::metrics::volume_agreement(predicted, truth);
  auto ci = osteon::metrics::auc_ci(y, s);
  osteon::report::MarkdownTable table({"model", "AUC"});
  int argc = 1;
  char program[] = "osteon";
  char* argv[] = {program, nullptr};
"""

# Names the examples of one folder may use (torch unit), before the header's own preamble.
FOLDER_PREAMBLES = {
    "data/": """\
    osteon::data::Sample sample, first, second, volume_sample;
    sample.images = {torch::rand({1, 32, 32})};
    volume_sample.images = {torch::rand({1, 64, 64, 64})};
    volume_sample.mask = torch::randint(0, 2, {1, 64, 64, 64});
    osteon::Pcg32 rng(7);
    auto dataset = std::make_shared<osteon::data::ManifestDataset>(
        "study/manifest.csv", osteon::data::ManifestDatasetOptions().image_columns({"image"}));
    osteon::data::TransformPtr pipeline = std::make_shared<osteon::data::NormalizeIntensity>();
    osteon::data::DataLoader loader(dataset, pipeline);
""",
    "train/": """\
    torch::Device device(torch::kCPU);
    torch::nn::Linear net(3, 2);
    std::vector<torch::Tensor> params = net->parameters();
    auto model = osteon::train::make_model(net);
    auto optimizer = osteon::train::make_optimizer(params, osteon::train::TrainerOptions());
    torch::Tensor loss = net->forward(torch::randn({4, 3})).sum(), train_x = torch::randn({8, 3}),
        train_y = torch::randint(0, 2, {8}), val_x = train_x, val_y = train_y, test_x = train_x, test_y = train_y,
        test_images = train_x, volumes = torch::rand({4, 1, 16, 16, 16}), masks = volumes > 0.5, p = scores;
    std::int64_t rank = 0;
    std::string dir = "/tmp/run";
    auto options = osteon::train::TrainerOptions().max_epochs(2);
    osteon::train::Trainer trainer(net, [](const torch::Tensor& out, const torch::Tensor& target) {
      return torch::nn::functional::cross_entropy(out, target); }, options);
    osteon::train::CheckpointState state;
    osteon::train::EpochRecord record;
    auto dataset = std::make_shared<osteon::data::TensorDataset>(torch::rand({8, 1, 32, 32}));
    osteon::data::TransformPtr transforms = nullptr;
    osteon::data::DataLoader loader(dataset), train_loader(dataset), val_loader(dataset);
    osteon::data::Batch loader_batch = osteon::data::collate({dataset->get(0)});
""",
}

# An example reads as code inside its folder's namespace.
NAMESPACES = {
    "core": "osteon", "stats": "osteon::stats", "split": "osteon::split", "io": "osteon::io",
    "metrics": "osteon::metrics", "losses": "osteon::losses", "nn": "osteon::nn", "data": "osteon::data",
}

# Extra declarations for the examples of one header (relative to include/osteon/).
PREAMBLES = {
    "cli/common.hpp": "    osteon::cli::SplitCommandOptions options;\n",
    "core/rng.hpp": "    osteon::Pcg32 rng(42);\n",
    "io/read_image.hpp": "    auto ct = osteon::io::read_image(\"ct.nii.gz\");\n"
                         "    xt::xarray<std::uint8_t> mask = xt::zeros<std::uint8_t>(ct.shape());\n",
    "metrics/roc/mrmc_auc.hpp": "    std::vector<int> truth{0, 0, 1, 1, 0, 1};\n"
                                "    std::vector<double> ratings(2 * 5 * truth.size(), 1.0);  // [modality][reader][case]\n",
    "metrics/segmentation/host/aggregation.hpp": "    osteon::metrics::Summary s;\n",
    "report/roc_path.hpp": "    auto path = osteon::report::roc_path(osteon::metrics::roc_curve(y, s));\n",
    "stats/mrmc.hpp": "    std::vector<std::vector<double>> foms{{0.8, 0.82}, {0.85, 0.86}}, leave_one_out{{0.8, 0.81, 0.79}};\n"
                      "    Eigen::MatrixXd covariance = Eigen::MatrixXd::Identity(4, 4) * 1e-3;\n"
                      "    std::vector<std::vector<std::vector<double>>> dice(2, std::vector<std::vector<double>>(\n"
                      "        2, std::vector<double>{0.8, 0.9, 0.85}));\n",
    "stats/power.hpp": "    double var1 = 0.002, var2 = 0.003, cov12 = 0.001;\n",
    "train/cross_validate.hpp": "    osteon::train::LossFn loss = [](const torch::Tensor& out, const torch::Tensor& target) {\n"
                                "      return torch::mse_loss(out, target.to(out.dtype())); };\n",
    "split/content_hash.hpp": "    auto record = osteon::split::cohort_record(ids, y, hips);\n",
    "split/manifest.hpp": "    auto record = osteon::split::cohort_record(ids, y, hips);\n"
                          "    osteon::split::Manifest manifest;\n",
}

HOST_HEADER = """\
// Generated by scripts/extract_doc_examples.py from the `Example:` blocks of the torch-free
// headers; do not edit. Compiled (never run) by the build, so a stale example fails it.
#include <cstdint>
#include <string>
#include <vector>

#include "osteon/metrics/host.hpp"
#include "osteon/split.hpp"
#include "osteon/stats.hpp"
#include "osteon/version.hpp"
{extra_includes}
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wshadow"
#endif

namespace osteon_doc_examples {{
"""
TORCH_HEADER = """\
// Generated by scripts/extract_doc_examples.py from the `Example:` blocks of the headers that
// need LibTorch; do not edit. Compiled (never run) by the build, so a stale example fails it.
#include <cstdint>
#include <string>
#include <vector>

#include <iostream>
#include <memory>

#include <torch/torch.h>

#include "osteon/osteon.hpp"
{extra_includes}
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wshadow"
#endif

namespace osteon_doc_examples {{
"""
REPORT_HEADER = """\
// Generated by scripts/extract_doc_examples.py from the `Example:` blocks of report/ and cli/
// (torch-free; PLplot, nlohmann-json, CLI11); do not edit. Compiled (never run) by the build.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "osteon/metrics/host.hpp"
#include "osteon/report.hpp"
#include "osteon/stats.hpp"
{extra_includes}
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wunused-value"
#pragma GCC diagnostic ignored "-Wshadow"
#endif

namespace osteon_doc_examples {{
"""
FOOTER = """\
}  // namespace osteon_doc_examples

int main() { return 0; }
"""


def examples_of(path):
    """(line number, code lines) of each Example block of `path`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        if EXAMPLE.match(lines[i]):
            start = i + 1
            code = []
            j = start
            while j < len(lines) and CODE.match(lines[j]):
                code.append(CODE.match(lines[j]).group(1))
                j += 1
            if code:
                blocks.append((start + 1, code))
            i = j
        else:
            i += 1
    return blocks


def identifier(relative, line):
    return "example_" + re.sub(r"\W", "_", relative[: -len(".hpp")]) + f"_{line}"


def unit(blocks, header, preamble, includes):
    out = [header.format(extra_includes="".join(f'#include "osteon/{h}"\n' for h in includes))]
    for relative, line, code in blocks:
        out.append(f"// include/osteon/{relative}:{line}\n")
        out.append(f"[[maybe_unused]] void {identifier(relative, line)}() {{\n")
        namespace = NAMESPACES.get(relative.split("/")[0]) if "/" in relative else None
        if namespace:
            out.append(f"  using namespace {namespace};\n")
        out.append(preamble)
        out.append("  {\n")
        out.append("".join(text for folder, text in FOLDER_PREAMBLES.items() if relative.startswith(folder)))
        out.append("  {\n")
        out.append(PREAMBLES.get(relative, ""))
        out.append("  {\n")
        for text in code:
            if text.lstrip().startswith("#include"):
                continue
            out.append(f"    {text}\n" if text.strip() else "\n")
        out.append("  }\n  }\n  }\n}\n\n")
    out.append(FOOTER)
    return "".join(out)


def write_if_changed(path, text):
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def is_report(relative):
    """report/ and cli/ (and their umbrella): torch-free, but their own dependencies and unit."""
    return relative.startswith(("report/", "cli/")) or relative in ("report.hpp", "cli.hpp")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--include", default=str(pathlib.Path(__file__).resolve().parent.parent / "include"))
    parser.add_argument("--out-dir", required=True)
    args = parser.parse_args(argv[1:])
    root = pathlib.Path(args.include) / "osteon"
    out_dir = pathlib.Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    host, torch_blocks, report, host_headers, torch_headers, report_headers = [], [], [], [], [], []
    for path in sorted(root.rglob("*.hpp")):
        relative = path.relative_to(root).as_posix()
        blocks = [(relative, line, code) for line, code in examples_of(path)]
        if is_report(relative):
            report += blocks
            report_headers.append(relative)
        elif is_torch_free(relative):
            host += blocks
            host_headers.append(relative)
        else:
            torch_blocks += blocks
            torch_headers.append(relative)
    # Every header is included, so one that does not compile on its own terms fails here too.
    write_if_changed(out_dir / "doc_examples_host.cpp", unit(host, HOST_HEADER, HOST_PREAMBLE, host_headers))
    write_if_changed(out_dir / "doc_examples_torch.cpp",
                     unit(torch_blocks, TORCH_HEADER, TORCH_PREAMBLE, torch_headers))
    write_if_changed(out_dir / "doc_examples_report.cpp",
                     unit(report, REPORT_HEADER, REPORT_PREAMBLE, report_headers))
    print(f"extract_doc_examples: {len(host)} host, {len(torch_blocks)} torch and {len(report)} report examples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
