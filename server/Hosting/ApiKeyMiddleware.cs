using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mender.Server.Hosting;

/// <summary>
/// Checks `Authorization: Bearer KEY` on the API (/v1/*) and /metrics when a key is set. The page, its assets and
/// the health probes stay open so a browser can load the page and a load balancer can probe without the key.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ServerOptions options)
{
    private readonly byte[]? key = options.ApiKey is { Length: > 0 } k ? Encoding.UTF8.GetBytes(k) : null;

    public Task InvokeAsync(HttpContext context)
    {
        if (key is null || !IsProtected(context.Request.Path)) return next(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            throw new ApiProblem(401, "Unauthorized", "this server needs an API key: send 'Authorization: Bearer <key>'");
        var given = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(given, key))
            throw new ApiProblem(401, "Unauthorized", "the API key is not valid");
        return next(context);
    }

    internal static bool IsProtected(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/metrics");
}
