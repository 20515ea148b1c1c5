#pragma once

// The pages of the new-bridge wizard (ImportWizard): how to start, where the spec is, which
// endpoints to keep, endpoints by hand from a base URL, and the name and file of the bridge.

#include <QWizardPage>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QComboBox;
class QTableView;
class QTreeView;

namespace mcpbridge::openapi {
class OpenApiLoader;
}

namespace mcpbridge::ui {

class ImportWizard;
class EndpointFilterProxy;

class StartPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);
    int nextId() const override;

private:
    QRadioButton *m_fromSpec = nullptr;
    QRadioButton *m_fromBaseUrl = nullptr;
};

class SourcePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit SourcePage(QWidget *parent = nullptr);
    bool isComplete() const override;
    bool validatePage() override;
    int nextId() const override;

private:
    void browse();
    void loaded();
    void showProgress(const QString &stage, qint64 done, qint64 total);
    ImportWizard *importWizard() const;

    QLineEdit *m_location = nullptr;
    QPushButton *m_browse = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_stage = nullptr;
    QLabel *m_error = nullptr;
    openapi::OpenApiLoader *m_loader = nullptr;
    QString m_loadedLocation;
};

class PickerPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit PickerPage(QWidget *parent = nullptr);
    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    void updateSummary();
    ImportWizard *importWizard() const;

    QLineEdit *m_search = nullptr;
    QTreeView *m_view = nullptr;
    EndpointFilterProxy *m_proxy = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_warning = nullptr;
    QLabel *m_notes = nullptr;
};

class BaseUrlPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit BaseUrlPage(QWidget *parent = nullptr);
    bool isComplete() const override;
    int nextId() const override;
    // An http(s) URL with a host, else empty.
    static QString validBaseUrl(const QString &text);

private:
    void addEndpoint();
    void updateState();
    ImportWizard *importWizard() const;

    QLineEdit *m_baseUrl = nullptr;
    QLabel *m_baseUrlHint = nullptr;
    QComboBox *m_method = nullptr;
    QLineEdit *m_path = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QTableView *m_view = nullptr;
};

class FinishPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit FinishPage(QWidget *parent = nullptr);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

private:
    void browse();
    ImportWizard *importWizard() const;

    QLineEdit *m_name = nullptr;
    QLineEdit *m_title = nullptr;
    QLineEdit *m_file = nullptr;
    QPushButton *m_browse = nullptr;
    QLabel *m_problems = nullptr;
};

} // namespace mcpbridge::ui
