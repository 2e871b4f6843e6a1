// The key a source address is throttled under. One IPv6 host usually holds a
// whole /64 (privacy addresses, SLAAC), so a throttle per address would let
// it walk 2^64 addresses; IPv6 is therefore throttled per /64 prefix. An
// IPv4-mapped IPv6 address is its IPv4 address, so both spellings share one
// count. Anything else (an IPv4 address, or a string that is no address) is
// its own key.
//
// Thread safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace core::login {

std::string address_key(std::string_view source_address);

}  // namespace core::login
