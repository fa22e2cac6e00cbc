# cmake -DINPUT=file -DOUTPUT=header -DNAME=id -P embed-text.cmake
# Writes a header defining twinrisk_sample::<id>, the text of INPUT, and <id>_file, its name.
file(READ "${INPUT}" _text)
string(FIND "${_text}" ")twinrisk_embed\"" _clash)
if(NOT _clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
get_filename_component(_name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp" "#pragma once
// Generated from ${_name} by cmake/embed-text.cmake; do not edit.
#include <string_view>
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored \"-Woverlength-strings\"
#endif
namespace twinrisk_sample {
inline constexpr std::string_view ${NAME}_file = \"${_name}\";
inline constexpr char ${NAME}_text[] = R\"twinrisk_embed(${_text})twinrisk_embed\";
// Sized from the array: measuring a long literal at compile time would exceed constexpr limits.
inline constexpr std::string_view ${NAME}{${NAME}_text, sizeof ${NAME}_text - 1};
}  // namespace twinrisk_sample
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
