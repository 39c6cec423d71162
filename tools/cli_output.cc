#include "tools/cli_output.h"

#include <filesystem>
#include <iostream>
#include <system_error>

#include "tools/cli_common.h"

namespace ringscope {

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  if (path_ == "-") return;
  temp_ = path_ + ".tmp";
  file_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!file_) throw CommandFailure("cannot write '" + path_ + "': check the directory exists");
}

OutputFile::~OutputFile() {
  if (temp_.empty() || committed_) return;
  std::error_code ec;
  std::filesystem::remove(temp_, ec);
}

std::ostream& OutputFile::stream() { return path_ == "-" ? std::cout : file_; }

void OutputFile::Commit() {
  if (path_ == "-") {
    std::cout.flush();
    return;
  }
  file_.close();
  if (!file_) throw CommandFailure("writing '" + path_ + "' failed (disk full?)");
  std::filesystem::rename(temp_, path_);
  committed_ = true;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        // XML 1.0 forbids most control characters even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace ringscope
