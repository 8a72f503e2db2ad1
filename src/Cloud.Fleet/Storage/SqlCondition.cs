namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// A predicate a write adds to its WHERE, with the parameters it names: the write happens only while something else in
/// the database still holds (an ack's writes, only while its update still reads sent).
/// </summary>
public readonly record struct SqlCondition(string Sql, (string Name, object? Value)[] Args)
{
    /// <summary><paramref name="condition"/> as " AND …" for a WHERE clause; empty when there is none.</summary>
    public static string And(SqlCondition? condition) => condition is { } c ? " AND " + c.Sql : "";

    /// <summary><paramref name="args"/> followed by <paramref name="condition"/>'s parameters.</summary>
    public static (string Name, object? Value)[] With((string Name, object? Value)[] args, SqlCondition? condition) =>
        condition is { } c ? [.. args, .. c.Args] : args;
}
