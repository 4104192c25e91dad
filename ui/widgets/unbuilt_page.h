// UnbuiltPage: the honest stand-in for a sidebar page that is not built yet: its name and what it will do.
#pragma once

#include <QWidget>

namespace ts::ui {

class UnbuiltPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnbuiltPage)

public:
    UnbuiltPage(const QString& title, const QString& description, QWidget* parent = nullptr);
};

} // namespace ts::ui
