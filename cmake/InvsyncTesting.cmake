# invsync_add_test(NAME SOURCES a.cc b.cc LIBS x y [LABELS l]): one GoogleTest executable whose
# tests CTest discovers when it runs (PRE_TEST, so sanitizer builds do not run tests while building).
function(invsync_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main invsync::warnings)
  set(labels ${T_LABELS})
  if(NOT labels)
    set(labels unit)
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${labels}" TIMEOUT 600)
endfunction()
include(GoogleTest)
