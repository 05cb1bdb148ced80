# reconciler core: the engine (refresh, plan, apply) and the renderers.
add_library(stashform_engine
  engine/applier.cpp
  engine/discovery.cpp
  engine/graph.cpp
  engine/outputs.cpp
  engine/pending.cpp
  engine/plan.cpp
  engine/natural_keys.cpp
  engine/planner.cpp
  engine/refactor.cpp
  engine/references.cpp
  engine/refresh.cpp
  engine/scheduler.cpp
  engine/state_writer.cpp
  engine/servers.cpp
  render/json.cpp
  render/markdown.cpp
  render/text.cpp
)
target_compile_definitions(stashform_engine PRIVATE STASHFORM_VERSION="${STASHFORM_VERSION}")
target_link_libraries(stashform_engine PUBLIC stashform_provider stashform_state stashform_dsl Threads::Threads PRIVATE fmt::fmt)

# The CLI: the only place that wires platform modules into the engine.
add_library(stashform_cli
  cli/backends.cpp
  cli/dispatch.cpp
  cli/force_unlock_cmd.cpp
  cli/graph_cmd.cpp
  cli/import_cmd.cpp
  cli/module_search.cpp
  cli/output_cmd.cpp
  cli/plan_apply.cpp
  cli/refresh_progress.cpp
  cli/saved_plan_codec.cpp
  cli/saved_plan_payload.cpp
  cli/session.cpp
  cli/state_cmds.cpp
  cli/subcommands.cpp
  cli/state_location.cpp
  cli/state_migrate_cmd.cpp
  cli/validate.cpp
  cli/workspace_cmd.cpp
)
target_compile_definitions(stashform_cli PRIVATE STASHFORM_VERSION="${STASHFORM_VERSION}"
  STASHFORM_MODULES_DIR="${PROJECT_SOURCE_DIR}/modules")
target_link_libraries(stashform_cli PUBLIC stashform_engine stashform_bitbucket stashform_spacelift stashform_gitpod stashform_backstage stashform_packagist CLI11::CLI11 PRIVATE fmt::fmt)

add_executable(stashform cli/main.cpp)
target_link_libraries(stashform PRIVATE stashform_cli)
set_target_properties(stashform PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
