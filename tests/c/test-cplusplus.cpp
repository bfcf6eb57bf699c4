// Compiles the public header as C++ to check extern "C" and C++ keywords.
#include "hicov.h"
#include "hicov-format.h"
#include "hicov-chart.h"
int main() { return hicov_version() ? 0 : 1; }
