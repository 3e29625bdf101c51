// osteon::stats::power_roc_test against pROC 1.18's power.roc.test in each of its modes
// (tests/data/power_reference.json, made by scripts/make_reference_power.R), to 1e-10 relative.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "osteon/metrics/roc/delong.hpp"
#include "osteon/metrics/roc/obuchowski.hpp"
#include "osteon/stats/power.hpp"
#include "test_support.hpp"

namespace {

using osteon::test::number;
using osteon::test::numbers;
namespace st = osteon::stats;

#define CHECK_PROC(actual, expected)                                                              \
  CHECK_MESSAGE(::osteon::test::close((actual), (expected), 1e-10, 1e-14),                        \
                #actual " = " << std::setprecision(17) << (actual) << ", expected " << (expected))

const nlohmann::json& fixture() {
  static const nlohmann::json data = osteon::test::load_fixture("power_reference.json");
  return data;
}

// pROC's arguments (dotted names) → PowerRocOptions; sig.level absent means its default 0.05.
st::PowerRocOptions options_of(const nlohmann::json& c) {
  st::PowerRocOptions o;
  const auto& a = c["args"];
  if (a.contains("auc")) o.auc(number(a["auc"]));
  if (a.contains("ncases")) o.ncases(number(a["ncases"]));
  if (a.contains("ncontrols")) o.ncontrols(number(a["ncontrols"]));
  if (a.contains("power")) o.power(number(a["power"]));
  if (a.contains("kappa")) o.kappa(number(a["kappa"]));
  if (a.contains("sig.level")) o.sig_level(number(a["sig.level"]));
  if (c["sig_level_unset"].get<bool>()) o.sig_level(std::nullopt);
  if (a.contains("alternative")) o.alternative(a["alternative"].get<std::string>());
  return o;
}

void check_result(const st::PowerRocTest& t, const nlohmann::json& r) {
  CHECK_PROC(t.ncases, number(r["ncases"]));
  CHECK_PROC(t.ncontrols, number(r["ncontrols"]));
  CHECK_PROC(t.sig_level, number(r["sig_level"]));
  CHECK_PROC(t.power, number(r["power"]));
  if (r.contains("auc") && !r["auc"].is_null()) CHECK_PROC(t.auc, number(r["auc"]));
}

}  // namespace

TEST_CASE("power_roc_test, one curve: power, sample size, AUC and sig_level equal pROC") {
  for (const auto& c : fixture()["one_curve"]) {
    INFO(c["args"].dump());
    check_result(st::power_roc_test(options_of(c)), c["result"]);
  }
}

TEST_CASE("power_roc_test, two binormal curves (Obuchowski & McClish 1997) equals pROC's list mode") {
  for (const auto& c : fixture()["binormal"]) {
    INFO(c["name"].get<std::string>() << " " << c["args"].dump());
    const auto& p = c["pars"];
    auto pars = st::BinormalRocPair()
                    .a1(number(p["A1"])).b1(number(p["B1"])).a2(number(p["A2"])).b2(number(p["B2"]))
                    .rn(number(p["rn"])).ra(number(p["ra"])).delta(number(p["delta"]));
    if (p.contains("FPR11"))
      pars.fpr11(number(p["FPR11"])).fpr12(number(p["FPR12"])).fpr21(number(p["FPR21"])).fpr22(number(p["FPR22"]));
    check_result(st::power_roc_test(pars, options_of(c)), c["result"]);
  }
}

TEST_CASE("power_roc_test, two observed curves (DeLong and Obuchowski covariance) equals pROC's roc mode") {
  const auto& data = fixture()["asah"];
  const auto y = numbers(data["y"]);
  double n_cases = 0;
  for (double v : y) n_cases += v;
  const double n_controls = static_cast<double>(y.size()) - n_cases;
  for (const auto& c : fixture()["roc_pairs"]) {
    const auto method = c["method"].get<std::string>();
    INFO(c["predictors"].dump() << " " << method << " " << c["args"].dump());
    const auto a = numbers(data["predictors"][c["predictors"][0].get<std::string>()]);
    const auto b = numbers(data["predictors"][c["predictors"][1].get<std::string>()]);
    double var1, var2, cov12;
    if (method == "delong") {
      const auto s = osteon::metrics::delong_cov(y, std::vector<std::vector<double>>{a, b});
      var1 = s(0, 0), var2 = s(1, 1), cov12 = s(0, 1);
    } else {
      var1 = osteon::metrics::obuchowski_variance(y, a);
      var2 = osteon::metrics::obuchowski_variance(y, b);
      cov12 = osteon::metrics::obuchowski_cov(y, a, b);
    }
    const auto t = st::power_roc_test_from_moments(osteon::metrics::roc_auc(y, a), osteon::metrics::roc_auc(y, b),
                                                   var1, var2, cov12, n_cases, n_controls, options_of(c));
    check_result(t, c["result"]);
    CHECK_PROC(t.auc1, number(c["result"]["auc1"]));
    CHECK_PROC(t.auc2, number(c["result"]["auc2"]));
  }
}

TEST_CASE("power_roc_test, one observed curve equals pROC's power.roc.test(roc)") {
  const auto& data = fixture()["asah"];
  const auto y = numbers(data["y"]);
  double n_cases = 0;
  for (double v : y) n_cases += v;
  for (const auto& c : fixture()["one_roc"]) {
    INFO(c["predictor"].get<std::string>() << " " << c["args"].dump());
    const auto s = numbers(data["predictors"][c["predictor"].get<std::string>()]);
    const auto t = st::power_roc_test_from_auc(osteon::metrics::roc_auc(y, s), n_cases,
                                               static_cast<double>(y.size()) - n_cases, options_of(c));
    check_result(t, c["result"]);
  }
}

TEST_CASE("power_roc_test rejects bad and under-determined arguments with the argument named") {
  using O = st::PowerRocOptions;
  CHECK_THROWS_WITH_AS(st::power_roc_test(O().auc(0.8).power(1.5)), doctest::Contains("power must be in [0, 1], got 1.5"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(st::power_roc_test(O().auc(0.8).ncases(-3)), doctest::Contains("ncases"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(st::power_roc_test(O().auc(0.8).ncases(10).power(0.8)), doctest::Contains("left unset"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(st::power_roc_test(O().auc(0.8)), doctest::Contains("power"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(st::power_roc_test(O().auc(0.5).power(0.8)), doctest::Contains("0.5"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(st::power_roc_test(O().auc(0.8).power(0.8).alternative("less")),
                       doctest::Contains("alternative"), std::invalid_argument);
  CHECK_THROWS_AS(st::power_roc_test(st::BinormalRocPair().a1(1).a2(0.5).delta(0.1), O().auc(0.7).power(0.8)),
                  std::invalid_argument);
}

TEST_CASE("brent_root follows R's uniroot") {
  // R 4.2: print(uniroot(function(x) x^3 - 2*x - 5, c(2, 3))$root, digits = 17) (tol = eps^0.25)
  const auto r = st::brent_root([](double x) { return x * x * x - 2.0 * x - 5.0; }, 2.0, 3.0);
  CHECK(r.root == doctest::Approx(2.0945412049478809).epsilon(1e-15));
  CHECK_THROWS_WITH_AS(st::brent_root([](double x) { return x * x + 1.0; }, 0.0, 1.0),
                       doctest::Contains("same sign"), std::invalid_argument);
}
