#pragma once
/// @file
/// The one options style of osteon: LibTorch's TORCH_ARG (torch/arg.h), without LibTorch, so that
/// torch-free host code (stats, split, host metrics, io, data) declares its options the same way as
/// the modules do: a chained setter and a getter per option, defaults beside the declaration.
/// OSTEON_CRTP_ARG is the same for a block of options that several options structs share (the
/// region losses' RegionLossOptions): its setters return the derived struct, so chains keep going.
///
/// Example:
///   struct ReplicateOptions {
///     OSTEON_ARG(std::int64_t, n_boot) = 2000;   ///< replicates (pROC's boot.n)
///     OSTEON_ARG(std::uint64_t, seed) = 0;
///   };
///   auto options = ReplicateOptions().n_boot(500).seed(7);
///   std::int64_t n = options.n_boot();

#include <utility>

/// Declares `name(value)` (sets, returns *this for chaining), `name()` (reads) and the member
/// `name_`, exactly as TORCH_ARG does; the default follows the macro: `OSTEON_ARG(double, level) = 0.95;`.
#define OSTEON_ARG(T, name) OSTEON_ARG_DECLARE_(T, name, decltype(*this), *this)

/// OSTEON_ARG inside a CRTP base `template <typename Derived> struct Block`: the setter returns
/// `Derived&`, so `DerivedOptions().from_block(1).own_option(2)` chains through the shared block.
/// The default follows the macro, as with OSTEON_ARG.
#define OSTEON_CRTP_ARG(T, name) OSTEON_ARG_DECLARE_(T, name, Derived&, static_cast<Derived&>(*this))

/// The two setters (copy and move), the two getters and the member; the setters return `self`.
#define OSTEON_ARG_DECLARE_(T, name, Self, self)                              \
 public:                                                                      \
  inline auto name(const T& new_##name)->Self { /* NOLINT */                  \
    this->name##_ = new_##name;                                               \
    return self;                                                              \
  }                                                                           \
  inline auto name(T&& new_##name)->Self { /* NOLINT */                       \
    this->name##_ = std::move(new_##name);                                    \
    return self;                                                              \
  }                                                                           \
  inline const T& name() const noexcept { /* NOLINT */                        \
    return this->name##_;                                                     \
  }                                                                           \
  inline T& name() noexcept { /* NOLINT */                                    \
    return this->name##_;                                                     \
  }                                                                           \
                                                                              \
 private:                                                                     \
  T name##_ /* NOLINT */
