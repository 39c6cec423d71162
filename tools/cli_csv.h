// The one rule every CSV that ringscope exports follows (ban lists, clusters,
// edges, `--format csv` listings): RFC 4180 quoting (ingest/csv.h CsvQuote)
// of cells neutralised against spreadsheet formulas.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace ringscope {

// A cell as exported: NeutralizeFormula (a cell starting with =, +, -, @, tab
// or CR that is not a plain number gets a leading apostrophe), and a cell that
// already starts with an apostrophe gets one more. So the rule is reversible:
// RecoverCsvCell removes one leading apostrophe when there is one. O(n).
std::string SafeCsvCell(std::string_view cell);

// The original value of an exported cell: without its first apostrophe, if
// it starts with one. RecoverCsvCell(SafeCsvCell(x)) == x for every x. O(n).
std::string RecoverCsvCell(std::string_view cell);

// WriteCsvRow of the SafeCsvCell of each field.
void WriteSafeCsvRow(const std::vector<std::string>& fields, std::ostream& out);

}  // namespace ringscope
