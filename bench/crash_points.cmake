# crash_points_bench: issue 22 §3 — the apply of webhooks, a token, an application link and a
# Spacelift integration killed with SIGKILL at 50 points; prints point, what was in flight,
# duplicates, whether the next apply converged and whether the token's value was kept.
add_executable(crash_points_bench
  ${CMAKE_CURRENT_LIST_DIR}/crash_points.cpp
  ${PROJECT_SOURCE_DIR}/tests/integration/harness.cpp
  ${PROJECT_SOURCE_DIR}/tests/integration/emulator_process.cpp
  ${PROJECT_SOURCE_DIR}/tests/integration/spacelift_harness.cpp
  ${PROJECT_SOURCE_DIR}/tests/integration/crash_points.cpp)
target_link_libraries(crash_points_bench PRIVATE Boost::json fmt::fmt PkgConfig::HTTPLIB Threads::Threads
  stashform_base stashform_options)
target_compile_definitions(crash_points_bench PRIVATE
  TRANSCRIPT_DIR="${CMAKE_CURRENT_BINARY_DIR}/transcripts"
  STASHFORM_BIN="$<TARGET_FILE:stashform>"
  EMULATOR_BIN="$<TARGET_FILE:stashform-emulator>")
add_dependencies(crash_points_bench stashform stashform-emulator)
