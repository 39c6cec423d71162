# Writes the text file IN as a C++ raw string constant into the header OUT.
file(READ ${IN} content)
get_filename_component(name ${IN} NAME_WE)
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#pragma once\nnamespace ringscope::embedded {\ninline constexpr const char* k_${name} = R\"RINGSCOPE_SQL(${content})RINGSCOPE_SQL\";\n}\n")
