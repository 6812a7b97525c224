# macOS: Syncline.app (the app, syncline-cli in Contents/MacOS, the project's libraries in
# Contents/Frameworks, Qt and the Homebrew libraries deployed by macdeployqt) in a disk image:
# `cpack -G DragNDrop`. Not built on this project's Linux machines: installers/README.md says how.
set_target_properties(syncline PROPERTIES
    MACOSX_BUNDLE ON
    OUTPUT_NAME Syncline
    MACOSX_BUNDLE_BUNDLE_NAME Syncline
    MACOSX_BUNDLE_GUI_IDENTIFIER ${SYNCLINE_APP_ID}
    MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
    MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
    MACOSX_BUNDLE_ICON_FILE syncline.icns)
set_target_properties(${SYNCLINE_EXECUTABLES} PROPERTIES INSTALL_RPATH "@executable_path/../Frameworks")
set_target_properties(${SYNCLINE_LIBRARIES} PROPERTIES INSTALL_RPATH "@loader_path")
install(TARGETS syncline BUNDLE DESTINATION .)
install(TARGETS syncline-cli RUNTIME DESTINATION Syncline.app/Contents/MacOS)
install(TARGETS ${SYNCLINE_LIBRARIES} LIBRARY DESTINATION Syncline.app/Contents/Frameworks)

# The bundle icon, rendered from the SVG when rsvg-convert (Homebrew: librsvg) is there.
find_program(RSVG_CONVERT rsvg-convert)
find_program(ICONUTIL iconutil)
if(RSVG_CONVERT AND ICONUTIL)
    set(_iconset ${CMAKE_CURRENT_BINARY_DIR}/syncline.iconset)
    file(MAKE_DIRECTORY ${_iconset})
    foreach(size 16 32 128 256 512)
        math(EXPR double "${size} * 2")
        execute_process(COMMAND ${RSVG_CONVERT} -w ${size} -h ${size} -o ${_iconset}/icon_${size}x${size}.png ${SYNCLINE_ICON_SVG})
        execute_process(COMMAND ${RSVG_CONVERT} -w ${double} -h ${double} -o ${_iconset}/icon_${size}x${size}@2x.png ${SYNCLINE_ICON_SVG})
    endforeach()
    execute_process(COMMAND ${ICONUTIL} -c icns -o ${CMAKE_CURRENT_BINARY_DIR}/syncline.icns ${_iconset})
    install(FILES ${CMAKE_CURRENT_BINARY_DIR}/syncline.icns DESTINATION Syncline.app/Contents/Resources)
endif()

get_target_property(_qmake Qt6::qmake IMPORTED_LOCATION)
get_filename_component(_qt_bin "${_qmake}" DIRECTORY)
find_program(MACDEPLOYQT macdeployqt HINTS "${_qt_bin}" REQUIRED)
install(CODE "execute_process(COMMAND \"${MACDEPLOYQT}\" \"\${CMAKE_INSTALL_PREFIX}/Syncline.app\"
                 \"-executable=\${CMAKE_INSTALL_PREFIX}/Syncline.app/Contents/MacOS/syncline-cli\" -always-overwrite
                 COMMAND_ERROR_IS_FATAL ANY)")

set(CPACK_GENERATOR DragNDrop)
set(CPACK_DMG_VOLUME_NAME Syncline)
set(CPACK_DMG_FORMAT UDZO)
