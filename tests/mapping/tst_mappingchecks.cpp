// Mapping checks before a run: every problem is listed at once, each line naming the column
// and the field, with near matches for misspelt names.

#include "engine/mapping/mapper.h"
#include "engine/warehouse/rowbatchbuilder.h"

#include <QTest>

using namespace syncline::engine;
using namespace syncline::engine::mapping;
using namespace syncline::engine::warehouse;
using connector::FieldSpec;
using connector::FieldType;

namespace {

MappingEntry column(const QString &name, const QString &field, const QString &cast = {})
{
    return MappingEntry::fromColumn(name, field, cast);
}

MappingEntry templated(const QString &text, const QString &field)
{
    return MappingEntry::fromTemplate(text, field);
}

MappingEntry constant(const QString &value, const QString &field, const QString &cast = {})
{
    return MappingEntry::fromValue(value, field, cast);
}

FieldSpec field(
    const QString &name, FieldType type, bool required = false, bool readOnly = false, bool identifier = false)
{
    FieldSpec spec;
    spec.name = name;
    spec.label = name;
    spec.type = type;
    spec.required = required;
    spec.readOnly = readOnly;
    spec.identifier = identifier;
    return spec;
}

// A CRM-like object: email identifies a contact and is required, id is read-only.
connector::ObjectSpec contacts()
{
    connector::ObjectSpec object;
    object.name = QStringLiteral("contacts");
    object.label = QStringLiteral("Contacts");
    object.fields = { field(QStringLiteral("id"), FieldType::Text, false, true, true),
        field(QStringLiteral("email"), FieldType::Text, true, false, true),
        field(QStringLiteral("firstname"), FieldType::Text), field(QStringLiteral("lifetime_value"), FieldType::Number),
        field(QStringLiteral("active"), FieldType::Boolean), field(QStringLiteral("signed_up"), FieldType::Date) };
    return object;
}

std::vector<Column> customerColumns()
{
    return { RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
        RowBatchBuilder::column(QStringLiteral("email"), ColumnKind::Text),
        RowBatchBuilder::column(QStringLiteral("email_verified"), ColumnKind::Boolean),
        RowBatchBuilder::column(QStringLiteral("first_name"), ColumnKind::Text),
        RowBatchBuilder::column(QStringLiteral("ltv"), ColumnKind::Decimal),
        RowBatchBuilder::column(QStringLiteral("signup_at"), ColumnKind::Timestamp),
        RowBatchBuilder::column(QStringLiteral("plan"), ColumnKind::Text) };
}

SyncDef customersSync(std::vector<MappingEntry> mapping)
{
    SyncDef sync;
    sync.name = QStringLiteral("customers-to-crm");
    sync.matchColumn = QStringLiteral("email");
    sync.matchField = QStringLiteral("email");
    sync.mapping = std::move(mapping);
    return sync;
}

QStringList problemsOf(const SyncDef &sync, const connector::ObjectSpec &object = contacts(),
    const QStringList &key = { QStringLiteral("id") })
{
    auto mapper = Mapper::compile(sync, customerColumns(), key, object);
    if (mapper)
        return {};
    if (mapper.error().code != QLatin1String("mapping.invalid"))
        return { QStringLiteral("unexpected code ") + mapper.error().code };
    QStringList lines = mapper.error().message.split(QLatin1Char('\n'));
    const QString header = lines.takeFirst();
    if (!header.contains(sync.name) || mapper.error().detail(QStringLiteral("problems")).toInt() != lines.size())
        return { QStringLiteral("bad header ") + header };
    return lines;
}

} // namespace

class MappingChecksTest : public QObject
{
    Q_OBJECT

private slots:
    void aValidMappingCompilesWithTheMatchFieldFirst()
    {
        auto mapper = Mapper::compile(
            customersSync({ column(QStringLiteral("first_name"), QStringLiteral("firstname")),
                column(QStringLiteral("ltv"), QStringLiteral("lifetime_value"), QStringLiteral("number")),
                column(QStringLiteral("email_verified"), QStringLiteral("active")),
                column(QStringLiteral("signup_at"), QStringLiteral("signed_up"), QStringLiteral("date")) }),
            customerColumns(), { QStringLiteral("id") }, contacts());
        QVERIFY2(mapper.has_value(), qPrintable(mapper ? QString() : mapper.error().message));
        QCOMPARE(mapper->fields(),
            QStringList({ QStringLiteral("email"), QStringLiteral("firstname"), QStringLiteral("lifetime_value"),
                QStringLiteral("active"), QStringLiteral("signed_up") }));
    }

    void misspeltColumnIsNamedWithNearMatches()
    {
        const QStringList problems
            = problemsOf(customersSync({ column(QStringLiteral("frist_name"), QStringLiteral("firstname")) }));
        QCOMPARE(problems,
            QStringList { QStringLiteral("column 'frist_name' -> field 'firstname': the model has no column "
                                         "'frist_name' (did you mean first_name?)") });
    }

