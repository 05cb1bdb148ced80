# bench_plan_100k: refresh and plan of 100,000 resources against the in-memory fake provider
# (no network), and rendering that plan as JSON and text; prints wall time and peak memory.
add_executable(bench_plan_100k
  ${CMAKE_CURRENT_LIST_DIR}/plan_100k.cpp
  ${PROJECT_SOURCE_DIR}/tests/reconciler/fake_provider.cpp)
target_link_libraries(bench_plan_100k PRIVATE stashform_engine stashform_options)
