# Finds the image libraries behind osteon::io (the torch-free readers and writers of io/):
# libpng, libjpeg(-turbo), libtiff, zlib, nifticlib (NIFTI::nifti2, reads NIfTI-1 and -2) and GDCM
# (gdcmMSFF, with its JPEG / JPEG-LS / JPEG 2000 codecs). Used by the build and by osteonConfig.cmake.
macro(osteon_find_io_libraries)
  find_package(PNG REQUIRED)
  find_package(JPEG REQUIRED)
  find_package(TIFF REQUIRED)
  find_package(ZLIB REQUIRED)
  find_package(NIFTI CONFIG REQUIRED)
  if(NOT TARGET gdcmMSFF)
    # GDCM's config also describes its optional VTK module; osteon does not use it.
    set(GDCM_SKIP_USE_VTK ON)
    find_package(GDCM CONFIG REQUIRED)
  endif()
endmacro()
