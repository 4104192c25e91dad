// RowCollector: receives the rows of one dataset file in order (valid examples and problems), and every
// kCheckEvery rows checks the cancel token and reports progress in bytes.
#pragma once

#include <cstddef>
#include <string>

#include "common/cancel.h"
#include "common/progress.h"
#include "data/formats.h"

namespace ts::detail {

// Token and sink may be null (parseText).
class RowCollector
{
public:
    static constexpr size_t kCheckEvery = 1000;

    RowCollector(ParsedFile& out, const CancelToken* cancel, ProgressSink* progress, size_t totalBytes);

    void addExample(Example example, size_t line);
    void addProblem(size_t line, std::string field, std::string reason); // a bad row
    void addFileProblem(size_t line, std::string field, std::string reason); // not a row (file structure)
    // Call after each row with the bytes consumed so far; false once cancelled.
    bool keepGoing(size_t bytesDone);
    bool cancelled() const { return m_cancelled; }

private:
    ParsedFile& m_out;
    const CancelToken* m_cancel;
    ProgressSink* m_progress;
    size_t m_totalBytes;
    size_t m_sinceCheck = 0;
    bool m_cancelled = false;
};

} // namespace ts::detail
