// Hand-computed cases and the error policy of osteon::stats.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "osteon/stats.hpp"
#include "test_support.hpp"

namespace st = osteon::stats;
using Vec = std::vector<double>;

using osteon::test::message_of;

TEST_CASE("mean_sd: hand-computed values and the n > ddof rule") {
  const auto s = st::mean_sd(std::array<double, 4>{2.0, 4.0, 4.0, 6.0});
  CHECK(s.mean == 4.0);
  CHECK(s.sd == doctest::Approx(std::sqrt(8.0 / 3.0)));
  CHECK(st::mean_sd(Vec{2, 4, 4, 6}, 0).sd == doctest::Approx(std::sqrt(2.0)));
  const auto message = message_of([] { st::mean_sd(Vec{0.9}); });
  CHECK(message.find("mean_sd") != std::string::npos);
  CHECK(message.find("n=1") != std::string::npos);
  CHECK(st::mean_sd(Vec{0.9}, 0).sd == 0.0);
  CHECK_THROWS_AS(st::mean_sd(Vec{1, 2}, -1), std::invalid_argument);
  CHECK(message_of([] { st::mean_sd(Vec{1, std::nan(""), 2}); }).find("values[1]") != std::string::npos);
}

TEST_CASE("paired tests: the error policy names the argument and echoes the value") {
  CHECK(message_of([] { st::paired_ttest(Vec{1, 2, 3}, Vec{1, 2}); }).find("(3 vs 2)") !=
        std::string::npos);
  CHECK(message_of([] { st::paired_ttest(Vec{1, 2, 3}, Vec{0, 1, 2}); }).find("equals 1") !=
        std::string::npos);
  CHECK(message_of([] { st::paired_ttest(Vec{1, 2}, Vec{0, 1}, st::Alternative::TwoSided, 1.5); })
            .find("1.5") != std::string::npos);
  CHECK(message_of([] { st::wilcoxon_signed_rank(Vec{1, 2}, Vec{1, 2}); }).find("zero") !=
        std::string::npos);
  // Exact with ties is refused instead of truncating the half-integer R+ (scipy 1.10's bug).
  CHECK(message_of([] {
          st::wilcoxon_signed_rank(Vec{1, 2, 3, -1}, Vec{0, 0, 0, 0}, st::ZeroMethod::Wilcox, false,
                                   st::Alternative::TwoSided, st::WilcoxonMethod::Exact);
        }).find("tie") != std::string::npos);
  CHECK_THROWS_AS(st::parse_alternative("both", "f"), std::invalid_argument);
  CHECK_THROWS_AS(st::parse_zero_method("drop"), std::invalid_argument);
}

TEST_CASE("wilcoxon_signed_rank: auto switches to the approximation on ties, as later scipy does") {
  const auto w = st::wilcoxon_signed_rank(Vec{1, 2, 3, -1, 5, 6}, Vec(6, 0.0));
  CHECK(w.method == "approx");
  CHECK(w.has_ties);
  CHECK(w.r_plus == 19.5);  // ranks of |d| = {1.5, 3, 4, 1.5, 5, 6}; positives all but the −1
  CHECK(w.r_minus == 1.5);
  // The exact null distribution of R+ for n = 3: sums 0..6 have counts 1,1,1,2,1,1,1.
  CHECK(st::detail::signed_rank_sum_counts(3) == Vec{1, 1, 1, 2, 1, 1, 1});
}

TEST_CASE("linear_regression and pearson: hand-computed perfect line and the error policy") {
  const auto fit = st::linear_regression(Vec{1, 2, 3, 4}, Vec{3, 5, 7, 9});
  CHECK(fit.slope == doctest::Approx(2.0));
  CHECK(fit.intercept == doctest::Approx(1.0));
  CHECK(fit.r2 == 1.0);
  CHECK(fit.p_value == 0.0);
  CHECK(message_of([] { st::linear_regression(Vec{2, 2, 2}, Vec{1, 2, 3}); }).find("x is constant") !=
        std::string::npos);
  CHECK(message_of([] { st::linear_regression(Vec{1, 2}, Vec{1, 2}); }).find("at least 3") !=
        std::string::npos);
  CHECK(message_of([] { st::pearson(Vec{1, 2, 3, 4}, Vec{5, 5, 5, 5}); }).find("y is constant") !=
        std::string::npos);
  CHECK(message_of([] { st::pearson(Vec{1, 2, 3}, Vec{1, 3, 2}); }).find("at least 4") !=
        std::string::npos);
  const auto perfect = st::pearson(Vec{1, 2, 3, 4}, Vec{2, 4, 6, 8});
  CHECK(perfect.r == 1.0);
  CHECK(perfect.ci_low == 1.0);  // atanh(1) = inf: the interval collapses onto r, as scipy
  CHECK(perfect.ci_high == 1.0);
}

TEST_CASE("bland_altman: hand-computed bias and limits") {
  // differences 1, -1, 1, -1: bias 0, SD sqrt(4/3)
  const auto ba = st::bland_altman(Vec{2, 1, 4, 3}, Vec{1, 2, 3, 4});
  CHECK(ba.bias == 0.0);
  CHECK(ba.sd == doctest::Approx(std::sqrt(4.0 / 3.0)));
  CHECK(ba.upper_limit == doctest::Approx(1.959963984540054 * std::sqrt(4.0 / 3.0)));
  CHECK(ba.lower_limit == doctest::Approx(-1.959963984540054 * std::sqrt(4.0 / 3.0)));
  CHECK(message_of([] { st::bland_altman(Vec{1}, Vec{2}); }).find("at least 2") != std::string::npos);
}
