#include "tools/cli_csv.h"

#include "ingest/csv.h"

namespace ringscope {

std::string SafeCsvCell(std::string_view cell) {
  if (!cell.empty() && cell.front() == '\'') return "'" + std::string(cell);
  return NeutralizeFormula(cell);
}

std::string RecoverCsvCell(std::string_view cell) {
  if (!cell.empty() && cell.front() == '\'') cell.remove_prefix(1);
  return std::string(cell);
}

void WriteSafeCsvRow(const std::vector<std::string>& fields, std::ostream& out) {
  std::vector<std::string> safe;
  safe.reserve(fields.size());
  for (const std::string& field : fields) safe.push_back(SafeCsvCell(field));
  WriteCsvRow(safe, out);
}

}  // namespace ringscope
