# The CLI's sources but main.cpp, relative to examples/cli: the twinrisk CLI and fuzz/cli_args
# (which parses arguments without running a command) compile the same list.
set(TWINRISK_CLI_SOURCES app.cpp cli_common.cpp cvss.cpp exploit_common.cpp exposure.cpp generate.cpp import_export.cpp
  info.cpp loss.cpp paths.cpp plan.cpp progress_bar.cpp report.cpp simulate.cpp zip_entries.cpp)
