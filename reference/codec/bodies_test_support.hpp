// Helpers shared by the body codec tests (bodies_test.cpp, bodies_response_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "reference/codec/bodies.hpp"

namespace tigress::codec::test {

// Parses and insists on failure; returns the error (or a marker that fails every comparison).
template <class Parse>
Error failure(Parse parse, std::string_view body) {
  auto result = parse(body);
  EXPECT_FALSE(result.ok()) << "accepted: " << body.substr(0, 200);
  return result.ok() ? Error{"<accepted>", "<accepted>"} : result.error();
}

inline constexpr UnixSeconds k2030 = 1893456000;  // 2030-01-01T00:00:00Z

}  // namespace tigress::codec::test
