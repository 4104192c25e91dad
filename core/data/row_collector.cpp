// RowCollector: collects the rows of one dataset file in order, with cancellation and progress.
#include "data/row_collector.h"

namespace ts::detail {

RowCollector::RowCollector(ParsedFile& out, const CancelToken* cancel, ProgressSink* progress, size_t totalBytes)
    : m_out(out)
    , m_cancel(cancel)
    , m_progress(progress)
    , m_totalBytes(totalBytes)
{ }

void RowCollector::addExample(Example example, size_t line)
{
    example.id = 0;
    example.source = Source::Imported;
    m_out.examples.push_back(std::move(example));
    m_out.lines.push_back(line);
    ++m_out.rows;
}

void RowCollector::addProblem(size_t line, std::string field, std::string reason)
{
    m_out.problems.push_back(ImportProblem {line, std::move(field), std::move(reason)});
    ++m_out.rows;
}

void RowCollector::addFileProblem(size_t line, std::string field, std::string reason)
{
    m_out.problems.push_back(ImportProblem {line, std::move(field), std::move(reason)});
}

bool RowCollector::keepGoing(size_t bytesDone)
{
    if (++m_sinceCheck < kCheckEvery)
        return true;
    m_sinceCheck = 0;
    if (m_cancel && m_cancel->stopRequested()) {
        m_cancelled = true;
        return false;
    }
    if (m_progress)
        m_progress->report(
            Progress {static_cast<int64_t>(bytesDone), static_cast<int64_t>(m_totalBytes), "Reading file"});
    return true;
}

} // namespace ts::detail
