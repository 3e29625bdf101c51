# Finds LibTorch from Debian (system CMake path) or from a pip torch (torch.utils.cmake_prefix_path,
# which names a folder that does not exist on Debian: prepend it only when it exists).
macro(osteon_find_torch)
  if(NOT TARGET torch)
    if(NOT Torch_DIR)
      find_program(OSTEON_PYTHON_FOR_TORCH NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
      if(OSTEON_PYTHON_FOR_TORCH)
        execute_process(
          COMMAND ${OSTEON_PYTHON_FOR_TORCH} -c "import torch.utils; print(torch.utils.cmake_prefix_path)"
          OUTPUT_VARIABLE _osteon_torch_prefix OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
        if(_osteon_torch_prefix AND EXISTS "${_osteon_torch_prefix}")
          list(PREPEND CMAKE_PREFIX_PATH "${_osteon_torch_prefix}")
        endif()
      endif()
    endif()
    find_package(Torch REQUIRED)
  endif()
endmacro()
