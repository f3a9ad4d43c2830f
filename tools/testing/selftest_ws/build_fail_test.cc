#include <gtest/gtest.h>

TEST(BuildFailTest, DoesNotCompile) { EXPECT_TRUE(this_is_not_declared); }
