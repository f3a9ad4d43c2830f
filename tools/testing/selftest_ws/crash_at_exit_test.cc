#include <cstdlib>

#include <gtest/gtest.h>

// Runs after main() returned, i.e. after GoogleTest wrote test.xml with every case passed.
struct AbortAtExit {
  ~AbortAtExit() { std::abort(); }
} abort_at_exit;

TEST(CrashAtExitTest, One) { EXPECT_TRUE(true); }
TEST(CrashAtExitTest, Two) { EXPECT_TRUE(true); }
