// Request logs (JSON Lines) read on several threads. One thread reads the
// input (decompressing and hashing it) and cuts it into blocks of whole lines;
// workers parse, validate and normalise whole blocks into compact rows with
// their hashes computed; the calling thread aggregates the rows in file order.
// The batch is therefore exactly what reading line by line gives: accounts,
// values and observations get their indexes in order of first appearance,
// rejects keep their line numbers, and --strict stops at the file's first bad
// row. Memory stays bounded: a few blocks are in flight at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ingest/batch_builder.h"
#include "ingest/ingest.h"
#include "ingest/input.h"

namespace ringscope {

// Reads the rest of a request log into `builder`: `first` is its first line,
// already taken from the source (LineReader), and `pending` the bytes read
// after it (LineReader::DetachBuffered, which also says in `source_more`
// whether the source may hold more). Counts rows in builder.batch().source;
// reports progress per block through options.progress (raw bytes read, raw
// size), on the calling thread. Returns the number of lines read, the first
// included. Throws StrictModeError (options.strict) at the first bad row, and
// rethrows what a reading or parsing thread threw; every thread is joined
// before it returns or throws. The source must not be touched until then.
// Complexity: O(bytes) work on options.threads threads; memory O(threads ·
// block size) beyond the batch.
std::int64_t ReadRequestLog(const std::string& path, const IngestOptions& options,
                            ByteSource& bytes, const Line& first, std::vector<char> pending,
                            bool source_more, BatchBuilder& builder);

}  // namespace ringscope
