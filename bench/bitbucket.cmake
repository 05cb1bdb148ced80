# bitbucket_scale_bench: the stashform CLI against the emulator with 10,000 repositories and 20 ms
# latency; prints requests, wall time, peak memory, the ratio to the latency bound and a breakdown.
# side_by_side_bench: stashform beside a per-webhook client (Terraform's pattern) and a 32-thread
# hand-written client on one seeded emulator, then an apply against the emulator's token bucket.
add_library(stashform_cli_bench STATIC
  ${CMAKE_CURRENT_LIST_DIR}/cli_bench.cpp
  ${PROJECT_SOURCE_DIR}/tests/integration/harness.cpp)
target_link_libraries(stashform_cli_bench PUBLIC Boost::json fmt::fmt PkgConfig::HTTPLIB Threads::Threads stashform_options)
target_compile_definitions(stashform_cli_bench PUBLIC
  TRANSCRIPT_DIR="${CMAKE_CURRENT_BINARY_DIR}/transcripts"
  STASHFORM_BIN="$<TARGET_FILE:stashform>"
  EMULATOR_BIN="$<TARGET_FILE:stashform-emulator>")
foreach(bench bitbucket_scale side_by_side)
  add_executable(${bench}_bench ${CMAKE_CURRENT_LIST_DIR}/${bench}.cpp)
  target_link_libraries(${bench}_bench PRIVATE stashform_cli_bench)
  add_dependencies(${bench}_bench stashform stashform-emulator)
endforeach()
