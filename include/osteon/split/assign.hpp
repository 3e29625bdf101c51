#pragma once
/// @file
/// The balancing algorithm behind every splitter: assign whole groups to parts (folds, or the two
/// sides of a holdout) so that every stratum and every part gets its target share.
///
/// 1. Greedy, largest group first (sklearn's StratifiedGroupKFold heuristic for groups with one
///    label): each group goes to the part whose count of the group's stratum lies furthest below
///    its target; ties go to the part furthest below its size target, then to a seeded random part
///    (or the lowest index without shuffling). Groups of equal size come in seeded random order.
/// 2. Every part receives at least one group of every stratum (a test fold without cases has no
///    AUC): an empty cell takes the smallest group of its stratum from the part that has most.
/// 3. Local search: move one group, or swap two, between two parts when that lowers the squared
///    deviation D = Σ_f [Σ_c (W (N n_fc − N_c n_f))² + (N (W n_f − A_f))²] (the first term is the
///    deviation of stratum c's proportion in part f from its cohort proportion N_c / N, scaled by
///    N n_f; the second the deviation of the part's size from its target), then D without the
///    size term, then the size and prevalence spreads themselves (D only approximates them). A
///    move is taken only if no spread (size, prevalence, share; see balance.hpp) gets worse. D is
///    an integer that falls at every step, and the spreads phase lowers one spread per step
///    without raising another, so the search ends. Pairs of parts are visited in turn, each
///    improved by its best move until it cannot be, until a sweep over all pairs changes nothing.
///    See docs/split.md.
/// Every decision is made in integers, or on a single IEEE division, so a seed gives the same
/// split on every platform.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <vector>

#include "osteon/core/check.hpp"
#include "osteon/core/int128.hpp"
#include "osteon/core/rng.hpp"
#include "osteon/split/balance.hpp"
#include "osteon/split/cohort.hpp"

namespace osteon::split::detail {

using osteon::detail::Int128;

/// Integer targets: part f should hold A_f / W of the samples and A_fc / W of stratum c
/// (W = k and A = N for k equal folds; W = 1 and rounded counts for a holdout).
struct PartTargets {
  std::int64_t scale = 1;
  std::vector<std::int64_t> size;                  ///< A_f
  std::vector<std::vector<std::int64_t>> stratum;  ///< A_fc, [part][stratum]

  std::size_t n_parts() const { return size.size(); }
};

/// k equal parts.
inline PartTargets kfold_targets(const Cohort& cohort, std::int64_t n_parts) {
  PartTargets targets;
  targets.scale = n_parts;
  targets.size.assign(static_cast<std::size_t>(n_parts), cohort.n_samples);
  targets.stratum.assign(static_cast<std::size_t>(n_parts), cohort.stratum_samples);
  return targets;
}

/// Two parts, train (0) and test (1), with round(test_size × N) test samples shared among the
/// strata by largest remainder (Hamilton's method), so the stratum targets add up to the total.
inline PartTargets holdout_targets(const Cohort& cohort, double test_size) {
  PartTargets targets;
  const std::int64_t n_test = std::llround(test_size * static_cast<double>(cohort.n_samples));
  const auto n_strata = static_cast<std::size_t>(cohort.n_strata);
  std::vector<std::int64_t> test(n_strata);
  std::vector<double> remainder(n_strata);
  std::int64_t assigned = 0;
  for (std::size_t c = 0; c < n_strata; ++c) {
    const double exact = test_size * static_cast<double>(cohort.stratum_samples[c]);
    test[c] = static_cast<std::int64_t>(std::floor(exact));
    remainder[c] = exact - static_cast<double>(test[c]);
    assigned += test[c];
  }
  std::vector<std::size_t> order(n_strata);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t i = 0; assigned < n_test && i < n_strata; ++i, ++assigned) ++test[order[i]];
  std::vector<std::int64_t> train(n_strata);
  for (std::size_t c = 0; c < n_strata; ++c) train[c] = cohort.stratum_samples[c] - test[c];
  targets.size = {cohort.n_samples - n_test, n_test};
  targets.stratum = {train, test};
  return targets;
}

/// One group moving from one part to another.
struct GroupMove {
  std::int64_t group;
  std::int64_t from;
  std::int64_t to;
};

