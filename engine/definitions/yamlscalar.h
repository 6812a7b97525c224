#pragma once
// How a plain (unquoted) YAML scalar is typed in Syncline's files: the YAML 1.2 core schema
// (null, true/false, decimal integers, floats), everything else is text. Shared by the YAML
// reader and writer so that a text value that looks like a number is written quoted.

#include <QString>
#include <QVariant>

namespace syncline::engine::yamlscalar {

QVariant typedPlainScalar(const QString &text); // nullptr_t, bool, qlonglong, double or QString
bool needsQuotesToStayText(const QString &text); // true when a plain scalar would not read back as this text
QString formatDouble(double value); // shortest text that reads back as the same double

} // namespace syncline::engine::yamlscalar
