#pragma once
/// @file
/// The CPU kernel of the surface metrics (surface_distance.hpp): one (sample, class) row at a time,
/// on the row's own memory, with no tensor op and no full-size temporary.
///
/// Per row:
///   1. the bounding box of both masks' foreground, from one read of the inputs that also makes
///      foreground()'s checks (grow_box);
///   2. both masks inside the box as bytes, padded by one background voxel on every side (the
///      padding stands for the rest of the image, which is background, or for outside the image:
///      either way not the mask), in a layout whose axis 0 is contiguous and whose last axis is
///      outermost (SurfaceWorkspace::load);
///   3. their surfaces (a voxel with a face neighbour outside the mask) and the surface voxels'
///      positions;
///   4. per direction, the exact squared Euclidean distance from each surface voxel (the queries)
///      to the other surface (the features), by the separability of Felzenszwalb & Huttenlocher
///      2012: the first pass, along the last axis, is the binary one (distance to the nearest
///      feature on the line: two integer sweeps over whole slabs, which the compiler vectorises);
///      a 3-D image then finds the minimum over the other two axes by searching outwards from each
///      query in its plane until the offsets alone reach the best sum — a few reads when the
///      surfaces are near, as a good segmentation's are — and takes the passes themselves (lower
///      envelope along the middle axes, evaluated at the queries only along axis 0) where the
///      searches would cost more. Every candidate is the sum the passes form, in their order (last
///      axis first), so the distances equal the tensor path's wherever both pick the same nearest
///      voxel (that is, up to ties in the last bit);
///   5. max, sum, count within the tolerance and the percentile by selection (linear_quantile) in
///      place of a sort.

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "osteon/metrics/segmentation/distance_transform.hpp"
#include "osteon/metrics/segmentation/cpu_masks.hpp"

namespace osteon::metrics::detail {

/// The box [lo, hi] (inclusive, per spatial axis) of the foreground of one row; `any` is false
/// when the row has none.
struct RowBox {
  bool any = false;
  std::vector<int64_t> lo, hi;
};

/// Grows `box` by the foreground of row `row` of `input` (spatial `sizes`, row-major), reading it
/// line by line along the last axis; returns true when a value breaks the input's rule.
inline bool grow_box(const HostMaskInput& input, int64_t row, const std::vector<int64_t>& sizes, double threshold,
                     RowBox& box, std::vector<uint8_t>& line) {
  const auto k = static_cast<int64_t>(sizes.size());
  const int64_t n = sizes.back();
  if (box.lo.empty()) {
    box.lo = sizes;
    box.hi.assign(sizes.size(), -1);
  }
  int64_t lines = 1;
  for (int64_t d = 0; d + 1 < k; ++d) lines *= sizes[static_cast<size_t>(d)];
  if (n == 0) return false;
  line.resize(static_cast<size_t>(n));
  std::vector<int64_t> coordinate(static_cast<size_t>(k), 0);
  int64_t& lo_last = box.lo.back();
  int64_t& hi_last = box.hi.back();
  for (int64_t l = 0; l < lines; ++l) {
    if (input.read_mask(row, l * n, n, threshold, line.data())) return true;
    uint8_t any = 0;
    for (int64_t i = 0; i < n; ++i) any |= line[static_cast<size_t>(i)];
    if (any) {
      box.any = true;
      for (int64_t d = 0; d + 1 < k; ++d) {
        const auto u = static_cast<size_t>(d);
        box.lo[u] = std::min(box.lo[u], coordinate[u]);
        box.hi[u] = std::max(box.hi[u], coordinate[u]);
      }
      // Only the ends beyond the box so far can move it.
      for (int64_t i = 0; i < lo_last; ++i) {
        if (line[static_cast<size_t>(i)]) {
          lo_last = i;
          break;
        }
      }
      for (int64_t i = n - 1; i > hi_last; --i) {
        if (line[static_cast<size_t>(i)]) {
          hi_last = i;
          break;
        }
      }
    }
    for (int64_t d = k - 2; d >= 0; --d) {  // next line: odometer over the leading axes
      const auto u = static_cast<size_t>(d);
      if (++coordinate[u] < sizes[u]) break;
      coordinate[u] = 0;
    }
  }
  return false;
}

/// Type-7 ("linear") quantile of `values` at q ∈ [0, 1] with torch.quantile's arithmetic in T
/// (rank q·(n − 1) in T, then torch's lerp between the order statistics around it), by selection:
/// O(n) instead of a sort. Reorders `values`.
///
/// Example:
///   std::vector<double> d{4, 1, 3, 2};
///   osteon::metrics::detail::linear_quantile(d, 0.95);  // 3.85, as torch.quantile and numpy give
template <typename T>
T linear_quantile(std::vector<T>& values, double q) {
  const auto last = static_cast<int64_t>(values.size()) - 1;
  const T rank = static_cast<T>(q) * static_cast<T>(last);
  const auto below = static_cast<int64_t>(rank);
  const auto above = static_cast<int64_t>(std::ceil(rank));
  const T weight = rank - static_cast<T>(below);
  auto nth = values.begin() + below;
  std::nth_element(values.begin(), nth, values.end());
  const T low = *nth;
  const T high = above == below ? low : *std::min_element(nth + 1, values.end());
  // torch's vectorised lerp: from the nearer end (weight 0 or 1 gives that end), one fused
  // multiply-add.
  const bool small = std::abs(weight) < T(0.5);
  return std::fma(small ? weight : weight - T(1), high - low, small ? low : high);
}

/// Pairwise sum (error O(log n · ε) rather than O(n · ε)), as torch's cascade sum behaves.
template <typename T>
T pairwise_sum(const T* values, int64_t n) {
  if (n <= 64) {
    T total = 0;
    for (int64_t i = 0; i < n; ++i) total += values[i];
    return total;
  }
  const int64_t half = n / 2;
  return pairwise_sum(values, half) + pairwise_sum(values + half, n - half);
}

/// One direction of one row: distances from the surface voxels of one mask to the other surface.
template <typename T>
struct DirectionSummary {
  T max = 0, percentile = 0, sum = 0;
  int64_t within_tolerance = 0;
};

/// Buffers of one row, reused from row to row.
template <typename T>
struct SurfaceWorkspace {
  std::vector<int64_t> padded, stride;  ///< per axis: box size + 2; layout strides (axis 0 contiguous)
  int64_t total = 0;
  std::vector<uint8_t> mask[2], surface[2], interior, line;
  std::vector<int32_t> nearest_before, nearest_after, offset;
  std::vector<int64_t> queries_before;  ///< per line of axis 0: query voxels in the lines before it
  std::vector<int64_t> points[2];       ///< positions of the surface voxels of each mask
  std::vector<T> squared, distances, table;

