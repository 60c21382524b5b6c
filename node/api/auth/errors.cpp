#include "node/api/auth/errors.hpp"

namespace assent::node::auth {

const char* auth_error_meaning(AuthError code) {
  switch (code) {
#define ASSENT_AUTH_ERROR_MEANING(code, meaning) \
  case AuthError::code:                          \
    return meaning;
    ASSENT_AUTH_ERRORS(ASSENT_AUTH_ERROR_MEANING)
#undef ASSENT_AUTH_ERROR_MEANING
  }
  return "";  // not reached: the switch names every code
}

}  // namespace assent::node::auth
