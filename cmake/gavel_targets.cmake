# How Gavel's targets are declared, once: included by the root
# CMakeLists.txt.

# gavel_library(NAME SOURCES src... [PUBLIC dep...] [PRIVATE dep...]):
# the static library gavel_NAME, alias gavel::NAME, whose headers are
# included from the repository root ("storage/event_log.h"), built with
# the project's warnings.
function(gavel_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(gavel_${name} STATIC ${ARG_SOURCES})
  add_library(gavel::${name} ALIAS gavel_${name})
  target_include_directories(gavel_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(gavel_${name} PUBLIC ${ARG_PUBLIC}
    PRIVATE ${ARG_PRIVATE} gavel_warnings)
endfunction()

# gavel_test(TARGET SOURCES src... LABEL label [LIBS dep...]
#            [DEFINITIONS def...]): a GoogleTest executable linking `LIBS`
# and gtest_main/gmock, whose tests ctest discovers under `LABEL`.
function(gavel_test target)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;LIBS;DEFINITIONS" ${ARGN})
  add_executable(${target} ${ARG_SOURCES})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${target} PRIVATE ${ARG_LIBS} GTest::gtest_main
    GTest::gmock gavel_warnings)
  if(ARG_DEFINITIONS)
    target_compile_definitions(${target} PRIVATE ${ARG_DEFINITIONS})
  endif()
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS ${ARG_LABEL})
endfunction()
