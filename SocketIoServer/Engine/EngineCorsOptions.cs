namespace SocketIoServer.Engine;

/// <summary>
/// CORS policy applied to Engine.IO HTTP requests, with the semantics of the npm <c>cors</c> package that
/// socket.io uses: <c>"*"</c> allows any origin, otherwise the request origin is echoed when listed.
/// </summary>
public sealed class EngineCorsOptions
{
    /// <summary>Allowed origins; <c>"*"</c> allows all. Default: all.</summary>
    public IList<string> Origins { get; set; } = new List<string> { "*" };

    /// <summary>Send <c>Access-Control-Allow-Credentials: true</c>. Default false.</summary>
    public bool Credentials { get; set; }

    /// <summary>Methods announced on preflight. Default as the cors package.</summary>
    public string Methods { get; set; } = "GET,HEAD,PUT,PATCH,POST,DELETE";

    /// <summary>Headers allowed on preflight; null reflects the request's Access-Control-Request-Headers.</summary>
    public string? AllowedHeaders { get; set; }

    /// <summary>Headers exposed to the browser; null sends none.</summary>
    public string? ExposedHeaders { get; set; }

    /// <summary>Preflight cache lifetime in seconds; null sends none.</summary>
    public int? MaxAge { get; set; }
}
