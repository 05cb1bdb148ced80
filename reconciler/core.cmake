# reconciler core: the engine (refresh, plan, apply) and the renderers.
add_library(stashform_engine
  engine/applier.cpp
  engine/discovery.cpp
  engine/graph.cpp
  engine/outputs.cpp
  engine/pending.cpp
  engine/plan.cpp
  engine/plan_scope.cpp
  engine/natural_keys.cpp
  engine/planner.cpp
  engine/refactor.cpp
  engine/references.cpp
  engine/refresh.cpp
  engine/scheduler.cpp
  engine/state_writer.cpp
  engine/servers.cpp
  render/json.cpp
  render/plan_representation.cpp
  render/ui_stream.cpp
  render/markdown.cpp
  render/text.cpp
)
target_compile_definitions(stashform_engine PRIVATE STASHFORM_VERSION="${STASHFORM_VERSION}")
target_link_libraries(stashform_engine PUBLIC stashform_provider stashform_state stashform_dsl Threads::Threads PRIVATE fmt::fmt)

# The CLI: the only place that wires platform modules into the engine.
add_library(stashform_cli
  cli/backends.cpp
  cli/cli_docs.cpp
  cli/command_table.cpp
  cli/console_cmd.cpp
  cli/dispatch.cpp
  cli/force_unlock_cmd.cpp
  cli/graph_cmd.cpp
  cli/import_cmd.cpp
  cli/module_search.cpp
  cli/info_cmds.cpp
  cli/output_cmd.cpp
  cli/plan_apply.cpp
  cli/refresh_progress.cpp
  cli/saved_plan_codec.cpp
  cli/json_ui.cpp
  cli/saved_plan_payload.cpp
  cli/show_cmd.cpp
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

# Generated from the command table (reconciler/cli/command_table.cpp) on every build: the bash and
# zsh completions and the man page, under build/; docs/cli.md's reference section is compared by
# a test (command_table_test.cpp) and rewritten with `stashform-cligen update-docs docs/cli.md`.
add_executable(stashform-cligen cli/cligen_main.cpp)
target_link_libraries(stashform-cligen PRIVATE stashform_cli)
target_compile_definitions(stashform-cligen PRIVATE STASHFORM_VERSION="${STASHFORM_VERSION}")
set_target_properties(stashform-cligen PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
set(STASHFORM_BASH_COMPLETION ${PROJECT_BINARY_DIR}/completions/stashform)
set(STASHFORM_ZSH_COMPLETION ${PROJECT_BINARY_DIR}/completions/_stashform)
set(STASHFORM_MAN_PAGE ${PROJECT_BINARY_DIR}/man/stashform.1)
add_custom_command(
  OUTPUT ${STASHFORM_BASH_COMPLETION} ${STASHFORM_ZSH_COMPLETION} ${STASHFORM_MAN_PAGE}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/completions ${PROJECT_BINARY_DIR}/man
  COMMAND stashform-cligen bash ${STASHFORM_BASH_COMPLETION}
  COMMAND stashform-cligen zsh ${STASHFORM_ZSH_COMPLETION}
  COMMAND stashform-cligen man ${STASHFORM_MAN_PAGE}
  DEPENDS stashform-cligen
  COMMENT "Generating the completions and the man page from the command table")
add_custom_target(stashform_cli_generated ALL
  DEPENDS ${STASHFORM_BASH_COMPLETION} ${STASHFORM_ZSH_COMPLETION} ${STASHFORM_MAN_PAGE})
install(FILES ${STASHFORM_BASH_COMPLETION} DESTINATION share/bash-completion/completions)
install(FILES ${STASHFORM_ZSH_COMPLETION} DESTINATION share/zsh/vendor-completions)
install(FILES ${STASHFORM_MAN_PAGE} DESTINATION share/man/man1)
