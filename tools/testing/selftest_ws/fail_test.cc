#include <gtest/gtest.h>

TEST(FailTest, Passes) { EXPECT_EQ(2 * 2, 4); }
TEST(FailTest, Fails) { EXPECT_EQ(2 + 2, 5) << "planted failure"; }
