#include "node/api/http.hpp"

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

HttpResponse error_response(int status, const std::string& code, const std::string& message) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}}}});
}

namespace {

struct JsonTooBig {
  std::string why;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<Json, std::string> parse_json_body(std::string_view text) {
  // Keys counted per open object (arrays hold a place that is never counted).
  std::vector<std::size_t> keys;
  auto limit = [&keys](int depth, Json::parse_event_t event, Json&) {
    using E = Json::parse_event_t;
    if ((event == E::object_start || event == E::array_start) &&
        static_cast<std::size_t>(depth) >= kMaxJsonDepth)
      throw JsonTooBig{"it nests deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
    if (event == E::object_start || event == E::array_start) keys.push_back(0);
    if ((event == E::object_end || event == E::array_end) && !keys.empty()) keys.pop_back();
    if (event == E::key && !keys.empty() && ++keys.back() > kMaxJsonKeysPerObject)
      throw JsonTooBig{"an object has more than " + std::to_string(kMaxJsonKeysPerObject) +
                       " keys"};
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), limit);
  } catch (const JsonTooBig& e) {
    return fail("the body is too complex: " + e.why);
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
      const int hi = hex_digit(text[i + 1]), lo = hex_digit(text[i + 2]);
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
