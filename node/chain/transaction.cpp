#include "node/chain/transaction.hpp"

#include "stdlib/crypto.hpp"
#include "vm/byte_io.hpp"

namespace assent::node {

namespace {

constexpr uint8_t kMagic[4] = {'A', 'T', 'X', '1'};

}  // namespace

Bytes Transaction::signing_bytes() const {
  ByteWriter w;
  w.write_bytes(std::span<const uint8_t>(kMagic));
  w.write(static_cast<uint8_t>(kind));
  w.write(static_cast<uint8_t>(chain_id.size()));
  w.write_bytes(chain_id);
  w.write(nonce);
  w.write_bytes(sender);
  w.write(gas_limit);
  if (kind == TxKind::Deploy) {
    w.write(static_cast<uint32_t>(code.size()));
    w.write_bytes(code);
  } else {
    if (kind == TxKind::Call) w.write_bytes(contract);
    w.write(static_cast<uint8_t>(method.size()));
    w.write_bytes(method);
  }
  w.write(static_cast<uint32_t>(args.size()));
  w.write_bytes(args);
  return w.take();
}

Bytes Transaction::encode() const {
  Bytes out = signing_bytes();
  out.insert(out.end(), signature.begin(), signature.end());
  return out;
}

std::size_t Transaction::encoded_size() const {
  // The fields of signing_bytes, in its order, then the signature.
  const std::size_t target = kind == TxKind::Deploy ? 4 + code.size()
                             : kind == TxKind::Call ? 32 + 1 + method.size()
                                                    : 1 + method.size();
  return sizeof(kMagic) + 1 + 1 + chain_id.size() + 8 + sender.size() + 8 + target + 4 +
         args.size() + signature.size();
}

Hash Transaction::hash() const {
  return stdlib::sha256(signing_bytes());
}

void Transaction::sign(const KeyPair& key) {
  sender = key.public_key();
  const Hash h = hash();
  signature = key.sign(h);
}

bool Transaction::signature_valid() const {
  const Hash h = hash();
  return verify_signature(sender, h, signature);
}

Result<Transaction, std::string> Transaction::decode(std::span<const uint8_t> bytes) {
  if (bytes.size() > kMaxTransactionBytes)
    return fail("transaction of " + std::to_string(bytes.size()) + " bytes exceeds " +
                std::to_string(kMaxTransactionBytes));
  ByteReader r(bytes);
  Transaction tx;
  std::span<const uint8_t> raw;
  auto truncated = [&](const char* what) {
    return fail(std::string("transaction truncated at byte ") + std::to_string(r.offset()) +
                " (reading " + what + ")");
  };
  if (!r.read_bytes(4, raw) || !std::equal(raw.begin(), raw.end(), kMagic))
    return fail(std::string("not a transaction: it does not start with ATX1"));
  uint8_t kind = 0, chain_len = 0;
  if (!r.read(kind)) return truncated("the kind");
  if (kind < 1 || kind > 3)
    return fail("unknown transaction kind " + std::to_string(kind) +
                " (1 deploy, 2 call, 3 governance)");
  tx.kind = static_cast<TxKind>(kind);
  if (!r.read(chain_len) || !r.read_string(chain_len, tx.chain_id))
    return truncated("the chain id");
  if (!r.read(tx.nonce)) return truncated("the nonce");
  if (!r.read_bytes(32, raw)) return truncated("the sender");
  std::copy(raw.begin(), raw.end(), tx.sender.begin());
  if (!r.read(tx.gas_limit)) return truncated("the gas limit");
  if (tx.kind == TxKind::Deploy) {
    uint32_t n = 0;
    if (!r.read(n) || !r.read_bytes(n, raw)) return truncated("the code");
    tx.code.assign(raw.begin(), raw.end());
  } else {
    uint8_t n = 0;
    if (tx.kind == TxKind::Call) {
      if (!r.read_bytes(32, raw)) return truncated("the contract");
      std::copy(raw.begin(), raw.end(), tx.contract.begin());
    }
    if (!r.read(n) || !r.read_string(n, tx.method)) return truncated("the method");
    if (tx.method.empty())
      return fail(std::string(tx.kind == TxKind::Call ? "a call names its method"
                                                      : "a governance transaction names its "
                                                        "operation"));
  }
  uint32_t n = 0;
  if (!r.read(n) || !r.read_bytes(n, raw)) return truncated("the arguments");
  tx.args.assign(raw.begin(), raw.end());
  if (!r.read_bytes(64, raw)) return truncated("the signature");
  std::copy(raw.begin(), raw.end(), tx.signature.begin());
  if (!r.at_end())
    return fail(std::to_string(r.remaining()) + " bytes after the end of the transaction");
  return tx;
}

}  // namespace assent::node
