#include "node/api/http.hpp"

#include "vm/hex.hpp"

namespace assent::node {

std::string HttpRequest::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

std::string json_text(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

HttpResponse json_response(int status, const Json& body) {
  return HttpResponse{status, json_text(body), "application/json", false};
}

HttpResponse error_response(ApiCode code, const std::string& message) {
  const ApiErrorInfo& info = api_error_info(code);
  return json_response(info.status, {{"error", {{"code", info.name}, {"message", message}}}});
}

HttpResponse error_response(const ApiFailure& failure) {
  return error_response(failure.code, failure.message);
}

namespace {

// A first pass over the text that only checks the limits, as SAX events: linear, and it
// builds nothing. (nlohmann's parser callback, which could check them while parsing, scans
// its containers at every object's end: 176,000 empty objects took 43 s of a thread.)
class JsonLimits final : public nlohmann::json_sax<Json> {
 public:
  std::string problem;  // why the body is refused; empty when only the syntax is wrong

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return open(); }
  bool start_array(std::size_t) override { return open(); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t&) override {
    if (++keys_.back() <= kMaxJsonKeysPerObject) return true;
    problem = "an object has more than " + std::to_string(kMaxJsonKeysPerObject) + " keys";
    return false;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;  // the real parse says what is wrong
  }

 private:
  bool open() {
    if (keys_.size() < kMaxJsonDepth) {
      keys_.push_back(0);
      return true;
    }
    problem = "it nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  bool close() {
    keys_.pop_back();
    return true;
  }
  std::vector<std::size_t> keys_;  // keys seen in each open container
};

}  // namespace

Result<Json, std::string> parse_json_body(std::string_view text) {
  JsonLimits limits;
  if (!Json::sax_parse(text.begin(), text.end(), &limits) && !limits.problem.empty())
    return fail("the body is too complex: " + limits.problem);
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const std::exception& e) {
    return fail(std::string("the body is not JSON: ") + e.what());
  }
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = hex_digit_value(text[i + 1]), lo = hex_digit_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

void split_target(std::string_view target, std::string& path,
                  std::multimap<std::string, std::string>& params) {
  const std::size_t q = target.find('?');
  path = percent_decode(target.substr(0, q), false);
  params.clear();
  if (q == std::string_view::npos) return;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    params.emplace(
        percent_decode(pair.substr(0, eq), true),
        eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true));
  }
}

}  // namespace assent::node
