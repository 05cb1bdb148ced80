# fault_storm_bench: the fault storm of issue 14 §3 (500/502/503/429, drops, lost answers) against an
# apply of 200 webhooks over 50 repositories, for five fault seeds; prints applies, requests,
# faults injected and duplicates per seed.
add_executable(fault_storm_bench
  ${CMAKE_CURRENT_LIST_DIR}/fault_storm.cpp
  ${PROJECT_SOURCE_DIR}/tests/integration/harness.cpp
  ${PROJECT_SOURCE_DIR}/tests/integration/storm.cpp)
target_link_libraries(fault_storm_bench PRIVATE Boost::json fmt::fmt PkgConfig::HTTPLIB Threads::Threads stashform_options)
target_compile_definitions(fault_storm_bench PRIVATE
  TRANSCRIPT_DIR="${CMAKE_CURRENT_BINARY_DIR}/transcripts"
  STASHFORM_BIN="$<TARGET_FILE:stashform>"
  EMULATOR_BIN="$<TARGET_FILE:stashform-emulator>")
add_dependencies(fault_storm_bench stashform stashform-emulator)
