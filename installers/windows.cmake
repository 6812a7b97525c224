# Windows: an NSIS installer (`cpack -G NSIS`; `cpack -G WIX` for an MSI) with syncline.exe,
# syncline-cli.exe and the project's DLLs in bin/, Qt deployed beside them by windeployqt, and the
# other DLLs they load (QtKeychain, QScintilla, yaml-cpp, SQLite, xxHash) found from the build's
# link line. Not built on this project's Linux machines: installers/README.md says how.
set_target_properties(syncline PROPERTIES WIN32_EXECUTABLE ON)
install(TARGETS ${SYNCLINE_EXECUTABLES} ${SYNCLINE_LIBRARIES}
        RUNTIME_DEPENDENCY_SET syncline_dlls
        RUNTIME DESTINATION bin LIBRARY DESTINATION bin)
# Folders holding the third-party DLLs, e.g. C:/vcpkg/installed/x64-windows/bin.
set(SYNCLINE_DLL_DIRS "" CACHE PATH "Folders with the third-party DLLs to bundle (semicolon-separated)")
install(RUNTIME_DEPENDENCY_SET syncline_dlls
        DIRECTORIES ${SYNCLINE_DLL_DIRS}
        PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-" "^Qt6" "^odbc32" # Qt: windeployqt; ODBC: Windows
        POST_EXCLUDE_REGEXES "[Ss]ystem32"
        RUNTIME DESTINATION bin)

get_target_property(_qmake Qt6::qmake IMPORTED_LOCATION)
get_filename_component(_qt_bin "${_qmake}" DIRECTORY)
find_program(WINDEPLOYQT windeployqt HINTS "${_qt_bin}" REQUIRED)
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
