namespace SocketIoServer.Chat.Storage;

/// <summary>
/// One step of a store's schema, applied once, in version order, and recorded in the <c>schema_version</c> table.
/// Released migrations are never edited: a change to the schema is a new migration with the next version.
/// </summary>
internal sealed record SchemaMigration(int Version, string Name, string Sql)
{
    /// <summary>Checks a backend's list (versions 1, 2, 3... in order) and returns the newest version.</summary>
    public static int Latest(IReadOnlyList<SchemaMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException($"schema migration '{migrations[i].Name}' has version {migrations[i].Version}, expected {i + 1}");
        }
        return migrations.Count;
    }

    /// <summary>A database written by a newer server may hold data this one would misread: refuse it.</summary>
    public static void EnsureNotNewer(int found, int latest, string backend)
    {
        if (found > latest)
            throw new InvalidOperationException(
                $"the {backend} chat database has schema version {found}, newer than this server's {latest}; run a newer server or restore an older database");
    }
}
