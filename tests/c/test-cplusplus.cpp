// Compiles the umbrella header, and through it every public header, as C++
// to check extern "C" and C++ keywords.
#include "hicov.h"
int main() { return hicov_version() && HICOV_CHECK_VERSION(0, 0, 1) ? 0 : 1; }
