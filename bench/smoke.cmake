# CI smoke run of the benchmark harness (included from the top-level CMakeLists.txt).
# It proves the harness works end to end (farm, ab, every Lightkeeper scenario, the report) on a
# tiny farm; it never asserts timings. It is skipped (exit 77) when nginx, ab or wrk (statuspage)
# is missing: `scripts/install-deps.sh --bench` installs them.
if(Python3_EXECUTABLE)
  add_test(NAME bench.smoke
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/harness.py --smoke
                   --binary $<TARGET_FILE:lightkeeper>)
  set_tests_properties(bench.smoke PROPERTIES LABELS bench TIMEOUT 300 SKIP_RETURN_CODE 77
                                              RUN_SERIAL TRUE)
else()
  message(STATUS "bench.smoke: no Python 3 interpreter found; the benchmark smoke test is not registered")
endif()
