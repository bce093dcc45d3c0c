// SPDX-License-Identifier: GPL-3.0-or-later
// A few templates and containers, for clang -ftime-trace to have work to time.
#include <vector>
#include <map>
#include <string>
#include <algorithm>
template <int N> struct Fib { static const int v = Fib<N-1>::v + Fib<N-2>::v; };
template <> struct Fib<1> { static const int v = 1; };
template <> struct Fib<0> { static const int v = 0; };
int main() { std::map<std::string, std::vector<int>> m; m["a"].push_back(Fib<25>::v); std::sort(m["a"].begin(), m["a"].end()); return 0; }
