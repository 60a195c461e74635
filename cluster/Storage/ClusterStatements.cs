using System.Data.Common;

namespace Mender.Cluster.Storage;

/// <summary>
/// The job statements of one kind of database, from its embedded <c>Sql/*-queries.sql</c>: sections headed
/// <c>-- name: …</c>, the same names and <c>@</c> parameters for every kind, so the code that runs them is written once.
/// </summary>
internal sealed class ClusterStatements
{
    private const string Header = "-- name: ";

    private readonly Dictionary<string, string> texts;

    private ClusterStatements(Dictionary<string, string> texts) => this.texts = texts;

    /// <summary>The schema script and the statements for <paramref name="database"/> ("postgres" or "sqlite").</summary>
    public static (string Schema, ClusterStatements Statements) Load(string database) =>
        (Resource($"{database}-schema.sql"), new ClusterStatements(Sections(Resource($"{database}-queries.sql"))));

    /// <summary>A command of <paramref name="source"/> running the statement <paramref name="name"/> with these parameters.</summary>
    public DbCommand Command(DbDataSource source, string name, params (string Name, object? Value)[] parameters) =>
        Bind(source.CreateCommand(Text(name)), parameters);

    /// <summary>The same on an open connection, inside <paramref name="transaction"/>.</summary>
    public DbCommand Command(DbConnection connection, DbTransaction transaction, string name, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Text(name);
        return Bind(command, parameters);
    }

    private string Text(string name) =>
        texts.TryGetValue(name, out var text) ? text : throw new InvalidOperationException($"the cluster has no statement '{name}'");

    private static DbCommand Bind(DbCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static Dictionary<string, string> Sections(string script)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        var body = new List<string>();
        foreach (var line in script.Split('\n').Append(Header))
        {
            if (!line.StartsWith(Header, StringComparison.Ordinal))
            {
                if (name is not null && !line.TrimStart().StartsWith("--", StringComparison.Ordinal)) body.Add(line);
                continue;
            }
            if (name is not null) sections.Add(name, string.Join('\n', body).Trim());
            name = line[Header.Length..].Trim();
            body.Clear();
        }
        return sections;
    }

    private static string Resource(string file)
    {
        using var stream = typeof(ClusterStatements).Assembly.GetManifestResourceStream($"Mender.Cluster.Sql.{file}")
            ?? throw new InvalidOperationException($"{file} is not embedded in Mender.Cluster");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
