namespace SocketIoServer.Chat.Auth;

/// <summary>Why a token was refused, with the <c>reason</c> strings of CONTRACTS.md section 3.</summary>
public enum AuthFailure
{
    MissingToken,
    InvalidToken,
    ExpiredToken,
}

public static class AuthFailureNames
{
    public static string WireName(this AuthFailure failure) => failure switch
    {
        AuthFailure.MissingToken => "missing_token",
        AuthFailure.ExpiredToken => "expired_token",
        _ => "invalid_token",
    };
}
