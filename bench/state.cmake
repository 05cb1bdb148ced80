# state_io_bench: load and save times and peak memory for a state of 100,000 resources.
add_executable(state_io_bench ${CMAKE_CURRENT_LIST_DIR}/state_io.cpp)
target_link_libraries(state_io_bench PRIVATE stashform_state stashform_options)
