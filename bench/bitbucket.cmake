# bitbucket_scale_bench: the stashform CLI against the emulator with 10,000 repositories and 20 ms
# latency; prints requests, wall time, peak memory and the ratio to the latency bound.
add_executable(bitbucket_scale_bench
  ${CMAKE_CURRENT_LIST_DIR}/bitbucket_scale.cpp
  ${PROJECT_SOURCE_DIR}/tests/integration/harness.cpp)
target_link_libraries(bitbucket_scale_bench PRIVATE Boost::json fmt::fmt PkgConfig::HTTPLIB Threads::Threads stashform_options)
target_compile_definitions(bitbucket_scale_bench PRIVATE
  TRANSCRIPT_DIR="${CMAKE_CURRENT_BINARY_DIR}/transcripts"
  STASHFORM_BIN="$<TARGET_FILE:stashform>"
  EMULATOR_BIN="$<TARGET_FILE:stashform-emulator>")
add_dependencies(bitbucket_scale_bench stashform stashform-emulator)