  /// Memory held, in bytes.
  int64_t bytes() const {
    size_t held = interior.capacity() + line.capacity() +
                  sizeof(T) * (squared.capacity() + distances.capacity() + table.capacity()) +
                  sizeof(int32_t) * (nearest_before.capacity() + nearest_after.capacity() + offset.capacity()) +
                  sizeof(int64_t) * (queries_before.capacity() + points[0].capacity() + points[1].capacity());
    for (int side = 0; side < 2; ++side) held += mask[side].capacity() + surface[side].capacity();
    return static_cast<int64_t>(held);
  }

  /// Shapes the buffers for `box` and loads both masks into them (zeros outside the box).
  void load(const HostMaskInput* inputs[2], int64_t row, const std::vector<int64_t>& sizes, const RowBox& box,
            double threshold) {
    const auto k = static_cast<int64_t>(sizes.size());
    padded.resize(static_cast<size_t>(k));
    stride.resize(static_cast<size_t>(k));
    total = 1;
    for (int64_t d = 0; d < k; ++d) {
      const auto u = static_cast<size_t>(d);
      padded[u] = box.hi[u] - box.lo[u] + 3;
      stride[u] = total;
      total *= padded[u];
    }
    // Row-major strides of the input's spatial axes.
    std::vector<int64_t> source_stride(static_cast<size_t>(k), 1);
    for (int64_t d = k - 2; d >= 0; --d) {
      const auto u = static_cast<size_t>(d);
      source_stride[u] = source_stride[u + 1] * sizes[u + 1];
    }
    const int64_t width = box.hi.back() - box.lo.back() + 1, outer = stride.back();
    int64_t lines = 1;
    for (int64_t d = 0; d + 1 < k; ++d) lines *= box.hi[static_cast<size_t>(d)] - box.lo[static_cast<size_t>(d)] + 1;
    line.resize(static_cast<size_t>(width));
    for (int side = 0; side < 2; ++side) {
      auto& out = mask[side];
      out.assign(static_cast<size_t>(total), 0);
      std::vector<int64_t> coordinate(box.lo.begin(), box.lo.end() - 1);
      for (int64_t l = 0; l < lines; ++l) {
        int64_t source = box.lo.back(), target = outer;  // + 1 padding voxel along the last axis
        for (int64_t d = 0; d + 1 < k; ++d) {
          const auto u = static_cast<size_t>(d);
          source += coordinate[u] * source_stride[u];
          target += (coordinate[u] - box.lo[u] + 1) * stride[u];
        }
        inputs[side]->read_mask(row, source, width, threshold, line.data());  // checked by grow_box
        for (int64_t j = 0; j < width; ++j) out[static_cast<size_t>(target + j * outer)] = line[static_cast<size_t>(j)];
        for (int64_t d = k - 2; d >= 0; --d) {
          const auto u = static_cast<size_t>(d);
          if (++coordinate[u] <= box.hi[u]) break;
          coordinate[u] = box.lo[u];
        }
      }
    }
  }

