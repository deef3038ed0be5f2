# Third-party libraries, all from Debian 12 packages (scripts/install-deps installs them).
# re2 and libdeflate ship pkg-config files only; the rest have CMake package configs.
find_package(PkgConfig REQUIRED)
find_package(simdjson REQUIRED CONFIG)
find_package(fmt REQUIRED CONFIG)
find_package(nlohmann_json REQUIRED CONFIG)
find_package(CLI11 REQUIRED CONFIG)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
if(SGWATCH_TESTS)
  find_package(GTest REQUIRED)
endif()
if(SGWATCH_BENCH)
  find_package(benchmark REQUIRED CONFIG)
endif()