/// A partition of the groups under construction, with the counts the objective needs.
class Partition {
 public:
  Partition(const Cohort& cohort, PartTargets targets)
      : cohort_(cohort), targets_(std::move(targets)), n_parts_(static_cast<std::int64_t>(targets_.n_parts())) {
    const auto parts = static_cast<std::size_t>(n_parts_);
    const auto strata = static_cast<std::size_t>(cohort.n_strata);
    // The objective squares terms up to W·N² in Int128: keep them below 2^62.
    const std::int64_t n = std::max<std::int64_t>(cohort.n_samples, 1);
    OSTEON_CHECK_ARG(targets_.scale <= ((std::int64_t{1} << 62) / n) / n,
                     "split: cohort too large for exact integer balancing: ", cohort.n_samples, " samples and ",
                     targets_.scale, " parts give terms beyond 2^62");
    counts_.assign(parts, std::vector<std::int64_t>(strata, 0));
    cell_groups_.assign(parts, std::vector<std::int64_t>(strata, 0));
    sizes_.assign(parts, 0);
    buckets_.assign(parts, std::vector<Bucket>(strata));
    part_of_group_.assign(static_cast<std::size_t>(cohort.n_groups()), -1);
  }

  std::int64_t n_parts() const { return n_parts_; }
  const std::vector<std::int64_t>& part_of_group() const { return part_of_group_; }

