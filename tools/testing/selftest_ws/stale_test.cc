#include <gtest/gtest.h>

TEST(StaleTest, One) { EXPECT_TRUE(true); }
TEST(StaleTest, Two) { EXPECT_TRUE(true); }
TEST(StaleTest, Three) { EXPECT_TRUE(true); }
