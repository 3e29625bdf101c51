#pragma once
/// @file
/// osteon's version, the one source of it: CMakeLists.txt parses these lines for project(VERSION),
/// setup.py for the Python package's version, and the Python module reports it as
/// `osteon.__version__`. Semantic versioning: a minor release may deprecate, a major one removes.
///
/// Example:
///   static_assert(OSTEON_VERSION_MAJOR == 0, "osteon 0.x");
///   const char* version = OSTEON_VERSION_STRING;   // "0.2.0"

#define OSTEON_VERSION_MAJOR 0
#define OSTEON_VERSION_MINOR 2
#define OSTEON_VERSION_PATCH 0

#define OSTEON_VERSION_STRINGIFY_(x) #x
#define OSTEON_VERSION_STRINGIFY(x) OSTEON_VERSION_STRINGIFY_(x)
/// "MAJOR.MINOR.PATCH".
#define OSTEON_VERSION_STRING                                                   \
  OSTEON_VERSION_STRINGIFY(OSTEON_VERSION_MAJOR) "." OSTEON_VERSION_STRINGIFY( \
      OSTEON_VERSION_MINOR) "." OSTEON_VERSION_STRINGIFY(OSTEON_VERSION_PATCH)

/// MAJOR * 10000 + MINOR * 100 + PATCH, for `#if OSTEON_VERSION >= 200`.
#define OSTEON_VERSION (OSTEON_VERSION_MAJOR * 10000 + OSTEON_VERSION_MINOR * 100 + OSTEON_VERSION_PATCH)
