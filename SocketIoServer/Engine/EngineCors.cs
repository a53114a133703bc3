using Microsoft.AspNetCore.Http;

namespace SocketIoServer.Engine;

/// <summary>CORS headers with the behaviour of the npm <c>cors</c> package, which socket.io applies to its HTTP requests.</summary>
internal static class EngineCors
{
    /// <summary>Adds the CORS headers; true when the request was a preflight and has been answered (204).</summary>
    public static bool Apply(HttpContext context, EngineCorsOptions options)
    {
        var request = context.Request;
        var headers = context.Response.Headers;
        var origin = request.Headers.Origin.ToString();
        var allowAll = options.Origins.Contains("*");

        if (allowAll && !options.Credentials)
        {
            headers.AccessControlAllowOrigin = "*";
        }
        else
        {
            // With credentials a browser refuses "*", so the request's own origin is echoed when allowed.
            if (origin.Length > 0 && (allowAll || options.Origins.Contains(origin)))
                headers.AccessControlAllowOrigin = origin;
            headers.Append("Vary", "Origin");
        }

        if (options.Credentials) headers.AccessControlAllowCredentials = "true";
        if (options.ExposedHeaders is { } exposed) headers.AccessControlExposeHeaders = exposed;

        if (!HttpMethods.IsOptions(request.Method)) return false;

        headers.AccessControlAllowMethods = options.Methods;
        if (options.AllowedHeaders is { } allowed)
        {
            headers.AccessControlAllowHeaders = allowed;
        }
        else
        {
            // reflected: the answer depends on the request, so caches must know (the cors package always says so)
            if (request.Headers.AccessControlRequestHeaders.ToString() is { Length: > 0 } requested)
                headers.AccessControlAllowHeaders = requested;
            headers.Append("Vary", "Access-Control-Request-Headers");
        }
        if (options.MaxAge is { } maxAge) headers.AccessControlMaxAge = maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.ContentLength = 0;
        return true;
    }
}
