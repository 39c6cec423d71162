// Writing results to files, shared by the commands that write files
// (export, render): an output file that appears whole or not at all, and XML
// text escaping for GraphML and SVG labels.
#pragma once

#include <fstream>
#include <ostream>
#include <string>
#include <string_view>

namespace ringscope {

// Writes through a temporary file (`path` + ".tmp") renamed into place by
// Commit(), so a reader never sees half a file; "-" writes to stdout. Without
// Commit() the destructor removes the temporary file and never throws.
class OutputFile {
 public:
  // Throws CommandFailure when the temporary file cannot be created.
  explicit OutputFile(std::string path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream();
  // Flushes and renames into place; throws CommandFailure on a write error.
  void Commit();

 private:
  std::string path_, temp_;
  std::ofstream file_;
  bool committed_ = false;
};

// Text for XML 1.0 character data and attribute values: & < > " escaped;
// control characters XML forbids even escaped become U+FFFD. O(|s|).
std::string XmlEscape(std::string_view s);

}  // namespace ringscope
