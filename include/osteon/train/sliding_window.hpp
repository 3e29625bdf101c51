#pragma once
/// @file
/// Volumes through sliding-window inference (osteon::data::sliding_window_inference, MONAI's
/// keywords and meaning) inside predict / evaluate / cross_validate: a TrainModel whose forward
/// tiles the input with windows of `roi_size` and stitches the model's outputs.

#include <cstdint>
#include <utility>
#include <vector>

#include "osteon/data/sliding_window.hpp"
#include "osteon/train/model.hpp"

namespace osteon::train {

/// `model` seen through sliding windows; pass the result to predict / evaluate (batch_size 1 for
/// whole volumes). Training still uses `model` itself.
///
/// Example:
///   auto windows = osteon::train::sliding_window_model(osteon::train::make_model(vnet), {64, 64, 64}, 4,
///       osteon::data::SlidingWindowOptions().overlap({0.5}).mode("gaussian"));
///   auto p = osteon::train::predict(windows, volumes, osteon::train::PredictOptions().batch_size(1));
inline TrainModel sliding_window_model(TrainModel model, std::vector<std::int64_t> roi_size, std::int64_t sw_batch_size,
                                       data::SlidingWindowOptions options = {}) {
  TrainModel windows = model;
  auto forward = model.forward;
  windows.forward = [forward, roi_size = std::move(roi_size), sw_batch_size, options](const torch::Tensor& x) {
    return data::sliding_window_inference(x, roi_size, sw_batch_size, forward, options);
  };
  return windows;
}

}  // namespace osteon::train
