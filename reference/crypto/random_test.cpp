// fill_random hands out CSPRNG octets from a per-thread block; no octet may be handed out twice,
// across threads and across a fork.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "reference/crypto/random.hpp"

namespace tigress::crypto {
namespace {

using Draw = std::array<std::uint8_t, 16>;

Draw draw16() {
  Draw out{};
  EXPECT_TRUE(fill_random(out).ok());
  return out;
}

TEST(Random, EverySizeIsFilled) {
  for (std::size_t size :
       {std::size_t{0}, std::size_t{1}, std::size_t{15}, kPooledDrawLimit, kPooledDrawLimit + 1, std::size_t{5000}}) {
    SCOPED_TRACE(size);
    std::vector<std::uint8_t> out(size, 0);
    ASSERT_TRUE(fill_random(out).ok());
    if (size >= 15) {  // 15 zero octets from a CSPRNG: probability 2^-120
      EXPECT_NE(out, std::vector<std::uint8_t>(size, 0));
    }
  }
}

// Far more draws than one block holds, so refills are crossed many times.
TEST(Random, DrawsDoNotRepeatWithinOrAcrossThreads) {
  constexpr int kThreads = 4, kDrawsEach = 5000;
  std::vector<std::vector<Draw>> drawn(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&drawn, t] {
      for (int i = 0; i < kDrawsEach; ++i) drawn[t].push_back(draw16());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<Draw> distinct;
  for (const auto& some : drawn) distinct.insert(some.begin(), some.end());
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kDrawsEach));
}

// Without the fork rule, parent and child would hand out the same octets from the block the
// parent took before the fork.
TEST(Random, AForkedChildDrawsOtherOctetsThanItsParent) {
  (void)draw16();  // this thread's block is taken before the fork
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const Draw mine = draw16();
    const bool written = write(pipe_ends[1], mine.data(), mine.size()) == static_cast<ssize_t>(mine.size());
    _exit(written ? 0 : 1);
  }
  close(pipe_ends[1]);
  const Draw parents = draw16();
  Draw childs{};
  const ssize_t got = read(pipe_ends[0], childs.data(), childs.size());
  close(pipe_ends[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(got, static_cast<ssize_t>(childs.size()));
  EXPECT_NE(parents, childs);
}

}  // namespace
}  // namespace tigress::crypto
