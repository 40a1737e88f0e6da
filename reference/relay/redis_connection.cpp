#include "reference/relay/redis_connection.hpp"

#include <sys/time.h>

#include <hiredis/hiredis.h>
#include <openssl/evp.h>

namespace tigress::relay {
namespace {

timeval to_timeval(std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  return tv;
}

constexpr int kMaxDepth = 4;  // the store's scripts answer at most an array of scalars

// Copies a hiredis reply, refusing anything larger than the store can have written.
Result<RedisValue> convert(const redisReply& reply, std::size_t max_bytes, std::size_t& budget, int depth) {
  RedisValue value;
  switch (reply.type) {
    case REDIS_REPLY_NIL:
      return value;
    case REDIS_REPLY_INTEGER:
      value.kind = RedisValue::kInteger;
      value.integer = reply.integer;
      return value;
    case REDIS_REPLY_ERROR: {
      const std::size_t shown = std::min<std::size_t>(reply.len, 200);
      return make_error("redis: " + std::string(reply.str, shown));
    }
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      if (reply.len > budget || reply.len > max_bytes) {
        return make_error("redis: reply larger than " + std::to_string(max_bytes) + " bytes");
      }
      budget -= reply.len;
      value.kind = RedisValue::kString;
      value.text.assign(reply.str, reply.len);
      return value;
    case REDIS_REPLY_ARRAY:
      if (depth >= kMaxDepth || reply.elements > budget) return make_error("redis: reply nested or long beyond bounds");
      budget -= reply.elements;
      value.kind = RedisValue::kArray;
      value.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        auto element = convert(*reply.element[i], max_bytes, budget, depth + 1);
        if (!element) return element.error();
        value.elements.push_back(std::move(*element));
      }
      return value;
    default:
      return make_error("redis: unexpected reply type " + std::to_string(reply.type));
  }
}

std::string sha1_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr) != 1) return {};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kDigits[digest[i] >> 4]);
    out.push_back(kDigits[digest[i] & 15]);
  }
  return out;
}

}  // namespace

RedisScript::RedisScript(std::string source) : source_(std::move(source)), sha1_(sha1_hex(source_)) {}

RedisConnection::RedisConnection(redisContext* context, std::size_t max_reply_bytes)
    : context_(context), max_reply_bytes_(max_reply_bytes) {}

RedisConnection::~RedisConnection() { redisFree(context_); }

Result<std::unique_ptr<RedisConnection>> RedisConnection::open(const RedisEndpoint& endpoint,
                                                               std::chrono::milliseconds timeout,
                                                               std::size_t max_reply_bytes) {
  const std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
  redisContext* context = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, to_timeval(timeout));
  if (context == nullptr) return make_error("redis " + where + ": out of memory");
  if (context->err != 0) {
    std::string reason = context->errstr;
    redisFree(context);
    return make_error("redis " + where + ": " + reason);
  }
  std::unique_ptr<RedisConnection> connection(new RedisConnection(context, max_reply_bytes));
  if (redisSetTimeout(context, to_timeval(timeout)) != REDIS_OK) {
    return make_error("redis " + where + ": cannot set the timeout");
  }
  if (endpoint.database != 0) {
    auto selected = connection->command({"SELECT", std::to_string(endpoint.database)});
    if (!selected)
      return make_error("redis " + where + " database " + std::to_string(endpoint.database) + ": " +
                        selected.error().message());
  }
  return connection;
}

Result<RedisValue> RedisConnection::command(const std::vector<std::string>& argv) {
  if (broken_) return make_error("redis: connection broken");
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  for (const auto& arg : argv) {
    pointers.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context_, static_cast<int>(argv.size()), pointers.data(), lengths.data()));
  if (reply == nullptr) {
    broken_ = true;  // hiredis cannot resynchronise a stream after an I/O error or timeout
    return make_error(std::string("redis: ") + (context_->err != 0 ? context_->errstr : "no reply"));
  }
  std::size_t budget = max_reply_bytes_;
  auto value = convert(*reply, max_reply_bytes_, budget, 0);
  freeReplyObject(reply);
  return value;
}

Result<RedisValue> RedisConnection::run(const RedisScript& script, const std::vector<std::string>& keys,
                                        const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"EVALSHA", script.sha1(), std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  auto reply = command(argv);
  if (reply || reply.error().reason.rfind("redis: NOSCRIPT", 0) != 0) return reply;
  argv[0] = "EVAL";  // also caches the script on the server for the next EVALSHA
  argv[1] = script.source();
  return command(argv);
}

RedisConnectionPool::RedisConnectionPool(RedisEndpoint endpoint, std::chrono::milliseconds timeout,
                                         std::size_t max_reply_bytes, std::size_t max_idle)
    : endpoint_(std::move(endpoint)), timeout_(timeout), max_reply_bytes_(max_reply_bytes), max_idle_(max_idle) {}

RedisConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->give_back(std::move(connection_));
}

Result<RedisConnectionPool::Lease> RedisConnectionPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  auto opened = RedisConnection::open(endpoint_, timeout_, max_reply_bytes_);
  if (!opened) return opened.error();
  return Lease(*this, std::move(*opened));
}

void RedisConnectionPool::give_back(std::unique_ptr<RedisConnection> connection) {
  if (connection->broken()) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

}  // namespace tigress::relay
