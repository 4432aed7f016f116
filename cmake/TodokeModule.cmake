# todoke_add_module(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Makes the static library todoke_<NAME> with alias todoke::<NAME>. Public headers live in
# <module>/include, private code in <module>/src. C libraries belong in PRIVATE_DEPS.
# -Wno-restrict: GCC 12 reports std::string operator+ at -O3 as overlapping memcpy, a known
# false positive (GCC bug 105329).
set(TODOKE_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wno-restrict -Werror)

function(todoke_add_module name)
    cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
    add_library(todoke_${name} STATIC ${ARG_SOURCES})
    add_library(todoke::${name} ALIAS todoke_${name})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/include)
        target_include_directories(todoke_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
    endif()
    target_include_directories(todoke_${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_link_libraries(todoke_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    target_compile_options(todoke_${name} PRIVATE ${TODOKE_WARNINGS})
endfunction()

# todoke_add_test(NAME SOURCES ... DEPS ...): one GoogleTest binary per module.
function(todoke_add_test name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
    # Tests build CertSpec and options with designated initialisers that name only some fields.
    target_compile_options(${name} PRIVATE ${TODOKE_WARNINGS} -Wno-missing-field-initializers)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
        PROPERTIES ENVIRONMENT "TODOKE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
