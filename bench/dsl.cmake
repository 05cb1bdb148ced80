# DSL benchmark: evaluating a config of 100,000 webhook declarations (prints time and memory).
add_executable(dsl_eval_bench
  ${CMAKE_CURRENT_LIST_DIR}/dsl_eval.cpp
  ${PROJECT_SOURCE_DIR}/tests/dsl/test_schemas.cpp
)
target_link_libraries(dsl_eval_bench PRIVATE stashform_dsl stashform_options)