  /// Greedy placement, largest groups first (step 1).
  void place_greedily(bool shuffle, Pcg32& rng) {
    std::vector<std::int64_t> order(static_cast<std::size_t>(cohort_.n_groups()));
    std::iota(order.begin(), order.end(), std::int64_t{0});
    if (shuffle) osteon::shuffle(order.begin(), order.end(), rng);
    std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
      return cohort_.group_size[static_cast<std::size_t>(a)] > cohort_.group_size[static_cast<std::size_t>(b)];
    });
    for (const std::int64_t group : order) {
      const auto stratum = static_cast<std::size_t>(cohort_.group_stratum[static_cast<std::size_t>(group)]);
      std::int64_t best = -1;
      std::int64_t n_tied = 0;
      for (std::int64_t part = 0; part < n_parts_; ++part) {
        if (best >= 0) {
          const std::int64_t cmp_stratum = cell_deviation(part, stratum) - cell_deviation(best, stratum);
          const std::int64_t cmp_size = size_deviation(part) - size_deviation(best);
          if (cmp_stratum > 0 || (cmp_stratum == 0 && cmp_size > 0)) continue;
          if (cmp_stratum == 0 && cmp_size == 0) {
            // Reservoir choice among equally good parts: uniform, one draw per tie.
            ++n_tied;
            if (shuffle && rng.uniform_below(static_cast<std::uint64_t>(n_tied)) == 0) best = part;
            continue;
          }
        }
        best = part;
        n_tied = 1;
      }
      add(group, best);
    }
  }

  /// Gives every (part, stratum) cell at least one group (step 2). Needs at least n_parts groups
  /// in every stratum, which the callers check.
  void fill_empty_cells() {
    for (std::int64_t part = 0; part < n_parts_; ++part) {
      for (std::size_t stratum = 0; stratum < static_cast<std::size_t>(cohort_.n_strata); ++stratum) {
        if (cell_groups_[static_cast<std::size_t>(part)][stratum] > 0) continue;
        std::int64_t donor = -1;
        for (std::int64_t other = 0; other < n_parts_; ++other) {
          if (donor < 0 || cell_groups_[static_cast<std::size_t>(other)][stratum] >
                               cell_groups_[static_cast<std::size_t>(donor)][stratum]) {
            donor = other;
          }
        }
        const Bucket& bucket = buckets_[static_cast<std::size_t>(donor)][stratum];
        const std::int64_t group = bucket.begin()->second.back();  // a smallest group
        apply({group, donor, part});
      }
    }
  }

  /// Local search (step 3); at most `max_steps` improving moves.
  /// What a local-search step must improve.
  enum class Goal {
    Objective,          ///< D with its size term (no spread may grow)
    Proportions,        ///< D without the size term (no spread may grow)
    Spreads,            ///< the size or prevalence spread itself (none may grow); best = lowest spreads
  };

  /// Applies improving moves for `goal` until none is left or `max_steps`; returns the count.
  std::int64_t refine(Goal goal, std::int64_t max_steps) {
    with_size_term_ = goal == Goal::Objective;
    Balance current = balance();
    OtherParts others;
    std::int64_t steps = 0;
    // Sweeps over the pairs of parts; each pair is improved (best move first) until it cannot be,
    // and the sweeps repeat until one changes nothing.
    for (bool improved = true; improved && steps < max_steps;) {
      improved = false;
      for (std::int64_t a = 0; a < n_parts_; ++a) {
        for (std::int64_t b = 0; b < n_parts_; ++b) {
          if (a == b) continue;
          extremes_of_others(a, b, others);  // a move between a and b leaves them as they are
          if (goal == Goal::Spreads && !spreads_can_fall(others, current)) continue;
          while (steps < max_steps && improve_pair(goal, a, b, others, current)) {
            ++steps;
            improved = true;
          }
        }
      }
    }
    return steps;
  }

  /// Balance of the current partition, with part sizes measured against their targets.
  Balance balance() const {
    Balance out = balance_from_counts(counts_);
    std::int64_t low = size_deviation(0);
    std::int64_t high = low;
    for (std::int64_t part = 1; part < n_parts_; ++part) {
      low = std::min(low, size_deviation(part));
      high = std::max(high, size_deviation(part));
    }
    out.size_spread = high - low;
    return out;
  }

 private:
  // Extremes over every part but the two a move touches, so that the move's balance costs O(C).
  struct OtherParts {
    std::vector<double> prevalence_low, prevalence_high;  // per stratum
    std::vector<std::int64_t> count_low, count_high;       // per stratum
    std::int64_t size_low = 0, size_high = 0;
  };

  void extremes_of_others(std::int64_t a, std::int64_t b, OtherParts& out) const {
    const auto n_strata = static_cast<std::size_t>(cohort_.n_strata);
    out.prevalence_low.assign(n_strata, 1.0);
    out.prevalence_high.assign(n_strata, 0.0);
    out.count_low.assign(n_strata, std::numeric_limits<std::int64_t>::max());
    out.count_high.assign(n_strata, std::numeric_limits<std::int64_t>::min());
    out.size_low = std::numeric_limits<std::int64_t>::max();
    out.size_high = std::numeric_limits<std::int64_t>::min();
    for (std::int64_t part = 0; part < n_parts_; ++part) {
      if (part == a || part == b) continue;
      out.size_low = std::min(out.size_low, size_deviation(part));
      out.size_high = std::max(out.size_high, size_deviation(part));
      for (std::size_t c = 0; c < n_strata; ++c) add_to_extremes(part, c, out.prevalence_low[c], out.prevalence_high[c],
                                                                 out.count_low[c], out.count_high[c]);
    }
  }

  void add_to_extremes(std::int64_t part, std::size_t c, double& prevalence_low, double& prevalence_high,
                       std::int64_t& count_low, std::int64_t& count_high) const {
    const auto p = static_cast<std::size_t>(part);
    // The same single division as balance_from_counts, so both give identical doubles.
    const double fraction =
        sizes_[p] > 0 ? static_cast<double>(counts_[p][c]) / static_cast<double>(sizes_[p]) : 0.0;
    prevalence_low = std::min(prevalence_low, fraction);
    prevalence_high = std::max(prevalence_high, fraction);
    count_low = std::min(count_low, counts_[p][c]);
    count_high = std::max(count_high, counts_[p][c]);
  }

  // balance(), computed from the extremes of the other parts and the current counts of a and b.
  Balance balance_between(std::int64_t a, std::int64_t b, const OtherParts& others) const {
    Balance out;
    const std::int64_t size_low = std::min({others.size_low, size_deviation(a), size_deviation(b)});
    const std::int64_t size_high = std::max({others.size_high, size_deviation(a), size_deviation(b)});
    out.size_spread = size_high - size_low;
    for (std::size_t c = 0; c < static_cast<std::size_t>(cohort_.n_strata); ++c) {
      double low = others.prevalence_low[c], high = others.prevalence_high[c];
      std::int64_t fewest = others.count_low[c], most = others.count_high[c];
      add_to_extremes(a, c, low, high, fewest, most);
      add_to_extremes(b, c, low, high, fewest, most);
      out.class_spread = std::max(out.class_spread, high - low);
      const std::int64_t total = cohort_.stratum_samples[c];
      if (total > 0) {
        out.share_spread = std::max(out.share_spread, static_cast<double>(most - fewest) / static_cast<double>(total));
      }
    }
    return out;
  }

  /// Applies the best improving move between parts a and b, if there is one.
  bool improve_pair(Goal goal, std::int64_t a, std::int64_t b, const OtherParts& others, Balance& current) {
    Int128 best_delta;  // zero: only improving moves
    std::array<GroupMove, 2> best_moves{};
    std::size_t best_count = 0;
    Balance best_balance = current;
    auto consider = [&](const std::array<GroupMove, 2>& moves, std::size_t count) {
      Int128 delta;
      if (goal != Goal::Spreads) {
        delta = objective_delta(moves, count);
        if (!(delta < best_delta)) return;
      }
      for (std::size_t i = 0; i < count; ++i) apply_counts(moves[i], +1);
      const Balance after = balance_between(a, b, others);
      for (std::size_t i = count; i-- > 0;) apply_counts(moves[i], -1);
      if (after.size_spread > current.size_spread || after.class_spread > current.class_spread ||
          after.share_spread > current.share_spread) {
        return;
      }
      if (goal == Goal::Spreads) {
        if (!(after.class_spread < current.class_spread || after.size_spread < current.size_spread)) return;
        if (best_count > 0 && !spreads_less(after, best_balance)) return;
      }
      best_delta = delta;
      best_moves = moves;
      best_count = count;
      best_balance = after;
    };
    const auto n_strata = static_cast<std::size_t>(cohort_.n_strata);
    const auto pa = static_cast<std::size_t>(a);
    const auto pb = static_cast<std::size_t>(b);
    for (std::size_t c = 0; c < n_strata; ++c) {
      const bool a_can_give = cell_groups_[pa][c] > 1;
      for (const auto& [size_a, groups_a] : buckets_[pa][c]) {
        const std::int64_t g = groups_a.back();
        if (a_can_give) consider({GroupMove{g, a, b}, GroupMove{}}, 1);
        // Swap within the stratum: a net transfer of size_a − size_b.
        for (const auto& [size_b, groups_b] : buckets_[pb][c]) {
          if (size_b >= size_a) break;
          consider({GroupMove{g, a, b}, GroupMove{groups_b.back(), b, a}}, 2);
        }
        // Swap across strata (each unordered pair of strata once).
        if (!a_can_give) continue;
        for (std::size_t c2 = c + 1; c2 < n_strata; ++c2) {
          if (cell_groups_[pb][c2] < 2) continue;
          for (const auto& [size_b, groups_b] : buckets_[pb][c2]) {
            consider({GroupMove{g, a, b}, GroupMove{groups_b.back(), b, a}}, 2);
          }
        }
      }
    }
    if (best_count == 0) return false;
    for (std::size_t i = 0; i < best_count; ++i) apply(best_moves[i]);
    current = best_balance;
    return true;
  }

  // False when the other parts alone already span both current spreads: then no move between
  // the remaining two parts can lower either.
  bool spreads_can_fall(const OtherParts& others, const Balance& current) const {
    if (n_parts_ <= 2) return true;
    if (others.size_high - others.size_low < current.size_spread) return true;
    double class_floor = 0.0;
    for (std::size_t c = 0; c < others.prevalence_low.size(); ++c) {
      class_floor = std::max(class_floor, others.prevalence_high[c] - others.prevalence_low[c]);
    }
    return class_floor < current.class_spread;
  }

  static bool spreads_less(const Balance& a, const Balance& b) {
    if (a.class_spread != b.class_spread) return a.class_spread < b.class_spread;
    if (a.size_spread != b.size_spread) return a.size_spread < b.size_spread;
    return a.share_spread < b.share_spread;
  }

  // Groups of one (part, stratum) cell by size: size → group ids (std::map: deterministic order).
  using Bucket = std::map<std::int64_t, std::vector<std::int64_t>>;

  std::int64_t cell_deviation(std::int64_t part, std::size_t stratum) const {
    const auto p = static_cast<std::size_t>(part);
    return targets_.scale * counts_[p][stratum] - targets_.stratum[p][stratum];
  }
  std::int64_t size_deviation(std::int64_t part) const {
    const auto p = static_cast<std::size_t>(part);
    return targets_.scale * sizes_[p] - targets_.size[p];
  }

  void apply_counts(const GroupMove& move, std::int64_t sign) {
    const auto group = static_cast<std::size_t>(move.group);
    const auto stratum = static_cast<std::size_t>(cohort_.group_stratum[group]);
    const std::int64_t size = sign * cohort_.group_size[group];
    counts_[static_cast<std::size_t>(move.from)][stratum] -= size;
    counts_[static_cast<std::size_t>(move.to)][stratum] += size;
    sizes_[static_cast<std::size_t>(move.from)] -= size;
    sizes_[static_cast<std::size_t>(move.to)] += size;
  }

  void add(std::int64_t group, std::int64_t part) {
    const auto g = static_cast<std::size_t>(group);
    const auto p = static_cast<std::size_t>(part);
    const auto stratum = static_cast<std::size_t>(cohort_.group_stratum[g]);
    counts_[p][stratum] += cohort_.group_size[g];
    sizes_[p] += cohort_.group_size[g];
    ++cell_groups_[p][stratum];
    buckets_[p][stratum][cohort_.group_size[g]].push_back(group);
    part_of_group_[g] = part;
  }

  void remove(std::int64_t group) {
    const auto g = static_cast<std::size_t>(group);
    const auto p = static_cast<std::size_t>(part_of_group_[g]);
    const auto stratum = static_cast<std::size_t>(cohort_.group_stratum[g]);
    counts_[p][stratum] -= cohort_.group_size[g];
    sizes_[p] -= cohort_.group_size[g];
    --cell_groups_[p][stratum];
    Bucket& bucket = buckets_[p][stratum];
    auto it = bucket.find(cohort_.group_size[g]);
    std::vector<std::int64_t>& members = it->second;
    // Moves take a bucket's last group, so search from the back.
    members.erase(std::find(members.rbegin(), members.rend(), group).base() - 1);
    if (members.empty()) bucket.erase(it);
    part_of_group_[g] = -1;
  }

  void apply(const GroupMove& move) {
    remove(move.group);
    add(move.group, move.to);
  }

  // Change of D for the moves. A move changes the sizes of its two parts, and with them the
  // proportion deviation of every stratum in those parts.
  Int128 objective_delta(const std::array<GroupMove, 2>& moves, std::size_t count) {
    Int128 before = part_objective(moves[0].from) + part_objective(moves[0].to);
    for (std::size_t i = 0; i < count; ++i) apply_counts(moves[i], +1);
    const Int128 after = part_objective(moves[0].from) + part_objective(moves[0].to);
    for (std::size_t i = count; i-- > 0;) apply_counts(moves[i], -1);
    return after - before;
  }

  // Part f's share of D: Σ_c (W (N n_fc − N_c n_f))² + (N (W n_f − A_f))².
  Int128 part_objective(std::int64_t part) const {
    const auto p = static_cast<std::size_t>(part);
    const std::int64_t n = cohort_.n_samples;
    Int128 total = with_size_term_ ? Int128::square(n * size_deviation(part)) : Int128{};
    for (std::size_t c = 0; c < counts_[p].size(); ++c) {
      total = total + Int128::square(targets_.scale * (n * counts_[p][c] - cohort_.stratum_samples[c] * sizes_[p]));
    }
    return total;
  }

  const Cohort& cohort_;
  PartTargets targets_;
  std::int64_t n_parts_;
  std::vector<std::vector<std::int64_t>> counts_;       // samples, [part][stratum]
  std::vector<std::vector<std::int64_t>> cell_groups_;  // groups, [part][stratum]
  std::vector<std::int64_t> sizes_;                     // samples per part
  std::vector<std::vector<Bucket>> buckets_;            // [part][stratum]
  std::vector<std::int64_t> part_of_group_;
  bool with_size_term_ = true;
};

/// Assigns every group of `cohort` to a part (steps 1–3 above); returns the part of each group.
inline std::vector<std::int64_t> assign_groups(const Cohort& cohort, PartTargets targets, bool shuffle, Pcg32& rng) {
  Partition partition(cohort, std::move(targets));
  partition.place_greedily(shuffle, rng);
  partition.fill_empty_cells();
  // Each step lowers the integer D; the cap only bounds pathological inputs.
  const std::int64_t max_steps = std::max<std::int64_t>(1000, 4 * cohort.n_groups());
  using Goal = Partition::Goal;
  partition.refine(Goal::Objective, max_steps);
  partition.refine(Goal::Proportions, max_steps);
  // D is a smooth stand-in for the spreads; finish on the spreads themselves.
  for (int round = 0; round < 4 && partition.refine(Goal::Spreads, max_steps) > 0; ++round) {
    partition.refine(Goal::Proportions, max_steps);
  }
  return partition.part_of_group();
}

}  // namespace osteon::split::detail