  /// surface[side] = mask voxels with a face neighbour outside the mask (the padding included),
  /// and their positions in points[side]; returns their number.
  int64_t extract_surface(int side) {
    const auto& in = mask[side];
    auto& out = surface[side];
    out.assign(static_cast<size_t>(total), 0);
    interior.assign(in.begin(), in.end());
    // Every mask voxel lies at least one stride of the outermost axis from either end, and the
    // neighbours of a voxel of the interior range stay inside the buffer.
    const int64_t margin = stride.back(), begin = margin, end = total - margin;
    const uint8_t* m = in.data();
    uint8_t* inside = interior.data();
    for (int64_t s : stride) {
      for (int64_t i = begin; i < end; ++i) inside[i] &= static_cast<uint8_t>(m[i - s] & m[i + s]);
    }
    uint8_t* edge = out.data();
    for (int64_t i = begin; i < end; ++i) edge[i] = static_cast<uint8_t>(m[i] & (inside[i] ^ 1));
    // Positions, eight bytes at a time: most of the box is not surface.
    auto& where = points[side];
    where.clear();
    int64_t i = begin;
    for (; i + 8 <= end; i += 8) {
      uint64_t word;
      std::memcpy(&word, edge + i, sizeof(word));
      if (word == 0) continue;
      for (int64_t b = 0; b < 8; ++b) {
        if (edge[i + b]) where.push_back(i + b);
      }
    }
    for (; i < end; ++i) {
      if (edge[i]) where.push_back(i);
    }
    return static_cast<int64_t>(where.size());
  }

  /// The distances from the voxels of surface[query] to surface[1 − query], gathered in
  /// `distances` (square roots in T, as the tensor path takes them).
  void distances_to_other_surface(int query, const std::vector<double>& spacing) {
    const auto k = static_cast<int64_t>(spacing.size());
    squared.resize(static_cast<size_t>(total));
    binary_pass(surface[1 - query].data(), spacing.back());
    const auto& where = points[query];
    if (k == 1) {
      distances.resize(where.size());
      for (size_t q = 0; q < where.size(); ++q) distances[q] = std::sqrt(squared[static_cast<size_t>(where[q])]);
      return;
    }
    if (k == 3 && search_planes(where, spacing)) return;
    for (int64_t d = k - 2; d >= 1; --d) {
      const auto u = static_cast<size_t>(d);
      lower_envelope_lines(squared.data(), total / (stride[u] * padded[u]), padded[u], stride[u], spacing[u]);
    }
    gather_along_axis0(surface[query].data(), spacing.front());
  }

