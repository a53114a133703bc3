namespace SocketIoServer.Chat.Storage;

/// <summary>What <see cref="IChatStore.InitializeAsync"/> did to the schema.</summary>
/// <param name="FromVersion">The version found (0 for an empty database).</param>
/// <param name="ToVersion">The version now (the newest this server knows).</param>
public sealed record SchemaMigrationResult(int FromVersion, int ToVersion)
{
    public int Applied => ToVersion - FromVersion;
}
