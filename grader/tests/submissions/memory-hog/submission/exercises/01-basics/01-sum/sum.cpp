#include "sum.hpp"

#include <goc/goc.hpp>

#include <cstring>
#include <memory>
#include <vector>

namespace {

// Under ThreadSanitizer every byte touched also touches shadow memory, so a
// smaller hog is already far over that limit (and stays bounded if the
// limit failed).
#if defined(__SANITIZE_THREAD__)
constexpr long kHogBytes = 2L << 30;
#else
constexpr long kHogBytes = 6L << 30;
#endif

// Allocates and touches kHogBytes in 64 MiB blocks; returns one byte of it.
long hog() {
  constexpr long block = 64L << 20;
  std::vector<std::unique_ptr<char[]>> blocks;
  for (long used = 0; used < kHogBytes; used += block) {
    blocks.emplace_back(new char[block]);
    std::memset(blocks.back().get(), 1, block);
  }
  return blocks.front()[0] - 1;  // 0: keeps the blocks from being optimised away
}

}  // namespace

long parallel_sum(const std::vector<int>& values, int workers) {
  long total = hog();
  if (workers < 1) workers = 1;
  auto parts = goc::make_chan<long>(workers);
  std::size_t chunk = (values.size() + workers - 1) / workers;
  for (int w = 0; w < workers; ++w) {
    std::size_t begin = std::min(values.size(), w * chunk);
    std::size_t end = std::min(values.size(), begin + chunk);
    goc::go([&values, parts, begin, end]() mutable {
      long sum = 0;
      for (std::size_t i = begin; i < end; ++i) sum += values[i];
      parts.send(sum);
    });
  }
  for (int w = 0; w < workers; ++w) total += parts.recv();
  return total;
}
