# Windows: an NSIS installer (`cpack -G NSIS`; `cpack -G WIX` for an MSI) with syncline.exe,
# syncline-cli.exe and the project's DLLs in bin/, the DLLs they load (Qt, QtKeychain, QScintilla,
# yaml-cpp, SQLite, xxHash) found by CMake's runtime dependency set, and Qt's plugins deployed
# beside them by windeployqt. Not built on this project's Linux machines: installers/README.md says how.
set_target_properties(syncline PROPERTIES WIN32_EXECUTABLE ON)
get_target_property(_qmake Qt6::qmake IMPORTED_LOCATION)
get_filename_component(_qt_bin "${_qmake}" DIRECTORY)
find_program(WINDEPLOYQT windeployqt HINTS "${_qt_bin}" REQUIRED)

# Where the DLLs the executables load are looked for: Qt's bin/ and, with vcpkg, its bin/.
set(_dll_dirs "${_qt_bin}")
if(DEFINED VCPKG_INSTALLED_DIR)
    list(APPEND _dll_dirs "${VCPKG_INSTALLED_DIR}/${VCPKG_TARGET_TRIPLET}/bin")
endif()
set(SYNCLINE_DLL_DIRS "${_dll_dirs}" CACHE STRING "Folders with the third-party DLLs to bundle (semicolon-separated)")

install(TARGETS ${SYNCLINE_EXECUTABLES} ${SYNCLINE_LIBRARIES}
        RUNTIME_DEPENDENCY_SET syncline_dlls
        RUNTIME DESTINATION bin LIBRARY DESTINATION bin)
# CMake lowercases DLL names before matching. odbc32.dll and the api sets come with Windows.
install(RUNTIME_DEPENDENCY_SET syncline_dlls
        DIRECTORIES ${SYNCLINE_DLL_DIRS}
        PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-" "^odbc32\\.dll$"
        POST_EXCLUDE_REGEXES "[/\\\\][Ss]ystem32[/\\\\]"
        RUNTIME DESTINATION bin)
# Qt's plugins (platforms/qwindows.dll, styles, image formats) and the MSVC runtime.
install(CODE "execute_process(COMMAND \"${WINDEPLOYQT}\" --release --no-translations --no-system-d3d-compiler
                 --no-opengl-sw \"\${CMAKE_INSTALL_PREFIX}/bin/syncline.exe\" \"\${CMAKE_INSTALL_PREFIX}/bin/syncline-cli.exe\"
                 COMMAND_ERROR_IS_FATAL ANY)")

set(CPACK_GENERATOR NSIS)
set(CPACK_NSIS_DISPLAY_NAME "Syncline ${PROJECT_VERSION}")
set(CPACK_NSIS_PACKAGE_NAME Syncline)
set(CPACK_NSIS_INSTALLED_ICON_NAME bin/syncline.exe)
set(CPACK_NSIS_MODIFY_PATH ON) # offers to put bin/ (syncline-cli) on PATH
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# WiX: the same upgrade code for every version, so a new MSI replaces the old one.
set(CPACK_WIX_UPGRADE_GUID 77B4C40C-AD56-4954-9A3E-929714200B1A)
set(CPACK_WIX_PROGRAM_MENU_FOLDER Syncline)
