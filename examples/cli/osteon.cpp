// The `osteon` command-line tool: everything is in include/osteon/cli/ (docs/cli.md).
#include <osteon/cli/app.hpp>

int main(int argc, char** argv) { return osteon::cli::main_of(argc, argv); }
