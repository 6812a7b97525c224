# The Debian package: /usr/bin/syncline and syncline-cli, the project's libraries in the private
# /usr/lib/syncline (the executables find them through their RUNPATH), the desktop entry, the icon
# in the hicolor sizes, AppStream metainfo and the workspace file type. The systemd user units for
# scheduled syncs are generated per user and workspace by 'syncline-cli schedule install'.
include(GNUInstallDirs)
set(SYNCLINE_PRIVATE_LIBDIR lib/syncline)
set_target_properties(${SYNCLINE_EXECUTABLES} PROPERTIES INSTALL_RPATH "$ORIGIN/../${SYNCLINE_PRIVATE_LIBDIR}")
set_target_properties(${SYNCLINE_LIBRARIES} PROPERTIES INSTALL_RPATH "$ORIGIN")
install(TARGETS ${SYNCLINE_EXECUTABLES} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${SYNCLINE_LIBRARIES} LIBRARY DESTINATION ${SYNCLINE_PRIVATE_LIBDIR} NAMELINK_SKIP)

configure_file(${PROJECT_SOURCE_DIR}/resources/${SYNCLINE_APP_ID}.metainfo.xml.in
               ${CMAKE_CURRENT_BINARY_DIR}/${SYNCLINE_APP_ID}.metainfo.xml @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${SYNCLINE_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/syncline.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/syncline-mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
        RENAME syncline.xml)
install(FILES ${SYNCLINE_ICON_SVG} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)

# PNG icons rendered from the SVG at build time, so no binary is kept in the repository.
find_program(RSVG_CONVERT rsvg-convert)
if(RSVG_CONVERT)
    set(icons)
    foreach(size 16 22 24 32 48 64 128 256 512)
        set(png ${CMAKE_CURRENT_BINARY_DIR}/icons/${size}x${size}/syncline.png)
        add_custom_command(OUTPUT ${png}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/icons/${size}x${size}
            COMMAND ${RSVG_CONVERT} --width ${size} --height ${size} --output ${png} ${SYNCLINE_ICON_SVG}
            DEPENDS ${SYNCLINE_ICON_SVG} VERBATIM)
        list(APPEND icons ${png})
        install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
    add_custom_target(syncline_icons ALL DEPENDS ${icons})
else()
    message(WARNING "rsvg-convert not found (Debian: librsvg2-bin): the package gets the scalable icon only")
endif()

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
# The body below the summary line (CPACK_PACKAGE_DESCRIPTION_SUMMARY); CPack indents it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Syncline connects to a warehouse over ODBC, runs a SQL model, maps its
columns onto a destination's fields and previews exactly which records will be added, changed or
removed before it sends them, now or on a schedule. syncline is the desktop app; syncline-cli runs
the same syncs headless.")
# The libraries the binaries link (Qt 6, QtKeychain, QScintilla, unixODBC, SQLite, xxHash,
# yaml-cpp) come from dpkg-shlibdeps; Qt's platform plugins are loaded at run time, so by name.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, odbcinst")
# ODBC drivers for the warehouses a user is likely to have, SVG for the window icon, Wayland.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "odbc-postgresql, odbc-mariadb, libsqliteodbc, libqt6svg6, qt6-wayland")
# A Secret Service for the keychain (KDE's KWallet serves it too).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gnome-keyring")

if(SYNCLINE_BUILD_TESTS)
    # The files a desktop reads are valid (no root needed); the install test itself is in tests/install.
    find_program(APPSTREAMCLI appstreamcli)
    find_program(DESKTOP_FILE_VALIDATE desktop-file-validate)
    if(APPSTREAMCLI)
        add_test(NAME appstream_metainfo_valid
                 COMMAND ${APPSTREAMCLI} validate --no-net ${CMAKE_CURRENT_BINARY_DIR}/${SYNCLINE_APP_ID}.metainfo.xml)
        set_tests_properties(appstream_metainfo_valid PROPERTIES LABELS packaging)
    endif()
    if(DESKTOP_FILE_VALIDATE)
        add_test(NAME desktop_entry_valid COMMAND ${DESKTOP_FILE_VALIDATE} ${PROJECT_SOURCE_DIR}/resources/syncline.desktop)
        set_tests_properties(desktop_entry_valid PROPERTIES LABELS packaging)
    endif()
endif()

if(SYNCLINE_BUILD_TESTS)
    # Builds the package, installs it with apt, runs it as a new user, removes it. Root only:
    # it skips (with the reason) elsewhere.
    add_test(NAME package_installs_runs_and_removes
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test-install.sh ${PROJECT_BINARY_DIR} ${PROJECT_VERSION})
    set_tests_properties(package_installs_runs_and_removes PROPERTIES LABELS install TIMEOUT 400 SKIP_RETURN_CODE 77)
endif()
