# Warning flags and sanitizer switches shared by every target of the project.
add_library(sgwatch_flags INTERFACE)
target_compile_options(sgwatch_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports false -Wrestrict on std::string concatenation at -O3 (GCC bug 105329).
  target_compile_options(sgwatch_flags INTERFACE -Wno-restrict)
endif()
if(SGWATCH_WERROR)
  target_compile_options(sgwatch_flags INTERFACE -Werror)
endif()
if(SGWATCH_SANITIZE)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # Sanitizer instrumentation makes GCC 12 report false -Wmaybe-uninitialized inside
    # libstdc++ (std::regex's NFA states); the Release build keeps the warning.
    target_compile_options(sgwatch_flags INTERFACE -Wno-maybe-uninitialized)
  endif()
  target_compile_options(sgwatch_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                         -fno-sanitize-recover=undefined)
  target_link_options(sgwatch_flags INTERFACE -fsanitize=address,undefined)
endif()
if(SGWATCH_ARCH)
  target_compile_options(sgwatch_flags INTERFACE -march=${SGWATCH_ARCH})
  if(SGWATCH_ARCH STREQUAL "x86-64-v3")
    # x86-64-v3 lacks PCLMULQDQ, which simdjson's haswell kernel needs; every AVX2 CPU has it.
    target_compile_options(sgwatch_flags INTERFACE -mpclmul)
  endif()
endif()
