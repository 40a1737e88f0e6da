// Incremental HTTP/1.x response parser for the wire client. Bytes arrive in whatever pieces the
// network delivers; the parser keeps at most one read's worth plus one line buffered, so a
// target cannot make it hold more than the configured header and body limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/wire_client.hpp"
#include "common/result.hpp"

namespace tigress::harness::detail {

class ResponseParser {
 public:
  // `head_request`: the response to HEAD has headers only, whatever they announce.
  ResponseParser(std::size_t max_header_bytes, std::size_t max_body_bytes, bool head_request);

  // Consumes the next bytes from the target. An error means the response is malformed or over
  // a limit; the parser must not be fed again after an error or once done().
  Status feed(std::string_view data);
  // The target closed the connection: completes a read-until-close body, errors otherwise.
  Status finish();
  bool done() const { return state_ == State::kDone; }
  bool received_anything() const { return received_anything_; }
  // Bytes received after the end of the response (done()): on a kept-alive connection, an
  // answer nobody asked for.
  std::size_t unconsumed() const { return pending_.size(); }
  // Those bytes: the start of the next answer when requests were pipelined.
  const std::string& unconsumed_bytes() const { return pending_; }
  HttpResponse& response() { return response_; }

 private:
  enum class State {
    kStatusLine,
    kHeaders,
    kBodyLength,
    kChunkSize,
    kChunkData,
    kChunkDataEnd,
    kTrailers,
    kBodyUntilClose,
    kDone,
  };

  Status process();
  Status on_line(std::string_view line);
  Status on_status_line(std::string_view line);
  Status on_header_line(std::string_view line);
  Status on_headers_complete();
  Status on_chunk_size_line(std::string_view line);
  // Appends up to the body limit; returns true when the limit cut the body short.
  bool append_body(std::string_view data);
  bool in_header_section() const;

  std::size_t max_header_bytes_;
  std::size_t max_body_bytes_;
  bool head_request_;
  State state_ = State::kStatusLine;
  std::string pending_;               // bytes not yet consumed (a partial line, at most one read)
  std::size_t header_bytes_ = 0;      // consumed header-section bytes, including interim responses
  std::uint64_t body_remaining_ = 0;  // Content-Length or current chunk
  bool received_anything_ = false;
  HttpResponse response_;
};

}  // namespace tigress::harness::detail
