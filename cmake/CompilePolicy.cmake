# The compile policy every Syncline target links (the qBittorrent CommonConfig idea).
add_library(syncline_policy INTERFACE)
target_compile_features(syncline_policy INTERFACE cxx_std_23)
set(CMAKE_CXX_STANDARD 23)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(syncline_policy INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
target_compile_definitions(syncline_policy INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)
target_include_directories(syncline_policy INTERFACE ${PROJECT_SOURCE_DIR})
if(SYNCLINE_SANITIZE)
    target_compile_options(syncline_policy INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(syncline_policy INTERFACE -fsanitize=address,undefined)
endif()
