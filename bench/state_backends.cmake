# state_backends_bench: lock acquire/release, full save and journal append times on PostgreSQL
# beside the local file backend, for 1,000 and 100,000 resources. Starts its own server
# (tests/support/pg_server.sh) unless given a URL.
add_executable(state_backends_bench ${CMAKE_CURRENT_LIST_DIR}/state_backends.cpp)
target_link_libraries(state_backends_bench PRIVATE stashform_state stashform_options)
target_compile_definitions(state_backends_bench PRIVATE
  PG_SERVER_SCRIPT="${CMAKE_SOURCE_DIR}/tests/support/pg_server.sh")
