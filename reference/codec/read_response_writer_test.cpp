// dump_read_response and dump_create_response write a Read's and a Create's answer without
// building a JSON document; each must be dump_json(to_json(...)) byte for byte, whatever bytes
// the strings hold.
#include <string>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "reference/codec/bodies.hpp"

namespace tigress::codec {
namespace {

std::string through_nlohmann(const ReadSecureContentResponse& value) { return dump_json(to_json(value)); }

ReadSecureContentResponse answer_with(const std::string& text, UnixSeconds expiration = 1798761600) {
  return {{text, text + "x"}, {text, "d" + text, text + "/i.png"}, expiration};
}

TEST(ReadResponseWriter, MatchesNlohmannOnStringsThatNeedEscapingOrReplacing) {
  for (const std::string& text :
       {std::string(), std::string("Car Key"), std::string("Tom & Jerry <b>\"quoted\""),
        std::string("back\\slash/solidus"), std::string("tab\tnew\nline\r\x01\x1f"), std::string("del\x7f"),
        std::string("caf\xc3\xa9 \xf0\x9f\x94\x91"), std::string("bad \xff\xfe utf-8 \xc3"),
        std::string("nul\0inside", 10), std::string(344, 'A')}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(dump_read_response(answer_with(text)), through_nlohmann(answer_with(text)));
  }
}

TEST(ReadResponseWriter, MatchesNlohmannAtTheEdgesOfTime) {
  for (UnixSeconds at : {UnixSeconds{-62135596800}, UnixSeconds{0}, UnixSeconds{253402300799}}) {
    EXPECT_EQ(dump_read_response(answer_with("k", at)), through_nlohmann(answer_with("k", at)));
  }
}

RC_GTEST_PROP(ReadResponseWriterProperties, EqualsDumpJsonOfToJsonForAnyBytes, ()) {
  const auto text = [] {
    return *rc::gen::oneOf(rc::gen::arbitrary<std::string>(),
                           rc::gen::container<std::string>(rc::gen::inRange<char>(0x20, 0x7F)),
                           rc::gen::container<std::string>(rc::gen::element<char>('"', '\\', '/', 'a', '\n', '\x7f')));
  };
  const ReadSecureContentResponse value{
      {text(), text()}, {text(), text(), text()}, *rc::gen::inRange<UnixSeconds>(-62135596800, 253402300800)};
  RC_ASSERT(dump_read_response(value) == through_nlohmann(value));
}

// A Create's answer: the base URL of urlLink is the operator's configuration, any bytes.
TEST(CreateResponseWriter, MatchesNlohmannOnLinksThatNeedEscapingOrReplacing) {
  for (const std::string& link :
       {std::string(), std::string("https://relay.example:8443/v1/m/6f1c8a52-0d5e-4b7a-9c3e-2f4d6a8b0c1e"),
        std::string("https://h/\"quoted\"/v1/m/x"), std::string("https://h/back\\slash"),
        std::string("https://h/tab\tnew\nline\x01"), std::string("https://caf\xc3\xa9/\xf0\x9f\x94\x91"),
        std::string("https://bad/\xff\xfe\xc3"), std::string("nul\0inside", 10)}) {
    SCOPED_TRACE(link);
    for (bool push : {false, true}) {
      const CreateMailboxResponse value{link, push};
      EXPECT_EQ(dump_create_response(value), dump_json(to_json(value)));
    }
  }
}

RC_GTEST_PROP(CreateResponseWriterProperties, EqualsDumpJsonOfToJsonForAnyBytes, (const std::string& link, bool push)) {
  const CreateMailboxResponse value{link, push};
  RC_ASSERT(dump_create_response(value) == dump_json(to_json(value)));
}

}  // namespace
}  // namespace tigress::codec