    void everyProblemIsListedOnePerLine()
    {
        const QStringList problems = problemsOf(customersSync({
            column(QStringLiteral("emial"), QStringLiteral("firstname")), // missing column
            column(QStringLiteral("plan"), QStringLiteral("firstname")), // field twice
            column(QStringLiteral("id"), QStringLiteral("id")), // read-only
            column(
                QStringLiteral("signup_at"), QStringLiteral("active"), QStringLiteral("boolean")), // cast does not fit
            column(QStringLiteral("plan"), QStringLiteral("lifetime_value")), // type mismatch
            column(QStringLiteral("plan"), QStringLiteral("tier")), // unknown field
            column(QStringLiteral("plan"), QStringLiteral("signed_up"), QStringLiteral("datetime")), // unknown cast
            templated(QStringLiteral("{{first_name}} {{lastname}}"), QStringLiteral("full")), // template column
            templated(QStringLiteral("{{#first_name}}x"), QStringLiteral("other")), // template syntax
            constant(QStringLiteral("many"), QStringLiteral("count"), QStringLiteral("integer")), // constant cast
        }));
        const QStringList expectedStarts = {
            QStringLiteral("column 'emial' -> field 'firstname': the model has no column 'emial' (did you mean email"),
            QStringLiteral("column 'plan' -> field 'firstname': field 'firstname' is mapped more than once"),
            QStringLiteral("column 'id' -> field 'id': field 'id' is read-only in object 'contacts'"),
            QStringLiteral("column 'signup_at' -> field 'active': cannot cast column 'signup_at' (timestamp) to "
                           "boolean for field 'active'"),
            QStringLiteral("column 'plan' -> field 'lifetime_value': field 'lifetime_value' expects number but gets "
                           "text; add cast: number"),
            QStringLiteral("column 'plan' -> field 'tier': object 'contacts' has no field 'tier'"),
            QStringLiteral("column 'plan' -> field 'signed_up': unknown cast 'datetime' (known: text, number"),
            QStringLiteral("template '{{first_name}} {{lastname}}' -> field 'full': {{lastname}} is not a column: the "
                           "model has no column "
                           "'lastname' (its columns are: id, email, email_verified, first_name"),
            QStringLiteral("template '{{#first_name}}x' -> field 'other': the template does not parse"),
            QStringLiteral("value 'many' -> field 'count': 'many' is not an integer for field 'count'"),
        };
        QCOMPARE(problems.size(), expectedStarts.size() + 3); // plus the unknown fields full, other and count
        for (const QString &start : expectedStarts) {
            bool found = false;
            for (const QString &line : problems)
                found = found || line.startsWith(start);
            QVERIFY2(found,
                qPrintable(QStringLiteral("missing: ") + start + QStringLiteral("\nall:\n")
                    + problems.join(QLatin1Char('\n'))));
        }
    }

    void requiredFieldsMustBeMappedExceptForUpdates()
    {
        SyncDef sync = customersSync({ column(QStringLiteral("first_name"), QStringLiteral("firstname")) });
        sync.matchColumn.clear();
        sync.matchField.clear();
        QCOMPARE(problemsOf(sync),
            QStringList { QStringLiteral("field 'email': required by object 'contacts' but not mapped; "
                                         "map a column to it") });
        sync.mode = SyncMode::UpdateOnly;
        QCOMPARE(problemsOf(sync), QStringList());
    }

    void matchMustNameAColumnAndAnIdentifierField()
    {
        SyncDef sync = customersSync({});
        sync.matchColumn = QStringLiteral("mail");
        sync.matchField = QStringLiteral("firstname");
        const QStringList problems = problemsOf(sync);
        QVERIFY2(problems.contains(
                     QStringLiteral("match column 'mail' -> field 'firstname': field 'firstname' cannot identify "
                                    "records of object 'contacts' (identifier fields: id, email)")),
            qPrintable(problems.join(QLatin1Char('\n'))));
        bool namesColumn = false;
        for (const QString &line : problems)
            namesColumn = namesColumn
                || line.startsWith(
                    QStringLiteral("match column 'mail' -> field 'firstname': the model has no column 'mail'"));
        QVERIFY2(namesColumn, qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void matchFieldCannotAlsoBeMappedFromAnotherColumn()
    {
        const QStringList problems
            = problemsOf(customersSync({ column(QStringLiteral("plan"), QStringLiteral("email")) }));
        QCOMPARE(problems,
            QStringList { QStringLiteral("column 'plan' -> field 'email': field 'email' is the match field, filled "
                                         "from match column 'email'; remove this mapping or change the match") });
        // Mapping the match column to the match field explicitly is the same thing, not a duplicate.
        QCOMPARE(
            problemsOf(customersSync({ column(QStringLiteral("email"), QStringLiteral("email")) })), QStringList());
    }

    void primaryKeyColumnsMustExist()
    {
        const QStringList problems = problemsOf(customersSync({}), contacts(), { QStringLiteral("customer_id") });
        QCOMPARE(problems.size(), qsizetype(1));
        QVERIFY2(problems.first().startsWith(
                     QStringLiteral("primary key column 'customer_id': the model has no column 'customer_id'")),
            qPrintable(problems.first()));
        QCOMPARE(problemsOf(customersSync({}), contacts(), {}).size(), qsizetype(1));
    }

    void objectsAcceptingAnyFieldSkipFieldChecks()
    {
        connector::ObjectSpec file { QStringLiteral("export"), QStringLiteral("export"), true, {} };
        SyncDef sync = customersSync({ column(QStringLiteral("plan"), QStringLiteral("anything")) });
        QCOMPARE(problemsOf(sync, file), QStringList());
    }
};

QTEST_GUILESS_MAIN(MappingChecksTest)
#include "tst_mappingchecks.moc"
