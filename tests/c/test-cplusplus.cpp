// Compiles the public headers as C++ to check extern "C" and C++ keywords.
#include "hicov.h"
int main() { return hicov_version() ? 0 : 1; }
