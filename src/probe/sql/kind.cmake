# The SQL kinds' client libraries: libpq (postgres) and MariaDB Connector/C (mysql).
find_package(PkgConfig REQUIRED)
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
target_link_libraries(lk_probe PRIVATE PkgConfig::PQ PkgConfig::MARIADB)
