// POST /v1/transactions (docs/api.md): a signed transaction, checked and queued (or
// forwarded to the proposer); answered with its hash at once, or with its receipt once its
// block commits. Everything is checked before the transaction is queued: a refusal changes
// nothing.
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "node/api/json_views.hpp"
#include "node/api/requests.hpp"
#include "node/api/server.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

// What a submit asks for: the transaction, and whether (and how long) to wait for its receipt.
struct Submission {
  Transaction tx;
  bool wait = false;
  std::chrono::milliseconds timeout{};
};

ApiResult<Submission> submission(const HttpRequest& req, std::chrono::milliseconds max_wait) {
  auto body = json_object(req);
  if (!body) return fail(body.error());
  if (!body->contains("tx") || !(*body)["tx"].is_string())
    return fail(ApiFailure{ApiCode::BadTx, "`tx` must be the signed transaction in hex"});
  auto bytes = parse_hex((*body)["tx"].get<std::string>());
  if (!bytes.ok()) return fail(ApiFailure{ApiCode::BadTx, "`tx`: " + bytes.error()});
  if (bytes->size() > kMaxTransactionBytes)
    return fail(ApiFailure{ApiCode::TooLarge, "the transaction exceeds " +
                                                  std::to_string(kMaxTransactionBytes) + " bytes"});
  auto tx = Transaction::decode(*bytes);
  if (!tx.ok()) return fail(ApiFailure{ApiCode::Malformed, tx.error()});
  if (body->contains("wait") && !(*body)["wait"].is_boolean())
    return fail(ApiFailure{ApiCode::BadWait, "`wait` is true or false"});
  if (body->contains("timeout_ms") && !(*body)["timeout_ms"].is_number_unsigned())
    return fail(ApiFailure{ApiCode::BadTimeout, "`timeout_ms` is a number of milliseconds"});
  // Clamped before it becomes a duration: 2^63 ms and above would wrap negative.
  const uint64_t timeout = std::min<uint64_t>(static_cast<uint64_t>(max_wait.count()),
                                              body->value("timeout_ms", uint64_t{10'000}));
  return Submission{std::move(tx).value(), body->value("wait", false),
                    std::chrono::milliseconds(timeout)};
}

}  // namespace

void ApiServer::submit(const HttpRequest& req, Respond respond) {
  if (!orderer_.forwards()) return submit_now(req, std::move(respond));
  // A follower forwards on the thread that read the request while that leaves one thread
  // free for everything else (a hop to another thread cost 0.88x of a cluster's grants), and
  // on the forwarding threads beyond: a slow proposer never takes every thread.
  const std::size_t inline_most = std::max<std::size_t>(config_.http.threads, 2) - 1;
  if (inline_forwards_.fetch_add(1) < inline_most) {
    struct Done {
      std::atomic<std::size_t>& n;
      ~Done() { --n; }
    } done{inline_forwards_};
    return submit_now(req, std::move(respond));
  }
  --inline_forwards_;
  if (forwarding_.fetch_add(1) >= config_.max_forwarding) {
    --forwarding_;
    return respond(
        error_response(ApiCode::Busy, std::to_string(config_.max_forwarding) +
                                          " transactions are being forwarded to the proposer, the "
                                          "most at once; try again shortly"));
  }
  boost::asio::post(*forward_pool_, [this, req, respond] {
    try {
      submit_now(req, respond);
    } catch (const std::exception& e) {
      respond(
          error_response(ApiCode::Internal, std::string("the node failed to answer: ") + e.what()));
    }
    --forwarding_;
  });
}

void ApiServer::submit_now(const HttpRequest& req, Respond respond) {
  if (auto f = orderer_.fault()) return respond(error_response(ApiCode::Diverged, *f));
  auto s = submission(req, config_.max_wait);
  if (!s) return respond(error_response(s.error()));
  // A waiter's place is taken before the transaction is queued, so that a refusal to wait
  // leaves nothing queued either.
  if (s->wait && !waiters_.reserve()) {
    ++metrics_.waits_refused;
    return respond(error_response(ApiCode::TooManyWaiting,
                                  std::to_string(config_.max_waiters) +
                                      " clients are waiting for receipts, the most at once: send "
                                      "without `wait` and poll GET /v1/transactions/{hash}"));
  }
  std::optional<Transaction> copy;  // for the receipt's answer
  if (s->wait) copy = s->tx;
  auto submitted = orderer_.submit(std::move(s->tx), req.has_header("x-assent-forwarded"));
  if (!submitted.ok()) {
    if (s->wait) waiters_.give_back();
    ++metrics_.rejected;
    return respond(error_response(api_failure(submitted.error())));
  }
  Json out = {{"hash", hex(*submitted)}};
  if (!s->wait) return respond(json_response(202, out));
  waiters_.add(
      *submitted, ReceiptWaiters::Clock::now() + s->timeout,
      [this, tx = std::move(*copy), out, respond](std::optional<StoredReceipt> receipt) mutable {
        if (!receipt) {
          out["committed"] = false;
          return respond(json_response(202, out));
        }
        auto read = snapshot(chain_);
        if (!read) return respond(error_response(read.error()));
        auto shown = receipt_json(chain_, *read, tx, *receipt);
        if (!shown.ok()) return respond(error_response(shown.error()));
        out["committed"] = true;
        out["receipt"] = std::move(shown).value();
        respond(json_response(200, out));
      });
}

}  // namespace assent::node
