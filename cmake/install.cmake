# What `cmake --install` puts where (GNUInstallDirs) and the Debian package CPack builds from it
# (`scripts/package`, or `cpack --config build/CPackConfig.cmake`). Included once from the
# top-level CMakeLists.txt, after every target exists.
include(GNUInstallDirs)

# `cmake --install` and cpack package what the build made; they never start a build of their own
# (with this off, Makefiles' `preinstall`, which cpack runs first, would build the whole test suite).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# The CLI and the emulators (users run them to try a config safely, and the quick start needs one).
# (A build that borrows another build's emulator, STASHFORM_EMULATOR_BIN, installs only the CLI.)
install(TARGETS stashform RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(NOT STASHFORM_EMULATOR_BIN)
  install(TARGETS stashform-emulator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# The recipes, found relative to the executable: <bindir>/../share/stashform/modules/<platform>/
# (reconciler/cli/module_search.h). Only the .lua files: modules/ also holds the C++ sources.
file(GLOB stashform_recipes CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/modules/*/*.lua)
foreach(recipe IN LISTS stashform_recipes)
  get_filename_component(platform_dir ${recipe} DIRECTORY)
  get_filename_component(platform ${platform_dir} NAME)
  install(FILES ${recipe} DESTINATION ${CMAKE_INSTALL_DATADIR}/stashform/modules/${platform})
endforeach()

# The user documentation and the runnable examples (the quick start, one per platform, the GitOps
# kit), where Debian keeps a package's documentation.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md" PATTERN "architecture.md" EXCLUDE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
        USE_SOURCE_PERMISSIONS)

# Shell completions and the man page (generated from the command table) install beside these, in
# ${CMAKE_INSTALL_DATADIR}/bash-completion/completions, ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions
# and ${CMAKE_INSTALL_MANDIR}/man1; their rules live with their generator.

# The Debian package: stashform_<version>_<arch>.deb with stripped binaries, and the debug symbols
# in stashform-dbgsym_<version>_<arch>.ddeb (build with RelWithDebInfo, as scripts/build does).
set(STASHFORM_PACKAGE_MAINTAINER "stashform maintainers <maintainers@stashform.invalid>" CACHE STRING
    "The Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME stashform)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${STASHFORM_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "declarative reconciler for the integrations around Bitbucket Data Center")
set(CPACK_PACKAGE_DESCRIPTION
    "stashform describes, in Lua files kept in git, the webhooks, access tokens, application links\n"
    "and the Spacelift, Private Packagist, Gitpod and Backstage integrations around a self-hosted\n"
    "Bitbucket Data Center; it plans and applies the changes like Terraform. The package also holds\n"
    "stashform-emulator, local HTTP emulators of those APIs for trying a config safely.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
# The runtime libraries come from dpkg-shlibdeps (package dpkg-dev), not from a list kept by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
# zstd: the debug symbols are large, and gzip or xz would make packaging the slowest step.
set(CPACK_DEBIAN_COMPRESSION_TYPE zstd)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
include(CPack)
