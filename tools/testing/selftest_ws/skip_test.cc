#include <gtest/gtest.h>

TEST(SkipTest, Passes) { EXPECT_TRUE(true); }
TEST(SkipTest, Skipped) { GTEST_SKIP() << "planted skip"; }
TEST(SkipTest, DISABLED_Disabled) { FAIL() << "a disabled test must not run"; }
