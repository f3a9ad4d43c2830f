#include <gtest/gtest.h>

int* leaked;

TEST(LeakTest, Leaks) {
  leaked = new int[64]();
  leaked = nullptr;  // unreachable now: LeakSanitizer reports it at exit
  EXPECT_EQ(leaked, nullptr);
}