 private:
  /// First pass, along the outermost axis (the input's last): the distance to the nearest feature
  /// on each line, weight · offset² (what the lower envelope gives when f is 0 or +inf), by one
  /// sweep forward and one back over whole slabs in integers (loops the compiler vectorises),
  /// then squared through a table of weight · offset² (no branch per voxel).
  void binary_pass(const uint8_t* feature, double spacing) {
    constexpr int32_t kFar = int32_t(1) << 30;  // no feature on that side (sizes stay far below)
    const int64_t slab = stride.back(), n = padded.back();
    nearest_before.assign(static_cast<size_t>(slab), -kFar);
    nearest_after.assign(static_cast<size_t>(slab), static_cast<int32_t>(n) + kFar);
    offset.resize(static_cast<size_t>(total));
    int32_t* before = nearest_before.data();
    int32_t* after = nearest_after.data();
    for (int64_t x = 0; x < n; ++x) {
      const uint8_t* f = feature + x * slab;
      int32_t* o = offset.data() + x * slab;
      const auto position = static_cast<int32_t>(x);
      for (int64_t j = 0; j < slab; ++j) {
        before[j] = f[j] ? position : before[j];
        o[j] = position - before[j];
      }
    }
    const auto none = static_cast<int32_t>(n);  // offsets are below n; n stands for "no feature"
    for (int64_t x = n - 1; x >= 0; --x) {
      const uint8_t* f = feature + x * slab;
      int32_t* o = offset.data() + x * slab;
      const auto position = static_cast<int32_t>(x);
      for (int64_t j = 0; j < slab; ++j) {
        after[j] = f[j] ? position : after[j];
        o[j] = std::min(std::min(o[j], after[j] - position), none);
      }
    }
    const T weight = static_cast<T>(spacing * spacing);
    table.resize(static_cast<size_t>(n) + 1);
    for (int64_t t = 0; t < n; ++t) table[static_cast<size_t>(t)] = weight * T(t) * T(t);
    table[static_cast<size_t>(n)] = std::numeric_limits<T>::infinity();
    const int32_t* o = offset.data();
    T* g = squared.data();
    for (int64_t i = 0; i < total; ++i) g[i] = table[static_cast<size_t>(o[i])];
  }

  /// The last two passes of a 3-D image (axes 1 and 0 of the box), at the query voxels only:
  /// for each, min over (x0', x1') of w0 t0² + (w1 t1² + g(x0', x1', x2)), g the first pass, found
  /// by looking outwards from the query in its plane until w0 t0² + w1 t1² alone reaches the best
  /// value (exact: the same sums as the passes, whose minimum they are). Near surfaces, as a good
  /// segmentation has, this reads a few voxels per query instead of the whole box twice; when the
  /// reads exceed what the passes would cost (surfaces far apart), it gives up and returns false,
  /// leaving `squared` as the first pass left it. The decision is made per block of queries, so
  /// it does not depend on the number of threads.
  bool search_planes(const std::vector<int64_t>& where, const std::vector<double>& spacing) {
    constexpr int64_t kBlock = 1024;
    const auto n_queries = static_cast<int64_t>(where.size());
    distances.resize(where.size());
    const T w0 = static_cast<T>(spacing[0] * spacing[0]), w1 = static_cast<T>(spacing[1] * spacing[1]);
    const int64_t n0 = padded[0], n1 = padded[1], plane = n0 * n1;
    // The passes cost a few reads and writes per voxel of the box, and one read of the search
    // costs about as much as one of theirs.
    const double reads_per_query =
        4.0 * static_cast<double>(total) / static_cast<double>(std::max<int64_t>(n_queries, 1));
    const int64_t blocks = (n_queries + kBlock - 1) / kBlock;
    std::atomic<bool> too_far{false};
    at::parallel_for(0, blocks, 1, [&](int64_t first_block, int64_t end_block) {
      for (int64_t block = first_block; block < end_block && !too_far.load(std::memory_order_relaxed); ++block) {
        const int64_t begin = block * kBlock, end = std::min(n_queries, begin + kBlock);
        const auto allowed = static_cast<int64_t>(reads_per_query * static_cast<double>(end - begin)) + 64;
        int64_t reads = 0;
        for (int64_t q = begin; q < end; ++q) {
          const int64_t at = where[static_cast<size_t>(q)];
          const int64_t x0 = at % n0, x1 = (at / n0) % n1;
          const T* slice = squared.data() + (at / plane) * plane;  // the query's plane
          T best = std::numeric_limits<T>::infinity();
          for (int64_t t0 = 0;; ++t0) {
            const T a0 = w0 * T(t0) * T(t0);
            if (!(a0 < best)) break;
            const bool low = x0 - t0 >= 0, high = x0 + t0 < n0;
            if (!low && !high) break;
            for (int side0 = 0; side0 < (t0 == 0 ? 1 : 2); ++side0) {
              if (side0 == 0 ? !low : !high) continue;
              const T* column = slice + (side0 == 0 ? x0 - t0 : x0 + t0);
              for (int64_t t1 = 0;; ++t1) {
                const T b1 = w1 * T(t1) * T(t1);
                if (!(a0 + b1 < best)) break;  // a lower bound of every sum below
                const bool down = x1 - t1 >= 0, up = x1 + t1 < n1;
                if (!down && !up) break;
                if (down) best = std::min(best, a0 + (b1 + column[(x1 - t1) * n0]));
                if (up && t1 > 0) best = std::min(best, a0 + (b1 + column[(x1 + t1) * n0]));
                reads += 2;
              }
            }
          }
          distances[static_cast<size_t>(q)] = std::sqrt(best);
          if (reads > allowed) {
            too_far.store(true, std::memory_order_relaxed);
            return;
          }
        }
      }
    });
    return !too_far.load();
  }

