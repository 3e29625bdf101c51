// vertebra_study: the opportunistic osteoporosis-screening study (examples/studies/vertebra_study.cpp).
#include "studies.hpp"

int main(int argc, char** argv) { return osteon::studies::run_vertebra_study(argc, argv); }
