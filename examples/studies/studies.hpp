#pragma once
// The built-in studies, each implemented in one translation unit of examples/studies/ and compiled
// once into the `osteon_studies` library: the per-study programs (thin mains) and `osteon study X`
// call these. Each takes the command line after the study's name (argv[0] = the program name),
// prints progress on stderr and the report on stdout, and returns the exit code: 0 done, 2 bad input
// (one line naming the flag or file), 1 any other failure.
namespace osteon::studies {

int run_vertebra_study(int argc, char** argv);
int run_sij_study(int argc, char** argv);

}  // namespace osteon::studies
