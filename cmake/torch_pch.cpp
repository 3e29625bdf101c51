// The translation unit that owns the tree's precompiled <torch/torch.h> (CMakeLists.txt,
// osteon_reuse_torch_pch): CMake needs a source to attach a precompiled header to.
