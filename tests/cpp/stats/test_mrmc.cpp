// Obuchowski–Rockette MRMC analysis on the Van Dyke et al. (1993) reader study
// (tests/data/vandyke1993_mrmc.csv) against the published outputs of OR-DBM MRMC 2.5 (jackknife)
// and MRMCaov 0.3.0 (DeLong), to the printed digits (tests/data/mrmc_vandyke_published.json).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "osteon/metrics/roc/mrmc_auc.hpp"
#include "osteon/stats/mrmc.hpp"
#include "test_support.hpp"

namespace {

namespace st = osteon::stats;

struct VanDyke {
  std::vector<int> truth;        // 114 cases
  std::vector<double> ratings;   // (2 modalities, 5 readers, 114 cases), C order
};

const VanDyke& van_dyke() {
  static const VanDyke data = [] {
    std::ifstream file(std::string(OSTEON_TEST_DATA_DIR) + "/vandyke1993_mrmc.csv");
    REQUIRE(file.good());
    std::string line;
    std::getline(file, line);  // header: modality,reader,case,truth,rating (sorted in that order)
    VanDyke d;
    d.truth.assign(114, -1);
    while (std::getline(file, line)) {
      std::istringstream row(line);
      std::string cell;
      std::vector<int> v;
      while (std::getline(row, cell, ',')) v.push_back(std::stoi(cell));
      d.truth[static_cast<std::size_t>(v[2])] = v[3];
      d.ratings.push_back(v[4]);
    }
    REQUIRE(d.ratings.size() == 2u * 5u * 114u);
    return d;
  }();
  return data;
}

const nlohmann::json& published() {
  static const nlohmann::json data = osteon::test::load_fixture("mrmc_vandyke_published.json");
  return data;
}

// True when `actual` rounds to the printed string (half a unit in its last digit).
bool rounds_to(double actual, const std::string& printed) {
  const auto dot = printed.find('.');
  const int decimals = dot == std::string::npos ? 0 : static_cast<int>(printed.size() - dot - 1);
  return std::abs(actual - std::stod(printed)) <= 0.5 * std::pow(10.0, -decimals) * (1.0 + 1e-9) + 1e-15;
}

#define CHECK_PRINTED(actual, json_value)                                                         \
  do {                                                                                            \
    const std::string printed_ = (json_value).get<std::string>();                                 \
    CHECK_MESSAGE(rounds_to((actual), printed_), #actual " = " << std::setprecision(12) << (actual) \
                                                                << ", printed " << printed_);    \
  } while (false)

void check_estimate(const st::MrmcEstimate& e, const nlohmann::json& p) {
  if (p.contains("estimate")) CHECK_PRINTED(e.estimate, p["estimate"]);
  if (p.contains("difference")) CHECK_PRINTED(e.estimate, p["difference"]);
  if (p.contains("std_err")) CHECK_PRINTED(e.std_err, p["std_err"]);
  if (p.contains("df")) CHECK_PRINTED(e.df, p["df"]);
  if (p.contains("ci_low")) CHECK_PRINTED(e.ci_low, p["ci_low"]);
  if (p.contains("ci_high")) CHECK_PRINTED(e.ci_high, p["ci_high"]);
  if (p.contains("z")) CHECK_PRINTED(e.statistic, p["z"]);
  if (p.contains("p")) CHECK_PRINTED(e.p_value, p["p"]);
}

}  // namespace

TEST_CASE("or_mrmc (jackknife) on Van Dyke equals OR-DBM MRMC 2.5 to the printed digits") {
  const auto& d = van_dyke();
  const auto& p = published()["or_dbm_jackknife"];
  const auto r = osteon::metrics::or_mrmc(d.truth, d.ratings, 2, 5);
  CHECK(r.covariance == "jackknife");
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 5; ++j) CHECK_PRINTED(r.foms[i][j], p["foms"][i][j]);
  CHECK_PRINTED(r.modality_foms[0], p["modality_foms"][0]);
  CHECK_PRINTED(r.modality_foms[1], p["modality_foms"][1]);
  CHECK_PRINTED(r.difference, p["difference"]);
  CHECK_PRINTED(r.ms_t, p["ms_t"]);
  CHECK_PRINTED(r.ms_r, p["ms_r"]);
  CHECK_PRINTED(r.ms_tr, p["ms_tr"]);
  CHECK_PRINTED(r.var_reader, p["var_reader"]);
  CHECK_PRINTED(r.var_treatment_reader, p["var_treatment_reader"]);
  CHECK_PRINTED(r.cov1, p["cov1"]);
  CHECK_PRINTED(r.cov2, p["cov2"]);
  CHECK_PRINTED(r.cov3, p["cov3"]);
  CHECK_PRINTED(r.var_error, p["var_error"]);

  const auto& rr = p["random_readers"];
  CHECK_PRINTED(r.f_statistic, rr["f"]);
  CHECK_PRINTED(r.ddf, rr["ddf"]);
  CHECK_PRINTED(r.p_value, rr["p"]);
  CHECK_PRINTED(r.ms_t / r.f_statistic, rr["denominator"]);
  CHECK_PRINTED(r.random_readers.differences[0].std_err, rr["std_err"]);
  CHECK_PRINTED(r.random_readers.differences[0].statistic, rr["t"]);
  CHECK_PRINTED(r.ci_low, rr["ci_low"]);
  CHECK_PRINTED(r.ci_high, rr["ci_high"]);
  CHECK(r.df1 == 1.0);
  for (int i = 0; i < 2; ++i) check_estimate(r.random_readers.modalities[i], rr["modalities"][i]);

  const auto& fr = p["fixed_readers"];
  CHECK_PRINTED(r.fixed_readers.statistic, fr["x2"]);
  CHECK_PRINTED(r.fixed_readers.p_value, fr["p"]);
  CHECK_PRINTED(r.fixed_readers.differences[0].std_err, fr["std_err"]);
  CHECK_PRINTED(r.fixed_readers.differences[0].statistic, fr["z"]);
  CHECK_PRINTED(r.fixed_readers.differences[0].ci_low, fr["ci_low"]);
  CHECK_PRINTED(r.fixed_readers.differences[0].ci_high, fr["ci_high"]);
  for (int i = 0; i < 2; ++i) check_estimate(r.fixed_readers.modalities[i], fr["modalities"][i]);
  for (int j = 0; j < 5; ++j) {
    INFO("reader " << j);
    check_estimate(r.fixed_readers.reader_differences[j], fr["readers"][j]);
  }

  const auto& fc = p["fixed_cases"];
  CHECK_PRINTED(r.fixed_cases.statistic, fc["f"]);
  CHECK_PRINTED(r.fixed_cases.p_value, fc["p"]);
  CHECK(r.fixed_cases.df2 == 4.0);
  CHECK_PRINTED(r.fixed_cases.differences[0].std_err, fc["std_err"]);
  CHECK_PRINTED(r.fixed_cases.differences[0].statistic, fc["t"]);
  CHECK_PRINTED(r.fixed_cases.differences[0].ci_low, fc["ci_low"]);
  CHECK_PRINTED(r.fixed_cases.differences[0].ci_high, fc["ci_high"]);
  for (int i = 0; i < 2; ++i) check_estimate(r.fixed_cases.modalities[i], fc["modalities"][i]);
}

