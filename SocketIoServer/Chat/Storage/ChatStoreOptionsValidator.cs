using Microsoft.Extensions.Options;

namespace SocketIoServer.Chat.Storage;

/// <summary>Checks the settings of the backend in use; each failure is one line that starts with the setting's name.</summary>
internal sealed class ChatStoreOptionsValidator : IValidateOptions<ChatStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatStoreOptions options)
    {
        if (options.Backend == ChatStoreBackend.Postgres)
        {
            try
            {
                DatabaseUrl.Parse(options.DatabaseUrl!);
            }
            catch (FormatException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
            return ValidateOptionsResult.Success;
        }
        if (string.IsNullOrWhiteSpace(options.SqlitePath))
            return ValidateOptionsResult.Fail("SQLITE_PATH is empty (expected a file path such as data/chat.db)");
        if (options.SqlitePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || Directory.Exists(options.SqlitePath))
            return ValidateOptionsResult.Fail($"SQLITE_PATH '{options.SqlitePath}' is not a usable file path");
        if (options.SqliteBusyTimeout <= TimeSpan.Zero || options.SqliteBusyTimeout > TimeSpan.FromMinutes(10))
            return ValidateOptionsResult.Fail($"ChatStore:SqliteBusyTimeout '{options.SqliteBusyTimeout}' must be more than 0 and at most 10 minutes");
        return ValidateOptionsResult.Success;
    }
}
