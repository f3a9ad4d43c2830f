#include <gtest/gtest.h>

TEST(PassTest, One) { EXPECT_EQ(1 + 1, 2); }
TEST(PassTest, Two) { EXPECT_TRUE(true); }
