#pragma once
/// @file
/// osteon::io: files in and out — state dicts in torch.save format (io/state_dict.hpp); image and
/// volume readers / writers join here (docs/data.md).
///
/// Example:
///   #include <osteon/io.hpp>
///   osteon::io::save_state_dict(*model, "model.pt");   // torch.load("model.pt") reads it

#include "osteon/io/state_dict.hpp"
