#pragma once

// Turns one OpenAPI/Swagger operation into one tool: parameters of every location flattened into
// arguments (with full schemas), name clashes between locations renamed deterministically (the
// wire name recorded), the request body spread into body arguments, annotations from the method.
// Used by the importer; every loss is reported as a note with the operation's JSON pointer.

#include "core/bridge/bridgedocument.h"
#include "core/openapi/importreport.h"
#include "core/openapi/schemaconverter.h"
#include "core/openapi/specresolver.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace mcpbridge::openapi {

struct OperationInput
{
    QString method;       // upper case
    QString path;         // as in the spec: "/pets/{petId}"
    QString pointer;      // "/paths/~1pets~1{petId}/get"
    QJsonObject pathItem; // already dereferenced
    QJsonObject operation;
    QString toolName;   // already unique
    QString pathPrefix; // prepended to the path (an operation server under the base URL)
};

struct MappedOperation
{
    std::optional<bridge::Tool> tool; // nullopt: skipped (a note says why)
    QString responseMimeType;         // of the success response, for resources
};

class OperationMapper
{
public:
    OperationMapper(const SpecResolver &resolver, SchemaConverter &converter, bool swagger2,
                    QList<ImportNote> *notes);

    MappedOperation map(const OperationInput &input);

    // Names of request headers the bridge sets itself; a parameter for them is dropped.
    static bool isReservedHeader(const QString &name);

private:
    struct Candidate; // a parameter before renaming
    struct Body;

    void note(ImportNote::Severity severity, const QString &pointer, const QString &message);
    std::optional<Candidate> parameterCandidate(const SpecResolver::Located &param);
    QJsonObject swagger2ParameterSchema(const QJsonObject &param, const QString &pointer);
    std::optional<Body> requestBody30(const QJsonObject &operation, const QString &pointer,
                                      bool *skip);
    std::optional<Body> formData20(const QList<SpecResolver::Located> &params, bool *skip);
    std::optional<Body> bodyFromSchema(QJsonObject schema, bool required, QString mediaType,
                                       const QString &description, const QString &pointer,
                                       bool *skip);
    QString responseMimeType(const QJsonObject &operation) const;

    const SpecResolver &m_resolver;
    SchemaConverter &m_converter;
    bool m_swagger2;
    QList<ImportNote> *m_notes;
    QStringList m_globalConsumes;
    QStringList m_globalProduces;
    const OperationInput *m_current = nullptr;
};

} // namespace mcpbridge::openapi
