// ImportExamplesCommand: puts a finished import on the undo stack; undo deletes the imported rows.
#pragma once

#include <vector>

#include <QString>
#include <QUndoCommand>

#include "store/example.h"

namespace ts::ui {

class ExamplesModel;

class ImportExamplesCommand final : public QUndoCommand
{
public:
    // `ids`: rows the import job already wrote. The first redo only shows them.
    ImportExamplesCommand(ExamplesModel& model, std::vector<int64_t> ids, const QString& fileName,
                          QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;

private:
    ExamplesModel& m_model;
    std::vector<int64_t> m_ids;
    std::vector<ts::Example> m_rows; // filled by undo, re-inserted by redo
    bool m_firstRedo = true;
};

} // namespace ts::ui