TEST_CASE("or_mrmc (DeLong) on Van Dyke equals MRMCaov 0.3.0 to the printed digits") {
  const auto& d = van_dyke();
  const auto& p = published()["mrmcaov_delong"];
  const auto r = osteon::metrics::or_mrmc(d.truth, d.ratings, 2, 5, st::OrMrmcOptions().covariance("delong"));
  CHECK_PRINTED(r.var_reader, p["var_reader"]);
  CHECK_PRINTED(r.var_treatment_reader, p["var_treatment_reader"]);
  CHECK_PRINTED(r.var_error, p["var_error"]);
  CHECK_PRINTED(r.cov1, p["cov1"]);
  CHECK_PRINTED(r.cov2, p["cov2"]);
  CHECK_PRINTED(r.cov3, p["cov3"]);
  const auto& rr = p["random_readers"];
  CHECK_PRINTED(r.f_statistic, rr["f"]);
  CHECK_PRINTED(r.ddf, rr["ddf"]);
  CHECK_PRINTED(r.p_value, rr["p"]);
  CHECK_PRINTED(r.ms_t / r.f_statistic, rr["denominator"]);
  CHECK_PRINTED(r.difference, rr["difference"]);
  CHECK_PRINTED(r.random_readers.differences[0].std_err, rr["std_err"]);
  CHECK_PRINTED(r.random_readers.differences[0].statistic, rr["t"]);
  CHECK_PRINTED(r.ci_low, rr["ci_low"]);
  CHECK_PRINTED(r.ci_high, rr["ci_high"]);
  for (int i = 0; i < 2; ++i) check_estimate(r.random_readers.modalities[i], rr["modalities"][i]);
}

TEST_CASE("or_mrmc_per_case: the jackknife covariance of a mean is the sample covariance over n") {
  // Per-case correctness of 2 modalities x 3 readers on 8 cases.
  const std::vector<std::vector<std::vector<double>>> v{
      {{1, 0, 1, 1, 0, 1, 1, 1}, {1, 1, 1, 0, 0, 1, 1, 1}, {0, 1, 1, 1, 0, 1, 0, 1}},
      {{1, 1, 1, 1, 0, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 0, 1, 1, 1}}};
  std::vector<std::vector<double>> loo;
  for (const auto& m : v)
    for (const auto& reader : m) {
      std::vector<double> row;
      for (std::size_t c = 0; c < reader.size(); ++c) {
        double s = 0;
        for (std::size_t k = 0; k < reader.size(); ++k) if (k != c) s += reader[k];
        row.push_back(s / 7.0);
      }
      loo.push_back(row);
    }
  const auto cov = st::jackknife_covariance(loo);
  // sample covariance (n − 1 denominator) / n, computed directly
  const auto& a = v[0][0];
  const auto& b = v[1][2];
  double ma = 0, mb = 0;
  for (int c = 0; c < 8; ++c) ma += a[c] / 8.0, mb += b[c] / 8.0;
  double s = 0;
  for (int c = 0; c < 8; ++c) s += (a[c] - ma) * (b[c] - mb);
  CHECK(cov(0, 5) == doctest::Approx(s / 7.0 / 8.0).epsilon(1e-14));
  const auto r = st::or_mrmc_per_case(v);
  CHECK(r.foms[0][0] == doctest::Approx(0.75));
  CHECK(r.var_error > 0.0);
  CHECK(r.p_value > 0.0);
  CHECK(r.p_value < 1.0);
}

TEST_CASE("or_mrmc rejects bad shapes and options") {
  const auto& d = van_dyke();
  CHECK_THROWS_WITH_AS(osteon::metrics::or_mrmc(d.truth, d.ratings, 2, 4), doctest::Contains("modalities x readers x cases"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(osteon::metrics::or_mrmc(d.truth, d.ratings, 2, 5, st::OrMrmcOptions().covariance("bootstrap")),
                       doctest::Contains("covariance must be"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(st::or_mrmc_from_moments({{0.9, 0.8}}, Eigen::MatrixXd::Identity(2, 2)),
                       doctest::Contains("at least 2 modalities"), std::invalid_argument);
}
