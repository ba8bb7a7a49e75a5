# The dns kind asks through c-ares (1.18: the socket-state API on the shard's event loop) and
# renders its answers as JSON for conditions.
find_package(PkgConfig REQUIRED)
pkg_check_modules(CARES REQUIRED IMPORTED_TARGET libcares)
target_link_libraries(lk_probe PRIVATE PkgConfig::CARES nlohmann_json::nlohmann_json)
