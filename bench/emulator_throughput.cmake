# Throughput of the Bitbucket emulator under injected latency; prints figures, asserts nothing.
add_executable(bench_emulator_throughput ${CMAKE_CURRENT_LIST_DIR}/emulator_throughput.cpp)
target_link_libraries(bench_emulator_throughput PRIVATE stashform_emulator_bitbucket CLI11::CLI11 stashform_options)
