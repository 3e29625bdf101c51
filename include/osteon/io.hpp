#pragma once
/// @file
/// osteon::io: files in and out — state dicts in torch.save format (io/state_dict.hpp); images and
/// volumes (io/read_image.hpp: PNG, JPEG, TIFF, NIfTI, DICOM; docs/io.md) and their torch view
/// (io/image_tensor.hpp). The image readers alone are torch-free: include osteon/io/read_image.hpp
/// and link osteon::io.
///
/// Example:
///   #include <osteon/io.hpp>
///   osteon::io::save_state_dict(*model, "model.pt");   // torch.load("model.pt") reads it
///   torch::Tensor ct = osteon::io::to_tensor(osteon::io::read_image("ct.nii.gz"));

#include "osteon/io/image_tensor.hpp"
#include "osteon/io/read_image.hpp"
#include "osteon/io/state_dict.hpp"
