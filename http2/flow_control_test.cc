// Flow-control windows (RFC 9113 §5.2, §6.9.1, §6.9.2).
#include "http2/flow_control.h"

#include "gtest/gtest.h"

namespace http2 {
namespace {

TEST(SendWindowTest, IncreaseAdjustConsume) {
  SendWindow w;
  EXPECT_EQ(w.available(), 65535);
  w.Consume(65535);
  EXPECT_EQ(w.available(), 0);
  EXPECT_TRUE(w.Increase(10));
  EXPECT_EQ(w.available(), 10);
  // §6.9.2: a smaller SETTINGS_INITIAL_WINDOW_SIZE can make it negative.
  EXPECT_TRUE(w.Adjust(-100));
  EXPECT_EQ(w.available(), -90);
  // §6.9.1: never past 2^31-1.
  SendWindow big(kMaxWindowSize - 5);
  EXPECT_TRUE(big.Increase(5));
  EXPECT_FALSE(big.Increase(1));
  EXPECT_EQ(big.available(), kMaxWindowSize);
  EXPECT_FALSE(big.Adjust(1));
}

TEST(ReceiveWindowTest, DataAndWindowUpdatePolicy) {
  ReceiveWindow w(100);
  EXPECT_TRUE(w.OnData(60));
  EXPECT_FALSE(w.OnData(41));  // beyond the window
  EXPECT_EQ(w.window(), 40);
  EXPECT_EQ(w.unconsumed(), 60);
  // Credit goes back once half the target is owed, not octet by octet.
  EXPECT_EQ(w.Consume(49), 0u);
  EXPECT_EQ(w.Consume(1), 50u);
  EXPECT_EQ(w.window(), 90);
  EXPECT_EQ(w.unconsumed(), 10);
  EXPECT_EQ(w.Consume(10), 0u);
  w.AdjustTarget(-50);  // our INITIAL_WINDOW_SIZE lowered
  EXPECT_EQ(w.target(), 50);
  EXPECT_EQ(w.window(), 40);
  EXPECT_EQ(w.unconsumed(), 0);
  EXPECT_EQ(w.Consume(0), 0u);  // 10 owed, less than half of 50
  EXPECT_TRUE(w.OnData(40));
  EXPECT_EQ(w.Consume(40), 50u);
}

TEST(ReceiveWindowTest, GrowOpensTheWindow) {
  ReceiveWindow w;
  EXPECT_EQ(w.Grow(1000000), 1000000u);
  EXPECT_EQ(w.window(), 65535 + 1000000);
  ReceiveWindow full(kMaxWindowSize);
  EXPECT_EQ(full.Grow(5), 0u);
}

}  // namespace
}  // namespace http2
