# Shared compile settings (qBittorrent habit): one INTERFACE target every target links.
add_library(mcpbridge_settings INTERFACE)
target_compile_definitions(mcpbridge_settings INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_URL_CAST_FROM_STRING
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_NO_FOREACH
  QT_USE_QSTRINGBUILDER)
target_compile_options(mcpbridge_settings INTERFACE -Wall -Wextra -Wno-missing-field-initializers)
target_include_directories(mcpbridge_settings INTERFACE ${PROJECT_SOURCE_DIR})

# One STATIC library per core layer. Links name the layers it may use, so a dependency that
# points upward (e.g. jsonrpc -> mcp) fails to link, and nothing in core can reach QtWidgets.
function(mcpbridge_core_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(${name} STATIC ${M_SOURCES})
  target_link_libraries(${name} PUBLIC mcpbridge_settings Qt6::Core ${M_DEPENDS})
  get_target_property(_libs ${name} LINK_LIBRARIES)
  if("Qt6::Widgets" IN_LIST _libs OR "Qt6::Gui" IN_LIST _libs)
    message(FATAL_ERROR "${name}: core modules must not link Qt6::Gui or Qt6::Widgets")
  endif()
endfunction()

# A Qt Test executable registered with ctest. Sources default to NAME.cpp beside the caller;
# a test whose source does not exist yet is skipped at configure time.
function(mcpbridge_add_test name)
  cmake_parse_arguments(T "GUI" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_SOURCES)
    set(T_SOURCES ${name}.cpp)
  endif()
  list(GET T_SOURCES 0 _first)
  if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${_first})
    return()
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE mcpbridge_settings Qt6::Test ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;MCPBRIDGE_SOURCE_DIR=${PROJECT_SOURCE_DIR};MCPBRIDGE_BINARY_DIR=${PROJECT_BINARY_DIR}")
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
