# Every third-party dependency, found once. All come from Debian 12 packages (scripts/setup-debian.sh).
find_package(Qt6 6.4 REQUIRED COMPONENTS Core Concurrent Sql Gui Widgets PrintSupport Network NetworkAuth Charts HttpServer Test)
find_package(Qt6Keychain REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(ODBC REQUIRED IMPORTED_TARGET odbc)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)

# QScintilla ships no CMake package on Debian: find the library and headers by hand.
find_library(QSCINTILLA_LIBRARY NAMES qscintilla2_qt6 REQUIRED)
find_path(QSCINTILLA_INCLUDE_DIR Qsci/qsciscintilla.h PATH_SUFFIXES x86_64-linux-gnu/qt6 qt6 REQUIRED)
add_library(qscintilla_qt6 INTERFACE)
target_link_libraries(qscintilla_qt6 INTERFACE ${QSCINTILLA_LIBRARY} Qt6::Widgets Qt6::PrintSupport)
target_include_directories(qscintilla_qt6 INTERFACE ${QSCINTILLA_INCLUDE_DIR})

# kainjow mustache is header-only.
find_path(MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
add_library(kainjow_mustache INTERFACE)
target_include_directories(kainjow_mustache INTERFACE ${MUSTACHE_INCLUDE_DIR})
