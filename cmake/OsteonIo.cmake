# Finds the image libraries behind osteon::io (the torch-free readers and writers of io/):
# libpng, libjpeg(-turbo), libtiff, zlib, libdeflate, nifticlib (libnifti2: NIfTI-1 and -2
# headers) and GDCM (gdcmMSFF, with its JPEG / JPEG-LS / JPEG 2000 codecs). Used by the build and
# by osteonConfig.cmake.
#
# Debian 12's NIFTIConfig.cmake names /usr/lib/libznz.so.3.0.0, which does not exist (the library
# is in /usr/lib/x86_64-linux-gnu), and libdeflate ships no CMake config: both are found by hand as
# the imported targets osteon::nifti2 and osteon::deflate.
macro(osteon_find_io_libraries)
  find_package(PNG REQUIRED)
  find_package(JPEG REQUIRED)
  find_package(TIFF REQUIRED)
  find_package(ZLIB REQUIRED)
  if(NOT TARGET osteon::nifti2)
    find_path(OSTEON_NIFTI_INCLUDE_DIR nifti2_io.h PATH_SUFFIXES nifti REQUIRED)
    find_library(OSTEON_NIFTI2_LIBRARY nifti2 REQUIRED)
    find_library(OSTEON_ZNZ_LIBRARY znz REQUIRED)
    add_library(osteon::nifti2 INTERFACE IMPORTED GLOBAL)
    set_target_properties(osteon::nifti2 PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES "${OSTEON_NIFTI_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "${OSTEON_NIFTI2_LIBRARY};${OSTEON_ZNZ_LIBRARY};ZLIB::ZLIB;m")
  endif()
  if(NOT TARGET osteon::deflate)
    find_path(OSTEON_DEFLATE_INCLUDE_DIR libdeflate.h REQUIRED)
    find_library(OSTEON_DEFLATE_LIBRARY deflate REQUIRED)
    add_library(osteon::deflate INTERFACE IMPORTED GLOBAL)
    set_target_properties(osteon::deflate PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES "${OSTEON_DEFLATE_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "${OSTEON_DEFLATE_LIBRARY}")
  endif()
  if(NOT TARGET gdcmMSFF)
    # GDCM's config also describes its optional VTK module; osteon does not use it.
    set(GDCM_SKIP_USE_VTK ON)
    find_package(GDCM CONFIG REQUIRED)
  endif()
endmacro()
