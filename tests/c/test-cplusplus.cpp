// Compiles the public header as C++ to check extern "C" and C++ keywords.
#include "hicov.h"
#include "hicov-format.h"
#include "hicov-chart.h"
#include "hicov-report.h"
#include "hicov-claims.h"
int main() { return hicov_version() ? 0 : 1; }
