// Asking the person at the terminal for a line of text or a secret.
//
// On a terminal the prompt goes to the output descriptor and a secret is read
// with echo off (the terminal settings are restored afterwards, also when the
// read is interrupted by SIGINT, SIGTERM, SIGHUP or SIGQUIT). When the input
// is not a terminal (a pipe or file in scripts and tests), nothing is shown
// and each answer is simply the next line of input.
//
// Input is read one byte at a time, so nothing beyond the answer's newline is
// consumed and the next prompt gets the next line.
//
// Thread safety: one Prompter per input; not for concurrent use.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace provisioning {

class Prompter {
 public:
  // Does not take ownership of the descriptors.
  Prompter(int in_fd, int out_fd) : in_fd_(in_fd), out_fd_(out_fd) {}

  // Standard input, with prompts on standard error (standard output stays
  // free for results).
  static Prompter standard();

  // Whether the input is a terminal.
  bool interactive() const;

  // Reads one line without its line ending. bad_request at end of input
  // (naming `prompt`) or when the line exceeds 4096 bytes; unavailable on a
  // read error.
  common::Result<std::string> line(std::string_view prompt);

  // As line(), but a terminal does not echo what is typed. The caller wipes
  // the answer (common::wipe) when done with it.
  common::Result<std::string> secret(std::string_view prompt);

 private:
  common::Result<std::string> read_line(std::string_view prompt);
  void show(std::string_view text) const;

  int in_fd_;
  int out_fd_;
};

}  // namespace provisioning
