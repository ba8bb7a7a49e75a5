// SharedText: copies share one buffer, and a buffer is only rewritten while one holder has it,
// so no copy ever sees its text change.

#include "state/shared_text.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace lk::state {
namespace {

TEST(SharedText, EmptyTextHoldsNothing) {
  SharedText text;
  EXPECT_TRUE(text.empty());
  EXPECT_EQ(text.size(), 0u);
  EXPECT_EQ(text, "");
  text = "x";
  text = "";
  EXPECT_TRUE(text.empty());
}

TEST(SharedText, CopiesShareTheBufferAndCompareByText) {
  const SharedText original("connect to 10.0.0.5:443 refused");
  const SharedText copy = original;
  EXPECT_EQ(copy.view().data(), original.view().data());
  EXPECT_EQ(copy, original);
  EXPECT_EQ(SharedText("connect to 10.0.0.5:443 refused"), original);
  EXPECT_NE(SharedText("connect refused"), original);
  EXPECT_EQ(original, std::string("connect to 10.0.0.5:443 refused"));
}

TEST(SharedText, AnOnlyHolderRewritesItsBufferInPlaceWhenTheTextFits) {
  SharedText text("HTTP 200 in 123 ms");
  const char* buffer = text.view().data();
  text = "HTTP 200 in 98 ms";
  EXPECT_EQ(text, "HTTP 200 in 98 ms");
  EXPECT_EQ(text.view().data(), buffer);
  text = std::string(200, 'x');
  EXPECT_EQ(text, std::string(200, 'x'));
}

TEST(SharedText, ASharedBufferIsNeverRewritten) {
  SharedText location("HTTP 200 in 123 ms");
  const SharedText check = location;
  location = "HTTP 200 in 98 ms";
  EXPECT_EQ(location, "HTTP 200 in 98 ms");
  EXPECT_EQ(check, "HTTP 200 in 123 ms");
  EXPECT_NE(location.view().data(), check.view().data());
}

TEST(SharedText, TakesPartOfItsOwnText) {
  SharedText alone("status was 503 (expected 2xx)");
  alone = alone.view().substr(11, 3);
  EXPECT_EQ(alone, "503");

  SharedText shared("status was 503 (expected 2xx)");
  const SharedText other = shared;
  shared = shared.view().substr(0, 6);
  EXPECT_EQ(shared, "status");
  EXPECT_EQ(other, "status was 503 (expected 2xx)");
}

TEST(SharedText, MovesAndSelfAssignmentsKeepTheText) {
  SharedText text("eu-central");
  SharedText moved = std::move(text);
  EXPECT_EQ(moved, "eu-central");
  const SharedText& same = moved;
  moved = same;
  EXPECT_EQ(moved, "eu-central");
  SharedText other("us-east");
  other = std::move(moved);
  EXPECT_EQ(other, "eu-central");
}

TEST(SharedText, PrintsItsText) {
  std::ostringstream out;
  out << SharedText("ap-southeast");
  EXPECT_EQ(out.str(), "ap-southeast");
}

}  // namespace
}  // namespace lk::state