  /// Last pass, along axis 0 (contiguous lines), at the query voxels only, square roots gathered
  /// line by line. A line with few queries takes, for each, min_j f[j] + w (i − j)² by looking
  /// outwards from i until w (i − j)² alone reaches the best value found (exact, and a few steps
  /// when the other surface is near); a line with many takes the lower envelope.
  void gather_along_axis0(const uint8_t* wanted, double spacing) {
    constexpr int64_t kSearchQueries = 8;
    const int64_t n = padded.front(), lines = total / n;
    queries_before.resize(static_cast<size_t>(lines) + 1);
    queries_before[0] = 0;
    for (int64_t l = 0; l < lines; ++l) {
      int64_t count = 0;
      for (int64_t i = 0; i < n; ++i) count += wanted[l * n + i];
      queries_before[static_cast<size_t>(l) + 1] = queries_before[static_cast<size_t>(l)] + count;
    }
    distances.resize(static_cast<size_t>(queries_before.back()));
    const T weight = static_cast<T>(spacing * spacing);
    at::parallel_for(0, lines, 64, [&](int64_t begin, int64_t end) {
      std::vector<int64_t> v(static_cast<size_t>(n));
      std::vector<T> z(static_cast<size_t>(n) + 1);
      for (int64_t l = begin; l < end; ++l) {
        int64_t next = queries_before[static_cast<size_t>(l)];
        const int64_t count = queries_before[static_cast<size_t>(l) + 1] - next;
        if (count == 0) continue;
        const T* f = squared.data() + l * n;
        const uint8_t* w = wanted + l * n;
        if (count <= kSearchQueries) {
          for (int64_t i = 0; i < n; ++i) {
            if (w[i]) distances[static_cast<size_t>(next++)] = std::sqrt(nearest_on_line(f, n, weight, i));
          }
          continue;
        }
        const bool any_feature = lower_envelope_build(f, n, weight, v.data(), z.data()) >= 0;
        int64_t j = 0;
        for (int64_t i = 0; i < n; ++i) {
          if (!w[i]) continue;
          T value = std::numeric_limits<T>::infinity();
          if (any_feature) {
            while (z[static_cast<size_t>(j) + 1] < T(i)) ++j;
            value = lower_envelope_value(f, weight, v[static_cast<size_t>(j)], i);
          }
          distances[static_cast<size_t>(next++)] = std::sqrt(value);
        }
      }
    });
  }

  /// min_j f[j] + weight (i − j)², searching outwards from i: every candidate at offset t is at
  /// least weight t², so the search stops once that reaches the best value.
  static T nearest_on_line(const T* f, int64_t n, T weight, int64_t i) {
    T best = lower_envelope_value(f, weight, i, i);
    for (int64_t t = 1;; ++t) {
      const T step = T(t);
      if (!(weight * step * step < best)) break;  // also ends a line without features (best = +inf)
      const bool left = i - t >= 0, right = i + t < n;
      if (!left && !right) break;
      if (left) best = std::min(best, lower_envelope_value(f, weight, i - t, i));
      if (right) best = std::min(best, lower_envelope_value(f, weight, i + t, i));
    }
    return best;
  }
};

/// Max, sum, count within `tolerance` and (if asked) the q-quantile of `distances` (reordered).
template <typename T>
DirectionSummary<T> summarise(std::vector<T>& distances, bool with_percentile, double q, double tolerance) {
  DirectionSummary<T> out;
  const auto n = static_cast<int64_t>(distances.size());
  if (n == 0) return out;
  out.max = *std::max_element(distances.begin(), distances.end());
  out.sum = pairwise_sum(distances.data(), n);
  const T limit = static_cast<T>(tolerance);  // compared in T, as torch's le does
  int64_t within = 0;
  for (T d : distances) within += d <= limit;
  out.within_tolerance = within;
  if (with_percentile) out.percentile = linear_quantile(distances, q);
  return out;
}

}  // namespace osteon::metrics::detail
