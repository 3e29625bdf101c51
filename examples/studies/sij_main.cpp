// sij_study: the sacroiliac-joint MRI study (examples/studies/sij_study.cpp).
#include "studies.hpp"

int main(int argc, char** argv) { return osteon::studies::run_sij_study(argc, argv); }
